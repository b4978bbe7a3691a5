"""Polite, guarded HTTP: one pooled Session; each request is one attempt under a politeness
slot, to an address the SSRF guard checked, within an overall deadline, with a capped body.

Retries and redirects are the jobs' business (`bot.links.pages` and the API host types): an
attempt only sends, reads and says how the server answered (`Answer.refused`,
`Answer.transient`), and gives its slot back with that outcome.
"""

from __future__ import annotations

import email.utils
import errno
import heapq
import itertools
import socket
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as u3connection

from bot.links.politeness import Politeness, Slot
from bot.links.settings import LinksSettings
from bot.links.ssrf import Resolver, UrlRefused, checked_address, parse_authority

PERMANENT = {301, 308}
TEMPORARY = {302, 303, 307}
HEAD_REFUSED = {405, 403, 501}
BROKEN_STATUS = {404, 410}
# hosts whose idle connections are kept for reuse (urllib3 drops the least recently used
# host's pool beyond this): a list links to dozens of hosts, and a pool per host that the run
# keeps dropping is a new connection, on the web a TLS handshake, for nearly every request
HOST_POOLS = 100


class LinkError(Exception):
    """A request that ended without an HTTP answer; carries the verdict it implies.

    `retryable`: a one-off failure (reset connection) worth another try later."""

    def __init__(self, verdict: str, error: str, status: int | None = None, *,
                 retryable: bool = False) -> None:
        super().__init__(error)
        self.verdict = verdict
        self.error = error
        self.status = status
        self.retryable = retryable


