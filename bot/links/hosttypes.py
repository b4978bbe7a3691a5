"""The host types: each module says which URLs it claims and checks them in jobs, in batches
where its API allows, and every one gives the same result type (`LinkResult`).

Adding a host type is one module with the five names of `HostType`, listed in `HOST_TYPES`
before `pages`, which claims every other http(s) URL.

The paper sources (`PAPER_SOURCES`: Semantic Scholar, DBLP, OpenReview) are host modules of the
same kind for papers instead of URLs: the same five names, with `claim(paper, run)` saying
what the source is asked by (an id, a title), and jobs that `run.put_paper` what the source
says. They run in the same run as the links, under the same politeness and history; arXiv's
own answer about a paper (`journal_ref`, `doi`) comes from the arXiv batch of the links.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.links.checker import Run
    from bot.links.results import LinkTarget, PaperTarget
    from bot.links.scheduler import Job

HOST_TYPES = ("bot.links.arxiv", "bot.links.github_api", "bot.links.doi", "bot.links.pages")
PAPER_SOURCES = ("bot.links.semantic_scholar", "bot.links.dblp", "bot.links.openreview")


class HostType(Protocol):
    """What a host type module provides (checked for every module by a test)."""

    NAME: str

    def claim(self, url: str, run: Run) -> str | None:
        """The identifier this host type checks `url` as (an arXiv id, "owner/repo", a page
        URL), or None when it does not claim the URL."""

    def key(self, ident: str, run: Run) -> str:
        """The politeness host the identifier's requests go to."""

    def cost(self, count: int, key: str, run: Run) -> float:
        """Expected seconds of requests for `count` identifiers on politeness host `key`
        (to balance --shard)."""

    def jobs(self, groups: dict[str, list[LinkTarget]], run: Run) -> list[Job]:
        """The jobs that check every identifier and `run.put` a result for each target."""


class PaperSource(Protocol):
    """What a paper source module provides (checked for every module by a test)."""

    NAME: str

    def claim(self, paper: PaperTarget, run: Run) -> str | None:
        """What the source is asked by for `paper` ("ARXIV:2402.04291", a title query), or
        None when the source cannot be asked about it."""

    def key(self, ident: str, run: Run) -> str:
        """The politeness host of the requests."""

    def cost(self, count: int, key: str, run: Run) -> float:
        """Expected seconds of requests for `count` identifiers."""

    def jobs(self, groups: dict[str, list[PaperTarget]], run: Run) -> list[Job]:
        """The jobs that ask about every identifier and `run.put_paper` the answer (a list of
        sightings, maybe empty) or the error for each paper."""


def modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in HOST_TYPES]


def paper_sources() -> list[ModuleType]:
    return [importlib.import_module(name) for name in PAPER_SOURCES]
