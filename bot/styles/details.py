"""A nested line of facts about the entry above it, not an entry of its own.

``2023/05 | ICLR23 | [[Paper](https://arxiv.org/abs/...)]``, ``Link: https://arxiv.org/...``,
``Code: https://github.com/...``, ``Authors: ...``: its paper links count as the parent's.
"""

from __future__ import annotations

import re

from .. import ids
from ..model import Entry
from ._common import first_paper_link, is_date_line, plain_candidates
from ._format import Conventions, NewPaper, code_tail, date_text

ID = "details"
PRIORITY = 5
MULTILINE = False
EXAMPLE = "{date} | {venue} | [[Paper]({url})]"

_FIELD = re.compile(r"^\s*(?:\*\*)?(link|links|paper|pdf|arxiv|code|github|authors?|author list|"
                    r"summary|abstract|tl;?dr|venue|conference|publication|project|"
                    r"摘要|作者|链接|代码)(?:\*\*)?\s*[:：]", re.I)


def claims(entry: Entry) -> bool:
    if entry.parent is None or entry.depth == 0:
        return False
    raw = entry.raw
    return is_date_line(raw) or bool(_FIELD.match(raw))


def read(entry: Entry) -> None:
    entry.details = True
    entry.title = ""
    links = plain_candidates(entry)
    label = _FIELD.match(entry.raw)
    field = label.group(1).lower() if label else ""
    if field in ("code", "github", "代码"):
        return
    entry.paper_link = first_paper_link(entry, links)
    parent = entry.parent
    if parent is None or entry.paper_link is None:
        return
    parent.paper_links.append(entry.paper_link)
    if parent.paper_link is None:
        parent.paper_link = entry.paper_link
        parent.paper_url = entry.paper_link.url
    url = entry.paper_link.url
    parent.arxiv_id = parent.arxiv_id or ids.arxiv_id(url)
    parent.doi = parent.doi or ids.doi(url)
    parent.openreview_id = parent.openreview_id or ids.openreview_id(url)


def format(paper: NewPaper, conv: Conventions) -> str:
    """``2024/02 | Venue | [[Paper](url)]``: the facts line of a ``name-tag`` entry."""
    venue = f" | {paper.label}" if paper.label else ""
    return f"{date_text(paper, conv)}{venue} | [[Paper]({paper.url})]{code_tail(paper, conv)}"
