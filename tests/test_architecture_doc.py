"""docs/ARCHITECTURE.md stays true: every module, file, function, class and field it names in
`code` exists in bot/ (issue 11: it named ``rule_options`` and ``ctx_extra`` long after they
were gone), and every module of bot/ is in its table."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

DOC = ROOT / "docs" / "ARCHITECTURE.md"
BOT = ROOT / "bot"
_CODE = re.compile(r"`([^`\n]+)`")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
# code spans that are commands, options, file names or value lists, not names in bot/
_NOT_NAMES = re.compile(r"\s|[|:=\[{]|^-|\.(?:yaml|json|md|sqlite)$|-")


def defined_names() -> set[str]:
    """Every module, package, function, class, method, constant and field defined in bot/."""
    names: set[str] = set()
    for path in BOT.rglob("*.py"):
        names.add(path.stem)
        names.update(part for part in path.relative_to(ROOT).parts[:-1])
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
                names.update(a.arg for a in node.args.args + node.args.kwonlyargs) \
                    if not isinstance(node, ast.ClassDef) else None
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
                names.update(t.attr for t in node.targets if isinstance(t, ast.Attribute))
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return names


def named_in_doc(text: str) -> tuple[list[str], list[str]]:
    """(paths under bot/, dotted names) that the doc's code spans name."""
    paths, names = [], []
    for span in _CODE.findall(text):
        span = span.strip()
        if span.startswith("bot/"):
            paths.append(span)
            continue
        head = span.split("(", 1)[0].strip()
        if "(" in span and _DOTTED.fullmatch(head):
            names.append(head)  # a call: `fix_text(text, path, config, ...) -> FixResult`
        elif m := re.match(r"([A-Za-z_]\w*)\s*(?::|=)", span):
            names.append(m.group(1))  # `RULES: dict[str, module]`, `ONLINE = True`
        elif not _NOT_NAMES.search(span) and _DOTTED.fullmatch(span):
            names.append(span)
    return paths, names


def _path_exists(spec: str) -> bool:
    spec = spec.replace("<id>", "*")
    return bool(list(ROOT.glob(spec.rstrip("/")))) if "*" in spec else (ROOT / spec).exists()


def test_every_name_in_the_architecture_doc_exists():
    text = DOC.read_text(encoding="utf-8")
    paths, names = named_in_doc(text)
    assert len(paths) > 10 and len(names) > 40  # the extraction finds what the doc names
    missing_paths = [p for p in paths if not _path_exists(p)]
    defined = defined_names()
    missing = sorted({n for n in names for part in n.split(".") if part not in defined})
    assert not missing_paths, f"ARCHITECTURE.md names files that do not exist: {missing_paths}"
    assert not missing, f"ARCHITECTURE.md names what bot/ does not define: {missing}"


def test_the_extraction_catches_a_stale_name():
    paths, names = named_in_doc("| `bot/gone.py` | `config.rule_options(id)`, `ctx_extra`, "
                                "`rules.yaml`, `check --base` |")
    assert paths == ["bot/gone.py"] and names == ["config.rule_options", "ctx_extra"]
    assert "rule_options" not in defined_names() and not _path_exists("bot/gone.py")


def test_every_module_of_bot_is_in_the_table():
    text = DOC.read_text(encoding="utf-8")
    listed = {re.split(r"[*<]", span, maxsplit=1)[0] for span in re.findall(r"`(bot/[^`]+)`", text)}
    for path in sorted(BOT.glob("*.py")) + sorted(p for p in BOT.iterdir() if p.is_dir()
                                                  and (p / "__init__.py").exists()):
        rel = path.relative_to(ROOT).as_posix() + ("/" if path.is_dir() else "")
        if path.name in ("__init__.py", "__main__.py"):
            continue
        assert rel in listed or any(rel.startswith(item) for item in listed if item.endswith("/")), \
            f"{rel} is not in docs/ARCHITECTURE.md"
