"""The document model and the findings rules produce about it."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

LEVELS = ("error", "warning", "info")

# The value types below (Link, Badge, Edit, Problem, Finding) are compared and hashed by value
# but not ``frozen``: a frozen dataclass sets each field through ``object.__setattr__``, a call
# per field, and a 100k-entry list makes 300k links (3.2 us each instead of 0.5 us). Nothing
# assigns to them after they are made.


@dataclass(slots=True, unsafe_hash=True)
class Link:
    """One link target in the text; ``start:end`` is the span of the URL itself.

    For a ``reference`` link the URL lives in its definition, so ``start:end`` is the label.
    """

    url: str
    text: str
    line: int
    column: int
    start: int
    end: int
    kind: str  # inline | image | reference | definition | autolink | bare | html
    target_start: int = -1  # inline/image: the span between the parentheses
    target_end: int = -1
    construct_end: int = -1  # offset just past the whole construct, e.g. after ``)``
    construct_start: int = -1  # offset of the construct, e.g. its ``[`` or ``![``


@dataclass(slots=True, unsafe_hash=True)
class Badge:
    """An image link (``![alt](image)``), possibly wrapped in a link."""

    alt: str
    image_url: str
    link_url: str | None
    line: int
    start: int  # span of the whole badge markup
    end: int


@dataclass
class Section:
    """A heading or a bold pseudo-heading (``**Quantization**``) and what it contains."""

    title: str
    level: int  # 1-6 for headings, 7 for a bold pseudo-heading
    line: int
    path: tuple[str, ...]
    anchor: str | None = None
    parent: Section | None = None
    children: list[Section] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    end_line: int = 0  # last line that belongs to the section (including subsections)

    @property
    def path_str(self) -> str:
        return " › ".join(self.path)


@dataclass(slots=True)
class Entry:
    """One list item of the paper list, with everything the rules need to know about it."""

    line: int
    end_line: int
    start: int
    end: int
    source: str = field(repr=False)  # the whole document text, shared, not copied
    section: Section | None = None
    depth: int = 0
    venue: str | None = None
    # the venue label text's offsets, kept relative to ``start`` (small ints, which Python
    # shares: a tuple of two offsets cost 112 bytes an entry); read as ``venue_span``
    _venue_at: int | None = field(default=None, repr=False)
    _venue_len: int = field(default=0, repr=False)
    venue_link: Link | None = None
    paper_url: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    openreview_id: str | None = None
    title: str = ""
    code_url: str | None = None
    code_link: Link | None = None
    code_repo: str | None = None
    badges: tuple[Badge, ...] = ()  # most entries have none: no empty list each
    links: list[Link] = field(default_factory=list)
    style: str = ""  # the id of the entry style that read it (bot/styles)
    kind: str = "item"  # item (a list item) | row (a table row) | block (a paragraph)
    paper_link: Link | None = None  # the entry's primary paper link
    paper_links: list[Link] = field(default_factory=list)  # links that name the paper itself
    venue_is_tag: bool = True  # the label is a tag (``[[ICLR](..)]``), not words in the text
    year: int | None = None  # a publication year written in the entry (not in its label)
    date: tuple[int, int, int] | None = None  # a date written in the entry (day 0: unknown)
    parent: Entry | None = field(default=None, repr=False)  # the item this one is nested in
    details: bool = False  # a nested line of facts about its parent (date | venue | links)
    # a sentence that cites a paper ("... for example [this paper](url)"), not an entry of it
    note: bool = False

    @property
    def venue_span(self) -> tuple[int, int] | None:
        """Offsets of the venue label text."""
        if self._venue_at is None:
            return None
        start = self.start + self._venue_at
        return start, start + self._venue_len

    @venue_span.setter
    def venue_span(self, span: tuple[int, int] | None) -> None:
        if span is None:
            self._venue_at, self._venue_len = None, 0
        else:
            self._venue_at, self._venue_len = span[0] - self.start, span[1] - span[0]

    @property
    def raw(self) -> str:
        """The entry's text, without its list marker (sliced on demand: a large list keeps
        one copy of its text, not two)."""
        return self.source[self.start:self.end]

    @property
    def section_path(self) -> tuple[str, ...]:
        return self.section.path if self.section else ()

    @property
    def lines(self) -> range:
        return range(self.line, self.end_line + 1)


@dataclass
class Document:
    """A parsed list file: its text, its sections and entries, and every link with its line."""

    path: str
    text: str
    newline: str
    line_starts: list[int]
    sections: list[Section] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    code_lines: frozenset[int] = frozenset()  # lines inside fenced or indented code
    html_comment_lines: dict[int, str] = field(default_factory=dict)  # line -> comment text
    code_blocks: list[tuple[int, int]] = field(default_factory=list)  # first, last line of each
    # the folder the list was read from, when it is a file on disk in a git checkout: relative
    # links are judged against it (a PR's text, or a list copied alone, has no such folder)
    root: str | None = None
    _section_starts: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> list[str]:
        """The lines without their line endings."""
        return self.text.splitlines()

    @property
    def line_count(self) -> int:
        return len(self.line_starts) - (1 if self.text.endswith(("\n", "\r")) else 0)

    def line_of(self, offset: int) -> int:
        """The 1-based line that holds ``offset``."""
        return bisect.bisect_right(self.line_starts, offset)

    def column_of(self, offset: int) -> int:
        return offset - self.line_starts[self.line_of(offset) - 1] + 1

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def line_span(self, first: int, last: int, *, with_newline: bool = True) -> tuple[int, int]:
        """Offsets covering whole lines ``first..last``."""
        start = self.line_starts[first - 1]
        end = self.line_starts[last] if last < len(self.line_starts) else len(self.text)
        if not with_newline:
            while end > start and self.text[end - 1] in "\r\n":
                end -= 1
        return start, end

    def section_at(self, line: int) -> Section | None:
        """The innermost section that contains ``line``.

        Sections nest, so it is the last section starting at or before ``line``, or the
        nearest of its parents that still contains the line: a bisect, not a scan.
        """
        starts = self._section_starts
        if starts is None or len(starts) != len(self.sections):
            starts = self._section_starts = [s.line for s in self.sections]
        i = bisect.bisect_right(starts, line) - 1
        section = self.sections[i] if i >= 0 else None
        while section is not None and not section.line <= line <= section.end_line:
            section = section.parent
        return section


@dataclass(slots=True, unsafe_hash=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


class Fix:
    """A certain repair, made of non-overlapping text edits.

    ``Fix.later(make, ...)`` defers building the edits until a fixer asks for them: the
    reorder of a long section is one fix shared by thousands of findings, and ``check`` never
    needs its text. A ``sweeping`` fix is a list-wide rewrite (badge insertion, label renames,
    reordering): on a whole list `fix` applies it only when asked for (``--rule``, or ``fix:``
    in rules.yaml).
    """

    __slots__ = ("_edits", "_make", "description", "removes_links", "removes_entries",
                 "sweeping")

    def __init__(self, edits: tuple[Edit, ...] = (), description: str = "",
                 removes_links: tuple[str, ...] = (), removes_entries: int = 0,
                 sweeping: bool = False) -> None:
        self._edits: tuple[Edit, ...] | None = tuple(edits)
        self._make: Callable[[], Iterable[Edit]] | None = None
        self.description = description
        self.removes_links = removes_links  # URLs this fix deliberately removes or replaces
        self.removes_entries = removes_entries
        self.sweeping = sweeping

    @classmethod
    def later(cls, make: Callable[[], Iterable[Edit]], description: str = "",
              removes_links: tuple[str, ...] = (), removes_entries: int = 0,
              sweeping: bool = False) -> Fix:
        fix = cls((), description, removes_links, removes_entries, sweeping)
        fix._edits, fix._make = None, make
        return fix

    @property
    def edits(self) -> tuple[Edit, ...]:
        if self._edits is None:
            assert self._make is not None
            self._edits, self._make = tuple(self._make()), None
        return self._edits

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fix):
            return NotImplemented
        return (self.edits, self.description, self.removes_links, self.removes_entries,
                self.sweeping) == (other.edits, other.description, other.removes_links,
                                   other.removes_entries, other.sweeping)

    def __hash__(self) -> int:
        return hash((self.description, self.removes_links, self.removes_entries))

    def __repr__(self) -> str:
        edits = "(not built yet)" if self._edits is None else repr(self._edits)
        return f"Fix({edits}, {self.description!r})"


@dataclass(slots=True, unsafe_hash=True)
class Problem:
    """What a rule yields: what is wrong and where. The engine adds the rest."""

    line: int
    column: int
    message: str
    fix: Fix | None = None
    end_line: int | None = None
    moves: bool = False  # the fix moves whole entries (ordering, placement)
    related: tuple[int, ...] = ()  # other lines involved (e.g. the other duplicate)
    level: str | None = None  # overrides the rule's level for this problem


@dataclass(order=True, slots=True, unsafe_hash=True)
class Finding:
    """A problem stamped with its rule, level and file."""

    path: str
    line: int
    column: int
    rule: str
    level: str
    message: str
    fix: Fix | None = field(default=None, compare=False)
    end_line: int | None = field(default=None, compare=False)
    moves: bool = field(default=False, compare=False)
    related: tuple[int, ...] = field(default=(), compare=False)

    @property
    def fixable(self) -> bool:
        return self.fix is not None
