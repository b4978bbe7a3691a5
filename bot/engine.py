"""The one engine behind the CLI, the PR reviewer and the weekly report."""

from __future__ import annotations

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
    for rule_id, module in RULES.items():
        settings = config.rules[rule_id]
        if settings.level is None and not (selected and rule_id in selected):
            continue
        if selected is not None and rule_id not in selected or rule_id in ignored:
            continue
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
            if _is_suppressed(suppressed, rule_id, problem.line):
                continue
            findings.append(Finding(
                path=doc.path, line=problem.line, column=problem.column, rule=rule_id,
                level=getattr(problem, "level", None) or level, message=problem.message,
                fix=problem.fix, end_line=problem.end_line, moves=problem.moves,
                related=problem.related))
    # one key tuple per finding, not two per comparison (the dataclass order)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule, f.level, f.message))
    return findings


def _suppressions(doc: Document) -> dict[int, set[str]]:
    """Line -> rule ids (``*`` for all) suppressed there by HTML comment directives."""
    out: dict[int, set[str]] = {}
    if not doc.html_comment_lines:
        return out
    active: dict[str, int] = {}
    total = doc.line_count
    for line in sorted(doc.html_comment_lines):
        m = _DIRECTIVE.match(doc.html_comment_lines[line])
        if not m:
            continue
        verb = m.group(1)
        rules = {r for r in re.split(r"[\s,]+", m.group(2).strip()) if r} or {"*"}
        if verb == "disable-next-line":
            target = line + 1
            while target <= total and not doc.line_text(target).strip():
                target += 1
            out.setdefault(target, set()).update(rules)
        elif verb == "disable":
            for rule in rules:
                active.setdefault(rule, line)
        else:
            for rule in rules:
                names = list(active) if rule == "*" else [rule]
                for name in names:
                    start = active.pop(name, None)
                    if start is not None:
                        for n in range(start, line + 1):
                            out.setdefault(n, set()).add(name)
    for rule, start in active.items():
        for n in range(start, total + 1):
            out.setdefault(n, set()).add(rule)
    return out


def _is_suppressed(suppressed: dict[int, set[str]], rule_id: str, line: int) -> bool:
    rules = suppressed.get(line)
    return bool(rules) and (rule_id in rules or "*" in rules)
