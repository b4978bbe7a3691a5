"""What ``listkeeper add`` hands a style's ``format``: the paper, and how this list writes the
parts every style shares (code link, stars badge, dates, table columns)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import ids


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
    date_sample: str = ""        # a date as the list writes it ("27 Feb 2024", "2023/05")
    samples: list = field(default_factory=list)  # the section's entries in this style (rows)
    stars: str = ""              # the stars image as the list writes one (alt, shields options)


REPO = "\x00repo\x00"  # in `Conventions.code_text`: the repository (``owner/name``)
NAME = "\x00name\x00"  # ... its name


def code_link(paper: NewPaper, conv: Conventions) -> str:
    """``[[code](url)]`` as the list writes its code links: their text (a name, the
    repository's name, or a stars badge that is the link), wrapped in brackets or not."""
    repo = ids.github_repo(paper.code_url or "") or ""
    text = conv.code_text.replace(REPO, repo).replace(NAME, repo.split("/")[-1])
    link = f"[{text}]({paper.code_url})"
    return f"[{link}]" if conv.code_wrapped else link


def restyle_stars(text: str, paper: NewPaper, conv: Conventions) -> str:
    """`text` with its stars images of the new repository written as the list writes them
    (``badge-format``'s alt text and shields options)."""
    repo = ids.github_repo(paper.code_url or "")
    if not conv.stars or not repo:
        return text
    return re.sub(rf"!\[[^\[\]]*\]\(https?://img\.shields\.io/github/stars/{re.escape(repo)}(?:[.?/][^()\s]*)?\)",
                  lambda _: conv.stars, text, flags=re.I)


def code_tail(paper: NewPaper, conv: Conventions) -> str:
    """`` [[code](url)] ![GitHub Repo stars](...)``, or "" without a code link."""
    if not paper.code_url:
        return ""
    return " " + code_link(paper, conv) + (conv.separator + conv.badge if conv.badge else "")


def month(paper: NewPaper) -> str:
    """``2024/02`` (or the year alone) for lists that date entries."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?", paper.date or "")
    if m:
        return f"{m.group(1)}/{m.group(2)}" if m.group(2) else m.group(1)
    return str(paper.year or "")


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"
DATE_TEXT = re.compile(rf"\d{{1,2}} {MONTH} \d{{4}}|{MONTH} \d{{4}}|"
                       r"(?:19|20)\d{2}[./-]\d{1,2}(?:[./-]\d{1,2})?|(?:19|20)\d{2}")


def date_text(paper: NewPaper, conv: Conventions) -> str:
    """The paper's date written like the list's own dates (`conv.date_sample`): ``27 Feb
    2024``, ``Feb 2024``, ``2024-02-27``, ``2024.02``, ``2024/02`` (the default) or ``2024``."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", paper.date or "")
    if not m:
        return str(paper.year or "")
    year, mon, day = m.group(1), m.group(2), m.group(3)
    sample = conv.date_sample.strip()
    if re.fullmatch(r"\d{4}", sample) or not mon:
        return year
    name = MONTHS[int(mon) - 1]
    if re.fullmatch(rf"\d{{1,2}} {MONTH} \d{{4}}", sample):
        shown = day if sample.startswith("0") else str(int(day or 0))
        return f"{shown} {name} {year}" if day else f"{name} {year}"
    if re.fullmatch(rf"{MONTH} \d{{4}}", sample):
        return f"{name} {year}"
    numeric = re.fullmatch(r"\d{4}([./-])\d{1,2}(?:[./-](\d{1,2}))?", sample)
    sep = numeric.group(1) if numeric else "/"
    if numeric and numeric.group(2) and day:
        return f"{year}{sep}{mon}{sep}{day}"
    return f"{year}{sep}{mon}"


def short_name(title: str) -> str:
    """A paper's short name: the title before its colon (``BiLLM``), else its first words."""
    head = re.split(r"[:：]", title, maxsplit=1)[0].strip()
    if head != title.strip() and 2 <= len(head) <= 40:
        return head
    return " ".join(title.split()[:3])
