"""Polite HTTP: one pooled Session, every request through the host limiter and SSRF guard,
429/503 back-off, and the page checker (HEAD then GET, manual redirects, capped bodies)."""

from __future__ import annotations

import email.utils
import errno
import socket
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from bot.links.politeness import HostBlocked, Politeness
from bot.links.settings import LinksSettings
from bot.links.ssrf import blocked_reason

PERMANENT = {301, 308}
TEMPORARY = {302, 303, 307}
RATE_LIMITED = {429, 503}
HEAD_REFUSED = {405, 403, 501}
BROKEN_STATUS = {404, 410}


class LinkError(Exception):
    """A request that ended without an HTTP answer; carries the verdict it implies."""

    def __init__(self, verdict: str, error: str, status: int | None = None) -> None:
        super().__init__(error)
        self.verdict = verdict
        self.error = error
        self.status = status


@dataclass
class Answer:
    """What we keep of one HTTP response: never more than the body cap."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class PageResult:
    verdict: str
    status: int | None = None
    final_url: str | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None


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
    parts = urlsplit(url)
    name = (parts.hostname or "").lower()
    if ":" in name:
        name = f"[{name}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{name}:{port}" if port else name


def retry_after_seconds(headers: dict[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from Retry-After (seconds or HTTP-date) or X-RateLimit-Reset (epoch)."""
    now = time.time() if now is None else now
    waits = []
    value = headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isdigit():
            waits.append(float(value))
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
                waits.append(when.timestamp() - now)
            except (TypeError, ValueError, IndexError):
                pass
    reset = headers.get("x-ratelimit-reset")
    if reset:
        try:
            waits.append(float(reset) - now)
        except ValueError:
            pass
    if not waits:
        return None
    return max(0.0, max(waits))


def _classify(exc: requests.RequestException) -> LinkError:
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
        if isinstance(err, socket.gaierror) or "NameResolutionError" in type(err).__name__:
            return LinkError("broken", "DNS failure")
        if isinstance(err, ConnectionRefusedError) or getattr(err, "errno", None) == errno.ECONNREFUSED:
            return LinkError("broken", "connection refused")
        if isinstance(err, ssl.SSLError):
            return LinkError("broken", "TLS error")
        if isinstance(err, socket.timeout | TimeoutError):
            return LinkError("unverifiable", "timeout")
    if "Name or service not known" in text or "getaddrinfo failed" in text or "nodename nor" in text:
        return LinkError("broken", "DNS failure")
    if "Connection refused" in text:
        return LinkError("broken", "connection refused")
    if "timed out" in text:
        return LinkError("unverifiable", "timeout")
    return LinkError("unverifiable", f"connection error: {type(exc).__name__}")


