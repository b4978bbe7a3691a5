"""The one way a front-end checks links: documents in, `LinkResults` out, for the engine.

`links`, `check --links`, `report` and the PR review all call `check_documents` and then run
the engine with `links=` the results (`engine.run(doc, config, select=["broken-link"],
links=...)`): the broken-link rule decides what is wrong, the front-ends only render it.
Given the configuration, the same run looks up the list's preprints for the published rule
(when it runs): `LinkResults.papers`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TextIO

from bot.links.results import LinkResults, LinkTarget, PaperTarget, Sighting
from bot.links.settings import LinksSettings
from bot.links.targets import link_targets, paper_targets
from bot.model import Document

PUBLISHED = "published"


def settings_for(config) -> LinksSettings:
    return LinksSettings.from_mapping(config.section("links"), config.path)


def targets_of(docs: Iterable[Document], changed: dict[str, set[int] | None] | None = None,
               ) -> list[LinkTarget]:
    out: list[LinkTarget] = []
    for doc in docs:
        out += link_targets(doc, (changed or {}).get(doc.path))
    return out


def rule_runs(config, rule_id: str, select: Iterable[str] | None = None,
              ignore: Iterable[str] | None = None) -> bool:
    """Whether the engine would run `rule_id` with these options (so its lookups are needed)."""
    chosen = set(select) if select else None
    if rule_id in set(ignore or ()) or chosen is not None and rule_id not in chosen:
        return False
    return config.rules[rule_id].level is not None or bool(chosen and rule_id in chosen)


def resolver_for(config):
    """`resolved(paper, sightings)` for the checker: whether the sources already show the
    paper published, by the list's vocabulary (then it is not asked about again)."""
    from bot.publication import decide
    from bot.vocabulary import Vocabulary

    vocab = Vocabulary.from_config(config)

    def resolved(paper: PaperTarget, sightings: list[Sighting]) -> bool:
        return decide(paper.title, sightings, vocab, arxiv_id=paper.arxiv_id) is not None

    return resolved


def check_documents(docs: Iterable[Document], settings: LinksSettings, *,
                    changed: dict[str, set[int] | None] | None = None, cache_path: str | None = None,
                    allow_private: bool = False, first_failure_is_broken: bool = False,
                    progress: TextIO | None = None, shard: tuple[int, int] | None = None,
                    github_token: str | None = None, stats: dict | None = None,
                    config=None, select: Iterable[str] | None = None,
                    ignore: Iterable[str] | None = None) -> LinkResults:
    """Check the links of every document in one run (one politeness state for all of them);
    with `config`, look up the preprints too when the published rule runs."""
    from bot.links.checker import run_check

    docs = list(docs)
    token = github_token if github_token is not None else (os.environ.get("GITHUB_TOKEN") or None)
    papers: list[PaperTarget] = []
    resolved = None
    if config is not None and rule_runs(config, PUBLISHED, select, ignore):
        from bot.vocabulary import Vocabulary

        vocab = Vocabulary.from_config(config)
        for doc in docs:
            papers += paper_targets(doc, vocab, (changed or {}).get(doc.path))
        resolved = resolver_for(config)
    results, found = run_check(
        targets_of(docs, changed), settings, cache_path=cache_path, allow_private=allow_private,
        first_failure_is_broken=first_failure_is_broken, progress=progress, github_token=token,
        shard=shard, stats=stats, papers=papers, resolved=resolved,
        s2_key=os.environ.get("SEMANTIC_SCHOLAR_API_KEY") or None)
    return LinkResults(results, found)
