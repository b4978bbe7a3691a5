"""The `review:` section of rules.yaml: how the PR reviewer posts, validated in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.validate import Checker

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
    """Check the `review:` mapping (bot.validate: the checks and messages of every rules.yaml
    section); unknown keys and wrong types raise ConfigError."""
    if data is None:
        return ReviewSettings()
    spec = {name: kind for name, (kind, _, _) in OPTIONS.items()}
    return ReviewSettings(**Checker(path, lines).mapping(data, spec, "review"))


def review_settings(config: Any) -> ReviewSettings:
    """The validated review settings of a loaded Config."""
    return validate_section(config.section("review"), config.path, getattr(config, "lines", {}))
