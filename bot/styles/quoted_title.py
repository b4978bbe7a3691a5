"""``"Title", Venue, Year. [[paper](url)]``: the title in quotes, then venue and year as words.

    "LoftQ: LoRA-Fine-Tuning-aware Quantization", ICLR, 2024. [[paper](https://openreview.net/...)]
"""

from __future__ import annotations

import re

from ..model import Entry
from ._common import (
    PLAIN_LINK_MARKUP,
    clean,
    first_paper_link,
    looks_like_label,
    plain_candidates,
    year_in,
)
from ._format import Conventions, NewPaper, code_tail

ID = "quoted-title"
PRIORITY = 30
MULTILINE = False
EXAMPLE = "\"{title}\", {venue}, {year}. [[paper]({url})]"

_QUOTED = re.compile(r"^\s*[\"“](.{8,}?)[\"”]\s*[,.;]?\s*")
_VENUE = re.compile(r"^([A-Za-z][\w&\-' ]{1,40}?)\s*,")


def claims(entry: Entry) -> bool:
    return bool(_QUOTED.match(entry.raw))


def read(entry: Entry) -> None:
    raw = entry.raw
    base = entry.start
    m = _QUOTED.match(raw)
    entry.title = clean(m.group(1))
    rest = raw[m.end():]
    v = _VENUE.match(rest)
    if v and looks_like_label(v.group(1)):
        entry.venue = v.group(1).strip()
        entry.venue_span = (base + m.end() + v.start(1), base + m.end() + v.end(1))
        entry.venue_is_tag = False
    entry.year = year_in(PLAIN_LINK_MARKUP.sub(" ", rest))
    entry.paper_link = first_paper_link(entry, plain_candidates(entry))


def format(paper: NewPaper, conv: Conventions) -> str:
    """``"Title", Venue, Year. [[paper](url)]``."""
    venue = f"{paper.label}, " if paper.label else ""
    year = f"{paper.year}. " if paper.year else ""
    return f"\"{paper.title}\", {venue}{year}[[paper]({paper.url})]{code_tail(paper, conv)}"
