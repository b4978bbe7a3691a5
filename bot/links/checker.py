"""check_links(): dedupe, consult the cache, route each URL to the page checker or an
identifier API, run everything under per-host limits, apply flap suppression, save history."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import TextIO
from urllib.parse import urlsplit

from bot.links import arxiv, doi, github_api
from bot.links.history import History, RunRecord, UrlRecord
from bot.links.http import Fetcher, PageResult, host_key
from bot.links.politeness import Politeness
from bot.links.progress import Progress
from bot.links.results import LinkResult, LinkTarget
from bot.links.settings import LinksSettings

GOOD = ("ok", "redirect")
DAY = 86400.0


def merge_targets(targets: list[LinkTarget]) -> dict[str, LinkTarget]:
    """One target per URL (http/https only), lines merged, first known title kept."""
    merged: dict[str, LinkTarget] = {}
    for target in targets:
        if urlsplit(target.url).scheme.lower() not in ("http", "https"):
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


def _replace_repo(url: str, old: str, new: str) -> str:
    """The URL with its owner/repo segment swapped for the new name."""
    return re.sub(re.escape(old) + r"(?=$|[/?#.])", new, url, count=1, flags=re.IGNORECASE)


class _Scheduler:
    """Worker threads that always pick a key (host) below its concurrency limit, preferring
    hosts that are not backing off and have the most work left."""

    def __init__(self, politeness: Politeness, progress: Progress) -> None:
        self.politeness = politeness
        self.progress = progress
        self.queues: dict[str, deque[Callable[[], None]]] = defaultdict(deque)
        self.limits: dict[str, int] = {}

    def add(self, key: str, limit: int, task: Callable[[], None]) -> None:
        self.queues[key].append(task)
        self.limits[key] = limit

    def run(self, max_workers: int) -> None:
        remaining = sum(len(q) for q in self.queues.values())
        if not remaining:
            return
        slots = sum(min(self.limits[k], len(q)) for k, q in self.queues.items())
        workers = max(1, min(max_workers, slots))
        cond = threading.Condition()
        active: dict[str, int] = defaultdict(int)
        state = {"remaining": remaining}

        def pick() -> str | None:
            best, best_rank = None, None
            for key, queue in self.queues.items():
                if queue and active[key] < self.limits[key]:
                    rank = (self.politeness.ready_in(key) > 0, -len(queue))
                    if best_rank is None or rank < best_rank:
                        best, best_rank = key, rank
            return best

        def worker() -> None:
            while True:
                with cond:
                    while True:
                        if state["remaining"] <= 0:
                            return
                        key = pick()
                        if key is not None:
                            active[key] += 1
                            task = self.queues[key].popleft()
                            break
                        cond.wait(0.5)
                        self.progress.tick()
                try:
                    task()
                finally:
                    with cond:
                        active[key] -= 1
                        state["remaining"] -= 1
                        cond.notify_all()

        threads = [threading.Thread(target=worker, daemon=True, name=f"links-{i}") for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


class _Run:
    """State of one check_links() call."""

    def __init__(self, settings: LinksSettings, allow_private: bool, github_token: str | None,
                 progress: TextIO | None, total: int) -> None:
        self.settings = settings
        self.politeness = Politeness(settings)
        pool = max([settings.default_host.concurrency] + [h.concurrency for h in settings.hosts.values()])
        self.fetcher = Fetcher(settings, self.politeness, allow_private=allow_private, pool_size=pool)
        self.token = github_token
        self.progress = Progress(progress, total, self.politeness.waiting_hosts, settings.progress_interval)
        self.results: dict[str, LinkResult] = {}
        self.extra: dict[str, dict] = {}
        self.validators: dict[str, tuple[str | None, str | None]] = {}
        self.lock = threading.Lock()
        self.arxiv_client: arxiv.ArxivClient | None = None
        self.github_client: github_api.GithubClient | None = None

    def put(self, target: LinkTarget, result: LinkResult, extra: dict | None = None) -> None:
        with self.lock:
            self.results[target.url] = result
            if extra:
                self.extra[target.url] = extra
        self.progress.advance(1, 1 if result.verdict == "broken" else 0)

    def page_task(self, page_url: str, targets: list[LinkTarget], prev: UrlRecord | None) -> Callable:
        def task() -> None:
            try:
                page = self.fetcher.check_page(page_url, etag=prev.etag if prev else None,
                                               last_modified=prev.last_modified if prev else None)
            except Exception as exc:  # noqa: BLE001 - a bug in one check must not end the run
                page = PageResult("unverifiable", error=f"internal error: {exc!r}")
            with self.lock:
                self.validators[page_url] = (page.etag or (prev.etag if prev and page.status == 304 else None),
                                             page.last_modified)
            for target in targets:
                # a badge checked through its repository page has no final URL of its own
                final = page.final_url if target.url == page_url else None
                self.put(target, LinkResult(target.url, target.lines, page.verdict, page.status, final,
                                            page.error))
        return task

    def arxiv_task(self, by_id: dict[str, list[LinkTarget]]) -> Callable:
        def task() -> None:
            self.arxiv_client = arxiv.ArxivClient(self.fetcher, self.settings)
            try:
                found = self.arxiv_client.check(list(by_id))
            except Exception as exc:  # noqa: BLE001
                found = {i: arxiv.PaperResult("unverifiable", f"internal error: {exc!r}") for i in by_id}
            for ident, targets in by_id.items():
                paper = found[ident]
                for target in targets:
                    self.put(target, LinkResult(
                        target.url, target.lines, paper.verdict, None, None, paper.error,
                        title_mismatch=arxiv.title_mismatch(target.title, paper.title)),
                        {"api_title": paper.title} if paper.title else None)
        return task

    def github_task(self, by_repo: dict[str, list[LinkTarget]]) -> Callable:
        def task() -> None:
            self.github_client = github_api.GithubClient(self.fetcher, self.settings.github_api,
                                                         self.token or "", self.settings.github_batch)
            try:
                found = self.github_client.check(list(by_repo))
            except Exception as exc:  # noqa: BLE001
                found = {r: github_api.RepoResult("unverifiable", f"internal error: {exc!r}")
                         for r in by_repo}
            for repo, targets in by_repo.items():
                info = found[repo]
                for target in targets:
                    new_repo = info.name_with_owner if info.verdict == "redirect" else None
                    final = _replace_repo(target.url, repo, new_repo) if new_repo else None
                    self.put(target, LinkResult(target.url, target.lines, info.verdict, None, final,
                                                info.error, archived=info.archived, new_repo=new_repo),
                             {"archived": info.archived, "new_repo": new_repo})
        return task

    def doi_task(self, target: LinkTarget, ident: str) -> Callable:
        def task() -> None:
            try:
                res = doi.check_doi(self.fetcher, ident, self.settings.doi_api)
            except Exception as exc:  # noqa: BLE001
                res = doi.DoiResult("unverifiable", None, f"internal error: {exc!r}")
            self.put(target, LinkResult(target.url, target.lines, res.verdict, res.status, None, res.error))
        return task


def check_links(targets: list[LinkTarget], settings: LinksSettings, *, cache_path: str | None,
                allow_private: bool = False, first_failure_is_broken: bool = False,
                progress: TextIO | None = None, github_token: str | None = None,
                now: float | None = None, stats: dict | None = None) -> list[LinkResult]:
    """Check every distinct http(s) URL once and return one result per URL, in input order.

    Without a cache there is no history to suppress flaps, so every broken link is reported.
    `stats`, when given, receives request counters (used by the benchmark).
    """
    now = time.time() if now is None else now
    merged = merge_targets(targets)
    history = History(cache_path, progress) if cache_path else None
    try:
        records = history.get_many(list(merged)) if history else {}
        run = _Run(settings, allow_private, github_token, progress, len(merged))
        excludes = [re.compile(p) for p in settings.exclude]
        scheduler = _Scheduler(run.politeness, run.progress)
        pages: dict[str, list[LinkTarget]] = defaultdict(list)
        papers: dict[str, list[LinkTarget]] = defaultdict(list)
        repos: dict[str, list[LinkTarget]] = defaultdict(list)
        cached: dict[str, LinkResult] = {}
        for url, target in merged.items():
            prev = records.get(url)
            if any(p.search(url) for p in excludes):
                run.put(target, LinkResult(url, target.lines, "unverifiable", error="excluded"))
            elif prev and prev.verdict in GOOD and now - prev.last_checked < settings.max_age_days * DAY:
                result = _from_cache(target, prev)
                cached[url] = result
                run.put(target, result)
            elif (ident := arxiv.arxiv_id(url)) is not None:
                papers[ident].append(target)
            elif (repo := github_api.github_repo(url)) is not None and (github_token or github_api.is_badge(url)):
                if github_token:
                    repos[_repo_key(repo, repos)].append(target)
                else:
                    pages[f"{settings.github_web.rstrip('/')}/{repo}"].append(target)
            elif (ident := doi.doi_from_url(url)) is not None:
                scheduler.add(host_key(settings.doi_api), run.politeness.limit(host_key(settings.doi_api)),
                              run.doi_task(target, ident))
            else:
                pages[url].append(target)
        for page_url, page_targets in pages.items():
            key = host_key(page_url)
            scheduler.add(key, run.politeness.limit(key), run.page_task(page_url, page_targets,
                                                                        records.get(page_url)))
        if papers:
            scheduler.add("<arxiv-api>", 1, run.arxiv_task(dict(papers)))
        if repos:
            scheduler.add("<github-api>", 1, run.github_task(dict(repos)))
        scheduler.run(settings.max_workers)
        run.progress.finish()
        run.fetcher.close()
        results = [run.results[url] for url in merged]
        _apply_history(results, records, cached, run, settings, history, now, first_failure_is_broken,
                       progress)
        if stats is not None:
            stats["requests"] = sum(run.fetcher.stats.requests.values())
            stats["requests_by_host"] = dict(run.fetcher.stats.requests)
            stats["rate_limited"] = run.fetcher.stats.rate_limited
            stats["bytes_read"] = run.fetcher.stats.bytes_read
            stats["arxiv_requests"] = run.arxiv_client.requests if run.arxiv_client else 0
            stats["arxiv_ids"] = len(papers)
            stats["github_requests"] = run.github_client.requests if run.github_client else 0
        return results
    finally:
        if history:
            history.close()


def _repo_key(repo: str, repos: dict) -> str:
    """Group owner/repo case-insensitively under the first spelling seen."""
    for key in repos:
        if key.lower() == repo.lower():
            return key
    return repo


def _from_cache(target: LinkTarget, prev: UrlRecord) -> LinkResult:
    extra = prev.extra or {}
    return LinkResult(target.url, target.lines, prev.verdict, prev.status, prev.final_url, prev.error,
                      title_mismatch=arxiv.title_mismatch(target.title, extra.get("api_title")),
                      archived=bool(extra.get("archived")), new_repo=extra.get("new_repo"), cached=True)


def _apply_history(results: list[LinkResult], records: dict[str, UrlRecord], cached: dict[str, LinkResult],
                   run: _Run, settings: LinksSettings, history: History | None, now: float,
                   first_failure_is_broken: bool, warn: TextIO | None) -> None:
    """Streaks and flap suppression; then one transaction with every row and the run."""
    rows = []
    for result in results:
        prev = records.get(result.url)
        if result.url in cached:
            result.failures = 0
            continue
        if result.verdict == "broken":
            streak = prev is not None and prev.failures > 0 and prev.first_broken is not None
            failures = (prev.failures if streak else 0) + 1
            first = prev.first_broken if streak else now
        elif result.verdict == "unverifiable" and prev is not None:
            failures, first = prev.failures, prev.first_broken
        else:
            failures, first = 0, None
        result.failures = failures
        result.first_broken = _iso(first)
        if result.verdict == "broken":
            result.reported_broken = (first_failure_is_broken or history is None or (
                failures >= settings.flap_runs and now - (first or now) >= settings.flap_days * DAY))
        etag, modified = run.validators.get(result.url, (None, None))
        rows.append(UrlRecord(result.url, result.verdict, result.status, result.final_url, result.error,
                              etag, modified, first, failures, now, run.extra.get(result.url, {})))
    if history is not None:
        counts = {v: sum(1 for r in results if r.verdict == v) for v in ("ok", "broken", "unverifiable",
                                                                           "redirect")}
        try:
            history.save_run(rows, RunRecord(now, counts["ok"], counts["broken"], counts["unverifiable"],
                                             counts["redirect"]))
        except sqlite3.Error as exc:
            print(f"listkeeper: warning: could not save link history to {history.path}: {exc}; "
                  "this run is not recorded", file=warn or sys.stderr)
