"""Local fakes of Semantic Scholar, DBLP and OpenReview, answering as their documentation says
(loopback only, stopped in teardown). The arXiv API is the link farm's (linkfarm.py).

- Semantic Scholar, https://api.semanticscholar.org/api-docs/graph#tag/Paper-Data/operation/post_graph_get_papers
  ("Get details for multiple papers at once"): `POST /graph/v1/paper/batch?fields=...` with
  `{"ids": [...]}`, at most 500 ids (more is a 400), an array in the order of the ids with
  `null` for an unknown id; `fields` is a query parameter, only `paperId` and `title` without
  it. Rate limits, https://www.semanticscholar.org/product/api ("1 request per second" for an
  API key in `x-api-key`, a shared pool without): beyond them a 429 with
  `{"message": "Too Many Requests. ...", "code": "429"}` and no `Retry-After`
  (https://github.com/allenai/s2-folks/issues/218: "it doesn't tell me how long to wait").
- DBLP, https://dblp.org/faq/How+to+use+the+dblp+search+API.html: `GET /search/publ/api` with
  `q`, `format=json`, `h` (hits, at most 1000, default 30), `f`, `c`; the answer is
  `{"result": {"query", "status", "hits": {"@total", "@sent", "hit": [{"info": {...}}]}}}` with
  no `hit` when nothing matches; words match as prefixes. Rate limit, https://dblp.org/faq/1474706.html
  ("Am I allowed to crawl the dblp website?"): too many requests get "an empty document with a
  HTTP status 429 Too Many Requests" carrying `Retry-After` in seconds; "waiting for at least
  one or two second between two consecutive requests" is always fine.
- OpenReview, https://docs.openreview.net/reference/api-v2/entities/note: `GET /notes?id=...`
  answers `{"notes": [...], "count": n}`, content fields as `{"value": ...}`.
"""

from __future__ import annotations

import json
import re
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

S2_TOO_MANY = {"message": "Too Many Requests. Please wait and try again or apply for a key for higher "
                          "rate limits. https://www.semanticscholar.org/product/api#api-key-form",
               "code": "429"}


