"""What the link checker takes and gives: LinkTarget in, LinkResult out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

VERDICTS = ("ok", "redirect", "broken", "unverifiable")


@dataclass
class LinkTarget:
    """One URL of a list, the lines it appears on and the title of its entry (for arXiv)."""

    url: str
    lines: list[int] = field(default_factory=list)
    title: str | None = None


@dataclass
class LinkResult:
    """The verdict on one URL; `reported_broken` is the verdict after flap suppression."""

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

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> LinkResult:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)