@dataclass
class Answer:
    """What we keep of one HTTP response: never more than the body cap."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    refused: bool = False     # the server limited us: the host is held
    transient: bool = False   # a one-off failure of this URL: retry it later
    wait: float | None = None


@dataclass
class Stats:
    """Counters a run and the benchmark report on."""

    requests: Counter = field(default_factory=Counter)
    rate_limited: int = 0
    bytes_read: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, host: str, status: int | None, nbytes: int) -> None:
        with self.lock:
            self.requests[host] += 1
            self.bytes_read += nbytes
            if status == 429:
                self.rate_limited += 1


def host_key(url: str) -> str:
    """The politeness key of a URL: "name" or "name:port" when the port is explicit."""
    try:
        host, port, explicit = parse_authority(url)
    except UrlRefused:
        return ""
    name = f"[{host}]" if ":" in host else host
    return f"{name}:{port}" if explicit else name


def server_wait(headers: dict[str, str], now: float | None = None) -> float | None:
    """Seconds the server asked us to wait: `Retry-After` (seconds or HTTP date) when present,
    else `X-RateLimit-Reset` (epoch seconds) only when `X-RateLimit-Remaining` is 0.

    GitHub sends the rate headers on every answer: a secondary-limit 403 with `retry-after: 2`
    and `x-ratelimit-remaining: 4999` asks for 2 s, not for the hourly reset.
    """
    now = time.time() if now is None else now
    value = (headers.get("retry-after") or "").strip()
    if value:
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError, IndexError):
            pass
    if (headers.get("x-ratelimit-remaining") or "").strip() == "0":
        try:
            return max(0.0, float(headers.get("x-ratelimit-reset") or "") - now)
        except ValueError:
            return None
    return None



def quota(headers: dict[str, str], now: float | None = None) -> tuple[int, float] | None:
    """(X-RateLimit-Remaining, seconds to X-RateLimit-Reset) when the answer carries both."""
    now = time.time() if now is None else now
    try:
        remaining = int((headers.get("x-ratelimit-remaining") or "").strip())
        reset = float((headers.get("x-ratelimit-reset") or "").strip())
    except ValueError:
        return None
    return remaining, max(0.0, reset - now)


def _classify(exc: BaseException) -> LinkError:
    """Map a requests exception to broken (DNS, refused, TLS) or unverifiable (timeouts, resets)."""
    if isinstance(exc, requests.exceptions.SSLError):
        return LinkError("broken", "TLS error")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return LinkError("unverifiable", "connect timeout")
    if isinstance(exc, (requests.exceptions.ReadTimeout, requests.exceptions.Timeout)):
        return LinkError("unverifiable", "read timeout")
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__ or (seen.args[0] if seen.args and isinstance(
            seen.args[0], BaseException) else getattr(seen, "reason", None))
    text = " ".join(repr(e) for e in chain)
    for err in chain:
        if isinstance(err, UrlRefused):
            return LinkError(err.verdict, err.reason)
        if isinstance(err, ConnectionRefusedError) or getattr(err, "errno", None) == errno.ECONNREFUSED:
            return LinkError("broken", "connection refused")
        if isinstance(err, ssl.SSLError):
            return LinkError("broken", "TLS error")
        if isinstance(err, socket.timeout | TimeoutError):
            return LinkError("unverifiable", "timeout")
    if "Connection refused" in text:
        return LinkError("broken", "connection refused")
    if "timed out" in text:
        return LinkError("unverifiable", "timeout")
    return LinkError("unverifiable", f"connection error: {type(exc).__name__}", retryable=True)


class _Pins:
    """Addresses the guard checked, by (host, port): the only ones a new connection may use."""

    def __init__(self) -> None:
        self._pins: dict[tuple[str, int], str] = {}
        self._lock = threading.Lock()
        self.local = threading.local()  # the attempt running on this thread (for its deadline)

    def set(self, host: str, port: int, address: str) -> None:
        with self._lock:
            self._pins[(host, port)] = address

    def get(self, host: str, port: int) -> str | None:
        with self._lock:
            return self._pins.get((host.strip("[]").rstrip(".").lower(), port))


def _pinned(base: type, pins: _Pins) -> type:
    """A urllib3 connection class that connects only to the pinned address of its host."""

    def _new_conn(self) -> socket.socket:
        address = pins.get(self.host, self.port)
        if address is None:
            raise NewConnectionError(self, "refused: address not checked by the SSRF guard")
        try:
            sock = u3connection.create_connection((address, self.port), self.timeout,
                                                  source_address=self.source_address,
                                                  socket_options=self.socket_options)
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc
        return sock

    def request(self, *args, **kwargs):
        attempt = getattr(pins.local, "attempt", None)
        if attempt is not None:
            attempt.conn = self
        return base.request(self, *args, **kwargs)

    return type(f"Pinned{base.__name__}", (base,), {"_new_conn": _new_conn, "request": request})


class _PinnedAdapter(HTTPAdapter):
    def __init__(self, pins: _Pins, **kwargs) -> None:
        self._pins = pins
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        http_conn = _pinned(HTTPConnection, self._pins)
        https_conn = _pinned(HTTPSConnection, self._pins)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }


class _Attempt:
    """One request in flight: its connection, so the deadline can cut it off."""

    def __init__(self) -> None:
        self.conn = None
        self.expired = False
        self.done = False

    def expire(self) -> None:
        if self.done:
            return
        self.expired = True
        sock = getattr(self.conn, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Watchdog:
    """One thread that cuts off the attempts that outlive their deadline (not a timer thread
    per request: starting one costs more than the rest of a request's own work)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Attempt]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def watch(self, attempt: _Attempt, seconds: float) -> None:
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + seconds, next(self._seq), attempt))
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._run, daemon=True, name="links-deadlines")
                self._thread.start()
            elif len(self._heap) == 1 or self._heap[0][2] is attempt:
                self._cond.notify()  # sooner than what the watchdog sleeps for

    def _run(self) -> None:
        with self._cond:
            self._loop()
            self._thread = None

    def _loop(self) -> None:
        while not self._closed:
            while self._heap and self._heap[0][2].done:
                heapq.heappop(self._heap)
            if not self._heap:
                self._cond.wait(1.0)
                if not self._heap:
                    break  # nothing to watch: the next attempt starts a new thread
                continue
            due, _, attempt = self._heap[0]
            left = due - time.monotonic()
            if left > 0:
                self._cond.wait(left)
                continue
            heapq.heappop(self._heap)
            attempt.expire()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify()


