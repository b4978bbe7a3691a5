"""``**Title**`` (or ``[**Title**](paper-url)``), then authors and links, often over several lines.

    **Hydra: Sequentially-Dependent Draft Heads**
      *Zachary Ankner, ...*. [[pdf](https://arxiv.org/pdf/2402.05109.pdf)], [[code](...)], 2024.02.

The paper link is the link around the title, else the first ``[pdf]``/``[paper]`` link or
``[[Venue](url)]`` tag; a ``[[CVPR 2025](url)]`` tag or a venue and year after the authors
(``_Authors._ ICLR 2024.``) gives the venue.
"""

from __future__ import annotations

import re

from ..model import Entry
from ._common import (
    ANY_LINK_MARKUP,
    clean,
    first_paper_link,
    last_match,
    looks_like_label,
    plain_candidates,
    year_in,
)
from ._format import Conventions, NewPaper, code_tail

ID = "bold-title"
PRIORITY = 20
MULTILINE = True
EXAMPLE = "**{title}**  \n  [[{venue}]({url})]"

_BOLD = re.compile(r"^\s*(\[)?(?:\*\*|__)(?!\s)(.+?)(?<!\s)(?:\*\*|__)(\]\()?")
_TAG = re.compile(r"\[\[([^\]\[]+)\]\(")
_TEXT_VENUE = re.compile(r"(?:^|[.,;)]\s+)([A-Za-z][A-Za-z\-&]{1,14}(?: [A-Z][\w\-&]{1,14}){0,2})"
                         r"[ ']?((?:19|20)\d{2})\b")


def claims(entry: Entry) -> bool:
    m = _BOLD.match(entry.raw)
    if not m or (m.group(1) is None) != (m.group(3) is None):
        return False
    return len(clean(m.group(2))) >= (2 if m.group(3) else 8)  # "[**Olmo 3.**](url)" is a title


def read(entry: Entry) -> None:
    raw = entry.raw
    base = entry.start
    links = plain_candidates(entry)
    m = _BOLD.match(raw)
    entry.title = clean(m.group(2))
    if m.group(3):  # the title is a link: it is the paper
        entry.paper_link = next((lk for lk in links if lk.construct_start == base + m.start(1)),
                                None)
    rest_from = m.end()
    tag = _TAG.search(raw, rest_from)
    if tag and looks_like_label(tag.group(1)):
        entry.venue = tag.group(1).strip()
        entry.venue_span = (base + tag.start(1), base + tag.end(1))
        entry.venue_link = next((lk for lk in links if lk.start > base + tag.end(1)), None)
        entry.paper_link = entry.paper_link or entry.venue_link
    else:
        text = ANY_LINK_MARKUP.sub(" ", raw[rest_from:])
        found = last_match(_TEXT_VENUE, text)
        if found is not None and looks_like_label(found.group(1)):
            entry.venue = found.group(1)
            entry.venue_is_tag = False
        entry.year = year_in(text)
    if entry.paper_link is None:
        entry.paper_link = first_paper_link(entry, [lk for lk in links
                                                    if lk.start >= base + rest_from])


def format(paper: NewPaper, conv: Conventions) -> str:
    """``**Title**`` and, after a hard break, the venue tag and the code link."""
    tag = f"[[{paper.label}]({paper.url})]" if paper.label else f"[[paper]({paper.url})]"
    return f"**{paper.title}**  \n{tag}{code_tail(paper, conv)}"
