"""Per-host politeness: a concurrency limit, a minimum interval between request starts,
host-wide back-off after 429/503, and hosts that block bots.

The limits are hard: every request (first try, retry, redirect hop, API call) takes a slot
here before it starts, so nothing can exceed them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bot.links.settings import HostLimit, LinksSettings

MAX_ADAPTIVE_INTERVAL = 30.0


class HostBlocked(Exception):
    """The host was given up for this run (it blocks bots)."""


@dataclass
class _Host:
    concurrency: int
    interval: float
    cond: threading.Condition
    active: int = 0
    last_start: float = float("-inf")
    not_before: float = 0.0
    blocked: str | None = None


class Politeness:
    """Limits shared by every worker of one run."""

    def __init__(self, settings: LinksSettings, clock=time.monotonic) -> None:
        self._settings = settings
        self._clock = clock
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, host: str) -> _Host:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                limit = self._settings.limit_for(host)
                state = _Host(limit.concurrency, limit.min_interval, threading.Condition())
                self._hosts[host] = state
            return state

    def tighten(self, host: str, limit: HostLimit) -> None:
        """Make a host at least as strict as `limit` (used for APIs with published rules)."""
        state = self._host(host)
        with state.cond:
            state.concurrency = min(state.concurrency, limit.concurrency)
            state.interval = max(state.interval, limit.min_interval)

    def limit(self, host: str) -> int:
        return self._host(host).concurrency

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Wait until a request to `host` may start, and hold a concurrency slot meanwhile."""
        state = self._host(host)
        with state.cond:
            while True:
                if state.blocked:
                    raise HostBlocked(state.blocked)
                now = self._clock()
                ready = max(state.last_start + state.interval, state.not_before)
                if state.active < state.concurrency and now >= ready:
                    state.active += 1
                    state.last_start = now
                    break
                state.cond.wait(ready - now if now < ready else None)
        try:
            yield
        finally:
            with state.cond:
                state.active -= 1
                state.cond.notify_all()

    def defer(self, host: str, seconds: float, *, adapt: bool = True) -> None:
        """Hold every request to `host` for `seconds`; slow the host down for the rest of the run."""
        state = self._host(host)
        with state.cond:
            state.not_before = max(state.not_before, self._clock() + seconds)
            if adapt:
                state.interval = min(max(state.interval * 2, 0.1), MAX_ADAPTIVE_INTERVAL)
            state.cond.notify_all()

    def block(self, host: str, reason: str) -> None:
        state = self._host(host)
        with state.cond:
            state.blocked = reason
            state.cond.notify_all()

    def blocked(self, host: str) -> str | None:
        return self._host(host).blocked

    def ready_in(self, host: str) -> float:
        """Seconds until `host` leaves its back-off (0 when it is not backing off)."""
        state = self._host(host)
        with state.cond:
            return max(0.0, state.not_before - self._clock())

    def waiting_hosts(self) -> int:
        now = self._clock()
        with self._lock:
            states = list(self._hosts.values())
        return sum(1 for s in states if s.not_before > now)
