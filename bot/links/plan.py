"""Planning a check: which URLs are settled already and which host type checks the rest.

Settled: a malformed URL (broken, and no later run can change that), an excluded one, one the
cache holds a fresh good answer for. The rest are grouped by host type and identifier (one
arXiv id, one repository, one page: each checked once, whatever its URLs).

`plan_links` plans one politeness bucket at a time, the costliest first, and hands each
bucket's groups to `ready` as soon as they are planned: the busiest, slowest host's requests
start while the rest of the list is still being planned.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from types import ModuleType

from bot.links import arxiv, hosttypes
from bot.links.history import UrlRecord
from bot.links.results import LinkResult, LinkTarget
from bot.links.ssrf import UrlRefused, parse_authority

GOOD = ("ok", "redirect")
DAY = 86400.0

Groups = dict[ModuleType, dict[str, list[LinkTarget]]]  # host type -> identifier -> its targets


class Plan:
    def __init__(self) -> None:
        self.done: dict[str, tuple[LinkTarget, LinkResult]] = {}
        self.cached: dict[str, LinkResult] = {}
        self.groups: Groups = defaultdict(dict)
        self.bucket_of: dict[str, tuple[str, str]] = {}
        self.costs: dict[tuple[str, str], float] = defaultdict(float)


def claim(types: list[ModuleType], url: str, run) -> tuple[ModuleType, str]:
    """The host type that checks `url`, and what as; a URL no host type can read is a page
    (planning then finds it malformed)."""
    for module in types:
        try:
            ident = module.claim(url, run)
        except ValueError:
            continue
        if ident is not None:
            return module, ident
    return types[-1], url


def rough_bucket(module: ModuleType, ident: str, run) -> tuple[str, str]:
    """The politeness bucket of an identifier, without parsing a page's URL (the authority as
    written): only to choose the order of planning."""
    if ident[:8].lower().startswith(("http://", "https://")):
        return module.NAME, ident.split("/", 3)[2].rsplit("@", 1)[-1].lower()
    return module.NAME, module.key(ident, run)


def plan_links(run, merged: dict[str, LinkTarget], records: dict[str, UrlRecord], now: float,
               ready: Callable[[Groups], None] | None = None) -> Plan:
    """Plan every URL of `merged`; each bucket's groups go to `ready` once planned."""
    types = hosttypes.modules()
    buckets: dict[tuple[str, str], dict[tuple[ModuleType, str], list[LinkTarget]]] = defaultdict(dict)
    for url, target in merged.items():
        module, ident = claim(types, url, run)
        buckets[rough_bucket(module, ident, run)].setdefault((module, ident), []).append(target)

    def cost(item) -> float:
        (_, key), groups = item
        return next(iter(groups))[0].cost(len(groups), key, run)

    plan = Plan()
    excludes = [re.compile(p) for p in run.settings.exclude]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    owner: dict[tuple[str, str], ModuleType] = {}
    for _, groups in sorted(buckets.items(), key=cost, reverse=True):
        mine: Groups = defaultdict(dict)
        for (module, ident), targets in groups.items():
            for target in targets:
                bucket = _settle(plan, run, module, ident, target, records, now, excludes)
                if bucket is not None:
                    counts[bucket] += ident not in mine[module]
                    owner[bucket] = module
                    mine[module].setdefault(ident, []).append(target)
                    plan.groups[module][ident] = mine[module][ident]
        mine = {module: idents for module, idents in mine.items() if idents}
        if ready is not None and mine:
            ready(mine)
    for bucket, count in counts.items():
        plan.costs[bucket] = owner[bucket].cost(count, bucket[1], run)
    return plan


def _settle(plan: Plan, run, module: ModuleType, ident: str, target: LinkTarget,
            records: dict[str, UrlRecord], now: float, excludes: list[re.Pattern],
            ) -> tuple[str, str] | None:
    """Settle one URL if it can be (then None), else the politeness bucket it is checked in."""
    url = target.url
    try:
        parse_authority(url)
    except UrlRefused as exc:
        plan.done[url] = (target, LinkResult(url, target.lines, exc.verdict, error=exc.reason))
        run.certain.add(url)
        plan.bucket_of[url] = ("", "")
        return None
    bucket = (module.NAME, module.key(ident, run))
    plan.bucket_of[url] = bucket
    plan.costs.setdefault(bucket, 0.0)
    prev = records.get(url)
    if any(p.search(url) for p in excludes):
        plan.done[url] = (target, LinkResult(url, target.lines, "unverifiable", error="excluded"))
    elif prev and prev.verdict in GOOD and now - prev.last_checked < run.settings.max_age_days * DAY:
        result = from_cache(target, prev)
        plan.cached[url] = result
        plan.done[url] = (target, result)
    else:
        return bucket
    return None


def from_cache(target: LinkTarget, prev: UrlRecord) -> LinkResult:
    extra = prev.extra or {}
    return LinkResult(target.url, target.lines, prev.verdict, prev.status, prev.final_url, prev.error,
                      title_mismatch=arxiv.title_mismatch(target.title, extra.get("api_title")),
                      archived=bool(extra.get("archived")), new_repo=extra.get("new_repo"), cached=True,
                      meta=arxiv.meta_of(extra.get("api_title"), extra))
