"""Markdown bodies for review comments, the review body and the sticky summary.

Everything quoted from the PR goes through `escape`; rule ids and levels come from a validated
plan. Bodies stay below GitHub's 65,536-character limit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from . import escape
from .fingerprint import SUMMARY_MARKER, marker, posted_marker
from .plan import PlannedFinding

ICONS = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
REVIEW_MARKER = "<!-- listkeeper:review -->"
FIX_HINT = "Run `listkeeper fix` locally to apply the certain fixes."


def headline(finding: PlannedFinding) -> str:
    return (f"{ICONS.get(finding.level, '')} **{finding.level}** {escape.code(finding.rule)}: "
            f"{escape.text(finding.message)}")


def line_comment(finding: PlannedFinding, *, with_suggestion: bool) -> str:
    """The body of one line comment: marker, message, then a suggestion or a move hint."""
    parts = [marker(finding.fingerprint), headline(finding)]
    if with_suggestion and finding.suggestion is not None:
        parts.append(escape.suggestion(finding.suggestion["lines"]))
    elif finding.move_below is not None:
        where = "the top of the file" if finding.move_below == 0 else f"line {finding.move_below}"
        parts.append(f"This entry belongs elsewhere: move it below {where}.")
    elif finding.fixable:
        parts.append(FIX_HINT)
    return escape.cap("\n\n".join(parts))


def where(finding: PlannedFinding) -> str:
    return f"{escape.code(f'{finding.path}:{finding.line}')}"


def body_item(finding: PlannedFinding) -> str:
    """One finding as a review-body bullet, with its marker so later runs know it was said."""
    extra = ""
    if finding.move_below is not None:
        extra = f" (move below line {finding.move_below})"
    elif finding.suggestion is not None:
        lines = finding.suggestion["lines"]
        shown = escape.code(" ⏎ ".join(lines)) if lines else "remove the line"
        extra = f" — suggested: {shown}"
    return f"- {where(finding)} {headline(finding)}{extra} {marker(finding.fingerprint)}"


def counts(findings: Iterable[PlannedFinding]) -> str:
    tally = Counter(f.level for f in findings)
    parts = [f"{tally[level]} {level}{'s' if tally[level] != 1 else ''}"
             for level in ("error", "warning", "info") if tally[level]]
    return ", ".join(parts) or "no problems"


def file_comment(findings: list[PlannedFinding]) -> str:
    """One comment on a whole file whose diff GitHub does not show (too large for a patch)."""
    out = [f"**listkeeper** found {counts(findings)} in this file's changed lines "
           "(GitHub shows no diff to comment on):", *(body_item(f) for f in findings)]
    return escape.cap("\n".join(out))


def review_body(placed: list[PlannedFinding], unplaced: list[PlannedFinding],
                overflow: list[PlannedFinding], *, fallback: bool = False,
                file_level: list[PlannedFinding] | None = None) -> str:
    file_level = file_level or []
    total = placed + unplaced + overflow + file_level
    out = [REVIEW_MARKER,
           f"**listkeeper** found {counts(total)} in the lines this pull request changes."]
    if fallback:
        out.append("GitHub did not accept line comments for this diff, so every finding is listed here.")
    if unplaced:
        out += ["", "Not on a line of the diff:", *(body_item(f) for f in unplaced)]
    if overflow:
        out += ["", f"More than the {len(placed)} line comments shown:", *(body_item(f) for f in overflow)]
    if file_level:
        files = sorted({f.path for f in file_level})
        out += ["", f"{len(file_level)} finding(s) in files whose diff GitHub does not show are "
                    f"in file comments on {', '.join(escape.code(p) for p in files)}."]
    out += ["", "The summary comment of this pull request lists all findings."]
    return escape.cap("\n".join(out))


def _row(finding: PlannedFinding) -> str:
    section = escape.text(finding.section) if finding.section else ""
    return (f"| {ICONS.get(finding.level, '')} {finding.level} | {escape.code(finding.rule)} | "
            f"{where(finding)} | {section} | {escape.text(finding.message)} |")


def _table(findings: list[PlannedFinding]) -> list[str]:
    return ["| level | rule | where | section | problem |", "| --- | --- | --- | --- | --- |",
            *(_row(f) for f in findings)]


def summary(findings: list[PlannedFinding], preexisting: list[PlannedFinding], *, head_sha: str,
            posted: Iterable[str], committed: str | None = None, links_checked: bool = False,
            title: str = "") -> str:
    """The sticky summary comment: counts, a table, pre-existing problems folded away."""
    out = [SUMMARY_MARKER, "### listkeeper"]
    if title:
        out.append(f"Pull request: {escape.text(title)}")
    if findings:
        out.append(f"**{counts(findings)}** in the changed lines at {escape.code(head_sha[:12])}.")
        out += [""] + _table(findings)
    else:
        out.append(f"No problems in the changed lines at {escape.code(head_sha[:12])}. ✅")
    if committed:
        out += ["", f"Committed the certain fixes as {escape.code(committed[:12])}."]
    if not links_checked:
        out += ["", "_Links were not checked in this run._"]
    if preexisting:
        out += ["", f"<details><summary>{len(preexisting)} pre-existing problem"
                f"{'s' if len(preexisting) != 1 else ''} in the sections this PR touches</summary>",
                "", *_table(preexisting), "", "</details>"]
    out += ["", posted_marker(posted)]
    body = "\n".join(out)
    if len(body) > escape.MAX_BODY:  # keep the posted marker, which later runs need
        tail = "\n" + posted_marker(posted)
        body = escape.cap(body[: -len(tail)], escape.MAX_BODY - len(tail)) + tail
    return body
