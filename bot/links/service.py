"""The one way a front-end checks links: documents in, `LinkResults` out, for the engine.

`links`, `check --links`, `report` and the PR review all call `check_documents` and then run
the engine with `links=` the results (`engine.run(doc, config, select=["broken-link"],
links=...)`): the broken-link rule decides what is wrong, the front-ends only render it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TextIO

from bot.links.results import LinkResults, LinkTarget
from bot.links.settings import LinksSettings
from bot.links.targets import link_targets
from bot.model import Document


def settings_for(config) -> LinksSettings:
    return LinksSettings.from_mapping(config.section("links"), config.path)


def targets_of(docs: Iterable[Document], changed: dict[str, set[int] | None] | None = None,
               ) -> list[LinkTarget]:
    out: list[LinkTarget] = []
    for doc in docs:
        out += link_targets(doc, (changed or {}).get(doc.path))
    return out


def check_documents(docs: Iterable[Document], settings: LinksSettings, *,
                    changed: dict[str, set[int] | None] | None = None, cache_path: str | None = None,
                    allow_private: bool = False, first_failure_is_broken: bool = False,
                    progress: TextIO | None = None, shard: tuple[int, int] | None = None,
                    github_token: str | None = None, stats: dict | None = None) -> LinkResults:
    """Check the links of every document in one run (one politeness state for all of them)."""
    from bot.links.checker import check_links

    token = github_token if github_token is not None else (os.environ.get("GITHUB_TOKEN") or None)
    results = check_links(targets_of(docs, changed), settings, cache_path=cache_path,
                          allow_private=allow_private, first_failure_is_broken=first_failure_is_broken,
                          progress=progress, github_token=token, shard=shard, stats=stats)
    return LinkResults(results)
