"""Apply fixes: non-overlapping edits, repeated until stable; a fix that would lose a link, an
entry or a code block is skipped (and reported), the others are applied."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .engine import run
from .errors import ListkeeperError
from .ids import paper_key
from .listfile import write_atomic  # noqa: F401 (its old home: callers may import it here)
from .model import Document, Edit, Finding
from .parse import parse_document

MAX_ROUNDS = 10


class UnsafeFix(ListkeeperError):
    """The fixes would lose an entry or a link that no finding asked to remove."""


@dataclass(frozen=True)
class Skipped:
    """A fix that was not applied because it would lose something no finding asked to remove."""

    finding: Finding
    reason: str  # "would lose the link arxiv.org/abs/2402.04291"


@dataclass
class FixResult:
    text: str
    applied: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def apply_edits(text: str, findings: list[Finding]) -> tuple[str, list[Finding]]:
    """Apply every fix whose edits overlap no earlier fix; return the text and what applied."""
    taken = _Spans()
    applied: list[Finding] = []
    all_edits: list[Edit] = []
    for finding in findings:
        if finding.fix is None:
            continue
        edits = finding.fix.edits
        if not _well_formed(edits, len(text)) \
                or any(taken.conflicts(e.start, e.end) for e in edits):
            continue
        for e in edits:
            taken.add(e.start, e.end)
        all_edits.extend(edits)
        applied.append(finding)
    all_edits.sort(key=lambda e: (e.start, e.end))
    out = []
    pos = 0
    for edit in all_edits:
        out.append(text[pos:edit.start])
        out.append(edit.replacement)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out), applied


def _well_formed(edits: tuple[Edit, ...], size: int) -> bool:
    """A fix's own edits lie inside the text and neither overlap nor insert at one point."""
    last_end = -1
    last_insert = False
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if not 0 <= e.start <= e.end <= size or e.start < last_end \
                or e.start == last_end and (last_insert or e.start == e.end):
            return False
        last_end, last_insert = e.end, e.start == e.end
    return True


