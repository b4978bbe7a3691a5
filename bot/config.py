"""Load and validate ``rules.yaml``: one place where options are checked and defaults applied."""

from __future__ import annotations

import fnmatch
import importlib
import os
import subprocess
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .model import LEVELS
from .validate import Checker, Regex  # noqa: F401  (Regex: the option type rules import from here)

CONFIG_NAMES = ("rules.yaml", ".listkeeper.yaml")
TOP_LEVEL_KEYS = ("extends", "rules", "venues", "sections", "links", "review", "files", "fix")
# Sections owned by other modules: validated there, imported only when present.
SECTION_VALIDATORS = {
    "links": "bot.links.settings:validate_section",
    "review": "bot.github.settings:validate_section",
    "venues": "bot.vocabulary:validate_venues",
    "sections": "bot.vocabulary:validate_sections",
}
DEFAULTS_PATH = Path(__file__).with_name("defaults.yaml")


@dataclass
class RuleSettings:
    """How one rule runs: its level (None when off), options and ignored section globs."""

    level: str | None
    options: dict[str, Any]
    ignore: list[str] = field(default_factory=list)

    def ignores(self, section_path: tuple[str, ...]) -> bool:
        if not self.ignore:
            return False
        forms = ("/".join(section_path), " › ".join(section_path))
        return any(fnmatch.fnmatchcase(form, glob) for glob in self.ignore for form in forms)


@dataclass
class Config:
    """The validated configuration."""

    path: str
    raw: dict[str, Any]
    rules: Mapping[str, RuleSettings]
    lines: dict[str, int] = field(default_factory=dict)  # dotted key -> line in the file
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def rule(self, rule_id: str) -> RuleSettings:
        return self.rules[rule_id]

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """What ``build`` makes from this configuration, built once per Config (the venue
        vocabulary, the sort policies), however many rules and sections ask for it."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = build()
            return value

    def section(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name) or {}
        return value if isinstance(value, dict) else {}

    @property
    def files(self) -> list[str]:
        return list(self.raw.get("files") or ["README.md"])

    @classmethod
    def from_text(cls, text: str, path: str = "rules.yaml", *, only: Collection[str] | None = None,
                  ) -> Config:
        """The configuration in ``text``; with ``only`` (rule ids and section names), the rules
        and sections not named are validated when first asked for, not now."""
        data, lines = _load_yaml(text, path)
        return _build(data, lines, path, only)


class RuleTable(MutableMapping[str, RuleSettings]):
    """Each rule's settings by id, validated (and the rule's module imported) when first
    asked for; `_build` asks for every rule at once unless its caller named the ones it runs."""

    def __init__(self, specs: dict[str, Any], check: Checker) -> None:
        self._specs = specs
        self._check = check
        self._built: dict[str, RuleSettings] = {}

    def __getitem__(self, rule_id: str) -> RuleSettings:
        settings = self._built.get(rule_id)
        if settings is None:
            from .rules import RULES

            if rule_id not in RULES:
                raise KeyError(rule_id)
            module = RULES[rule_id]
            spec = self._specs.get(rule_id, "on" if module.ENABLED else "off")
            settings = self._built[rule_id] = _rule_settings(rule_id, module, spec, self._check)
        return settings

    def __setitem__(self, rule_id: str, settings: RuleSettings) -> None:
        self._built[rule_id] = settings

    def __delitem__(self, rule_id: str) -> None:
        raise TypeError("a rule's settings cannot be removed")

    def validate(self, rule_ids: Iterable[str]) -> None:
        """Build these rules' settings now (raising the first ConfigError)."""
        for rule_id in rule_ids:
            self[rule_id]

    def _ids(self) -> list[str]:
        from .rules import RULES

        return list(RULES) + [r for r in self._built if r not in RULES]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids())

    def __len__(self) -> int:
        return len(self._ids())