class Fetcher:
    """Sends requests politely; shared by the page checker and the identifier APIs."""

    def __init__(self, settings: LinksSettings, politeness: Politeness, *, allow_private: bool = False,
                 pool_size: int = 10, resolver: Resolver | None = None) -> None:
        self.settings = settings
        self.politeness = politeness
        self.allow_private = allow_private
        self.resolver = resolver
        self.stats = Stats()
        self.pins = _Pins()
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["User-Agent"] = settings.user_agent
        adapter = _PinnedAdapter(self.pins, pool_connections=HOST_POOLS,
                                 pool_maxsize=max(10, pool_size), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.head_refused: set[str] = set()
        self.lock = threading.Lock()
        self.watchdog = _Watchdog()

    def close(self) -> None:
        self.watchdog.close()
        self.session.close()

    def guard(self, url: str) -> None:
        """Resolve the URL's host once, refuse forbidden addresses, pin the one to connect to."""
        host, port, _ = parse_authority(url)
        address = checked_address(host, port, allow_loopback=self.allow_private, resolver=self.resolver)
        self.pins.set(host, port, address)

    def attempt(self, method: str, url: str, slot: Slot, *, headers: dict | None = None,
                data: bytes | None = None, cap: int | None = None) -> Answer:
        """One request in `slot`; records the outcome on the slot, which the scheduler gives
        back (after it has put the job back in line). Raises LinkError."""
        try:
            answer = self._send(method, url, slot.host, headers, data,
                                self.settings.max_body if cap is None else cap)
        except LinkError as exc:
            slot.outcome = {"transient": exc.retryable}
            raise
        slot.outcome = {"refused": answer.refused, "transient": answer.transient, "wait": answer.wait,
                        "quota": quota(answer.headers)}
        return answer

    def _send(self, method: str, url: str, host: str, headers: dict | None, data: bytes | None,
              cap: int) -> Answer:
        try:
            self.guard(url)
        except UrlRefused as exc:
            raise LinkError(exc.verdict, exc.reason) from None
        attempt = _Attempt()
        deadline = self.settings.request_deadline
        self.pins.local.attempt = attempt
        self.watchdog.watch(attempt, deadline)
        started = time.monotonic()
        nbytes = 0
        status = None
        try:
            try:
                resp = self.session.request(method, url, headers=headers, data=data, stream=True,
                                            allow_redirects=False,
                                            timeout=(self.settings.timeout_connect, self.settings.timeout_read))
            except requests.RequestException as exc:
                raise _classify(exc) from None
            status = resp.status_code
            try:
                chunks = []
                if method != "HEAD" and cap > 0:
                    for chunk in resp.iter_content(chunk_size=min(cap, 16384)):
                        chunks.append(chunk)
                        nbytes += len(chunk)
                        if nbytes >= cap or time.monotonic() - started > deadline:
                            break
                body = b"".join(chunks)[:cap]
            except requests.RequestException as exc:
                raise _classify(exc) from None
            finally:
                if method == "HEAD":
                    resp.raw.release_conn()  # no body to read: the connection stays open for reuse
                else:
                    resp.close()  # back to the pool when the body was read to its end, else closed
        except LinkError:
            if attempt.expired:
                raise LinkError("unverifiable", f"no complete answer within {deadline:g} s") from None
            raise
        finally:
            attempt.done = True
            self.pins.local.attempt = None
            self.stats.count(host, status, nbytes)
        if attempt.expired:
            raise LinkError("unverifiable", f"no complete answer within {deadline:g} s")
        answer = Answer(url, resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, body)
        wait = server_wait(answer.headers)
        answer.wait = wait
        answer.refused = answer.status == 429 or (answer.status in (403, 503) and wait is not None)
        answer.transient = not answer.refused and answer.status in (500, 502, 503, 504)
        return answer

    def blocks_bots(self, host: str) -> bool:
        name = host.rsplit(":", 1)[0] if host.rsplit(":", 1)[-1].isdigit() else host
        blocking = self.settings.blocking_hosts
        return host in blocking or name in blocking
