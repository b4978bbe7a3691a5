"""Local misbehaving servers for the link checker tests (loopback only, stopped in teardown).

Imported by the tests as `linkfarm`; conftest.py registers its fixtures.
"""

from __future__ import annotations

import email.utils
import itertools
import json
import math
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from bot.links.settings import LinksSettings

HUGE_SIZE = 64 << 20
# the archives of old-style arXiv identifiers (arXiv's own list; "hepth" is not one of them)
OLD_ARCHIVES = ("acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|"
                "comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math|math-ph|"
                "mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|"
                "solv-int|supr-con")


class Farm(ThreadingHTTPServer):
    """An HTTP server whose routes misbehave on purpose and which logs every request."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 drops connections of a busy test as SYN timeouts

    def __init__(self, host: str = "127.0.0.1", latency: float = 0.0) -> None:
        super().__init__((host, 0), Handler)
        self.host = host
        self.latency = latency
        self.lock = threading.Lock()
        self.log: list[dict] = []
        self.active = 0
        self.max_active = 0
        self.counters: Counter = Counter()
        self.not_before: dict[str, float] = {}
        self.violations: list[str] = []
        self.papers: dict[str, str] = {}
        # what the arXiv API says beyond the title (https://info.arxiv.org/help/api/user-manual.html,
        # "Extension elements": <arxiv:journal_ref>, <arxiv:doi>), and each paper's first version date
        self.journal_refs: dict[str, str] = {}
        self.arxiv_dois: dict[str, str] = {}
        self.published: dict[str, str] = {}
        self.repos: dict[str, tuple[str, bool]] = {}
        self.dois: set[str] = set()
        self.huge_sent = 0
        self.arxiv_batches: list[int] = []
        self.limit: int | None = None  # an unstated limit: 429 beyond it
        self.refused = 0
        self.arxiv_statuses: list[int] = []
        self.graphql_auth: list[str | None] = []
        self.graphql_secondary = 0  # answer this many GraphQL requests with a secondary limit

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.server_address[1]}"

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.server_address[1]}"

    def starts(self, prefix: str = "") -> list[float]:
        return sorted(e["t"] for e in self.log if e["path"].startswith(prefix))

    def paths(self) -> list[str]:
        return [e["path"] for e in self.log]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Farm

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        farm = self.server
        self._counted_out = False  # one handler serves every request of a keep-alive connection
        now = time.time()
        path = self.path
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with farm.lock:
            farm.active += 1
            farm.max_active = max(farm.max_active, farm.active)
            key = urlsplit(path).path
            if key in farm.not_before and now < farm.not_before[key]:
                farm.violations.append(f"{method} {path} {farm.not_before[key] - now:.3f}s early")
            farm.log.append({"t": time.monotonic(), "wall": now, "method": method, "path": path,
                             "headers": dict(self.headers)})
            farm.counters[key] += 1
            count = farm.counters[key]
            over = farm.limit is not None and farm.active > farm.limit
            if over:
                farm.refused += 1
        try:
            if farm.latency:
                time.sleep(farm.latency)
            if over:
                self._send(429, b"too many requests", {"Retry-After": "0"})
            else:
                self._route(method, path, body, count)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self._done()

    def _done(self) -> None:
        farm = self.server
        with farm.lock:
            if not getattr(self, "_counted_out", False):
                farm.active -= 1
                self._counted_out = True

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        # leave the active window before answering, so a client reusing its slot right after the
        # answer never looks like a concurrency violation
        self._done()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self, method: str, path: str, body: bytes, count: int) -> None:
        farm = self.server
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        p = parts.path
        if p.startswith("/ok") or p == "/":
            self._send(200, b"hello")
        elif p.startswith("/slow"):
            time.sleep(float(query.get("s", ["0.2"])[0]))
            self._send(200, b"slow")
        elif m := re.match(r"^/status/(\d+)", p):
            self._send(int(m.group(1)), b"status")
        elif m := re.match(r"^/ratelimit/(secs|date|reset)/(\w+)", p):
            times = int(query.get("n", ["1"])[0])
            wait = float(query.get("wait", ["1"])[0])
            if count <= times:
                if m.group(1) == "secs":
                    until, headers = time.time() + wait, {"Retry-After": str(int(wait))}
                elif m.group(1) == "date":
                    until = math.ceil(time.time()) + wait
                    headers = {"Retry-After": email.utils.formatdate(until, usegmt=True)}
                else:
                    until = math.ceil(time.time() + wait)
                    headers = {"X-RateLimit-Reset": str(int(until)), "X-RateLimit-Remaining": "0"}
                with farm.lock:
                    farm.not_before[p] = max(farm.not_before.get(p, 0), until)
                self._send(429, b"slow down", headers)
            else:
                self._send(200, b"ok now")
        elif p.startswith("/flaky503"):
            self._send(503 if count <= int(query.get("n", ["1"])[0]) else 200, b"x")
        elif m := re.match(r"^/redirect/(\d{3})/(\d+)$", p):
            code, n = int(m.group(1)), int(m.group(2))
            target = "/ok/final" if n <= 1 else f"/redirect/{code}/{n - 1}"
            self._send(code, b"", {"Location": target})
        elif p.startswith("/search"):
            self._send(200, b"search results")
        elif p == "/index.html":
            self._send(301, b"", {"Location": "/"})
        elif p.startswith("/soft/front/"):
            self._send(302, b"", {"Location": "/"})
        elif p.startswith("/soft/lookup/"):
            self._send(302, b"", {"Location": "/search?q=" + p.rsplit("/", 1)[-1]})
        elif p == "/redirect-to":
            self._send(302, b"", {"Location": unquote(query["u"][0])})
        elif m := re.match(r"^/mixed/(\d+)$", p):
            self._send(301 if m.group(1) == "1" else 302, b"",
                       {"Location": "/mixed/2" if m.group(1) == "1" else "/ok/mixed"})
        elif m := re.match(r"^/loop/(a|b)$", p):
            self._send(301, b"", {"Location": "/loop/b" if m.group(1) == "a" else "/loop/a"})
        elif m := re.match(r"^/chain/(\d+)$", p):
            self._send(302, b"", {"Location": f"/chain/{int(m.group(1)) + 1}"})
        elif p.startswith("/nohead"):
            self._send(405 if method == "HEAD" else 200, b"get only")
        elif p.startswith("/forbidden"):
            self._send(403, b"no bots")
        elif p.startswith("/etag"):
            if self.headers.get("If-None-Match") == '"v1"':
                self._send(304, b"", {"ETag": '"v1"'})
            else:
                self._send(200, b"tagged", {"ETag": '"v1"'})
        elif p.startswith("/huge"):
            self._huge(method)
        elif p.startswith("/reset"):
            self._done()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
        elif p.startswith("/arxiv/api"):
            self._arxiv(query)
        elif p.startswith("/graphql"):
            self._graphql(body)
        elif p.startswith("/doi/"):
            doi = unquote(p[len("/doi/"):])
            if doi in farm.dois:
                self._send(200, json.dumps({"responseCode": 1, "handle": doi}).encode())
            else:
                self._send(404, json.dumps({"responseCode": 100, "handle": doi}).encode())
        else:
            self._send(404, b"no such route")

    def _huge(self, method: str) -> None:
        if method == "HEAD":
            self._send(405)
            return
        self._done()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
        self.send_response(200)
        self.send_header("Content-Length", str(HUGE_SIZE))
        self.end_headers()
        chunk = b"x" * 65536
        try:
            for _ in range(HUGE_SIZE // len(chunk)):
                self.wfile.write(chunk)
                with self.server.lock:
                    self.server.huge_sent += len(chunk)
        except OSError:
            pass
        self.close_connection = True

    def _arxiv(self, query: dict) -> None:
        """The arXiv API's Atom format: one entry per known id, an Error entry for malformed ids."""
        farm = self.server
        ids = [i for i in query.get("id_list", [""])[0].split(",") if i]
        with farm.lock:
            farm.arxiv_batches.append(len(ids))
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                '  <link href="http://arxiv.org/api/query?id_list=x" rel="self" type="application/atom+xml"/>\n'
                '  <title type="html">ArXiv Query: id_list</title>\n'
                '  <id>http://arxiv.org/api/abc</id>\n  <updated>2024-02-08T00:00:00-05:00</updated>\n')
        bad = [i for i in ids if not re.match(rf"^(\d{{4}}\.\d{{4,5}}|({OLD_ARCHIVES})(\.[A-Z]{{2}})?/\d{{7}})(v\d+)?$", i)]
        entries = []
        if bad:
            entries.append(f"  <entry>\n    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{bad[0]}</id>\n"
                           "    <title>Error</title>\n"
                           f"    <summary>incorrect id format for {bad[0]}</summary>\n"
                           "    <author><name>arXiv api core</name></author>\n  </entry>\n")
        else:
            for ident in ids:
                base = re.sub(r"v\d+$", "", ident)
                if base in farm.papers:
                    version = ident[len(base):] or "v2"
                    title = farm.papers[base]
                    words = title.split()
                    wrapped = " ".join(words[:3]) + ("\n  " + " ".join(words[3:]) if len(words) > 3 else "")
                    wrapped = wrapped.replace("&", "&amp;").replace("<", "&lt;")
                    published = farm.published.get(base, "2024-02-06")
                    extension = "".join(
                        f'    <arxiv:{tag} xmlns:arxiv="http://arxiv.org/schemas/atom">{value}</arxiv:{tag}>\n'
                        for tag, value in (("journal_ref", farm.journal_refs.get(base)),
                                           ("doi", farm.arxiv_dois.get(base))) if value)
                    entries.append(
                        f"  <entry>\n    <id>http://arxiv.org/abs/{base}{version}</id>\n"
                        "    <updated>2024-02-06T18:59:59Z</updated>\n"
                        f"    <published>{published}T18:59:59Z</published>\n"
                        f"    <title>{wrapped}</title>\n    <summary>  Abstract.\n</summary>\n{extension}"
                        "    <author>\n      <name>A. Author</name>\n    </author>\n"
                        f'    <link href="http://arxiv.org/abs/{base}{version}" rel="alternate" type="text/html"/>\n'
                        "  </entry>\n")
        total = (f'  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
                 f"{len(entries)}</opensearch:totalResults>\n")
        # arXiv answers a malformed id with an error feed for the whole batch and HTTP 400
        with farm.lock:
            farm.arxiv_statuses.append(400 if bad else 200)
        self._send(400 if bad else 200, (head + total + "".join(entries) + "</feed>\n").encode(),
                   {"Content-Type": "application/atom+xml; charset=utf-8"})

    def _graphql(self, body: bytes) -> None:
        farm = self.server
        with farm.lock:
            farm.graphql_auth.append(self.headers.get("Authorization"))
            secondary = farm.graphql_secondary > 0
            farm.graphql_secondary -= 1
        if secondary:
            # GitHub's secondary rate limit: 403 with retry-after, the primary quota far from spent
            # (https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api)
            self._send(403, b'{"message": "You have exceeded a secondary rate limit"}',
                       {"Retry-After": "1", "X-RateLimit-Remaining": "4999",
                        "X-RateLimit-Reset": str(int(time.time()) + 3599)})
            return
        query = json.loads(body)["query"]
        data, errors = {}, []
        for alias, owner, name in re.findall(r'(r\d+): repository\(owner: "([^"]+)", name: "([^"]+)"\)', query):
            found = farm.repos.get(f"{owner}/{name}".lower())
            if found is None:
                data[alias] = None
                errors.append({"type": "NOT_FOUND", "path": [alias],
                               "message": f"Could not resolve to a Repository with the name '{owner}/{name}'."})
            else:
                data[alias] = {"nameWithOwner": found[0], "isArchived": found[1],
                               "url": f"https://github.com/{found[0]}"}
        payload = {"data": data}
        if errors:
            payload["errors"] = errors
        self._send(200, json.dumps(payload).encode(), {"Content-Type": "application/json"})


