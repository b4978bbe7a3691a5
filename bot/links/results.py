"""What the link checker takes and gives: LinkTarget in, LinkResult out, LinkResults for the rule."""

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

    @property
    def unconfirmed(self) -> bool:
        return self.verdict in FAILING and not self.reported_broken

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> LinkResult:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


class LinkResults(Mapping[str, LinkResult]):
    """The link checker's verdicts by URL: what the engine hands the broken-link rule."""

    def __init__(self, results: Iterable[LinkResult] = ()) -> None:
        self._by_url = {r.url: r for r in results}

    def __getitem__(self, url: str) -> LinkResult:
        return self._by_url[url]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_url)

    def __len__(self) -> int:
        return len(self._by_url)

    def __repr__(self) -> str:
        return f"LinkResults({len(self)} URLs)"
