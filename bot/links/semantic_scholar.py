"""Semantic Scholar's paper batch endpoint: what it knows of up to 500 papers in one request.

`POST /graph/v1/paper/batch?fields=...` with `{"ids": ["ARXIV:2402.04291", ...]}` answers a
JSON array in the order of the ids, `null` for an id it does not know. The fields asked are the
venue (`venue`, and `publicationVenue` with its other names), `year`, `publicationDate`,
`title` and `externalIds` (DOI, ArXiv, DBLP key). An API key (`SEMANTIC_SCHOLAR_API_KEY`) goes
in the `x-api-key` header; without one the requests share the public pool. Either way the host
gets one request at a time, `semantic_scholar_interval` apart (a key's introductory rate is
one request a second), and a 429, which Semantic Scholar sends without `Retry-After`, holds the
host with a growing back-off (bot.links.politeness).
"""

from __future__ import annotations

import json
import re

from bot.links.http import LinkError, host_key
from bot.links.jobs import RetryingJob
from bot.links.results import PaperTarget, Sighting
from bot.links.settings import HostLimit

NAME = "semantic-scholar"
FIELDS = "title,venue,publicationVenue,year,publicationDate,externalIds"
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.", re.I)


def claim(paper: PaperTarget, run) -> str | None:
    if paper.arxiv_id:
        return f"ARXIV:{paper.arxiv_id}"
    if paper.doi:
        return f"DOI:{paper.doi}"
    return None


def key(ident: str, run) -> str:
    return host_key(run.settings.semantic_scholar_api)


def cost(count: int, key: str, run) -> float:
    s = run.settings
    return -(-count // max(1, s.semantic_scholar_batch)) * max(1.0, s.semantic_scholar_interval)


def jobs(groups: dict[str, list[PaperTarget]], run) -> list:
    s = run.settings
    run.politeness.tighten(key("", run), HostLimit(1, s.semantic_scholar_interval))
    idents = list(groups)
    size = max(1, min(500, s.semantic_scholar_batch))
    return [BatchJob(run, idents[i:i + size], groups) for i in range(0, len(idents), size)]


def sighting(paper: dict) -> Sighting:
    """What one paper object of the answer says."""
    external = paper.get("externalIds") if isinstance(paper.get("externalIds"), dict) else {}
    venue_info = paper.get("publicationVenue") if isinstance(paper.get("publicationVenue"), dict) else {}
    names = [str(venue_info["name"])] if venue_info.get("name") else []
    names += [str(n) for n in venue_info.get("alternate_names") or [] if isinstance(n, str)]
    dblp = str(external.get("DBLP") or "")
    stream = re.match(r"^(?:conf|journals)/([a-z0-9]+)/", dblp)
    if stream and stream.group(1) != "corr":
        names.append(stream.group(1))  # conf/nips/...: the DBLP stream S2 links the paper to
    doi = str(external.get("DOI") or "") or None
    year = paper.get("year")
    kind = str(venue_info.get("type") or "").lower()
    return Sighting(
        NAME, venue=str(paper.get("venue") or ""), names=names[:12],
        year=year if isinstance(year, int) else None, title=paper.get("title") or None,
        doi=doi.lower() if doi else None,
        url=f"https://doi.org/{doi}" if doi and not ARXIV_DOI.match(doi) else None,
        kind="conference" if "conference" in kind else "journal" if "journal" in kind else "",
        date=str(paper.get("publicationDate") or "")[:10] or None,
        arxiv_id=str(external.get("ArXiv") or "") or None)


def parse_answer(idents: list[str], body: bytes) -> dict[str, list[Sighting]] | None:
    """{ident: its sightings (none for null)}, or None when the answer is not the array."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, list) or len(data) != len(idents):
        return None
    return {ident: [sighting(item)] if isinstance(item, dict) else []
            for ident, item in zip(idents, data, strict=True)}


class BatchJob(RetryingJob):
    """One request for up to `semantic_scholar_batch` papers."""

    def __init__(self, run, idents: list[str], groups: dict[str, list[PaperTarget]]) -> None:
        super().__init__(run, key("", run))
        self.idents = idents
        self.groups = groups

    def _finish(self, found: dict[str, list[Sighting]] | None, error: str | None = None) -> bool:
        for ident in self.idents:
            for paper in self.groups[ident]:
                self.run.put_paper(paper, NAME, None if found is None else found[ident], error)
        return True

    def give_up(self, reason: str) -> None:
        self._finish(None, f"Semantic Scholar: {reason}")

    def step(self, slot) -> bool:
        s = self.run.settings
        headers = {"Content-Type": "application/json"}
        if self.run.s2_key:
            headers["x-api-key"] = self.run.s2_key
        body = json.dumps({"ids": self.idents}).encode()
        self.run.count_api(NAME)
        try:
            answer = self.run.fetcher.attempt("POST", f"{s.semantic_scholar_api}?fields={FIELDS}", slot,
                                              headers=headers, data=body, cap=16 << 20)
        except LinkError as exc:
            if self.retry(error=exc):
                return False
            return self._finish(None, f"Semantic Scholar: {exc.error}")
        if self.retry(answer=answer):
            return False
        if answer.status != 200:
            return self._finish(None, f"Semantic Scholar: HTTP {answer.status}")
        found = parse_answer(self.idents, answer.body)
        if found is None:
            return self._finish(None, "Semantic Scholar: an answer that is not one paper per id")
        return self._finish(found)
