"""Per-host politeness: concurrency that adapts (AIMD), a minimum interval, holds the server
asked for, and hosts given up for the run.

Nothing here sleeps or blocks: the scheduler asks `ready_in(host)` and takes a slot with
`acquire(host)` only when a request may start, and every request gives its slot back with
`release(slot, ...)`, saying how the server answered. The clock is injectable, so the whole
policy is tested without real time passing.

- A stated limit (`links.hosts`) is a hard ceiling; a host without one starts at the default
  concurrency and may grow to `links.max_host_concurrency`.
- Each step up is a probe: one request beyond the concurrency the host has answered without
  refusing, the next only once it came back, so finding a limit costs one 429, not a round.
- A 429 (or another refusal with `Retry-After` or an exhausted `X-RateLimit-Remaining`) holds
  the host for what the server asked, and lowers its concurrency multiplicatively (once per
  round, however many requests of that round are refused); one below the most requests that
  were in flight while the refused one was is the limit learned, and the host grows back
  additively (one more after a round of successes that used every slot) up to it. Beyond it
  the host grows again after a quiet period, one step per `QUIET_ROUNDS` rounds of successes
  with no refusal (since the decrease, or the last step) while as much work is left; twice as
  many after each refused step beyond it, so a host that keeps refusing stays low. Only a host that would finish among the last grows: a
  host done long before the run never spends a 429 on finding its limit.
- A 503 without `Retry-After` is about one URL: the host is not held (the URL is retried
  later by its job).
- A host that refuses `max_refusals` requests in a row, asks to wait longer than
  `max_retry_wait`, or spends more than `host_budget` seconds of requests is blocked: its
  remaining links are unverifiable at once.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.links.settings import HostLimit, LinksSettings

DECREASE = 0.5     # multiplicative decrease on a refusal
QUIET_ROUNDS = 32  # rounds of successes after a decrease before growing beyond the learned limit
MAX_QUIET_ROUNDS = 4096
UNKNOWN_LATENCY = 0.5


@dataclass
class _Host:
    ceiling: int            # never more in flight than this
    concurrency: int        # allowed now (AIMD)
    interval: float
    active: int = 0
    last_start: float = float("-inf")
    hold_until: float = float("-inf")
    blocked: str | None = None
    successes: int = 0      # full-window successes since the last change
    learned: int | None = None  # the highest concurrency the host has not refused
    quiet: int = 0          # successes since the last decrease, or the last step beyond `learned`
    quiet_rounds: int = 0   # rounds of them before a step beyond `learned` (doubles on a refusal there)
    above: int = 0          # steps taken beyond `learned` since the last decrease
    epoch: int = 0          # bumped on each decrease: refusals of older requests do not count twice
    refusals: int = 0       # in a row
    spent: float = 0.0      # seconds of requests
    latency: float | None = None  # moving average of answer times
    requests: int = 0
    refused: int = 0
    quota_left: int | None = None  # X-RateLimit-Remaining, less the requests sent since
    quota_reset: float = float("-inf")
    backlog: int = 0        # requests waiting for this host (the scheduler says)
    full_at: float = float("-inf")  # the last time every slot was in use
    proven: int = 1         # the most in flight that the host has answered without refusing
    probe_out: bool = False  # a request beyond `proven` is in flight: no second one until it returns
    starts: list[float] = field(default_factory=list)  # clock time of every request start
    live: list[Slot] = field(default_factory=list)  # the requests in flight


@dataclass(eq=False)
class Slot:
    """One request's permission to run: its host, when it started, how busy the host was."""

    host: str
    start: float
    inflight: int
    epoch: int
    probe: bool = False  # started beyond the proven concurrency
    peak: int = 0        # the most requests in flight while this one was
    released: bool = False
    outcome: dict | None = None  # how the server answered: the arguments of `release`


