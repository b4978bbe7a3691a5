"""Web pages: HEAD (GET when refused), redirects followed one hop per step, soft 404s.

The host type that claims every http(s) URL no other host type claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

from bot.links.http import BROKEN_STATUS, HEAD_REFUSED, PERMANENT, Answer, LinkError, host_key
from bot.links.jobs import RetryingJob
from bot.links.politeness import UNKNOWN_LATENCY, Slot
from bot.links.results import LinkResult, LinkTarget

NAME = "pages"

SEARCH_PATH = re.compile(r"(^|/)(search|find|results?)(/|\.|$)", re.I)
SEARCH_KEYS = {"q", "query", "search", "s", "keyword", "keywords", "term"}
HEAD_FALLBACK = HEAD_REFUSED | BROKEN_STATUS | {500}
INDEX_PAGE = re.compile(r"^/?((index|default|home)(\.\w+)?)?/?$", re.I)


@dataclass
class PageResult:
    verdict: str
    status: int | None = None
    final_url: str | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    landing: str | None = None  # where the redirects ended, whatever the verdict


def claim(url: str, run) -> str | None:
    from bot.links import github_api

    repo = github_api.github_repo(url)
    if repo is not None and github_api.is_badge(url):
        return f"{run.settings.github_web.rstrip('/')}/{repo}"  # a badge is checked as its repository
    return url


def key(ident: str, run) -> str:
    return host_key(ident)


def cost(count: int, key: str, run) -> float:
    """Requests / concurrency x an answer time we do not know yet, or the stated interval."""
    limit = run.settings.limit_for(key)
    return count * max(UNKNOWN_LATENCY / max(1, limit.concurrency), limit.min_interval)


def jobs(groups: dict[str, list[LinkTarget]], run) -> list:
    return [PageJob(run, url, targets) for url, targets in groups.items()]


def soft_404(source: str, landing: str) -> str | None:
    """Why a deep link that ended at `landing` is a soft 404, or None.

    The front page of a site (this one or another) or a search page stands in for a page
    that is gone; an index page, a trailing slash or a path that keeps going are not that.
    """
    src, dst = urlsplit(source), urlsplit(landing)
    if INDEX_PAGE.match(src.path) and not src.query:
        return None  # the source was a front page itself
    if INDEX_PAGE.match(dst.path) and not dst.query:
        return "redirects to the front page"
    query = {k.lower() for k in parse_qs(dst.query)}
    if (SEARCH_PATH.search(dst.path) or query & SEARCH_KEYS) and not SEARCH_PATH.search(src.path):
        return "redirects to a search page"
    return None


class PageJob(RetryingJob):
    """One page check: a request per step, the next hop re-queued under its own host."""

    def __init__(self, run, url: str, targets: list[LinkTarget]) -> None:
        super().__init__(run, host_key(url))
        self.url = url
        self.targets = targets
        prev = run.records.get(url)
        self.etag = prev.etag if prev else None
        self.modified = prev.last_modified if prev else None
        self.current = url
        self.hop = 0
        self.method = self._method()
        self.head_status: int | None = None
        self.permanent_target: str | None = None
        self.permanent_prefix = True
        self.seen = {url}
        self.last_status: int | None = None

    def _method(self) -> str:
        return "GET" if self.key in self.run.fetcher.head_refused else "HEAD"

    def give_up(self, reason: str) -> None:
        self._finish(PageResult("unverifiable", self.last_status, None, reason))

    def step(self, slot: Slot) -> bool:
        if self.method == "HEAD" and self.key in self.run.fetcher.head_refused:
            self.method = "GET"  # the host refused HEAD meanwhile
        headers = {}
        if self.hop == 0 and self.etag:
            headers["If-None-Match"] = self.etag
        if self.hop == 0 and self.modified:
            headers["If-Modified-Since"] = self.modified
        try:
            answer = self.run.fetcher.attempt(self.method, self.current, slot, headers=headers)
        except LinkError as exc:
            if self.retry(error=exc):
                return False
            return self._finish(PageResult(exc.verdict, exc.status, self.current if self.hop else None,
                                           exc.error))
        self.last_status = answer.status
        if self.method == "HEAD" and not answer.refused and answer.status in HEAD_FALLBACK:
            # refused, or an answer a GET must confirm: some servers mishandle HEAD (404, 500)
            return self._head_refused(answer)
        if self.retry(answer=answer):  # a refusal: the host is held, this URL waits with it
            return False
        if answer.refused:
            return self._finish(PageResult("unverifiable", answer.status, None,
                                           f"HTTP {answer.status}: still rate limited after retries"))
        if answer.transient:
            return self._finish(PageResult("unverifiable", answer.status, None,
                                           f"HTTP {answer.status} persisted after retries"))
        self.attempts = 0
        if answer.status == 403 and self.method == "GET" and (self.head_status == 403
                                                              or self.run.fetcher.blocks_bots(self.key)):
            self.run.politeness.block(self.key, "blocks bots: 403 to both HEAD and GET")
            return self._finish(PageResult("unverifiable", 403, None, "403: host blocks bots"))
        location = answer.headers.get("location")
        if 300 <= answer.status < 400 and answer.status != 304 and location:
            return self._redirect(answer, location)
        return self._finish(self._final(answer))

    def _head_refused(self, answer: Answer) -> bool:
        if answer.status == 403 and self.run.fetcher.blocks_bots(self.key):
            self.run.politeness.block(self.key, "blocks bots: 403 from a host listed in blocking_hosts")
            return self._finish(PageResult("unverifiable", 403, None, "403: host blocks bots"))
        if answer.status in (405, 501):
            with self.run.fetcher.lock:
                self.run.fetcher.head_refused.add(self.key)
        self.head_status = answer.status
        self.method = "GET"
        self.not_before = 0.0
        return False

    def _redirect(self, answer: Answer, location: str) -> bool:
        try:
            target = urljoin(self.current, location.strip())
            scheme = urlsplit(target).scheme
        except ValueError:
            return self._finish(PageResult("broken", answer.status, None, "malformed redirect Location"))
        if scheme not in ("http", "https"):
            return self._finish(PageResult("unverifiable", answer.status, target, "redirect to a non-http URL"))
        if answer.status in PERMANENT and self.permanent_prefix:
            self.permanent_target = target
        else:
            self.permanent_prefix = False
        if target in self.seen:
            return self._finish(PageResult("broken", answer.status, target, "redirect loop"))
        if self.hop >= self.run.settings.max_redirects:
            return self._finish(PageResult("broken", None, target,
                                           f"too many redirects (>{self.run.settings.max_redirects})"))
        self.seen.add(target)
        self.current = target
        self.key = host_key(target)
        self.hop += 1
        self.method = self._method()
        self.head_status = None
        self.not_before = 0.0
        return False

    def _final(self, answer: Answer) -> PageResult:
        status, hops = answer.status, self.hop
        etag = answer.headers.get("etag") if hops == 0 else None
        modified = answer.headers.get("last-modified") if hops == 0 else None
        landing = self.current if hops else None
        if 200 <= status < 300 or status == 304:
            if hops:
                why = soft_404(self.url, self.current)
                if why is None and self._dead_service():
                    why = "a dead service: its links lead elsewhere"
                if why:
                    return PageResult("soft-404", status, self.current, why, landing=landing)
            if self.permanent_target and self.permanent_target != self.url:
                return PageResult("redirect", status, self.permanent_target, None, etag, modified, landing)
            return PageResult("ok", status, landing, None, etag, modified, landing)
        if status in BROKEN_STATUS:
            return PageResult("broken", status, landing, f"HTTP {status}", landing=landing)
        return PageResult("unverifiable", status, landing, f"HTTP {status}", landing=landing)

    def _dead_service(self) -> bool:
        source = (urlsplit(self.url).hostname or "").lower()
        return source in self.run.settings.dead_hosts and \
            (urlsplit(self.current).hostname or "").lower() != source

    def _finish(self, page: PageResult) -> bool:
        run = self.run
        prev = run.records.get(self.url)
        run.validators[self.url] = (page.etag or (prev.etag if prev and page.status == 304 else None),
                                    page.last_modified)
        if page.landing:
            run.landings[self.url] = page.landing
        for target in self.targets:
            # a badge checked through its repository page has no final URL of its own
            final = page.final_url if target.url == self.url else None
            run.put(target, LinkResult(target.url, target.lines, page.verdict, page.status, final,
                                       page.error))
        return True
