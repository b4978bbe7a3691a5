"""The one engine behind the CLI, the PR reviewer and the weekly report."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .config import Config, RuleSettings
from .model import Document, Finding
from .parse import parse_document
from .rules import RULES

if TYPE_CHECKING:
    from .links.results import LinkResults

_DIRECTIVE = re.compile(r"^listkeeper-(disable-next-line|disable|enable)\b\s*(.*)$")
_SEPARATORS = re.compile(r"[\s,]+")


@dataclass
class Context:
    """What a rule may look at besides the document."""

    doc: Document
    config: Config
    settings: RuleSettings
    changed: frozenset[int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    links: LinkResults | None = None  # the link checker's verdicts, for online rules

    @property
    def options(self) -> dict[str, Any]:
        return self.settings.options

    def touched(self, first: int, last: int | None = None) -> bool:
        """True when not diff-aware, or when any of lines ``first..last`` changed."""
        if self.changed is None:
            return True
        return any(line in self.changed for line in range(first, (last or first) + 1))


def check_text(text: str, path: str, config: Config, **kwargs: Any) -> list[Finding]:
    """Parse ``text`` and run the rules on it."""
    return run(parse_document(text, path), config, **kwargs)


def run(doc: Document, config: Config, *, changed: Iterable[int] | None = None,
        select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
        extra: dict[str, Any] | None = None, links: LinkResults | None = None) -> list[Finding]:
    """All findings for ``doc``, sorted by position.

    With ``changed`` (1-based lines of the new text that a change added or modified) the run
    is diff-aware: only findings on changed lines are kept. Rules see ``ctx.changed`` too, so
    a problem the change caused elsewhere (a new entry duplicating an old one) is reported on
    the changed line and names the other.

    Online rules (``broken-link``) run only when ``links`` holds the link checker's results:
    the front-end checks the links (``bot.links.service``), the rule only judges them.
    """
    changed_set = frozenset(changed) if changed is not None else None
    selected = set(select) if select else None
    ignored = set(ignore or ())
    suppressed = _suppressions(doc)
    findings: list[Finding] = []
    for rule_id in RULES:  # a rule's module is imported (and its settings read) only if it runs
        if selected is not None and rule_id not in selected or rule_id in ignored:
            continue
        settings = config.rules[rule_id]
        if settings.level is None and not (selected and rule_id in selected):
            continue
        module = RULES[rule_id]
        if module.ONLINE and links is None:
            continue
        level = settings.level or module.LEVEL
        ctx = Context(doc, config, settings, changed_set, dict(extra or {}), links)
        for problem in module.check(doc, ctx):
            if changed_set is not None and not ctx.touched(problem.line, problem.end_line):
                continue
            if settings.ignore:
                section = doc.section_at(problem.line)
                if section is not None and settings.ignores(section.path):
                    continue
            if suppressed and suppressed.covers(rule_id, problem.line):
                continue
            findings.append(Finding(
                path=doc.path, line=problem.line, column=problem.column, rule=rule_id,
                level=getattr(problem, "level", None) or level, message=problem.message,
                fix=problem.fix, end_line=problem.end_line, moves=problem.moves,
                related=problem.related))
    # one key tuple per finding, not two per comparison (the dataclass order)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule, f.level, f.message))
    return findings


class Suppressions:
    """Line ranges where each rule (or ``*``, every rule) is off, from HTML comment directives.

    Ranges, not per-line sets: a ``listkeeper-disable`` naming 3,000 rules, or 5,000 disables
    never closed, cost one range each instead of one set entry per rule and line.
    """

    def __init__(self, ranges: dict[str, list[tuple[int, int]]]) -> None:
        self._starts: dict[str, list[int]] = {}
        self._ends: dict[str, list[int]] = {}
        for rule, spans in ranges.items():
            merged: list[list[int]] = []
            for start, end in sorted(spans):
                if merged and start <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            self._starts[rule] = [a for a, _ in merged]
            self._ends[rule] = [b for _, b in merged]

    def __bool__(self) -> bool:
        return bool(self._starts)

    def covers(self, rule_id: str, line: int) -> bool:
        return self._in(rule_id, line) or self._in("*", line)

    def _in(self, rule: str, line: int) -> bool:
        starts = self._starts.get(rule)
        if not starts:
            return False
        i = bisect.bisect_right(starts, line) - 1
        return i >= 0 and line <= self._ends[rule][i]


def _suppressions(doc: Document) -> Suppressions:
    """The suppression ranges of ``doc``'s directives (``disable``/``enable`` pairs, an
    unclosed ``disable`` to the end, ``disable-next-line`` to the next non-blank line, or to
    the whole entry that starts there: a finding on an entry's second line is the entry's)."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    if not doc.html_comment_lines:
        return Suppressions(ranges)
    active: dict[str, int] = {}
    total = doc.line_count
    entry_ends: dict[int, int] | None = None  # first line -> last line of each entry
    for line in sorted(doc.html_comment_lines):
        m = _DIRECTIVE.match(doc.html_comment_lines[line])
        if not m:
            continue
        verb = m.group(1)
        rules = dict.fromkeys(r for r in _SEPARATORS.split(m.group(2).strip()) if r) or {"*": None}
        if verb == "disable-next-line":
            target = line + 1
            while target <= total and not doc.line_text(target).strip():
                target += 1
            if entry_ends is None:
                entry_ends = {}
                for entry in doc.entries:
                    entry_ends.setdefault(entry.line, entry.end_line)
            last = max(target, entry_ends.get(target, target))
            for rule in rules:
                ranges.setdefault(rule, []).append((target, last))
        elif verb == "disable":
            for rule in rules:
                active.setdefault(rule, line)
        else:
            for rule in rules:
                names = list(active) if rule == "*" else [rule]
                for name in names:
                    start = active.pop(name, None)
                    if start is not None:
                        ranges.setdefault(name, []).append((start, line))
    for rule, start in active.items():
        ranges.setdefault(rule, []).append((start, total))
    return Suppressions(ranges)