def start(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def farm() -> Iterator[Farm]:
    server = Farm()
    start(server)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def farm_factory() -> Iterator:
    """Start extra farms (other loopback addresses, own latency); all are stopped at teardown."""
    made: list[Farm] = []

    def make(host: str = "127.0.0.1", latency: float = 0.0) -> Farm:
        server = Farm(host, latency)
        start(server)
        made.append(server)
        return server

    try:
        yield make
    finally:
        for server in made:
            server.shutdown()
            server.server_close()


class HangingServer:
    """Accepts connections and never answers (until stopped)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.stop = threading.Event()
        self.conns: list[socket.socket] = []
        self.accepted = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            self.serve(conn)

    def serve(self, conn: socket.socket) -> None:
        self.conns.append(conn)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        for conn in self.conns:
            conn.close()
        self.sock.close()


class TrickleServer(HangingServer):
    """Answers every connection one byte of a status line every 0.1 s: never a read timeout."""

    def serve(self, conn: socket.socket) -> None:
        self.conns.append(conn)
        threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        try:
            conn.recv(4096)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 300:
                if self.stop.wait(0.1):
                    return
                conn.sendall(bytes([byte]))
        except OSError:
            return


@pytest.fixture
def trickle() -> Iterator[TrickleServer]:
    server = TrickleServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def hanging() -> Iterator[HangingServer]:
    server = HangingServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def make_settings(farm: Farm | None = None, **overrides) -> LinksSettings:
    """Fast settings for tests: short timeouts and back-offs, endpoints on the farm."""
    values = {"timeout_connect": 1.0, "timeout_read": 1.0, "retries": 3, "backoff_base": 0.05,
                  "max_retry_wait": 5.0, "arxiv_interval": 0.05, "progress_interval": 0.5,
                  # the farm serves arXiv's API and the pages from one host, so the arXiv
                  # spacing (interval + margin) would space every request of a test
                  "arxiv_margin": 0.0}
    if farm is not None:
        values.update(arxiv_api=f"{farm.base}/arxiv/api", github_api=f"{farm.base}/graphql",
                      doi_api=f"{farm.base}/doi/")
    values.update(overrides)
    return LinksSettings(**values)


def assert_min_interval(starts: list[float], interval: float, slack: float = 0.01) -> None:
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(g >= interval - slack for g in gaps), (interval, [round(g, 3) for g in gaps])


def by_url(results) -> dict:
    return {r.url: r for r in results}
