"""check_links(): dedupe, consult the cache, hand each URL to the host type that claims it, run
every job under per-host politeness, find soft 404s, apply flap suppression, save history.

`run_check()` does the same and, in the same run, looks up papers (`PaperTarget`) in the paper
sources (`hosttypes.PAPER_SOURCES`): a paper the cached answers already show published
(`resolved`) is not asked again; a source whose answer is younger than `paper_max_age_days` is
not asked again either; the rest are asked, and every answer is saved with the run.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Callable
from typing import TextIO
from urllib.parse import urlsplit

from bot.links import arxiv, hosttypes
from bot.links.history import History, HistoryUnavailable, PaperRecord, RunRecord, UrlRecord
from bot.links.http import Fetcher, host_key
from bot.links.plan import DAY, GOOD, Groups, Plan, plan_links
from bot.links.politeness import Politeness
from bot.links.progress import Progress
from bot.links.results import FAILING, LinkResult, LinkTarget, PaperResult, PaperTarget, Sighting
from bot.links.scheduler import Scheduler
from bot.links.settings import LinksSettings
from bot.links.ssrf import Resolver


def merge_targets(targets: list[LinkTarget]) -> dict[str, LinkTarget]:
    """One target per URL (http/https only), lines merged, first known title kept."""
    merged: dict[str, LinkTarget] = {}
    for target in targets:
        if not target.url[:8].lower().startswith(("http://", "https://")):
            continue
        have = merged.get(target.url)
        if have is None:
            merged[target.url] = LinkTarget(target.url, sorted(set(target.lines)), target.title)
        else:
            have.lines = sorted(set(have.lines) | set(target.lines))
            have.title = have.title or target.title
    return merged


def _iso(ts: float | None) -> str | None:
    return dt.datetime.fromtimestamp(ts, dt.UTC).date().isoformat() if ts else None


class Run:
    """State of one check_links() call, shared by the host types' jobs."""

    def __init__(self, settings: LinksSettings, *, allow_private: bool, github_token: str | None,
                 records: dict[str, UrlRecord], clock: Callable[[], float] | None = None,
                 resolver: Resolver | None = None, s2_key: str | None = None) -> None:
        self.settings = settings
        self.politeness = Politeness(settings, clock or time.monotonic)
        pool = max([settings.default_host.concurrency, settings.max_host_concurrency]
                   + [h.concurrency for h in settings.hosts.values()])
        self.fetcher = Fetcher(settings, self.politeness, allow_private=allow_private, pool_size=pool,
                               resolver=resolver)
        self.token = github_token
        self.s2_key = s2_key
        self.records = records
        self.paper_answers: dict[tuple[str, str], list[Sighting]] = {}
        self.paper_errors: dict[tuple[str, str], str] = {}
        self.results: dict[str, LinkResult] = {}
        self.extra: dict[str, dict] = {}
        self.validators: dict[str, tuple[str | None, str | None]] = {}
        self.landings: dict[str, str] = {}
        self.certain: set[str] = set()  # failures no later run can change (a malformed URL)
        self.api_requests: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()
        self.progress: Progress | None = None
        self._repo_keys: dict[str, str] = {}

    def put(self, target: LinkTarget, result: LinkResult, extra: dict | None = None) -> None:
        with self.lock:
            self.results[target.url] = result
            if extra:
                self.extra[target.url] = extra
        if self.progress is not None:
            self.progress.advance(1, 1 if result.verdict in FAILING else 0)

    def put_paper(self, paper: PaperTarget, source: str, found: list[Sighting] | None,
                  error: str | None = None) -> None:
        """A source's answer about a paper: its sightings (maybe none), or None and the error."""
        with self.lock:
            if found is None:
                self.paper_errors[(paper.key, source)] = error or "no answer"
            else:
                self.paper_answers[(paper.key, source)] = list(found)

    def count_api(self, name: str) -> None:
        with self.lock:
            self.api_requests[name] += 1

    def repo_key(self, repo: str) -> str:
        """Group owner/repo case-insensitively under the first spelling seen."""
        return self._repo_keys.setdefault(repo.lower(), repo)


Judge = Callable[[PaperTarget, list[Sighting]], bool]


def check_links(targets: list[LinkTarget], settings: LinksSettings, *, cache_path: str | None,
                **kwargs) -> list[LinkResult]:
    """Check every distinct http(s) URL once and return one result per URL, in input order
    (`run_check` without papers)."""
    return run_check(targets, settings, cache_path=cache_path, **kwargs)[0]


