"""What every convention looks at: the list's paper entries, year sections and the years of
entries, computed once per document."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import Document, Entry, Section
from ..rules._common import is_paper
from ..vocabulary import DEFAULT_VOCABULARY, Vocabulary

FOLLOW = 0.9  # a list follows a convention when at least this share of its entries do
MIN_SAMPLES = 10  # fewer cases than this are no evidence either way
YEAR_HEADING = re.compile(r"^(?:19|20)\d{2}$")
_YEAR_LOOSE = re.compile(r"^\D{0,12}((?:19|20)\d{2})\D{0,16}$")


@dataclass
class Facts:
    doc: Document
    vocab: Vocabulary = field(default_factory=lambda: DEFAULT_VOCABULARY)
    papers: list[Entry] = field(default_factory=list)  # top-level paper entries
    year_pattern: str | None = None  # the headings that carry a year, as a regex
    section_years: dict[int, int] = field(default_factory=dict)  # id(section) -> year

    def year_of_section(self, section: Section | None) -> int | None:
        while section is not None:
            year = self.section_years.get(id(section))
            if year is not None:
                return year
            section = section.parent
        return None


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def count_of(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,}"


def collect(doc: Document) -> Facts:
    facts = Facts(doc)
    facts.papers = [e for e in doc.entries if not e.details and is_paper(e)
                    and (e.depth == 0 or e.parent is None)]
    headings = [s for s in doc.sections if s.level <= 6]
    strict = [s for s in headings if YEAR_HEADING.match(s.title.strip())]
    loose = [s for s in headings if _YEAR_LOOSE.match(s.title.strip())]
    if len(strict) >= 2:
        facts.year_pattern = r"^\d{4}$"
        chosen = strict
    elif len(loose) >= 3:
        facts.year_pattern = _YEAR_LOOSE.pattern
        chosen = loose
    else:
        chosen = []
    for section in chosen:
        m = re.search(r"(?:19|20)\d{2}", section.title)
        if m:
            facts.section_years[id(section)] = int(m.group(0))
    return facts


def spread(counter: Counter) -> str:
    """``a 12, b 3`` for the most common values."""
    return ", ".join(f"{value} {count:,}" for value, count in counter.most_common(4))
