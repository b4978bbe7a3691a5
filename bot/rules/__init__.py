"""The registry of rules: one module per rule, found by its id."""

from __future__ import annotations

from types import ModuleType

from . import (
    badge_format,
    broken_link,
    duplicate,
    entry_format,
    link_format,
    ordering,
    section_placement,
    toc,
    venue,
    whitespace,
)

RULES: dict[str, ModuleType] = {
    module.ID: module
    for module in (
        duplicate,
        link_format,
        entry_format,
        whitespace,
        venue,
        badge_format,
        ordering,
        section_placement,
        toc,
        broken_link,
    )
}


def get(rule_id: str) -> ModuleType:
    """The rule module for ``rule_id``; raises KeyError naming the unknown id."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule '{rule_id}'") from None


def summary(module: ModuleType) -> str:
    """The first line of a rule's docstring."""
    return (module.__doc__ or "").strip().splitlines()[0]
