"""Markdown bodies for review comments, the review body and the sticky summary.

Everything quoted from the PR goes through `escape`; rule ids and levels come from a validated
plan. Every body stays within GitHub's 65,536-character limit: lists that do not fit end with
a note of how many findings were left out, and a suggestion that does not fit is not posted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from . import escape
from .fingerprint import SUMMARY_MARKER, marker
from .plan import PlannedFinding

ICONS = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
REVIEW_MARKER = "<!-- listkeeper:review -->"
FIX_HINT = "Run `listkeeper fix` locally to apply the certain fixes."
LOCAL_HINT = "run `listkeeper check --base <base branch>` on the PR branch for the full list"


def headline(finding: PlannedFinding) -> str:
    return (f"{ICONS.get(finding.level, '')} **{finding.level}** {escape.code(finding.rule)}: "
            f"{escape.text(finding.message)}")


def move_hint(finding: PlannedFinding) -> str:
    where = "the top of the file" if finding.move_below == 0 else f"line {finding.move_below}"
    return f"This entry belongs elsewhere: move it below {where}."


def line_comment(findings: PlannedFinding | list[PlannedFinding], *, with_suggestion: bool) -> str:
    """One line comment for the findings on one line (or line range).

    Markers first, then each finding's message, then at most one suggestion: the merged fix
    of every certain fix on these lines, naming the rules it fixes.
    """
    group = [findings] if isinstance(findings, PlannedFinding) else list(findings)
    suggestion = next((f.suggestion for f in group if f.suggestion is not None), None) \
        if with_suggestion else None
    head = ["".join(marker(f.fingerprint) for f in group)]
    head += [headline(f) for f in group]
    hints = []
    for finding in group:
        if finding.move_below is not None:
            hint = move_hint(finding)
            if hint not in hints:
                hints.append(hint)
    fixed = set(suggestion.get("fixes") or []) if suggestion else set()
    if suggestion is not None and not fixed:
        fixed = {f.rule for f in group if f.suggestion is suggestion}
    if any(f.fixable and f.move_below is None and f.rule not in fixed for f in group):
        hints.append(FIX_HINT)
    if suggestion is not None:
        rules = ", ".join(escape.code(r) for r in sorted(fixed))
        body = "\n\n".join(head + [f"One suggestion fixes {rules}:",
                                   escape.suggestion(suggestion["lines"])] + hints)
        if escape.size(body) <= escape.BUDGET:
            return body
        if FIX_HINT not in hints:  # too long to post whole: never post a cut suggestion
            hints.append(FIX_HINT)
    return escape.cap("\n\n".join(head + hints))


def where(finding: PlannedFinding) -> str:
    return f"{escape.code(f'{finding.path}:{finding.line}')}"


def body_item(finding: PlannedFinding) -> str:
    """One finding as a review-body bullet, with its marker so later runs know it was said."""
    extra = ""
    if finding.move_below is not None:
        extra = f" (move below line {finding.move_below})"
    elif finding.suggestion is not None:
        lines = finding.suggestion["lines"]
        shown = " ⏎ ".join(lines)
        if len(shown) > 300:
            extra = " — a certain fix exists (`listkeeper fix`)"
        else:
            extra = f" — suggested: {escape.code(shown)}" if lines else " — suggested: remove the line"
    return f"- {where(finding)} {headline(finding)}{extra} {marker(finding.fingerprint)}"


def counts(findings: Iterable[PlannedFinding]) -> str:
    tally = Counter(f.level for f in findings)
    parts = [f"{tally[level]:,} {level}{'s' if tally[level] != 1 else ''}"
             for level in ("error", "warning", "info") if tally[level]]
    return ", ".join(parts) or "no problems"


def _more(count: int, what: str = "finding") -> str:
    return (f"- _… and {count:,} more {what}{'s' if count != 1 else ''} not listed here "
            f"(GitHub allows 65,536 characters in one comment); {LOCAL_HINT}._")


def _listed(items: list[str], room: int, what: str = "finding") -> tuple[list[str], int]:
    shown, left = escape.take(items, room, _more(10**6, what))
    return (shown + ["", _more(left, what)] if left else shown), len(items) - left


def file_comment(findings: list[PlannedFinding]) -> str:
    """One comment on a whole file whose diff GitHub does not show (too large for a patch)."""
    head = (f"**listkeeper** found {counts(findings)} in this file's changed lines "
            "(GitHub shows no diff to comment on):")
    lines, _ = _listed([body_item(f) for f in findings], escape.BUDGET - escape.size(head) - 8)
    return "\n".join([head, *lines])


def review_body(placed: list[PlannedFinding], unplaced: list[PlannedFinding],
                overflow: list[PlannedFinding], *, fallback: bool = False,
                file_level: list[PlannedFinding] | None = None) -> str:
    return review_body_and_said(placed, unplaced, overflow, fallback=fallback,
                                file_level=file_level)[0]


def review_body_and_said(placed: list[PlannedFinding], unplaced: list[PlannedFinding],
                         overflow: list[PlannedFinding], *, fallback: bool = False,
                         file_level: list[PlannedFinding] | None = None
                         ) -> tuple[str, list[PlannedFinding]]:
    """The review body, and the findings it (or its line comments) actually says."""
    file_level = file_level or []
    total = placed + unplaced + overflow + file_level
    out = [REVIEW_MARKER,
           f"**listkeeper** found {counts(total)} in the lines this pull request changes."]
    if fallback:
        out.append("GitHub did not accept line comments for this diff, so every finding is listed here.")
    tail = ["", "The summary comment of this pull request lists all findings."]
    if file_level:
        files = sorted({f.path for f in file_level})
        shown_files = ", ".join(escape.code(p) for p in files[:20])
        tail[:0] = ["", f"{len(file_level):,} finding(s) in files whose diff GitHub does not show are "
                        f"in file comments on {shown_files}."]
    room = escape.BUDGET - escape.size("\n".join(out + tail)) - 200
    said = list(placed) + list(file_level)
    for title, group in (("Not on a line of the diff:", unplaced),
                         (f"More than the {len(placed)} line comments shown:", overflow)):
        if not group:
            continue
        lines, count = _listed([body_item(f) for f in group], max(room, 0))
        out += ["", title, *lines]
        room -= escape.size("\n".join(lines)) + escape.size(title) + 3
        said += group[:count]
    return "\n".join(out + tail), said


def _cell(value: str) -> str:
    """Untrusted text for one table cell: `escape.text` escapes `|` (and `\\`) already."""
    return escape.text(value)


def _row(finding: PlannedFinding) -> str:
    section = _cell(finding.section) if finding.section else ""
    return (f"| {ICONS.get(finding.level, '')} {finding.level} | {escape.cell_code(finding.rule)} | "
            f"{escape.cell_code(f'{finding.path}:{finding.line}')} | {section} | "
            f"{_cell(finding.message)} |")


TABLE_HEAD = ["| level | rule | where | section | problem |", "| --- | --- | --- | --- | --- |"]


def summary(findings: list[PlannedFinding], preexisting: list[PlannedFinding], *, head_sha: str,
            posted: Iterable[str] = (), committed: str | None = None, links_checked: bool = False,
            title: str = "", notes: Iterable[str] = (), omitted: int = 0) -> str:
    """The sticky summary comment: counts, a table, pre-existing problems folded away.

    `notes` are extra paragraphs (e.g. a dismissed review); `omitted` counts findings the plan
    could not carry. `posted` is accepted for callers of the old signature and ignored: what
    was said is read back from the review comments and review bodies themselves.
    """
    out = [SUMMARY_MARKER, "### listkeeper"]
    if title:
        out.append(f"Pull request: {escape.text(title)}")
    if findings:
        out.append(f"**{counts(findings)}** in the changed lines at {escape.code(head_sha[:12])}.")
    else:
        out.append(f"No problems in the changed lines at {escape.code(head_sha[:12])}. ✅")
    middle: list[str] = []
    if omitted:
        middle += ["", f"_{omitted:,} more findings were too many to carry over; {LOCAL_HINT}._"]
    if committed:
        middle += ["", f"Committed the certain fixes as {escape.code(committed[:12])}."]
    for note in notes:
        middle += ["", note]
    if not links_checked:
        middle += ["", "_Links were not checked in this run._"]
    details_open = (f"<details><summary>{len(preexisting):,} pre-existing problem"
                    f"{'s' if len(preexisting) != 1 else ''} in the sections this PR touches</summary>")
    room = escape.BUDGET - escape.size("\n".join(out + middle)) - escape.size(details_open) - 400
    if findings:
        rows, _ = _listed([_row(f) for f in findings], room)
        out += ["", *TABLE_HEAD, *rows]
        room -= escape.size("\n".join(rows)) + 200
    out += middle
    if preexisting:
        rows, _ = _listed([_row(f) for f in preexisting], max(room, 0), "pre-existing problem")
        out += ["", details_open, "", *TABLE_HEAD, *rows, "", "</details>"]
    return "\n".join(out)
