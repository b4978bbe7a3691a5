"""The registry of rules: one module per rule, found by its id, each keeping one contract."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..model import Document, Problem

from . import (
    badge_format,
    broken_link,
    duplicate,
    entry_format,
    link_format,
    ordering,
    published,
    section_placement,
    toc,
    venue,
    whitespace,
)


@runtime_checkable
class RuleModule(Protocol):
    """What every module in ``bot/rules/`` declares (tests/test_rule_contract.py checks it).

    - ``ID``: the kebab-case id, also the key in ``rules.yaml`` and the fixture directory;
    - ``LEVEL``: the default level (``error``, ``warning`` or ``info``);
    - ``ENABLED``: whether the rule runs when ``rules.yaml`` does not mention it;
    - ``OPTIONS``: ``{name: (type, default)}``, validated by ``bot.config``;
    - ``FIXABLE``: whether ``listkeeper fix`` repairs some of its findings;
    - ``ONLINE``: whether it needs the network (run only by ``check --links``, ``links`` and the
      PR reviewer; ``fix`` never runs it);
    - the module docstring: the first line is the summary, the rest the documentation
      (options, BAD and GOOD examples);
    - ``check(doc, ctx)``: yields ``Problem`` objects; the engine stamps id and level.
    """

    ID: str
    LEVEL: str
    ENABLED: bool
    OPTIONS: dict[str, tuple[Any, Any]]
    FIXABLE: bool
    ONLINE: bool
    __doc__: str | None

    def check(self, doc: Document, ctx: Any) -> Iterator[Problem]: ...


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
        published,
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