class Fetcher:
    """Sends requests politely; shared by the page checker and the identifier APIs."""

    def __init__(self, settings: LinksSettings, politeness: Politeness, *, allow_private: bool = False,
                 pool_size: int = 10) -> None:
        self.settings = settings
        self.politeness = politeness
        self.allow_private = allow_private
        self.stats = Stats()
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["User-Agent"] = settings.user_agent
        adapter = HTTPAdapter(pool_connections=max(10, pool_size), pool_maxsize=max(10, pool_size),
                              max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._head_refused: set[str] = set()
        self._lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def _guard(self, url: str) -> None:
        if self.allow_private:
            return
        parts = urlsplit(url)
        reason = blocked_reason(parts.hostname or "", parts.port)
        if reason:
            raise LinkError("unverifiable", reason)

    def _once(self, method: str, url: str, host: str, headers: dict | None, data: bytes | None,
              cap: int) -> Answer:
        timeout = (self.settings.timeout_connect, self.settings.timeout_read)
        with self.politeness.slot(host):
            nbytes = 0
            try:
                resp = self.session.request(method, url, headers=headers, data=data, stream=True,
                                            allow_redirects=False, timeout=timeout)
            except requests.RequestException as exc:
                self.stats.count(host, None, 0)
                raise _classify(exc) from None
            try:
                chunks = []
                if method != "HEAD" and cap > 0:
                    for chunk in resp.iter_content(chunk_size=min(cap, 16384)):
                        chunks.append(chunk)
                        nbytes += len(chunk)
                        if nbytes >= cap:
                            break
                body = b"".join(chunks)[:cap]
            except requests.RequestException as exc:
                raise _classify(exc) from None
            finally:
                resp.close()
                self.stats.count(host, resp.status_code, nbytes)
            answer = Answer(url, resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, body)
        self._note_quota(host, answer)
        return answer

    def _note_quota(self, host: str, answer: Answer) -> None:
        """An exhausted quota (X-RateLimit-Remaining: 0) holds the host until its reset."""
        if answer.headers.get("x-ratelimit-remaining") == "0" and answer.status < 400:
            wait = retry_after_seconds({"x-ratelimit-reset": answer.headers.get("x-ratelimit-reset", "")})
            if wait and wait <= self.settings.max_retry_wait:
                self.politeness.defer(host, wait, adapt=False)

    def request(self, method: str, url: str, *, headers: dict | None = None, data: bytes | None = None,
                cap: int | None = None) -> Answer:
        """One request with bounded retries on 429/503/resets; raises LinkError without an answer."""
        host = host_key(url)
        cap = self.settings.max_body if cap is None else cap
        self._guard(url)
        attempt = 0
        while True:
            try:
                answer = self._once(method, url, host, headers, data, cap)
            except HostBlocked as exc:
                raise LinkError("unverifiable", f"host blocks bots: {exc}") from None
            except LinkError as exc:
                if exc.error.startswith("connection error") and attempt < self.settings.retries:
                    attempt += 1
                    self.politeness.defer(host, self.settings.backoff_base * 2 ** (attempt - 1), adapt=False)
                    continue
                raise
            limited = answer.status in RATE_LIMITED or (
                answer.status == 403 and (answer.headers.get("x-ratelimit-remaining") == "0"
                                          or "retry-after" in answer.headers))
            if not limited:
                return answer
            wait = retry_after_seconds(answer.headers)
            if wait is not None and wait > self.settings.max_retry_wait:
                raise LinkError("unverifiable", f"rate limited: asked to wait {wait:.0f} s", answer.status)
            if attempt >= self.settings.retries:
                return answer
            attempt += 1
            if wait is None:
                wait = min(self.settings.backoff_base * 2 ** (attempt - 1), self.settings.max_retry_wait)
            self.politeness.defer(host, wait)

    def check_page(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                   ) -> PageResult:
        """Check one web page: HEAD (GET when refused), following redirects ourselves."""
        seen = {url}
        current = url
        permanent_target: str | None = None
        permanent_prefix = True
        for hop in range(self.settings.max_redirects + 1):
            headers = {}
            if hop == 0 and etag:
                headers["If-None-Match"] = etag
            if hop == 0 and last_modified:
                headers["If-Modified-Since"] = last_modified
            try:
                answer = self._fetch_hop(current, headers)
            except LinkError as exc:
                return PageResult(exc.verdict, exc.status, current if hop else None, exc.error)
            status = answer.status
            location = answer.headers.get("location")
            if 300 <= status < 400 and status != 304 and location:
                target = urljoin(current, location.strip())
                if urlsplit(target).scheme not in ("http", "https"):
                    return PageResult("unverifiable", status, target, "redirect to a non-http URL")
                if status in PERMANENT and permanent_prefix:
                    permanent_target = target
                else:
                    permanent_prefix = False
                if target in seen:
                    return PageResult("broken", status, target, "redirect loop")
                seen.add(target)
                current = target
                continue
            return self._final(url, current, answer, permanent_target, hop)
        return PageResult("broken", None, current, f"too many redirects (>{self.settings.max_redirects})")

    def _fetch_hop(self, url: str, headers: dict) -> Answer:
        host = host_key(url)
        if host not in self._head_refused:
            answer = self.request("HEAD", url, headers=headers)
            if answer.status not in HEAD_REFUSED:
                return answer
            if answer.status == 403 and self._blocks_bots(host):
                self.politeness.block(host, "403 from a host that blocks bots")
                raise LinkError("unverifiable", "403: host blocks bots", 403)
            if answer.status in (405, 501):
                with self._lock:
                    self._head_refused.add(host)
            head_status = answer.status
        else:
            head_status = None
        answer = self.request("GET", url, headers=headers)
        if answer.status == 403 and (head_status == 403 or self._blocks_bots(host)):
            self.politeness.block(host, "403 to both HEAD and GET")
            raise LinkError("unverifiable", "403: host blocks bots", 403)
        return answer

    def _blocks_bots(self, host: str) -> bool:
        name = host.rsplit(":", 1)[0] if host.rsplit(":", 1)[-1].isdigit() else host
        blocking = self.settings.blocking_hosts
        return host in blocking or name in blocking

    def _final(self, url: str, current: str, answer: Answer, permanent_target: str | None,
               hops: int) -> PageResult:
        status = answer.status
        etag = answer.headers.get("etag") if hops == 0 else None
        modified = answer.headers.get("last-modified") if hops == 0 else None
        if 200 <= status < 300 or status == 304:
            if permanent_target and permanent_target != url:
                return PageResult("redirect", status, permanent_target, None, etag, modified)
            return PageResult("ok", status, current if hops else None, None, etag, modified)
        if status in BROKEN_STATUS:
            return PageResult("broken", status, current if hops else None, f"HTTP {status}")
        if status in RATE_LIMITED:
            return PageResult("unverifiable", status, None, f"HTTP {status} persisted after retries")
        return PageResult("unverifiable", status, current if hops else None, f"HTTP {status}")
