"""Learn a list's own conventions from its text: what ``listkeeper init`` writes to rules.yaml.

Each module of this package infers one convention (entry style, venue labels, badges, sort
order, year sections, categories, whitespace, table of contents, link forms) and returns
``Choice``s: a key of rules.yaml, its value, and the evidence as a sentence ("label spelling
arXiv: 127 of 131"). A convention is written only when the list follows it (90% of at least ten
cases); otherwise the rule is left off or lenient, and the comment says why.

``infer(doc)`` collects the choices, ``render()`` writes the commented YAML, and ``config()``
reads it back as a Config: a check without a rules.yaml judges a list by these same choices.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from ..model import Document
from ._facts import Facts, collect

HEADER = """\
# listkeeper configuration for {path}, written by `listkeeper init` from the list itself.
# Each choice says what in the list led to it; a convention is written only when the list
# follows it (90% or more of its entries), else the rule is off or lenient. Edit freely:
# `listkeeper rules ID` documents every rule and option.
"""


@dataclass(frozen=True)
class Choice:
    """One inferred setting: ``key`` is a path in rules.yaml; ``value`` None is a comment only."""

    key: tuple[str, ...]
    value: Any
    why: str = ""


@dataclass
class Inferred:
    path: str
    choices: list[Choice] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """The choices as the nested mapping rules.yaml holds."""
        out: dict[str, Any] = {"extends": "default"}
        for choice in self.choices:
            if choice.value is None:
                continue
            node = out
            for part in choice.key[:-1]:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = node[part] = {}
                node = child
            node[choice.key[-1]] = choice.value
        return out


def _discover() -> list[ModuleType]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            found.append(importlib.import_module(f"{__name__}.{info.name}"))
    return sorted(found, key=lambda m: m.ORDER)


CONVENTIONS: list[ModuleType] = _discover()


def infer(doc: Document, path: str | None = None) -> Inferred:
    """Every convention's choices for ``doc``."""
    facts: Facts = collect(doc)
    result = Inferred(path or doc.path)
    for module in CONVENTIONS:
        result.choices.extend(module.infer(facts))
    return result


def render(inferred: Inferred) -> str:
    """rules.yaml text with each choice's evidence as a comment above it."""
    lines = [HEADER.format(path=inferred.path).rstrip("\n"), "extends: default",
             f"files: [{_scalar(inferred.path)}]"]
    data = inferred.data()
    notes: dict[tuple[str, ...], list[str]] = {}  # a key -> the comments above it
    loose: dict[tuple[str, ...], list[str]] = {}  # a mapping -> comments with no key of their own
    for choice in inferred.choices:
        if not choice.why:
            continue
        if _has(data, choice.key):
            notes.setdefault(choice.key, []).append(choice.why)
        else:  # nothing written for it: the comment goes under the nearest written mapping
            prefix = choice.key[:-1]
            while prefix and not _has(data, prefix):
                prefix = prefix[:-1]
            loose.setdefault(prefix, []).append(choice.why)
    _emit(data, (), 0, notes, loose, lines)
    return "\n".join(lines) + "\n"


def _has(data: dict[str, Any], key: tuple[str, ...]) -> bool:
    node: Any = data
    for part in key:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _emit(node: dict[str, Any], prefix: tuple[str, ...], depth: int,
          notes: dict[tuple[str, ...], list[str]], loose: dict[tuple[str, ...], list[str]],
          lines: list[str]) -> None:
    pad = "  " * depth
    if prefix and loose.get(prefix):
        lines += [f"{pad}# {why}" for why in loose[prefix]]
    for key, value in node.items():
        if depth == 0 and key in ("extends", "files"):
            continue
        path = prefix + (key,)
        if depth == 0:
            lines.append("")
        lines += [f"{pad}# {why}" for why in notes.get(path, [])]
        if isinstance(value, dict):
            lines.append(f"{pad}{_key(key)}:")
            _emit(value, path, depth + 1, notes, loose, lines)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{pad}{_key(key)}:")
            for item in value:
                for i, (k, v) in enumerate(item.items()):
                    lead = f"{pad}  - " if i == 0 else f"{pad}    "
                    lines.append(f"{lead}{_key(k)}: {_scalar(v)}")
        else:
            lines.append(f"{pad}{_key(key)}: {_scalar(value)}")
    if not prefix and loose.get(()):
        lines += ["", "# Not written (the list follows no convention here, or too few cases):"]
        lines += [f"# - {why}" for why in loose[()]]


_PLAIN = re.compile(r"^[A-Za-z_][\w\-]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _key(key: str) -> str:
    return key if _PLAIN.match(key) and key.lower() not in _RESERVED else json.dumps(key, ensure_ascii=False)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_scalar(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def config_for(loaded: Any, doc: Document) -> Any:
    """``loaded`` itself, or, when no rules.yaml was found (the built-in defaults), the
    configuration the list's own conventions make: a list is judged by what it does."""
    from ..config import is_builtin

    return config(doc) if is_builtin(loaded) else loaded


def config(doc: Document, path: str | None = None) -> Any:
    """The Config a list's own conventions make (what ``init`` would write for it)."""
    from ..config import Config

    return Config.from_text(render(infer(doc, path)), f"<conventions of {path or doc.path}>")
