"""Load and validate ``rules.yaml``: one place where options are checked and defaults applied."""

from __future__ import annotations

import fnmatch
import importlib
import os
import re
import subprocess
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .model import LEVELS
from .regex_safety import catastrophic

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


class Regex(str):
    """Option type: a string that must compile as a regular expression."""


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
    rules: dict[str, RuleSettings]
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
    def from_text(cls, text: str, path: str = "rules.yaml") -> Config:
        data, lines = _load_yaml(text, path)
        return _build(data, lines, path)


def _load_yaml(text: str, path: str) -> tuple[dict[str, Any], dict[str, int]]:
    """YAML to plain data, remembering the line of every key."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML: {problem}", path, line) from None
    if node is None:
        return {}, {}
    lines: dict[str, int] = {}

    def convert(n: yaml.Node, prefix: str) -> Any:
        if isinstance(n, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in n.value:
                key = str(key_node.value)
                dotted = f"{prefix}.{key}" if prefix else key
                if key in out:
                    raise ConfigError(f"duplicate key '{dotted}'", path,
                                      key_node.start_mark.line + 1, dotted)
                lines[dotted] = key_node.start_mark.line + 1
                out[key] = convert(value_node, dotted)
            return out
        if isinstance(n, yaml.SequenceNode):
            return [convert(item, f"{prefix}[{i}]") for i, item in enumerate(n.value)]
        loader = yaml.SafeLoader("")
        try:
            return loader.construct_object(n, deep=True)
        finally:
            loader.dispose()

    data = convert(node, "")
    if not isinstance(data, dict):
        raise ConfigError("the top level must be a mapping", path, node.start_mark.line + 1)
    return data, lines


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _type_ok(value: Any, kind: Any) -> bool:
    if kind is Regex:
        return isinstance(value, str)  # whether it compiles is checked with its message
    if isinstance(kind, tuple):  # an enumeration of allowed strings
        return value in kind
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is list:
        return isinstance(value, list)
    return isinstance(value, kind)


def _type_name(kind: Any) -> str:
    if isinstance(kind, tuple):
        return "one of " + ", ".join(map(str, kind))
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string",
            Regex: "a regular expression",
            list: "a list", dict: "a mapping"}.get(kind, str(kind))


def _build(data: dict[str, Any], lines: dict[str, int], path: str) -> Config:
    from .rules import RULES

    def fail(message: str, key: str) -> ConfigError:
        return ConfigError(message, path, lines.get(key), key)

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
    settings: dict[str, RuleSettings] = {}
    for rule_id, module in RULES.items():
        spec = rules_raw.get(rule_id, "on" if module.ENABLED else "off")
        settings[rule_id] = _rule_settings(rule_id, module, spec, fail)
    for rule_id in rules_raw:
        if rule_id not in RULES:
            raise fail(f"unknown rule '{rule_id}' (see 'listkeeper rules')", f"rules.{rule_id}")
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


def _rule_settings(rule_id: str, module: Any, spec: Any, fail: Any) -> RuleSettings:
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
        if name not in module.OPTIONS:
            known = ", ".join(sorted(module.OPTIONS)) or "none"
            raise fail(f"rule '{rule_id}': unknown option '{name}' (options: {known})",
                       f"{key}.{name}")
        kind = module.OPTIONS[name][0]
        if value is False and isinstance(kind, tuple) and "off" in kind:
            value = "off"  # ``cross_section_level: off`` is false to YAML 1.1
        if not _type_ok(value, kind):
            raise fail(f"rule '{rule_id}': option '{name}' must be {_type_name(kind)}, "
                       f"not {value!r}", f"{key}.{name}")
        if kind is Regex:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # FutureWarnings about the user's syntax
                    re.compile(value)
            except re.error as exc:
                raise fail(f"rule '{rule_id}': option '{name}' is not a valid regular "
                           f"expression: {exc}", f"{key}.{name}") from None
            why = catastrophic(value)
            if why:
                raise fail(f"rule '{rule_id}': option '{name}' can take exponential time on "
                           f"a line that almost matches: {why}; make the repeated parts "
                           f"unambiguous, or possessive (*+, ++)", f"{key}.{name}")
        options[name] = value
    return RuleSettings(level, options, ignore)


_DEFAULTS: Config | None = None


def load_defaults() -> Config:
    """The built-in defaults (bot/defaults.yaml)."""
    global _DEFAULTS
    if _DEFAULTS is None:
        _DEFAULTS = Config.from_text(DEFAULTS_PATH.read_text(encoding="utf-8"), str(DEFAULTS_PATH))
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


def load_config(path: str | None = None, start_dir: str = ".") -> Config:
    """Load ``path``, or the config found from ``start_dir``, or the built-in defaults."""
    if path is None:
        path = find_config(start_dir)
        if path is None:
            return load_defaults()
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise ConfigError("config file not found", path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 (byte {exc.start})", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path) from None
    return Config.from_text(text, path)
