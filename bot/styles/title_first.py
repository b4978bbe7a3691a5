"""``Title [[Paper]](url) [[Code]](repo)`` or ``Title. Authors. Venue Year``: plain text first.

The fallback reader: the title is the text before the first link (or before ``. Authors``),
the paper link is the first link that says paper, else the first that is no code link.
"""

from __future__ import annotations

import re

from ..model import Entry
from ._common import (
    clean,
    first_paper_link,
    last_match,
    looks_like_label,
    plain_candidates,
    strip_links,
    year_in,
)
from ._format import Conventions, NewPaper, code_tail

ID = "title-first"
PRIORITY = 90
MULTILINE = False
EXAMPLE = "{title} [[Paper]({url})]"

# "(?<!\s)" starts " - [" at the first space of a run: searched from inside a long run of
# spaces "\s+-" would rescan the run from every position (quadratic)
_CUT = re.compile(r"\s\[\[|\s?\[|!\[|\s\(\[|<br|(?<!\s)\s+-\s+\[")
# words that point at a paper from inside a sentence ("see [this paper](url)", "比如[这篇文章](url)"):
# the link names no title, and the text before it is prose, not the paper's title
_POINTER = re.compile(r"^\W*(?:this|that|these|those|our|their|his|her|the\s+following|the\s+original|"
                      r"a\s+representative|the\s+representative|an?\s+example)\s+"
                      r"(?:paper|article|work|study|post|blog|example)s?\W*$"
                      r"|^\W*(?:这|那|该|此|原|代表|相关|参考)(?:一)?(?:篇|个|项)?(?:文章|论文|工作|paper)\W*$", re.I)
_TEXT_VENUE = re.compile(r"(?:^|[.,;]\s+)([A-Za-z][A-Za-z\-&]{1,14})[ ':]?((?:19|20)\d{2})\b")


def claims(entry: Entry) -> bool:
    return True


def read(entry: Entry) -> None:
    raw = entry.raw
    m = _CUT.search(raw)
    head = raw[:m.start()] if m else raw
    if not m and ". " in head:  # "Title. Authors. Venue Year"
        head = head.split(". ", 1)[0]
    entry.title = clean(strip_links(head))
    links = plain_candidates(entry)
    entry.paper_link = first_paper_link(entry, links)
    if entry.title and links and _POINTER.match(links[0].text):
        entry.note = True
    text = strip_links(raw[len(head):])
    found = last_match(_TEXT_VENUE, text)
    if found is not None and looks_like_label(found.group(1)):
        entry.venue = found.group(1)
        entry.venue_is_tag = False
    entry.year = year_in(text)


def format(paper: NewPaper, conv: Conventions) -> str:
    """``Title [[Paper](url)] [[Code](repo)]``."""
    return f"{paper.title} [[Paper]({paper.url})]{code_tail(paper, conv)}"
