"""``[[Venue](paper-url)] Title [[code](repo)] badge``: a venue tag that links to the paper, then the title.

Also the plain tag ``[Venue] Title [paper](url)`` and ``**[Venue]** Title``. The title is the
text after the tag, up to the first link or badge.
"""

from __future__ import annotations

import re
import sys

from ..model import Entry
from ._common import clean, first_paper_link, looks_like_label, plain_candidates
from ._format import Conventions, NewPaper, code_tail

ID = "venue-tag"
PRIORITY = 10
MULTILINE = False
EXAMPLE = "[[{venue}]({url})] {title}"

_LINKED = re.compile(r"^\s*(?:\*\*)?\[\[([^\]\[]+)\]\(")
_PLAIN = re.compile(r"^\s*(?:\*\*)?\[([^\]\[]{2,60})\](?:\*\*)?(?=\s|$)(?!\()")
# the title ends at the first of `` [[``, ``[[``, ``![``, `` [`` or ``([`` (one search finds the
# leftmost of them: `` [[`` starts where `` [`` does)
_TITLE_END = re.compile(r"\[\[|!\[| \[|\(\[")
_NOTE = re.compile(r"^\s*(?:\[[^\]\[]*\](?!\()\s*)+")


def _label(text: str) -> str:
    """The label, stripped; one copy of each (a list repeats a few dozen labels 100k times)."""
    text = text.strip()
    return sys.intern(text) if len(text) <= 60 else text


# the entry ``claims`` last looked at, its text and its tag match: ``read`` follows ``claims``
# on the same entry, and matches again only another entry or text
_claimed: list = [None, "", None]


def _linked(entry: Entry) -> tuple[str, re.Match[str] | None]:
    raw = entry.raw
    if _claimed[0] is entry and _claimed[1] == raw:
        return raw, _claimed[2]
    return raw, _LINKED.match(raw)


def claims(entry: Entry) -> bool:
    raw = entry.raw
    m = _LINKED.match(raw)
    _claimed[:] = entry, raw, m
    if m:  # ``[[Venue](url)] Title``, or the list's own placeholder such as ``[[paper](url)]``
        return looks_like_label(m.group(1)) or (len(m.group(1)) <= 12 and " " not in m.group(1))
    m = _PLAIN.match(raw)
    return bool(m) and looks_like_label(m.group(1)) and bool(raw[m.end():].strip())


def read(entry: Entry) -> None:
    raw, m = _linked(entry)
    base = entry.start
    links = plain_candidates(entry)
    title_from = 0
    if m:
        label_end = base + m.end(1)
        if looks_like_label(m.group(1)):
            entry.venue = _label(m.group(1))
            entry.venue_span = (base + m.start(1), label_end)
        for link in links:
            if link.start > label_end:
                entry.venue_link = link
                break
        if entry.venue_link is not None:
            close = raw.find("]", entry.venue_link.end - base)
            title_from = close + 1 if close != -1 else entry.venue_link.end - base
            entry.paper_link = entry.venue_link
    else:
        m = _PLAIN.match(raw)
        if m and not any(lk.start - base <= m.end() for lk in links):
            entry.venue = _label(m.group(1))
            entry.venue_span = (base + m.start(1), base + m.end(1))
            title_from = m.end()
    rest = raw[title_from:]
    skip = _NOTE.match(rest)  # "[31:fire:]" before the title: a note, not a link
    if skip:
        title_from += skip.end()
        rest = rest[skip.end():]
    end = _TITLE_END.search(rest)
    cut = end.start() if end else len(rest)
    entry.title = clean(rest[:cut])
    if entry.paper_link is None:
        after = [lk for lk in links if lk.start - base >= title_from]
        entry.paper_link = first_paper_link(entry, after)
        if len(entry.title) < 3 and entry.paper_link is not None:
            entry.title = clean(entry.paper_link.text)


def format(paper: NewPaper, conv: Conventions) -> str:
    """``[[Venue](url)] Title [[code](repo)] badge``."""
    return f"[[{paper.label}]({paper.url})] {paper.title}{code_tail(paper, conv)}"
