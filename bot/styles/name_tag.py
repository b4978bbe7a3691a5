"""``[**Name**]: "Title";`` with the facts in nested items (``2023/05 | ICLR23 | [[Paper](url)]``).

The short name in a bold tag, then the quoted title; the nested lines are details of this
entry (its date, venue and links), not entries of their own.
"""

from __future__ import annotations

import re

from ..model import Entry
from ._common import clean, first_paper_link, plain_candidates
from ._format import Conventions, NewPaper, short_name

ID = "name-tag"
PRIORITY = 15
MULTILINE = False
EXAMPLE = "[**{name}**]: \"{title}\";"

_NAME = re.compile(r"^\s*\[(?:\*\*|__)([^\]*_]+)(?:\*\*|__)\](?!\()\s*:?\s*[\"“]?(.*?)[\"”]?\s*;?\s*$",
                   re.S)


def claims(entry: Entry) -> bool:
    return bool(_NAME.match(entry.raw))


def read(entry: Entry) -> None:
    m = _NAME.match(entry.raw)
    entry.title = clean(m.group(2)) or clean(m.group(1))
    entry.paper_link = first_paper_link(entry, plain_candidates(entry))


def format(paper: NewPaper, conv: Conventions) -> str:
    """``[**Name**]: "Title";`` with its facts in a nested item (the ``details`` style)."""
    from . import details

    return f"[**{short_name(paper.title)}**]: \"{paper.title}\";\n- {details.format(paper, conv)}"