class Politeness:
    """Limits and adaptive state shared by every worker of one run."""

    def __init__(self, settings: LinksSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self.clock = clock
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.RLock()

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            stated = self._settings.stated_limit(host)
            if stated is not None:
                state = _Host(stated.concurrency, stated.concurrency, stated.min_interval,
                              proven=stated.concurrency)
            else:
                default = self._settings.default_host
                ceiling = max(default.concurrency, self._settings.max_host_concurrency)
                state = _Host(ceiling, default.concurrency, default.min_interval, proven=default.concurrency)
            self._hosts[host] = state
        return state

    def tighten(self, host: str, limit: HostLimit) -> None:
        """Make a host at least as strict as `limit` (APIs with published rules)."""
        with self._lock:
            state = self._host(host)
            state.ceiling = min(state.ceiling, limit.concurrency)
            state.concurrency = min(state.concurrency, state.ceiling)
            state.interval = max(state.interval, limit.min_interval)

    def limit(self, host: str) -> int:
        with self._lock:
            return self._host(host).concurrency

    def ready_in(self, host: str) -> float:
        """Seconds until a request to `host` may start: 0 now, inf until a slot is released."""
        with self._lock:
            state = self._host(host)
            if state.blocked:
                return 0.0
            if state.active >= state.concurrency or state.active >= state.proven and state.probe_out:
                return math.inf  # full, or a probe beyond the proven concurrency is out
            now = self.clock()
            wait = max(0.0, state.last_start + state.interval - now, state.hold_until - now)
            if state.quota_left is not None:
                if now >= state.quota_reset:
                    state.quota_left = None  # a new window
                elif state.quota_left <= 0:
                    wait = max(wait, state.quota_reset - now)  # the quota is spent until its reset
            return wait

    def acquire(self, host: str) -> Slot | None:
        """A slot for a request starting now, or None when the host is not ready."""
        with self._lock:
            state = self._host(host)
            if state.blocked or self.ready_in(host) > 0:
                return None
            now = self.clock()
            state.active += 1
            state.requests += 1
            state.last_start = now
            state.starts.append(now)
            if state.quota_left is not None:
                state.quota_left -= 1
            if state.active >= state.concurrency:
                state.full_at = now
            probe = state.active > state.proven
            state.probe_out = state.probe_out or probe
            for other in state.live:
                other.peak = max(other.peak, state.active)
            slot = Slot(host, now, state.active, state.epoch, probe, peak=state.active)
            state.live.append(slot)
            return slot

    def settle(self, slot: Slot) -> None:
        """Release the slot with the outcome its request recorded."""
        self.release(slot, **(slot.outcome or {}))

    def release(self, slot: Slot, *, refused: bool = False, transient: bool = False,
                wait: float | None = None, quota: tuple[int, float] | None = None) -> None:
        """Give the slot back. `refused`: the server limited us (429, or a refusal with
        Retry-After or an exhausted quota), `wait` is what it asked for; `transient`: a
        one-off failure of this URL (503 without Retry-After, reset connection); `quota`:
        (X-RateLimit-Remaining, seconds to X-RateLimit-Reset) when the server sent them, so
        no more requests start than the quota has left (none beyond it while others are in
        flight)."""
        with self._lock:
            if slot.released:
                return
            slot.released = True
            state = self._host(slot.host)
            now = self.clock()
            if quota is not None:
                remaining, reset_in = quota
                state.quota_left = remaining - state.active + 1  # those in flight spend it too
                state.quota_reset = now + reset_in
            in_flight = state.active
            state.active -= 1
            if slot in state.live:
                state.live.remove(slot)
            if slot.probe:
                state.probe_out = False
            took = max(0.0, now - slot.start)
            state.spent += took
            if refused:
                state.refused += 1
                state.refusals += 1
                self._decrease(state, slot, in_flight)
                if wait is None:
                    wait = self._settings.backoff_base * 2 ** min(state.refusals - 1, 6)
            elif transient:
                state.refusals += 1
            else:
                state.refusals = 0
                if slot.probe or slot.inflight > state.proven:
                    state.proven = max(state.proven, min(slot.inflight, state.concurrency))
                state.latency = took if state.latency is None else 0.8 * state.latency + 0.2 * took
                state.quiet += 1
                self._increase(state, slot)
            if wait is not None:
                self._hold(slot.host, state, wait)
            if not state.blocked and state.refusals >= self._settings.max_refusals:
                state.blocked = f"refused {state.refusals} requests in a row"
            if not state.blocked and state.spent > self._settings.host_budget:
                state.blocked = f"spent its time budget ({self._settings.host_budget:.0f} s of requests)"

    def _decrease(self, state: _Host, slot: Slot, in_flight: int) -> None:
        if slot.epoch != state.epoch:
            return  # this round was already answered with a decrease
        state.epoch += 1
        # the server counted more than its limit when this one arrived, and never more than we
        # had in flight meanwhile (counting from its start alone reads a limit of 6 as 5 when
        # a seventh request went out just after and arrived first)
        beyond = state.learned is not None and slot.peak > state.learned  # a step past the limit
        state.learned = max(1, min(slot.peak, state.concurrency) - 1)
        state.proven = min(state.proven, state.learned)
        if beyond or not state.quiet_rounds:
            state.quiet_rounds = min(MAX_QUIET_ROUNDS, state.quiet_rounds * 2 or QUIET_ROUNDS)
        state.quiet = state.above = 0
        state.concurrency = max(1, min(state.learned, math.floor(state.concurrency * DECREASE)))
        state.successes = 0

    def _eta(self, state: _Host) -> float:
        latency = UNKNOWN_LATENCY if state.latency is None else state.latency
        return state.backlog * max(latency / max(1, state.concurrency), state.interval)

    def _increase(self, state: _Host, slot: Slot) -> None:
        # only a success while every slot was in use says the host can take more, and more is
        # asked only of a host that would otherwise finish among the last: a host that is done
        # long before the run does not probe its limit (each probe costs a 429)
        if state.full_at < slot.start or state.concurrency >= state.ceiling:
            return
        if self._eta(state) < 0.5 * max(self._eta(s) for s in self._hosts.values()):
            return
        state.successes += 1
        if state.successes < state.concurrency:
            return
        state.successes = 0
        if state.learned is not None and state.concurrency >= state.learned + state.above:
            # at the limit the last refusal taught (or a step beyond it): one more step after
            # a quiet period, rounds of successes since the decrease or the last step, and only
            # with as much work left, for a success to pay for the 429 and hold it may cost
            period = state.quiet_rounds * state.concurrency
            if state.quiet < period or state.backlog < period:
                return
            state.above += 1
            state.quiet = 0
        state.concurrency += 1

    def _hold(self, host: str, state: _Host, wait: float) -> None:
        if wait > self._settings.max_retry_wait:
            state.blocked = state.blocked or f"rate limited: asked to wait {wait:.0f} s"
            return
        state.hold_until = max(state.hold_until, self.clock() + wait)

    def note_backlog(self, host: str, queued: int) -> None:
        """How many requests wait for `host` (the scheduler keeps this up to date)."""
        with self._lock:
            self._host(host).backlog = queued

    def hold(self, host: str, seconds: float) -> None:
        """Hold every request to `host` for `seconds` (an exhausted quota until its reset)."""
        with self._lock:
            self._hold(host, self._host(host), seconds)

    def block(self, host: str, reason: str) -> None:
        with self._lock:
            state = self._host(host)
            state.blocked = state.blocked or reason

    def blocked(self, host: str) -> str | None:
        with self._lock:
            return self._host(host).blocked

    def latency(self, host: str) -> float:
        with self._lock:
            value = self._host(host).latency
        return UNKNOWN_LATENCY if value is None else value

    def waiting_hosts(self) -> int:
        with self._lock:
            now = self.clock()
            return sum(1 for s in self._hosts.values() if s.hold_until > now)

    def starts(self, host: str) -> list[float]:
        """When each request to `host` started, on the politeness clock (the schedule kept)."""
        with self._lock:
            return list(self._host(host).starts)

    def snapshot(self, host: str) -> dict:
        """The host's state, for tests and the benchmark."""
        with self._lock:
            s = self._host(host)
            return {"concurrency": s.concurrency, "ceiling": s.ceiling, "learned": s.learned,
                    "quiet_rounds": s.quiet_rounds,
                    "interval": s.interval, "hold_until": s.hold_until, "blocked": s.blocked,
                    "requests": s.requests, "refused": s.refused}
