"""SSRF guard: refuse hosts that resolve to private, loopback, link-local or metadata addresses."""

from __future__ import annotations

import ipaddress
import socket

BLOCKED_MESSAGE = "private address blocked"
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


def is_forbidden_address(address: str) -> bool:
    """True for any address a public link checker must never connect to."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip in METADATA or ip.is_private or ip.is_loopback or ip.is_link_local
            or ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def blocked_reason(host: str, port: int | None) -> str | None:
    """BLOCKED_MESSAGE when any address of `host` is forbidden; None otherwise.

    A name that does not resolve is left to the request itself, which reports the DNS failure.
    """
    name = host.strip("[]")
    try:
        infos = socket.getaddrinfo(name, port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return None
    if any(is_forbidden_address(info[4][0]) for info in infos):
        return BLOCKED_MESSAGE
    return None
