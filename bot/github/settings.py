"""The `review:` section of rules.yaml: how the PR reviewer posts, validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.errors import ConfigError

EVENTS = ("error", "warning", "never")
AUTOFIX = ("off", "suggest", "commit")
# name -> (allowed type or enumeration, default, help)
OPTIONS: dict[str, tuple[Any, Any, str]] = {
    "max_comments": (int, 30, "most line comments in one review; the rest go in the review body"),
    "request_changes_on": (EVENTS, "error",
                           "lowest level that makes the review REQUEST_CHANGES (never: always COMMENT)"),
    "autofix": (AUTOFIX, "suggest",
                "commit: push the certain fixes to same-repository PR branches; suggest: only suggest"),
    "link_check": (bool, True, "check the links the PR adds (skipped with --offline)"),
}


@dataclass(frozen=True)
class ReviewSettings:
    max_comments: int = 30
    request_changes_on: str = "error"
    autofix: str = "suggest"
    link_check: bool = True


def validate_section(data: Any, path: str, lines: dict[str, int] | None = None) -> ReviewSettings:
    """Check the `review:` mapping; unknown keys and wrong types raise ConfigError."""
    lines = lines or {}
    if data is None:
        return ReviewSettings()
    if not isinstance(data, dict):
        raise ConfigError("'review' must be a mapping", path, lines.get("review"), "review")
    values: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"review.{key}"
        if key not in OPTIONS:
            raise ConfigError(f"unknown option '{dotted}' (options: {', '.join(OPTIONS)})",
                              path, lines.get(dotted), dotted)
        kind = OPTIONS[key][0]
        if isinstance(kind, tuple):
            ok = value in kind
            expected = "one of " + ", ".join(kind)
        else:
            ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
            expected = {int: "an integer", bool: "true or false"}[kind]
        if not ok:
            raise ConfigError(f"'{dotted}' must be {expected}, not {value!r}", path,
                              lines.get(dotted), dotted)
        values[key] = value
    if values.get("max_comments", 30) < 0:
        raise ConfigError("'review.max_comments' must not be negative", path,
                          lines.get("review.max_comments"), "review.max_comments")
    return ReviewSettings(**values)


def review_settings(config: Any) -> ReviewSettings:
    """The validated review settings of a loaded Config."""
    return validate_section(config.section("review"), config.path, getattr(config, "lines", {}))
