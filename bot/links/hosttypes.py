"""The host types: each module says which URLs it claims and checks them in jobs, in batches
where its API allows, and every one gives the same result type (`LinkResult`).

Adding a host type (OpenReview, Semantic Scholar) is one module with the five names of
`HostType`, listed in `HOST_TYPES` before `pages`, which claims every other http(s) URL.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.links.checker import Run
    from bot.links.results import LinkTarget
    from bot.links.scheduler import Job

HOST_TYPES = ("bot.links.arxiv", "bot.links.github_api", "bot.links.doi", "bot.links.pages")


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


def modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in HOST_TYPES]
