"""A row of a Markdown table: ``| [Title](url) | 15 Sep 2023 | ICLR'2024 | [code](repo) |``.

The title is the first cell's link text (or the first cell with words); the paper link is the
link in the title cell; a cell that is a short label gives the venue.
"""

from __future__ import annotations

import re

from ..model import Entry
from ._common import (
    LINK_DEST,
    LINK_TEXT,
    clean,
    first_paper_link,
    looks_like_label,
    plain_candidates,
    strip_links,
    year_in,
)
from ._format import Conventions, NewPaper, month

ID = "table-row"
PRIORITY = 1
MULTILINE = False
EXAMPLE = "| [{title}]({url}) | {venue} |"

_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_IMAGE = re.compile(rf"\[?!\[{LINK_TEXT}\]\({LINK_DEST}\)(?:\]\({LINK_DEST}\))?")


def claims(entry: Entry) -> bool:
    return entry.kind == "row"


def cells(raw: str) -> list[tuple[int, str]]:
    """(offset in raw, text) of each cell."""
    out = []
    pos = 0
    text = raw
    inner_start = 1 if text.lstrip().startswith("|") else 0
    if inner_start:
        pos = text.index("|") + 1
    for m in _CELL_SPLIT.finditer(text, pos):
        out.append((pos, text[pos:m.start()]))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, text[pos:]))
    return out


def read(entry: Entry) -> None:
    base = entry.start
    links = plain_candidates(entry)
    row = cells(entry.raw)
    title_cell = None
    linked = [(offset, text) for offset, text in row
              if any(base + offset <= lk.start < base + offset + len(text)
                     and not lk.text.startswith("!") and len(clean(lk.text)) >= 12 for lk in links)]
    if linked:
        title_cell = linked[0]  # the title is a link: ``[Title](paper)``
    else:
        worded = [(len(clean(strip_links(text))), i) for i, (_, text) in enumerate(row)]
        length, index = max(worded, default=(0, -1))
        if length >= 12:
            title_cell = row[index]
    if title_cell is not None:
        offset, text = title_cell
        inside = [lk for lk in links if base + offset <= lk.start < base + offset + len(text)
                  and not lk.text.startswith("!")]
        named = [lk for lk in inside if len(clean(lk.text)) >= 12]
        if named:  # the title is a link: ``[Title](paper)``, maybe beside badges
            entry.title = clean(named[0].text)
            entry.paper_link = named[0]
        else:
            entry.title = clean(strip_links(_IMAGE.sub("", text)))
            entry.paper_link = first_paper_link(entry, inside) or (inside[0] if inside else None)
    if entry.paper_link is None:
        entry.paper_link = first_paper_link(entry, links)
    for offset, text in row:
        value = text.strip()
        if title_cell is not None and offset == title_cell[0]:
            continue
        if value and "](" not in value and looks_like_label(value):
            entry.venue = value
            entry.venue_span = (base + offset + text.index(value),
                                base + offset + text.index(value) + len(value))
            entry.venue_is_tag = False
            break
    entry.year = year_in(" ".join(strip_links(t) for _, t in row))


_COLUMNS = (
    ("title", re.compile(r"title|paper|name|work|method|model", re.I)),
    ("venue", re.compile(r"venue|conf|publi|journal|where|pub", re.I)),
    ("date", re.compile(r"date|year|time|when|month", re.I)),
    ("code", re.compile(r"code|github|repo|implement|source", re.I)),
)


def format(paper: NewPaper, conv: Conventions) -> str:
    """A row with a cell for each column of the table's header (title, venue, date, code;
    other columns stay empty), or ``| [Title](url) | Venue |`` without a header."""
    if not conv.columns:
        return f"| [{paper.title}]({paper.url}) | {paper.label} |"
    cells = []
    for header in conv.columns:
        kind = next((k for k, pattern in _COLUMNS if pattern.search(header)), "")
        if kind == "title":
            cells.append(f"[{paper.title}]({paper.url})")
        elif kind == "venue":
            cells.append(paper.label)
        elif kind == "date":
            cells.append(month(paper) if "date" in header.lower() or "month" in header.lower()
                         else str(paper.year or ""))
        elif kind == "code" and paper.code_url:
            cells.append(f"[{conv.code_text}]({paper.code_url})")
        else:
            cells.append("")
    return "| " + " | ".join(cells) + " |"