class Service(ThreadingHTTPServer):
    """A fake API: logs requests, refuses those that come sooner than its rate allows."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.log: list[dict] = []
        self.min_interval = 0.0   # the service's rate: requests sooner than this after the last get 429
        self.refuse_first = 0     # answer this many requests with 429 whatever their timing
        self.fail_first = 0       # ... and this many (after those) with 503
        self.retry_after: int | None = None  # seconds in Retry-After of a 429 (None: not sent)
        self.refused = 0
        self.violations: list[str] = []  # requests sent before a Retry-After had passed
        self._last = float("-inf")
        self._blocked_until = float("-inf")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def requests(self, prefix: str = "") -> list[dict]:
        return [e for e in self.log if e["path"].startswith(prefix)]

    def gate(self, entry: dict) -> int | None:
        """429 or 503 for this request, or None to answer it."""
        with self.lock:
            now = time.monotonic()
            self.log.append(entry)
            if now < self._blocked_until:
                self.violations.append(f"{entry['path']} {self._blocked_until - now:.2f}s early")
            soon = now - self._last < self.min_interval
            self._last = now
            if self.refuse_first > 0 or soon:
                self.refuse_first = max(0, self.refuse_first - 1)
                self.refused += 1
                if self.retry_after is not None:
                    self._blocked_until = now + self.retry_after
                entry["refused"] = 429
                return 429
            if self.fail_first > 0:
                self.fail_first -= 1
                entry["refused"] = 503
                return 503
        return None

    def answered(self) -> int:
        """Requests the service answered (not refused with 429 or failed with 503)."""
        return sum(1 for e in self.log if "refused" not in e)

    def answer(self, handler: _Handler, method: str, path: str, query: dict, body: bytes):
        raise NotImplementedError


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart
    server: Service

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        entry = {"method": method, "path": parts.path, "query": query, "body": body,
                 "headers": {k.lower(): v for k, v in self.headers.items()}, "t": time.monotonic()}
        refused = self.server.gate(entry)
        if refused == 429:
            self.server.too_many(self)
        elif refused == 503:
            self.send(503, b"<html><body>Service Unavailable</body></html>", "text/html")
        else:
            self.server.answer(self, method, parts.path, query, body)

    def send(self, status: int, body: bytes, kind: str = "application/json",
             headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def json(self, status: int, payload) -> None:
        self.send(status, json.dumps(payload).encode())


class SemanticScholar(Service):
    """`papers`: {"ARXIV:2305.14152": paper object with every field}."""

    def __init__(self) -> None:
        super().__init__()
        self.papers: dict[str, dict] = {}

    def batches(self) -> list[list[str]]:
        return [json.loads(e["body"])["ids"] for e in self.requests("/graph/v1/paper/batch")
                if e["method"] == "POST" and e["body"]]

    def too_many(self, handler: _Handler) -> None:
        handler.json(429, S2_TOO_MANY)  # no Retry-After: Semantic Scholar does not say

    def answer(self, handler, method, path, query, body) -> None:
        if path != "/graph/v1/paper/batch" or method != "POST":
            return handler.json(404, {"error": "Not found"})
        try:
            ids = json.loads(body)["ids"]
        except (ValueError, KeyError, TypeError):
            return handler.json(400, {"error": "Unacceptable request body"})
        if len(ids) > 500:
            return handler.json(400, {"error": "Too many ids. Max 500"})
        fields = [f for f in query.get("fields", "title").split(",") if f]
        out = []
        for ident in ids:
            prefix, _, rest = ident.partition(":")
            paper = self.papers.get(f"{prefix.upper()}:{rest}" if rest else ident)
            if paper is None:
                out.append(None)
                continue
            shown = {"paperId": paper.get("paperId", "0" * 40)}
            shown.update({f: paper.get(f) for f in fields})
            out.append(shown)
        handler.json(200, out)


class Dblp(Service):
    """`records`: the `info` objects of DBLP's search answers."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[dict] = []
        self.retry_after = 2

    def queries(self) -> list[str]:
        return [e["query"].get("q", "") for e in self.requests("/search/publ/api")]

    def too_many(self, handler: _Handler) -> None:
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
        handler.send(429, b"", "text/html", headers)  # "an empty document" with Retry-After

    def answer(self, handler, method, path, query, body) -> None:
        if path != "/search/publ/api":
            return handler.send(404, b"not found", "text/html")
        q = query.get("q", "")
        words = [w for w in re.split(r"\s+", q.lower()) if w]
        hits = []
        for i, info in enumerate(self.records):
            title_words = re.findall(r"[a-z0-9]+", info.get("title", "").lower())
            if words and all(any(t.startswith(w) for t in title_words) for w in words):
                hits.append({"@score": "7", "@id": str(1000 + i), "info": info, "url": f"URL#{1000 + i}"})
        size = min(int(query.get("h", "30")), 1000)
        first = int(query.get("f", "0"))
        sent = hits[first:first + size]
        found = {"@total": str(len(hits)), "@computed": str(len(hits)), "@sent": str(len(sent)),
                 "@first": str(first)}
        if sent:
            found["hit"] = sent
        if query.get("format") != "json":
            return handler.send(200, b"<result/>", "application/xml")
        handler.json(200, {"result": {
            "query": q + "*", "status": {"@code": "200", "text": "OK"},
            "time": {"@unit": "msecs", "text": "1.23"},
            "completions": {"@total": "0", "@computed": "0", "@sent": "0"}, "hits": found}})


