"""The registry of rules: one module per rule, found by its id, each keeping one contract.

A rule's module is imported when it is first asked for: `listkeeper links` imports the
broken-link rule only, not the parsers and patterns of every other rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..model import Document, Problem


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


# in the order the engine runs them; a rule's id is its module name in kebab case
_MODULES = ("duplicate", "link_format", "entry_format", "whitespace", "venue", "badge_format",
            "ordering", "section_placement", "toc", "broken_link", "published")


class Registry(Mapping[str, ModuleType]):
    """Rule id -> rule module, in running order; a module is imported on first access."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = {name.replace("_", "-"): name for name in names}
        self._loaded: dict[str, ModuleType] = {}

    def __getitem__(self, rule_id: str) -> ModuleType:
        module = self._loaded.get(rule_id)
        if module is None:
            module = self._loaded[rule_id] = importlib.import_module(f"{__name__}.{self._names[rule_id]}")
        return module

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


RULES: Mapping[str, ModuleType] = Registry(_MODULES)


def get(rule_id: str) -> ModuleType:
    """The rule module for ``rule_id``; raises KeyError naming the unknown id."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule '{rule_id}'") from None


def summary(module: ModuleType) -> str:
    """The first line of a rule's docstring."""
    return (module.__doc__ or "").strip().splitlines()[0]
