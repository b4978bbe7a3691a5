"""What the link checker takes and gives: LinkTarget in, LinkResult out, LinkResults for the rules.

Besides links, the checker looks up papers (`PaperTarget`: a preprint of the list, or the paper
`listkeeper add` is given) in the bibliographic sources (arXiv, Semantic Scholar, DBLP,
OpenReview): each source says what it knows as `Sighting`s, gathered per paper in a
`PaperResult`. The rules decide what they mean (`bot.publication`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field

VERDICTS = ("ok", "redirect", "broken", "soft-404", "unverifiable")
FAILING = ("broken", "soft-404")  # verdicts that count toward the flap rule's streak


@dataclass
class LinkTarget:
    """One URL of a list, the lines it appears on and the title of its entry (for arXiv)."""

    url: str
    lines: list[int] = field(default_factory=list)
    title: str | None = None


@dataclass
class LinkResult:
    """The verdict on one URL; `reported_broken` is the verdict after flap suppression.

    A failing link (`broken`, `soft-404`) that the flap rule does not report yet is
    `unconfirmed`: it failed, and is checked again next run.
    """

    url: str
    lines: list[int]
    verdict: str
    status: int | None = None
    final_url: str | None = None
    error: str | None = None
    first_broken: str | None = None
    failures: int = 0
    title_mismatch: str | None = None
    archived: bool = False
    new_repo: str | None = None
    reported_broken: bool = False
    cached: bool = False
    meta: dict = field(default_factory=dict)  # what an API said of the paper (arXiv: title,
    # journal_ref, doi, published)

    @property
    def unconfirmed(self) -> bool:
        return self.verdict in FAILING and not self.reported_broken

    def to_dict(self) -> dict:
        # by hand, not `asdict`: its deep copy is most of the time of a JSON report
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["lines"], out["meta"] = list(self.lines), dict(self.meta)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> LinkResult:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass
class PaperTarget:
    """A paper to look up: `key` names it (its arXiv id, else "doi:...", "openreview:..." or
    "title:<normalised title>"); `urls` are its paper links (their arXiv answers count)."""

    key: str
    title: str = ""
    lines: list[int] = field(default_factory=list)
    arxiv_id: str | None = None
    doi: str | None = None
    openreview_id: str | None = None
    urls: list[str] = field(default_factory=list)


@dataclass
class Sighting:
    """What one source says of a paper: the venue as the source names it (`names`: other names
    of that venue), the year, the title it has, a DOI and a link to the published version.
    `kind`: "journal_ref" (arXiv's), "conference", "journal", "workshop" or "" (unknown)."""

    source: str
    venue: str = ""
    names: list[str] = field(default_factory=list)
    year: int | None = None
    title: str | None = None
    doi: str | None = None
    url: str | None = None
    kind: str = ""
    date: str | None = None  # YYYY-MM-DD (or YYYY-MM) when the source gives one
    arxiv_id: str | None = None  # the arXiv id the source links the paper to

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, "", [])}

    @classmethod
    def from_dict(cls, data: dict) -> Sighting:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass
class PaperResult:
    """Every source's sightings of one paper; `failed`: sources that could not be asked this
    run (and had no earlier answer), with why; `asked`: sources asked this run."""

    key: str
    sightings: list[Sighting] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    cached: bool = False


class LinkResults(Mapping[str, LinkResult]):
    """The link checker's verdicts by URL, and its paper lookups by key: what the engine hands
    the online rules (broken-link, published)."""

    def __init__(self, results: Iterable[LinkResult] = (),
                 papers: Mapping[str, PaperResult] | None = None) -> None:
        self._by_url = {r.url: r for r in results}
        self.papers: dict[str, PaperResult] = dict(papers or {})

    def __getitem__(self, url: str) -> LinkResult:
        return self._by_url[url]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_url)

    def __len__(self) -> int:
        return len(self._by_url)

    def __repr__(self) -> str:
        return f"LinkResults({len(self)} URLs)"