MAX_CONFIG_BYTES = 1 << 20  # a rules.yaml is a few kilobytes
MAX_DEPTH = 32  # nesting of mappings and lists
MAX_VALUES = 100_000  # values after aliases are expanded (a "billion laughs" stops here)
# libyaml's parser when PyYAML was built with it (the same events and nodes, ten times faster)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null",
                                                         "timestamp", "map", "seq")}


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once its aliases are expanded, counted once per
    distinct node (an alias is the same node object as its anchor), without recursion; a node
    that contains itself counts as one here (``convert`` refuses it with its line)."""
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    visiting: set[int] = set()
    while stack:
        node, done = stack.pop()
        if id(node) in size:
            continue
        children = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            visiting.discard(id(node))
            size[id(node)] = min(1 + sum(size.get(id(c), 1) for c in children), MAX_VALUES + 1)
            continue
        if id(node) in visiting:
            continue  # a cycle
        visiting.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)
    return size[id(root)]


def _load_yaml(text: str, path: str) -> tuple[dict[str, Any], dict[str, int]]:
    """YAML to plain data, remembering the line of every key.

    Bounded on any input: nesting deeper than ``MAX_DEPTH`` is refused before PyYAML's
    recursive composer sees it, aliases are expanded against a budget of ``MAX_VALUES`` values
    and may not contain themselves, tags other than YAML's plain ones are refused, and a number
    too long to be meant is an error, not a traceback.
    """
    try:
        node = _compose(text, path, _LOADER)
    except yaml.YAMLError as exc:
        if _LOADER is yaml.SafeLoader:
            raise _invalid(exc, path) from None
        try:  # libyaml refused it: PyYAML's own parser says why, in its words, at its line
            node = _compose(text, path, yaml.SafeLoader)
        except yaml.YAMLError as again:
            raise _invalid(again, path) from None
    if node is None:
        return {}, {}
    if _expanded_size(node) > MAX_VALUES:  # counted over shared nodes: no expansion needed
        raise ConfigError(f"more than {MAX_VALUES:,} values once aliases are expanded "
                          f"(an alias bomb?)", path, node.start_mark.line + 1)
    lines: dict[str, int] = {}
    budget = [MAX_VALUES]
    open_nodes: set[int] = set()

    def fail(message: str, n: yaml.Node, key: str | None = None) -> ConfigError:
        return ConfigError(message, path, n.start_mark.line + 1, key or None)

    def convert(n: yaml.Node, prefix: str) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise fail(f"more than {MAX_VALUES:,} values once aliases are expanded "
                       f"(an alias bomb?)", n, prefix)
        if n.tag not in _PLAIN_TAGS:
            raise fail(f"unknown tag '{n.tag}': rules.yaml takes plain values", n, prefix)
        if id(n) in open_nodes:
            raise fail("an alias that contains itself", n, prefix)
        if isinstance(n, yaml.MappingNode):
            open_nodes.add(id(n))
            out: dict[str, Any] = {}
            for key_node, value_node in n.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                    raise fail("a key must be a plain name", key_node, prefix)
                key = str(key_node.value)
                dotted = f"{prefix}.{key}" if prefix else key
                if key in out:
                    raise ConfigError(f"duplicate key '{dotted}'", path,
                                      key_node.start_mark.line + 1, dotted)
                lines.setdefault(dotted, key_node.start_mark.line + 1)
                out[key] = convert(value_node, dotted)
            open_nodes.discard(id(n))
            return out
        if isinstance(n, yaml.SequenceNode):
            open_nodes.add(id(n))
            items = [convert(item, f"{prefix}[{i}]") for i, item in enumerate(n.value)]
            open_nodes.discard(id(n))
            return items
        if n.tag.endswith((":int", ":float")) and len(n.value) > 40:
            raise fail(f"a number of {len(n.value):,} characters", n, prefix)
        loader = yaml.SafeLoader("")
        try:
            return loader.construct_object(n, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise fail(f"cannot read the value {str(n.value)[:40]!r}: {exc}", n, prefix) from None
        finally:
            loader.dispose()

    data = convert(node, "")
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a mapping", path, node.start_mark.line + 1)
    return data, lines


def _invalid(exc: yaml.YAMLError, path: str) -> ConfigError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return ConfigError(f"invalid YAML: {problem}", path, mark.line + 1 if mark else None)


def _compose(text: str, path: str, loader: type) -> yaml.Node | None:
    _check_nesting(text, path, loader)
    return yaml.compose(text, Loader=loader)


def _check_nesting(text: str, path: str, loader: type = yaml.SafeLoader) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` (PyYAML composes recursively: 5,000 levels
    raised RecursionError). The event parser is iterative."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ConfigError(f"nested more than {MAX_DEPTH} levels deep", path,
                                  event.start_mark.line + 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _build(data: dict[str, Any], lines: dict[str, int], path: str,
           only: Collection[str] | None = None) -> Config:
    from .rules import RULES

    check = Checker(path, lines)
    fail = check.fail

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise fail(f"unknown key '{key}' (expected one of: {', '.join(TOP_LEVEL_KEYS)})", key)
    extends = data.get("extends")
    if extends is not None and extends != "default":
        raise fail("'extends' must be 'default' (the built-in defaults)", "extends")
    if extends == "default" and Path(path).resolve() != DEFAULTS_PATH.resolve():
        base = load_defaults()
        merged = _merge(base.raw, {k: v for k, v in data.items() if k != "extends"})
        merged_lines = dict(lines)
    else:
        merged, merged_lines = data, lines
    rules_raw = merged.get("rules") or {}
    if not isinstance(rules_raw, dict):
        raise fail("'rules' must be a mapping of rule ids", "rules")
    for rule_id in rules_raw:
        if rule_id not in RULES:
            raise fail(f"unknown rule '{rule_id}' (see 'listkeeper rules')", f"rules.{rule_id}")
    settings = RuleTable(rules_raw, check)
    settings.validate(r for r in RULES if only is None or r in only)  # before the run starts
    fix = merged.get("fix")
    if fix is not None:
        if not isinstance(fix, list) or not all(isinstance(r, str) for r in fix):
            raise fail("'fix' must be a list of rule ids whose list-wide rewrites `fix` applies",
                       "fix")
        for rule_id in fix:
            if rule_id not in RULES:
                raise fail(f"fix: unknown rule '{rule_id}' (see 'listkeeper rules')", "fix")
    files = merged.get("files")
    if files is not None and not (isinstance(files, list) and all(isinstance(f, str) for f in files)):
        raise fail("'files' must be a list of paths", "files")
    for section, target in SECTION_VALIDATORS.items():
        if only is not None and section not in only:
            continue
        if section in merged:
            if not isinstance(merged[section], dict):
                raise fail(f"'{section}' must be a mapping", section)
            module_name, func = target.split(":")
            try:
                validator = getattr(importlib.import_module(module_name), func)
            except (ImportError, AttributeError):
                continue
            validator(merged[section], path, merged_lines)
    return Config(path=path, raw=merged, rules=settings, lines=merged_lines)


def _rule_settings(rule_id: str, module: Any, spec: Any, check: Checker) -> RuleSettings:
    fail = check.fail
    key = f"rules.{rule_id}"
    defaults = {name: default for name, (_, default) in module.OPTIONS.items()}
    if spec is False or spec == "off":
        return RuleSettings(None, defaults)
    if spec is True or spec == "on" or spec is None:
        return RuleSettings(module.LEVEL, defaults)
    if isinstance(spec, str):
        if spec not in LEVELS:
            raise fail(f"rule '{rule_id}': '{spec}' is not off, on or a level "
                       f"({', '.join(LEVELS)})", key)
        return RuleSettings(spec, defaults)
    if not isinstance(spec, dict):
        raise fail(f"rule '{rule_id}' must be off, on, a level or a mapping of options", key)
    level = spec.get("level", module.LEVEL)
    if level == "off" or level is False:  # YAML 1.1 reads a bare ``off`` as false
        level = None
    elif level not in LEVELS:
        raise fail(f"rule '{rule_id}': level '{level}' is not one of {', '.join(LEVELS)}",
                   f"{key}.level")
    ignore = spec.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(g, str) for g in ignore):
        raise fail(f"rule '{rule_id}': 'ignore' must be a list of section globs", f"{key}.ignore")
    options = dict(defaults)
    for name, value in spec.items():
        if name in ("level", "ignore"):
            continue
        kind = module.OPTIONS[name][0] if name in module.OPTIONS else None
        if value is False and isinstance(kind, tuple) and "off" in kind:
            value = "off"  # ``cross_section_level: off`` is false to YAML 1.1
        options.update(check.mapping({name: value}, module.OPTIONS, key))
    return RuleSettings(level, options, ignore)


_DEFAULTS: Config | None = None


def load_defaults() -> Config:
    """The built-in defaults (bot/defaults.yaml)."""
    global _DEFAULTS
    if _DEFAULTS is None:
        # ours and tested: each rule's settings are built when a run first asks for them
        _DEFAULTS = Config.from_text(DEFAULTS_PATH.read_text(encoding="utf-8"), str(DEFAULTS_PATH),
                                     only=())
    return _DEFAULTS


def is_builtin(config: Config) -> bool:
    """True for the built-in defaults, which apply when no rules.yaml was found."""
    return config is _DEFAULTS or Path(config.path).resolve() == DEFAULTS_PATH.resolve()


def find_config(start_dir: str = ".") -> str | None:
    """``rules.yaml`` in the current directory, else at the git root."""
    for name in CONFIG_NAMES:
        candidate = os.path.join(start_dir, name)
        if os.path.isfile(candidate):
            return candidate
    try:
        root = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=start_dir,
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        root = ""
    if root:
        for name in CONFIG_NAMES:
            candidate = os.path.join(root, name)
            if os.path.isfile(candidate):
                return candidate
    return None


def load_config(path: str | None = None, start_dir: str = ".", *,
                only: Collection[str] | None = None) -> Config:
    """Load ``path``, or the config found from ``start_dir``, or the built-in defaults.

    ``only``: the rule ids and sections (``links``, ``venues``...) the caller uses; the others
    are validated when first asked for (`listkeeper links` validates what the broken-link rule
    needs, and imports no other rule)."""
    if path is None:
        path = find_config(start_dir)
        if path is None:
            return load_defaults()
    from .listfile import read_file

    data = read_file(path, cap=MAX_CONFIG_BYTES, error=ConfigError, stdin=False,
                     missing="config file not found")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 (byte {exc.start})", path,
                          data.count(b"\n", 0, exc.start) + 1) from None
    return Config.from_text(text, path, only=only)
