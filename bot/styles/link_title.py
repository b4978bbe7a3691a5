"""``[Title](url) - description`` or ``[Title](url), Authors, 2018``: the title is the link.

The awesome-list style (``[Name](https://github.com/o/r) - What it does.``); the link is the
entry's identity, links in the description are not.
"""

from __future__ import annotations

import re

from ..model import Entry
from ._common import PLAIN_LINK_MARKUP, clean, plain_candidates, year_in
from ._format import Conventions, NewPaper, code_tail

ID = "link-title"
PRIORITY = 40
MULTILINE = False
EXAMPLE = "[{title}]({url})"

_TITLE_LINK = re.compile(r"^\s*\[(?!\[|!|\*\*)")


def claims(entry: Entry) -> bool:
    if not _TITLE_LINK.match(entry.raw):
        return False
    first = next(iter(plain_candidates(entry)), None)
    return first is not None and first.construct_start <= entry.start + len(entry.raw) - \
        len(entry.raw.lstrip()) and first.kind in ("inline", "reference")


def read(entry: Entry) -> None:
    link = plain_candidates(entry)[0]
    entry.paper_link = link
    entry.title = clean(link.text)
    tail = entry.source[link.construct_end:entry.end] if link.construct_end > 0 else ""
    entry.year = year_in(PLAIN_LINK_MARKUP.sub(" ", tail))


def format(paper: NewPaper, conv: Conventions) -> str:
    """``[Title](url)`` and the code link."""
    return f"[{paper.title}]({paper.url}){code_tail(paper, conv)}"
