"""SSRF guard: a URL's authority parsed as urllib3 parses it, its host resolved once, and the
connection made to the address that was checked (see `bot.links.http`), on every hop.

Refused: private, loopback, link-local, multicast, reserved and metadata addresses; with
`--allow-private` loopback opens (local tests and mirrors), never link-local or metadata.
A name that does not resolve is broken, and no connection is tried.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from collections.abc import Callable

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

BLOCKED_MESSAGE = "private address blocked"
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
DEFAULT_PORTS = {"http": 80, "https": 443}

Resolver = Callable[[str, int], list[str]]


class UrlRefused(Exception):
    """The URL is not requested: malformed, unresolvable or pointing to a forbidden address."""

    def __init__(self, verdict: str, reason: str) -> None:
        super().__init__(reason)
        self.verdict = verdict
        self.reason = reason


@functools.lru_cache(maxsize=1 << 16)
def parse_authority(url: str) -> tuple[str, int, bool]:
    """(host, port, port given explicitly) exactly as urllib3 (and so requests) will connect.

    `http://127.0.0.1:8080\\@x.invalid/` is 127.0.0.1 here, as it is for urllib3, although
    `urllib.parse.urlsplit` sees `x.invalid`.

    Cached: a run asks about each URL several times (planning, its politeness key, the guard
    before every request), and urllib3's parser is slow; a refused URL raises every time.
    """
    try:
        parts = parse_url(url)
    except (LocationParseError, ValueError) as exc:
        raise UrlRefused("broken", f"malformed URL ({exc})") from None
    scheme = (parts.scheme or "").lower()
    if scheme not in DEFAULT_PORTS:
        raise UrlRefused("unverifiable", f"not an http(s) URL: {scheme or 'no scheme'}")
    host = (parts.host or "").strip("[]").rstrip(".").lower()
    if not host:
        raise UrlRefused("broken", "malformed URL (no host)")
    return host, parts.port or DEFAULT_PORTS[scheme], parts.port is not None


def is_forbidden_address(address: str, *, allow_loopback: bool = False) -> bool:
    """True for any address a public link checker must never connect to."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA or ip.is_link_local:
        return True
    if ip.is_loopback:
        return not allow_loopback
    return (ip.is_private or ip.is_multicast or ip.is_reserved or ip.is_unspecified
            or not ip.is_global)


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [info[4][0] for info in infos]


def checked_address(host: str, port: int, *, allow_loopback: bool = False,
                    resolver: Resolver | None = None) -> str:
    """The address to connect to for `host`: resolved once, every address of it checked."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [host]
    else:
        try:
            addresses = (resolver or system_resolver)(host, port)
        except (OSError, UnicodeError, ValueError):
            raise UrlRefused("broken", "DNS failure") from None
        if not addresses:
            raise UrlRefused("broken", "DNS failure")
    if any(is_forbidden_address(a, allow_loopback=allow_loopback) for a in addresses):
        raise UrlRefused("unverifiable", BLOCKED_MESSAGE)
    return addresses[0]


def blocked_reason(host: str, port: int | None, *, allow_loopback: bool = False,
                   resolver: Resolver | None = None) -> str | None:
    """BLOCKED_MESSAGE when the host resolves to a forbidden address, else None."""
    try:
        checked_address(host.strip("[]"), port or 80, allow_loopback=allow_loopback, resolver=resolver)
    except UrlRefused as exc:
        return exc.reason if exc.reason == BLOCKED_MESSAGE else None
    return None
