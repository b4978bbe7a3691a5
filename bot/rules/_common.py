"""Helpers shared by several rules."""

from __future__ import annotations

from ..model import Document, Entry


def is_paper(entry: Entry) -> bool:
    """An entry that lists a paper: it has a venue tag or an external link that is not code (a
    note that cites a paper in a sentence lists none)."""
    if entry.note:
        return False
    if entry.venue:
        return True
    return any(
        "://" in link.url and link is not entry.code_link and link.kind != "image"
        for link in entry.links
    )


def removal_span(doc: Document, entry: Entry) -> tuple[int, int]:
    """Offsets that remove the entry's whole lines, line endings included."""
    return doc.line_span(entry.line, entry.end_line, with_newline=True)
