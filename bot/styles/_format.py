"""What ``listkeeper add`` hands a style's ``format``: the paper, and how this list writes the
parts every style shares (code link, stars badge, dates, table columns)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class NewPaper:
    """The paper to write: its title and link, the venue label as this list writes it ("" for
    none), its year and date (``2024-02-06`` or ``2024-02``), its code repository."""

    title: str
    url: str
    label: str = ""
    year: int | None = None
    date: str | None = None
    code_url: str | None = None


@dataclass
class Conventions:
    """How the list writes what several styles share."""

    code_text: str = "code"      # the code link's text
    code_wrapped: bool = True    # ``[[code](url)]`` rather than ``[code](url)``
    badge: str = ""              # the stars badge for the code link ("" when the list has none)
    separator: str = " "         # between the code link and its badge
    columns: list[str] = field(default_factory=list)  # a table's header cells


def code_tail(paper: NewPaper, conv: Conventions) -> str:
    """`` [[code](url)] ![GitHub Repo stars](...)``, or "" without a code link."""
    if not paper.code_url:
        return ""
    link = f"[{conv.code_text}]({paper.code_url})"
    if conv.code_wrapped:
        link = f"[{link}]"
    return " " + link + (conv.separator + conv.badge if conv.badge else "")


def month(paper: NewPaper) -> str:
    """``2024/02`` (or the year alone) for lists that date entries."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?", paper.date or "")
    if m:
        return f"{m.group(1)}/{m.group(2)}" if m.group(2) else m.group(1)
    return str(paper.year or "")


def short_name(title: str) -> str:
    """A paper's short name: the title before its colon (``BiLLM``), else its first words."""
    head = re.split(r"[:：]", title, maxsplit=1)[0].strip()
    if head != title.strip() and 2 <= len(head) <= 40:
        return head
    return " ".join(title.split()[:3])