class _Spans:
    """The spans of the edits taken so far, sorted, to test a new edit in O(log n).

    Two edits conflict when they overlap, when both insert at one point, or when one inserts at
    the boundary of a span the other replaces (the insertion could land inside the replacement:
    a badge appended to an entry that a reorder replaces). Replacements that only touch do not.
    Taken spans never conflict with each other, so they are ordered by start and by end alike.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def conflicts(self, start: int, end: int) -> bool:
        starts, ends = self.starts, self.ends
        j = bisect.bisect_right(starts, end) - 1  # the spans from here down start <= end
        while j >= 0 and ends[j] >= start:
            s, e = starts[j], ends[j]
            low, high = max(s, start), min(e, end)
            if low < high or (low == high and (s == e or start == end)):
                return True
            j -= 1
        return False

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        while i > 0 and self.starts[i - 1] == start and self.ends[i - 1] > end:
            i -= 1  # keep (start, end) order among spans that share a start
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def fix_text(text: str, path: str, config: Config, *, sweep: Any = None,
             **kwargs: Any) -> FixResult:
    """Apply all certain fixes until nothing fixable is left; refuse to lose content.

    On a whole list, list-wide rewrites (``Fix.sweeping``: badge insertion, label renames,
    reordering, moves) are applied only for the rules in ``sweep`` or in ``fix:`` of
    rules.yaml (or selected with ``select``); in diff-aware mode (``changed``) every fix on the
    changed lines applies.
    """
    whole = kwargs.get("changed") is None
    sweeps = set(sweep or ()) | set(config.raw.get("fix") or ()) | set(kwargs.get("select") or ())

    def wanted(finding: Finding) -> bool:
        return finding.fix is not None and not (whole and finding.fix.sweeping
                                                and finding.rule not in sweeps)

    doc = parse_document(text, path)
    before = _inventory(doc)
    allowed_links: Counter[str] = Counter()
    allowed_entries = 0
    applied_all: list[Finding] = []
    skipped: list[Skipped] = []
    refused: set[tuple] = set()  # the skipped fixes, recognised again in later rounds
    findings = run(doc, config, **kwargs)
    rounds = retries = 0
    while rounds < MAX_ROUNDS:
        fixable = [f for f in findings if wanted(f) and _identity(doc, f) not in refused]
        if not fixable:
            break
        new_text, applied = apply_edits(doc.text, fixable)
        if new_text == doc.text:
            break
        new_doc = parse_document(new_text, path)
        bad = _unsafe(doc, new_doc, applied, path)
        if bad:
            retries += 1
            if retries > MAX_RETRIES:  # cannot isolate them: apply none of this round
                bad = [(f, "could not be checked apart from the others") for f in applied]
            for finding, reason in bad:
                skipped.append(Skipped(finding, reason))
                refused.add(_identity(doc, finding))
            continue  # the same round without them
        for finding in applied:
            allowed_links.update(finding.fix.removes_links)
            allowed_entries += finding.fix.removes_entries
        applied_all.extend(applied)
        rounds += 1
        doc = new_doc
        findings = run(doc, config, **_shifted(kwargs, text, doc.text))
    _check_nothing_lost(before, _inventory(doc), allowed_links, allowed_entries, path)
    return FixResult(doc.text, applied_all, findings, skipped)


MAX_RETRIES = 20


def _identity(doc: Document, finding: Finding) -> tuple:
    """What a fix does, independent of where the lines are: its rule, message and edits."""
    edits = finding.fix.edits if finding.fix is not None else ()
    return (finding.rule, finding.message,
            tuple((doc.text[e.start:e.end], e.replacement) for e in edits[:20]))


def _lost(before: dict[str, Counter], after: dict[str, Counter], applied: list[Finding]) -> list[str]:
    """What ``after`` lacks that ``before`` had, beyond what the applied fixes remove."""
    allowed = Counter(_link_key(u) for f in applied for u in f.fix.removes_links)
    lost = [f"the link {key}" for key, count in before["links"].items()
            if after["links"][key] < count - allowed[key]]
    lost += [f"the code block at line {line}" for key, (count, line) in before["code"].items()
             if after["code"].get(key, (0, 0))[0] < count]
    removed = sum(f.fix.removes_entries for f in applied)
    if before["entries"]["n"] - removed > after["entries"]["n"]:
        lost.append(f"{before['entries']['n'] - removed - after['entries']['n']} entries")
    return lost


def _unsafe(old: Document, new: Document, applied: list[Finding],
            path: str) -> list[tuple[Finding, str]]:
    """The applied fixes to skip, with why, so that the rest lose nothing; [] when all are safe.

    First the fixes whose edits touch what was lost (a link's span, a code block's lines); if
    the others are then safe, those are the culprits. Otherwise halves are tried (a few more
    parses, only when something would be lost).
    """
    before = _inventory(old)
    lost = _lost(before, _inventory(new), applied)
    if not lost:
        return []
    spans = _spans_of(old, lost)
    suspects = [f for f in applied if any(e.start <= end and start <= e.end
                                          for e in f.fix.edits for start, end in spans)]
    if suspects:
        rest = [f for f in applied if f not in suspects]
        if not _loses(old, rest, before, path):
            return [(f, _reason(old, f, before, path)) for f in suspects]
    culprits = _bisect(old, applied, before, path)
    return [(f, _reason(old, f, before, path)) for f in culprits]


def _loses(old: Document, fixes: list[Finding], before: dict[str, Counter], path: str) -> list[str]:
    if not fixes:
        return []
    text, applied = apply_edits(old.text, fixes)
    return _lost(before, _inventory(parse_document(text, path)), applied)


def _bisect(old: Document, fixes: list[Finding], before: dict[str, Counter],
            path: str) -> list[Finding]:
    """A set of fixes whose removal leaves ``fixes`` safe (each alone would lose something)."""
    if len(fixes) == 1:
        return list(fixes)
    half = len(fixes) // 2
    bad: list[Finding] = []
    for part in (fixes[:half], fixes[half:]):
        if _loses(old, part, before, path):
            bad += _bisect(old, part, before, path)
    kept = [f for f in fixes if f not in bad]
    if not bad or _loses(old, kept, before, path):
        return list(fixes)  # only their combination loses something: skip them all
    return bad


def _reason(old: Document, finding: Finding, before: dict[str, Counter], path: str) -> str:
    alone = _loses(old, [finding], before, path)
    return "would lose " + ", ".join(alone[:3]) if alone else \
        "would lose something together with the other fixes"


def _spans_of(doc: Document, lost: list[str]) -> list[tuple[int, int]]:
    """Offsets in ``doc`` of the links and code blocks named in ``lost``."""
    keys = {item[len("the link "):] for item in lost if item.startswith("the link ")}
    spans = [(link.construct_start if link.construct_start >= 0 else link.start,
              max(link.end, link.construct_end)) for link in doc.links
             if link.kind != "definition" and _link_key(link.url) in keys]
    lines = {int(item.rsplit(" ", 1)[1]) for item in lost if item.startswith("the code block")}
    spans += [doc.line_span(first, last) for first, last in doc.code_blocks if first in lines]
    return spans


def _shifted(kwargs: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """In diff-aware mode, carry the changed lines over to the fixed text."""
    if kwargs.get("changed") is None:
        return kwargs
    from .diff import changed_lines

    out = dict(kwargs)
    moved = changed_lines(old, new)
    out["changed"] = set(moved) | set(kwargs["changed"])
    return out


def _inventory(doc: Document) -> dict[str, Counter]:
    links: Counter[str] = Counter()
    for link in doc.links:
        if link.kind != "definition":
            links[_link_key(link.url)] += 1
    papers: Counter[str] = Counter()
    for entry in doc.entries:
        for link in entry.links:
            key = paper_key(link.url)
            if key:
                papers[key] += 1
    code: dict[str, tuple[int, int]] = {}  # block text -> (count, first line)
    for first, last in doc.code_blocks:
        block = doc.text[slice(*doc.line_span(first, last, with_newline=False))]
        count, line = code.get(block, (0, first))
        code[block] = (count + 1, line)
    return {"links": links, "papers": papers, "entries": Counter({"n": len(doc.entries)}),
            "code": code}


def _link_key(url: str) -> str:
    """URLs a fix may rewrite compare equal: whitespace, scheme and arXiv host variants."""
    key = "".join(url.split())
    key = paper_key(key) or key.split("://", 1)[-1]
    return key.lower()


def _check_nothing_lost(before: dict[str, Counter], after: dict[str, Counter],
                        allowed_links: Counter, allowed_entries: int, path: str) -> None:
    allowed = Counter(_link_key(u) for u in allowed_links.elements())
    lost = []
    for key, count in before["links"].items():
        if after["links"][key] < count - allowed[key]:
            lost.append(key)
    if before["entries"]["n"] - allowed_entries > after["entries"]["n"]:
        lost.append(f"{before['entries']['n'] - after['entries']['n']} entries")
    lost += [f"the code block at line {line}" for key, (count, line) in before["code"].items()
             if after["code"].get(key, (0, 0))[0] < count]
    if lost:
        shown = ", ".join(sorted(lost)[:5])
        raise UnsafeFix(f"refusing to write: the fixes would lose {shown}", path)


def fixed_lines(doc: Document, finding: Finding) -> tuple[int, int, list[str]] | None:
    """The fix of one finding as a replacement of whole lines ``first..last``, or None.

    Used for GitHub suggestions: the replacement lines (without line endings) for the lines the
    fix touches. None when the finding has no fix or the fix moves lines.
    """
    if finding.fix is None or finding.moves:
        return None
    text = doc.text
    edits = finding.fix.edits
    first = min(doc.line_of(e.start) for e in edits)

    def reach(e: Edit) -> int:
        # an edit from inside a line through its line ending joins the next line: the
        # suggestion must span that line too (a whole-line removal stops at its own line)
        joins = e.end > e.start and text[e.end - 1] in "\r\n" and e.end < len(text) \
            and e.start > 0 and text[e.start - 1] not in "\r\n"
        return e.end if joins else max(e.end - 1, e.start)

    last_offset = max(reach(e) for e in edits)
    last = doc.line_of(last_offset) if last_offset < len(text) else doc.line_count
    start, end = doc.line_span(first, last, with_newline=False)
    fragment = text[start:end]
    # an edit that also removes the line ending of the last line removes whole lines
    clamped = [Edit(e.start, end, e.replacement) if e.end > end and not text[end:e.end].strip("\r\n")
               else e for e in edits]
    shifted = [Edit(e.start - start, e.end - start, e.replacement) for e in clamped
               if start <= e.start and e.end <= max(end, e.start)]
    if len(shifted) != len(edits):
        return None
    out = []
    pos = 0
    for e in sorted(shifted, key=lambda e: e.start):
        out.append(fragment[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(fragment[pos:])
    new = "".join(out)
    if not new and any(e.end > end for e in edits):
        return first, last, []
    return first, last, new.replace("\r\n", "\n").split("\n")