def run_check(targets: list[LinkTarget], settings: LinksSettings, *, cache_path: str | None,
              allow_private: bool = False, first_failure_is_broken: bool = False,
              progress: TextIO | None = None, github_token: str | None = None,
              now: float | None = None, stats: dict | None = None,
              shard: tuple[int, int] | None = None, resolver: Resolver | None = None,
              clock: Callable[[], float] | None = None, papers: list[PaperTarget] | None = None,
              resolved: Judge | None = None, s2_key: str | None = None,
              ) -> tuple[list[LinkResult], dict[str, PaperResult]]:
    """Check every distinct http(s) URL once (one result per URL, in input order) and look up
    every paper (one result per paper key).

    Without a cache (`cache_path=None`) there is no history to suppress flaps, so every broken
    link is reported. A cache that stays locked is waited for, then the run goes on without
    history (nothing is reported before a second run confirms it). `shard=(k, n)` checks only
    the k-th of n shards, balanced by expected cost. `stats`, when given, receives request
    counters (the benchmark's). `resolved(paper, sightings)` says whether what is known of a
    paper already shows it published (then no source is asked about it again).
    """
    now = time.time() if now is None else now
    papers = list({p.key: p for p in papers or []}.values())
    if shard is not None and shard[0] != 1:
        papers = []  # the papers are looked up by the first shard
    merged = merge_targets(targets)
    history = None
    if cache_path:
        try:
            history = History(cache_path, progress, timeout=settings.cache_timeout)
        except HistoryUnavailable as exc:
            print(f"listkeeper: warning: {exc}; this run goes without link history",
                  file=progress or sys.stderr)
    try:
        records = history.get_many(list(merged)) if history else {}
        paper_records = history.get_papers([p.key for p in papers]) if history and papers else {}
        run = Run(settings, allow_private=allow_private, github_token=github_token, records=records,
                  clock=clock, resolver=resolver, s2_key=s2_key)
        run.progress = Progress(progress, len(merged), run.politeness.waiting_hosts, settings.progress_interval)
        scheduler = Scheduler(run.politeness, max_workers=settings.max_workers, tick=run.progress.tick)
        try:
            plan, merged, paper_plan = _queue_all(run, scheduler, merged, records, now, shard, papers,
                                                  paper_records, resolved)
        except BaseException:
            scheduler.close()  # the workers finish what was queued, then end
            raise
        scheduler.run()
        run.progress.finish()
        run.fetcher.close()
        results = [run.results.get(url) or LinkResult(url, t.lines, "unverifiable",
                                                      error="internal error: no result")
                   for url, t in merged.items()]
        _many_to_one(results, run)
        found, paper_rows = _paper_results(run, papers, paper_plan, records, now)
        _apply_history(results, records, plan.cached, run, settings, history, now,
                       first_failure_is_broken, flap_known=bool(cache_path), warn=progress,
                       papers=paper_rows)
        if stats is not None:
            stats["requests"] = sum(run.fetcher.stats.requests.values())
            stats["requests_by_host"] = dict(run.fetcher.stats.requests)
            stats["rate_limited"] = run.fetcher.stats.rate_limited
            stats["bytes_read"] = run.fetcher.stats.bytes_read
            stats["arxiv_requests"] = run.api_requests["arxiv"]
            stats["arxiv_ids"] = len(plan.groups.get(arxiv, {}))
            stats["github_requests"] = run.api_requests["github"]
            for module in hosttypes.paper_sources():
                stats[f"{module.NAME.replace('-', '_')}_requests"] = run.api_requests[module.NAME]
            stats["papers"] = len(papers)
            stats["papers_asked"] = len(paper_plan.asked)
            stats["politeness"] = run.politeness
        return results, found
    finally:
        if history:
            history.close()


