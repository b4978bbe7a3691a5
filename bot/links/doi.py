"""DOI links checked as registered handles at the DOI handle API, never via the publisher."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from bot.links.http import LinkError, host_key
from bot.links.jobs import RetryingJob
from bot.links.politeness import UNKNOWN_LATENCY
from bot.links.results import LinkResult, LinkTarget

HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


@dataclass
class DoiResult:
    verdict: str
    status: int | None = None
    error: str | None = None


def doi_from_url(url: str) -> str | None:
    """The DOI of a doi.org URL ("10.1145/3290605"), else None."""
    if "doi.org" not in url.lower():
        return None  # most URLs of a list: no need to split them
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in HOSTS:
        return None
    doi = unquote(parts.path.lstrip("/"))
    return doi if DOI_RE.match(doi) else None


NAME = "doi"


def claim(url: str, run) -> str | None:
    return doi_from_url(url)


def key(ident: str, run) -> str:
    return host_key(run.settings.doi_api)


def cost(count: int, key: str, run) -> float:
    limit = run.settings.limit_for(key)
    return count * max(UNKNOWN_LATENCY / max(1, limit.concurrency), limit.min_interval)


def jobs(groups: dict[str, list[LinkTarget]], run) -> list:
    return [DoiJob(run, doi, targets) for doi, targets in groups.items()]


class DoiJob(RetryingJob):
    """One handle lookup: responseCode 1 (or 200, a handle without values) is ok; 100 is not
    registered."""

    def __init__(self, run, doi: str, targets: list[LinkTarget]) -> None:
        super().__init__(run, key(doi, run))
        self.doi = doi
        self.targets = targets

    def give_up(self, reason: str) -> None:
        self._finish(DoiResult("unverifiable", None, f"DOI API: {reason}"))

    def _finish(self, res: DoiResult) -> bool:
        for target in self.targets:
            self.run.put(target, LinkResult(target.url, target.lines, res.verdict, res.status, None, res.error))
        return True

    def step(self, slot) -> bool:
        s = self.run.settings
        try:
            answer = self.run.fetcher.attempt("GET", s.doi_api + quote(self.doi, safe="/"), slot, cap=1 << 20)
        except LinkError as exc:
            if self.retry(error=exc):
                return False
            verdict = exc.verdict if exc.verdict != "broken" else "unverifiable"
            return self._finish(DoiResult(verdict, exc.status, f"DOI API: {exc.error}"))
        if self.retry(answer=answer):
            return False
        try:
            code = json.loads(answer.body.decode("utf-8", "replace")).get("responseCode")
        except (ValueError, AttributeError):
            code = None
        if code in (1, 200):
            return self._finish(DoiResult("ok", answer.status))
        if code == 100 or (answer.status == 404 and code is None):
            return self._finish(DoiResult("broken", answer.status, "DOI not registered"))
        return self._finish(DoiResult("unverifiable", answer.status,
                                      f"DOI API: HTTP {answer.status}, responseCode {code}"))
