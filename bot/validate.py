"""One validator for every section of ``rules.yaml``: the same option types, checks and messages.

A section declares its options as ``{name: (kind, default)}`` (the rules' ``OPTIONS``) or
``{name: kind}``; a kind is one of

- ``bool``, ``str``, ``list`` (of anything), ``dict`` (any mapping);
- ``int``: a whole number from 0 to ``MAX_INT`` (a count, a limit, a number of days);
- ``float``: a finite number from 0 to ``MAX_FLOAT`` (seconds, intervals): no ``.inf``, no ``.nan``;
- ``Number(int|float, minimum, maximum)`` for other ranges;
- ``Regex``: a string that compiles and cannot backtrack exponentially (bot.regex_safety);
- a tuple of strings: one of them;
- ``ListOf(kind)``, ``MapOf(kind)`` and ``Fields({name: kind})`` (a nested mapping).

Every error is a ConfigError with the file, the line of the key (or of the nearest enclosing key
that has one) and the dotted key, and its message starts with that key:
``rules.whitespace.max_blank_lines: option 'max_blank_lines' must be an integer, not 'two'``.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError
from .regex_safety import catastrophic

MAX_INT = 10**9
MAX_FLOAT = 1e9


class Regex(str):
    """Option kind: a string that must compile as a regular expression."""


@dataclass(frozen=True)
class Number:
    """Option kind: an int or float between ``minimum`` and ``maximum`` (finite)."""

    kind: type
    minimum: float = 0
    maximum: float | None = None


@dataclass(frozen=True)
class ListOf:
    item: Any


@dataclass(frozen=True)
class MapOf:
    value: Any


@dataclass(frozen=True)
class Fields:
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class AnyOf:
    """Option kind: a value of any of ``kinds`` (a glob or a list of globs)."""

    kinds: tuple[Any, ...]


def _bounds(kind: Any) -> Number | None:
    if kind is int:
        return Number(int, 0, MAX_INT)
    if kind is float:
        return Number(float, 0, MAX_FLOAT)
    return kind if isinstance(kind, Number) else None


def type_ok(value: Any, kind: Any) -> bool:
    """Whether ``value`` has the type of ``kind`` (ranges and patterns are checked apart)."""
    if kind is Regex:
        return isinstance(value, str)
    if isinstance(kind, tuple):
        return isinstance(value, str) and value in kind
    number = _bounds(kind)
    if number is not None:
        if isinstance(value, bool):
            return False
        return isinstance(value, int) if number.kind is int else isinstance(value, (int, float))
    if isinstance(kind, ListOf):
        return isinstance(value, list) and all(type_ok(v, kind.item) for v in value)
    if isinstance(kind, (MapOf, Fields)):
        return isinstance(value, dict)
    if isinstance(kind, AnyOf):
        return any(type_ok(value, k) for k in kind.kinds)
    return isinstance(value, kind)


def type_name(kind: Any) -> str:
    if isinstance(kind, tuple):
        return "one of " + ", ".join(map(str, kind))
    number = _bounds(kind)
    if number is not None:
        return "an integer" if number.kind is int else "a number"
    if isinstance(kind, ListOf):
        return f"a list of {_plural(kind.item)}"
    if isinstance(kind, (MapOf, Fields)):
        return "a mapping"
    if isinstance(kind, AnyOf):
        return " or ".join(type_name(k) for k in kind.kinds)
    return {bool: "true or false", str: "a string", Regex: "a regular expression",
            list: "a list", dict: "a mapping"}.get(kind, str(kind))


def _plural(kind: Any) -> str:
    return {str: "strings", int: "integers", float: "numbers", Regex: "regular expressions",
            bool: "true or false values"}.get(kind, "values")


class Checker:
    """Validates values of one ``rules.yaml`` and raises ConfigError with file, line and key."""

    def __init__(self, path: str, lines: Mapping[str, int] | None = None) -> None:
        self.path = path
        self.lines = lines or {}

    def line_of(self, key: str) -> int | None:
        probe = key
        while True:
            line = self.lines.get(probe)
            if line is not None:
                return line
            if probe.endswith("]"):
                probe = probe[:probe.rindex("[")]
            elif "." in probe:
                probe = probe.rsplit(".", 1)[0]
            else:
                return None

    def fail(self, message: str, key: str) -> ConfigError:
        return ConfigError(message, self.path, self.line_of(key), key)

    def value(self, value: Any, kind: Any, key: str, name: str | None = None) -> Any:
        """``value`` checked against ``kind`` (ints stay ints, numbers become floats)."""
        name = name or key.rsplit(".", 1)[-1]
        if not type_ok(value, kind):
            raise self.fail(f"{key}: option '{name}' must be {type_name(kind)}, "
                            f"not {_shown(value)}", key)
        number = _bounds(kind)
        if number is not None:
            if isinstance(value, float) and not math.isfinite(value):
                raise self.fail(f"{key}: option '{name}' must be a finite number, not {value}",
                                key)
            if value < number.minimum:
                raise self.fail(f"{key}: option '{name}' must be at least {number.minimum:g}, "
                                f"not {value}", key)
            if number.maximum is not None and value > number.maximum:
                raise self.fail(f"{key}: option '{name}' must be at most {number.maximum:g}",
                                key)
            return float(value) if number.kind is float else value
        if kind is Regex:
            self.regex(value, key, name)
        elif isinstance(kind, ListOf):
            return [self.value(v, kind.item, f"{key}[{i}]", name) for i, v in enumerate(value)]
        elif isinstance(kind, MapOf):
            return {str(k): self.value(v, kind.value, f"{key}.{k}", str(k))
                    for k, v in value.items()}
        elif isinstance(kind, Fields):
            return self.mapping(value, kind.fields, key)
        elif isinstance(kind, AnyOf):
            chosen = next(k for k in kind.kinds if type_ok(value, k))
            return self.value(value, chosen, key, name)
        return value

    def regex(self, pattern: str, key: str, name: str) -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # FutureWarnings about the user's syntax
                re.compile(pattern)
        except (re.error, OverflowError, RecursionError) as exc:
            raise self.fail(f"{key}: option '{name}' is not a valid regular expression: "
                            f"{exc}", key) from None
        why = catastrophic(pattern)
        if why:
            raise self.fail(f"{key}: option '{name}' can take exponential time on a line that "
                            f"almost matches: {why}; make the repeated parts unambiguous, or "
                            f"possessive (*+, ++)", key)

    def mapping(self, value: Any, fields: Mapping[str, Any], key: str) -> dict[str, Any]:
        """A mapping whose keys are ``fields`` (each ``kind`` or ``(kind, default)``)."""
        if not isinstance(value, dict):
            raise self.fail(f"{key}: must be a mapping, not {_shown(value)}", key)
        out: dict[str, Any] = {}
        for name, item in value.items():
            dotted = f"{key}.{name}"
            if name not in fields:
                known = ", ".join(sorted(fields)) or "none"
                raise self.fail(f"{dotted}: unknown option '{name}' (options of {key}: {known})",
                                dotted)
            spec = fields[name]
            kind = spec[0] if isinstance(spec, tuple) and len(spec) == 2 \
                and not all(isinstance(s, str) for s in spec) else spec
            out[name] = self.value(item, kind, dotted, name)
        return out


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