def _queue_all(run: Run, scheduler: Scheduler, merged: dict[str, LinkTarget],
               records: dict[str, UrlRecord], now: float, shard: tuple[int, int] | None,
               papers: list[PaperTarget], paper_records: dict, resolved: Judge | None,
               ) -> tuple[Plan, dict[str, LinkTarget], _PaperPlan]:
    """Plan the run and queue its jobs: (the plan, the URLs of this shard, the paper plan)."""
    if shard is None:  # each bucket's requests start once it is planned, the costliest first
        plan = plan_links(run, merged, records, now, ready=lambda groups: _start(scheduler, groups, run))
    else:  # a shard is known once every bucket's cost is
        plan = plan_links(run, merged, records, now)
        keep = shard_buckets(plan.costs, shard[1])
        merged = {u: t for u, t in merged.items() if keep.get(plan.bucket_of[u]) == shard[0]}
        run.progress.total = len(merged)
        for module, groups in plan.groups.items():
            mine = {ident: [t for t in ts if t.url in merged] for ident, ts in groups.items()}
            mine = {ident: ts for ident, ts in mine.items() if ts}
            if mine:
                _start(scheduler, {module: mine}, run)
    for url, (target, result) in plan.done.items():
        if url in merged:
            run.put(target, result)
    paper_plan = _plan_papers(run, papers, paper_records, records, now, resolved)
    for module, groups in paper_plan.groups.items():
        scheduler.add_many(module.jobs(dict(groups), run))
    return plan, merged, paper_plan


def _start(scheduler: Scheduler, groups: Groups, run: Run) -> None:
    """Queue the jobs of these groups and let the workers at them."""
    for module, idents in groups.items():
        scheduler.add_many(module.jobs(idents, run))
    scheduler.start()


class _PaperPlan:
    def __init__(self) -> None:
        self.known: dict[str, dict[str, list[Sighting]]] = {}  # key -> source -> cached answer
        self.stale: dict[str, dict[str, list[Sighting]]] = {}  # old answers: used if asking fails
        self.groups: dict = defaultdict(lambda: defaultdict(list))
        self.asked: set[str] = set()
        self.resolved: set[str] = set()


def arxiv_sightings(paper: PaperTarget, results: dict[str, LinkResult],
                    records: dict[str, UrlRecord]) -> list[Sighting]:
    """arXiv's own word on the paper: from this run's answer for its arXiv link, else the
    history's."""
    for url in paper.urls:
        if arxiv.arxiv_id(url) is None:
            continue
        result = results.get(url)
        meta = result.meta if result is not None and result.meta else None
        if meta is None and url in records:
            meta = arxiv.meta_of((records[url].extra or {}).get("api_title"), records[url].extra)
        seen = arxiv.sighting(meta) if meta else None
        if seen is not None:
            return [seen]
    return []


def _plan_papers(run: Run, papers: list[PaperTarget], cached: dict[str, dict[str, PaperRecord]],
                 records: dict[str, UrlRecord], now: float, resolved: Judge | None) -> _PaperPlan:
    plan = _PaperPlan()
    age = run.settings.paper_max_age_days * DAY
    sources = hosttypes.paper_sources()
    for paper in papers:
        answers = cached.get(paper.key, {})
        known = {source: [Sighting.from_dict(d) for d in rec.answer if isinstance(d, dict)]
                 for source, rec in answers.items()}
        plan.stale[paper.key] = known
        everything = [s for found in known.values() for s in found] + arxiv_sightings(paper, {}, records)
        if resolved is not None and everything and resolved(paper, everything):
            plan.known[paper.key] = known  # found published: never asked again
            plan.resolved.add(paper.key)
            continue
        plan.known[paper.key] = {}
        for module in sources:
            ident = module.claim(paper, run)
            if ident is None:
                continue
            record = answers.get(module.NAME)
            if record is not None and now - record.last_checked < age:
                plan.known[paper.key][module.NAME] = known[module.NAME]
                continue
            plan.groups[module][ident].append(paper)
            plan.asked.add(paper.key)
    return plan


def _paper_results(run: Run, papers: list[PaperTarget], plan: _PaperPlan,
                   records: dict[str, UrlRecord], now: float,
                   ) -> tuple[dict[str, PaperResult], list[PaperRecord]]:
    out: dict[str, PaperResult] = {}
    rows: list[PaperRecord] = []
    answered: dict[str, list[tuple[str, list[Sighting]]]] = defaultdict(list)
    for (key, source), found in run.paper_answers.items():
        answered[key].append((source, found))
    failed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (key, source), error in run.paper_errors.items():
        failed[key].append((source, error))
    for paper in papers:
        result = PaperResult(paper.key, cached=paper.key not in plan.asked)
        answers = dict(plan.known.get(paper.key, {}))
        for source, found in answered.get(paper.key, []):
            answers[source] = found
            result.asked.append(source)
            rows.append(PaperRecord(paper.key, source, [s.to_dict() for s in found], now))
        for source, error in failed.get(paper.key, []):
            key = paper.key
            result.asked.append(source)
            if source in plan.stale.get(key, {}):
                answers[source] = plan.stale[key][source]  # asking failed: the last answer stands
            else:
                result.failed[source] = error
        result.sightings = arxiv_sightings(paper, run.results, records) + \
            [s for source in sorted(answers) for s in answers[source]]
        out[paper.key] = result
    return out, rows