class OpenReview(Service):
    """`notes`: {id: note object}."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: dict[str, dict] = {}

    def too_many(self, handler: _Handler) -> None:
        handler.json(429, {"name": "RateLimitError", "message": "Too many requests"})

    def answer(self, handler, method, path, query, body) -> None:
        if path != "/notes":
            return handler.json(404, {"name": "NotFoundError"})
        note = self.notes.get(query.get("id", ""))
        handler.json(200, {"notes": [note] if note else [], "count": 1 if note else 0})


def s2_paper(arxiv_id: str, title: str, *, venue: str = "", full: str = "", short: str = "",
             year: int | None = None, kind: str = "conference", doi: str | None = None,
             dblp: str | None = None, date: str | None = None) -> dict:
    """A paper object as the batch endpoint returns it with every field asked for."""
    external = {"ArXiv": arxiv_id, "CorpusId": zlib.crc32(arxiv_id.encode()) % 10**8}
    if doi:
        external["DOI"] = doi
    if dblp:
        external["DBLP"] = dblp
    venue_info = None
    if full:
        venue_info = {"id": "00000000-0000-0000-0000-" + f"{zlib.crc32(full.encode()):012d}", "name": full,
                      "type": kind, "alternate_names": [short] if short else [], "url": "https://example.org"}
    elif not venue:
        venue, venue_info = "arXiv.org", {"id": "1901e811-ee72-4b20-8f7e-de08cd395a10", "name": "arXiv.org",
                                          "alternate_names": ["ArXiv"], "issn": "2331-8422",
                                          "url": "https://arxiv.org"}
    return {"paperId": f"{zlib.crc32(title.encode()):040x}", "title": title, "venue": venue or full,
            "publicationVenue": venue_info, "year": year, "externalIds": external,
            "publicationDate": date}


def dblp_record(title: str, venue: str, year: int, key: str, *, kind: str = "Conference and Workshop Papers",
                ee: str | list | None = None, doi: str | None = None) -> dict:
    """A hit's `info` as DBLP's search answers it (the title ends with a full stop)."""
    info = {"authors": {"author": [{"@pid": "01/234", "text": "A. Author"}, {"@pid": "56/789", "text": "B. Author"}]},
            "title": title.rstrip(".") + ".", "venue": venue, "year": str(year), "type": kind,
            "access": "open", "key": key, "url": f"https://dblp.org/rec/{key}"}
    if doi:
        info["doi"] = doi
    if ee:
        info["ee"] = ee
    return info


def corr_record(title: str, arxiv_id: str, year: int) -> dict:
    """DBLP's own record of an arXiv preprint: not a venue."""
    return dblp_record(title, "CoRR", year, f"journals/corr/abs-{arxiv_id.replace('.', '-')}",
                       kind="Informal and Other Publications", ee=f"https://doi.org/10.48550/arXiv.{arxiv_id}",
                       doi=f"10.48550/ARXIV.{arxiv_id}")


@dataclass
class Scholar:
    s2: SemanticScholar
    dblp: Dblp
    openreview: OpenReview

    def links(self, farm=None) -> dict:
        """The `links:` settings that send every lookup here (and arXiv to the link farm)."""
        out = {"semantic_scholar_api": f"{self.s2.base}/graph/v1/paper/batch",
               "semantic_scholar_interval": 0.0, "dblp_api": f"{self.dblp.base}/search/publ/api",
               "dblp_interval": 0.0, "openreview_api": f"{self.openreview.base}/notes",
               "timeout_connect": 2.0, "timeout_read": 2.0, "retries": 3, "backoff_base": 0.05}
        if farm is not None:
            out.update(arxiv_api=f"{farm.base}/arxiv/api", arxiv_interval=0.0, arxiv_margin=0.0,
                       github_api=f"{farm.base}/graphql", doi_api=f"{farm.base}/doi/")
        return out


def _start(server: Service) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def scholar() -> Iterator[Scholar]:
    servers = Scholar(SemanticScholar(), Dblp(), OpenReview())
    for server in (servers.s2, servers.dblp, servers.openreview):
        _start(server)
    try:
        yield servers
    finally:
        for server in (servers.s2, servers.dblp, servers.openreview):
            server.shutdown()
            server.server_close()
