"""DBLP's publication search, asked by title: the venue and year of a published version.

`GET /search/publ/api?q=<title words>&format=json&h=10&c=0` answers
`{"result": {"hits": {"@total": "2", "hit": [{"info": {"title", "venue", "year", "type",
"key", "doi", "ee", ...}}]}}}` (no `hit` when nothing matched). CoRR records ("Informal and
Other Publications", formerly "Informal Publications"; keys `journals/corr/...`) are arXiv's
own and say nothing of a venue: they are skipped, and so are editorships and books. One request
per paper, one at a time, `dblp_interval` apart; a 429 (an HTML page, maybe with
`Retry-After`) holds the host.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from bot import ids
from bot.links.http import LinkError, host_key
from bot.links.jobs import RetryingJob
from bot.links.results import PaperTarget, Sighting
from bot.links.settings import HostLimit

NAME = "dblp"
HITS = 10
INFORMAL = ("informal and other publications", "informal publications")
KINDS = {"conference and workshop papers": "conference", "journal articles": "journal"}
MIN_QUERY = 12  # characters of a title: shorter ones match too much to tell


def query_of(title: str) -> str | None:
    """The search words of a title: its words without punctuation (which DBLP's query syntax
    reads as operators: `|` or, `-` not, `$` exact)."""
    words = ids.normalize_title(title)
    return words if len(words) >= MIN_QUERY else None


def claim(paper: PaperTarget, run) -> str | None:
    return query_of(paper.title) if paper.title else None


def key(ident: str, run) -> str:
    return host_key(run.settings.dblp_api)


def cost(count: int, key: str, run) -> float:
    return count * max(0.5, run.settings.dblp_interval)


def jobs(groups: dict[str, list[PaperTarget]], run) -> list:
    run.politeness.tighten(key("", run), HostLimit(1, run.settings.dblp_interval))
    return [SearchJob(run, query, papers) for query, papers in groups.items()]


def _first(value) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    return value if isinstance(value, str) else ""


def _links(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def sighting(info: dict) -> Sighting | None:
    """A hit's record as a sighting; None for CoRR, books and editorships."""
    kind = KINDS.get(str(info.get("type") or "").strip().lower())
    record_key = str(info.get("key") or "")
    venue = _first(info.get("venue"))
    if kind is None or record_key.startswith("journals/corr/") or venue.lower() == "corr":
        return None
    year = str(info.get("year") or "")
    links = _links(info.get("ee"))
    arxiv = next((ids.arxiv_id(u) for u in links if ids.arxiv_id(u)), None)
    published = [u for u in links if not ids.arxiv_id(u)]
    written = str(info.get("doi") or "")
    doi = written.lower() or None
    stream = re.match(r"^(?:conf|journals)/([a-z0-9]+)/", record_key)
    names = [stream.group(1)] if stream else []
    title = str(info.get("title") or "").strip().rstrip(".")
    return Sighting(NAME, venue=venue, names=names, year=int(year) if year.isdigit() else None,
                    title=title or None, doi=doi if doi and doi.startswith("10.") else None,
                    url=(f"https://doi.org/{written}" if doi and doi.startswith("10.") else None)
                    or (published[0] if published else None),
                    kind=kind, arxiv_id=arxiv)


def parse_answer(body: bytes) -> list[Sighting] | None:
    """The publications of an answer (CoRR records left out), or None when it is not one."""
    try:
        data = json.loads(body.decode("utf-8"))
        hits = data["result"]["hits"]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        return None
    if not isinstance(hits, dict):
        return None
    found = hits.get("hit") or []
    if isinstance(found, dict):
        found = [found]
    out = []
    for hit in found if isinstance(found, list) else []:
        info = hit.get("info") if isinstance(hit, dict) else None
        if isinstance(info, dict):
            seen = sighting(info)
            if seen is not None:
                out.append(seen)
    return out


class SearchJob(RetryingJob):
    """One title search."""

    def __init__(self, run, query: str, papers: list[PaperTarget]) -> None:
        super().__init__(run, key(query, run))
        self.query = query
        self.papers = papers

    def _finish(self, found: list[Sighting] | None, error: str | None = None) -> bool:
        for paper in self.papers:
            self.run.put_paper(paper, NAME, found, error)
        return True

    def give_up(self, reason: str) -> None:
        self._finish(None, f"DBLP: {reason}")

    def step(self, slot) -> bool:
        s = self.run.settings
        url = f"{s.dblp_api}?{urlencode({'q': self.query, 'format': 'json', 'h': HITS, 'c': 0})}"
        self.run.count_api(NAME)
        try:
            answer = self.run.fetcher.attempt("GET", url, slot, cap=4 << 20)
        except LinkError as exc:
            if self.retry(error=exc):
                return False
            return self._finish(None, f"DBLP: {exc.error}")
        if self.retry(answer=answer):
            return False
        if answer.status != 200:
            return self._finish(None, f"DBLP: HTTP {answer.status}")
        found = parse_answer(answer.body)
        if found is None:
            return self._finish(None, "DBLP: an answer that is not a search result")
        return self._finish(found)