def shard_buckets(costs: dict[tuple[str, str], float], n: int) -> dict[tuple[str, str], int]:
    """Assign each politeness bucket (a host never splits: its limit holds across shards) to a
    shard, 1-based, largest expected cost first onto the least loaded shard."""
    loads = [0.0] * n
    out: dict[tuple[str, str], int] = {}
    for bucket, cost in sorted(costs.items(), key=lambda kv: (-kv[1], kv[0])):
        if cost <= 0:
            out[bucket] = zlib.crc32("/".join(bucket).encode()) % n + 1
            continue
        shard = min(range(n), key=lambda i: (loads[i], i))
        loads[shard] += cost
        out[bucket] = shard + 1
    return out


def _many_to_one(results: list[LinkResult], run: Run) -> None:
    """Deep links of one host that all end at one page of another host are soft 404s (a dead
    service: Papers with Code links now all lead to one page of Hugging Face)."""
    by_landing: dict[str, list[LinkResult]] = defaultdict(list)
    for result in results:
        landing = run.landings.get(result.url)
        if landing and result.verdict in GOOD and host_key(landing) != host_key(result.url):
            by_landing[landing].append(result)
    for landing, group in by_landing.items():
        sources = defaultdict(set)
        for result in group:
            parts = urlsplit(result.url)
            sources[host_key(result.url)].add((parts.path, parts.query))
        for host, paths in sources.items():
            if len(paths) < run.settings.soft_404_group:
                continue
            for result in group:
                if host_key(result.url) == host:
                    result.verdict, result.final_url = "soft-404", landing
                    result.error = f"{len(paths)} links of {host} all lead to this one page"


def _apply_history(results: list[LinkResult], records: dict[str, UrlRecord], cached: dict[str, LinkResult],
                   run: Run, settings: LinksSettings, history: History | None, now: float,
                   first_failure_is_broken: bool, *, flap_known: bool, warn: TextIO | None,
                   papers: list[PaperRecord] | None = None) -> None:
    """Streaks and flap suppression; then one transaction with every row and the run.

    A failing link (broken, soft 404) is reported once it failed `flap_runs` runs over
    `flap_days` days, or at once in a PR check or without a cache. A server error that
    persists (5xx after retries) is unverifiable until the same rule makes it broken.
    """
    rows = []
    for result in results:
        prev = records.get(result.url)
        if result.url in cached:
            result.failures = 0
            continue
        server_error = result.verdict == "unverifiable" and (result.status or 0) >= 500
        if result.verdict in FAILING or server_error:
            streak = prev is not None and prev.failures > 0 and prev.first_broken is not None
            failures = (prev.failures if streak else 0) + 1
            first = prev.first_broken if streak else now
        elif result.verdict == "unverifiable" and prev is not None:
            failures, first = prev.failures, prev.first_broken
        else:
            failures, first = 0, None
        result.failures = failures
        result.first_broken = _iso(first)
        confirmed = failures >= settings.flap_runs and now - (first or now) >= settings.flap_days * DAY
        if server_error and history is not None and confirmed:
            result.verdict = "broken"
            result.error = f"HTTP {result.status} in {failures} runs since {result.first_broken}"
            result.reported_broken = True
        elif result.verdict in FAILING:
            result.reported_broken = (result.url in run.certain or first_failure_is_broken
                                      or not flap_known or (history is not None and confirmed))
        etag, modified = run.validators.get(result.url, (None, None))
        rows.append(UrlRecord(result.url, result.verdict, result.status, result.final_url, result.error,
                              etag, modified, first, failures, now, run.extra.get(result.url, {})))
    if history is not None:
        counts = {v: sum(1 for r in results if r.verdict == v) for v in ("ok", "broken", "unverifiable",
                                                                           "redirect", "soft-404")}
        try:
            history.save_run(rows, RunRecord(now, counts["ok"], counts["broken"] + counts["soft-404"],
                                             counts["unverifiable"], counts["redirect"]), papers)
        except sqlite3.Error as exc:
            print(f"listkeeper: warning: could not save link history to {history.path}: {exc}; "
                  "this run is not recorded", file=warn or sys.stderr)
