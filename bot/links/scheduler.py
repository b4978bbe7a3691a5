"""Workers that take work only from hosts that are ready: no head-of-line blocking.

A job is one URL's check (or one API batch) as a sequence of requests. A worker runs one
step (one request) of a job whose host may start a request now, then puts the job back under
the host of its next request, possibly with a delay of its own (a flaky 503 retried later).
So a host that is held, full or waiting for its interval occupies no worker, a delayed URL
holds back neither its host nor anyone else, and the host with the most expected work left
(queued jobs x its answer time / its concurrency) is served first: the busiest, slowest host
starts at t=0.

Idle workers do not all wake on every event: one of them (the timekeeper) sleeps until the
next host is due, and is woken early when a host becomes due sooner; the others sleep until
they are handed work. A worker that finishes a request takes the next one itself, and a
worker that takes a request wakes one more only while other hosts are ready. With 64 workers,
waking them all on every answer would keep the GIL busy just when the threads reading
answers need it.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Protocol

from bot.links.politeness import Politeness, Slot

MAX_WAIT = 0.25  # the timekeeper re-checks at least this often (progress, holds ending)
IDLE_WAIT = 2.0  # any other idle worker re-checks this often (a safety net: it is notified)


class Job(Protocol):
    """One check as a sequence of requests; see the module docstring."""

    key: str            # politeness host of the next request
    not_before: float   # clock time before which the next request must not start

    def step(self, slot: Slot) -> bool:
        """Send the next request (the slot is for `key`); True when the job is finished."""

    def give_up(self, reason: str) -> None:
        """Finish without a request: the host was given up for this run."""


class _Queue:
    def __init__(self) -> None:
        self.ready: deque = deque()
        self.delayed: list = []  # heap of (not_before, seq, job)

    def __len__(self) -> int:
        return len(self.ready) + len(self.delayed)


class Scheduler:
    """Runs jobs under one Politeness with up to `max_workers` threads."""

    def __init__(self, politeness: Politeness, *, max_workers: int = 64,
                 tick: Callable[[], None] | None = None,
                 wait: Callable[[threading.Condition, float], None] | None = None) -> None:
        self.politeness = politeness
        self.clock = politeness.clock
        self.max_workers = max(1, max_workers)
        self.tick = tick or (lambda: None)
        self._wait = wait or (lambda cond, seconds: cond.wait(seconds))
        self.queues: dict[str, _Queue] = {}
        self._seq = itertools.count()
        lock = threading.RLock()
        self._cond = threading.Condition(lock)       # idle workers other than the timekeeper
        self._time_cond = threading.Condition(lock)  # the timekeeper
        self._pending = 0
        self.errors: list[BaseException] = []
        # hosts that may start a request now, by rank (a lazy heap: an entry is current while
        # its version is the host's), and hosts waiting for a time (a hold, an interval, a
        # delayed job); a host at its concurrency is offered again when a slot comes back
        self._ready: list[tuple[float, int, str]] = []
        self._version: dict[str, int] = {}
        self._sleeping: list[tuple[float, str]] = []
        self._timekeeper = False  # an idle worker is waiting for the next due time
        self._due = math.inf      # ... until then
        self._idle_workers = 0    # the others waiting to be handed work
        self._open = False        # started, and more jobs may come (`close` says no more)
        self._threads: list[threading.Thread] = []

    def add(self, job: Job) -> None:
        self.add_many([job])

    def add_many(self, jobs: Iterable[Job]) -> None:
        """Queue jobs; each host is offered once for all of its jobs."""
        with self._cond:
            keys = {}
            for job in jobs:
                self._enqueue(job)
                self._pending += 1
                keys[job.key] = None
            for key in keys:
                self.politeness.note_backlog(key, len(self.queues[key]))
                self._offer(key)
            if self._open:
                self._spawn()
            if self._any_ready():
                self._wake()

    def _enqueue(self, job: Job, *, started: bool = False) -> None:
        queue = self.queues.setdefault(job.key, _Queue())
        if job.not_before > self.clock():
            heapq.heappush(queue.delayed, (job.not_before, next(self._seq), job))
        elif started:
            queue.ready.appendleft(job)  # a job under way (next hop, GET after HEAD) goes first
        else:
            queue.ready.append(job)

    def _put(self, job: Job, *, started: bool = False) -> None:
        self._enqueue(job, started=started)
        self.politeness.note_backlog(job.key, len(self.queues[job.key]))
        self._offer(job.key)

    def _offer(self, key: str) -> None:
        """Put the host where it belongs now: ready (by rank), sleeping until a time, or
        nowhere (no work, or every slot in use: the release offers it again)."""
        queue = self.queues.get(key)
        if not queue:
            return
        now = self.clock()
        while queue.delayed and queue.delayed[0][0] <= now:
            queue.ready.appendleft(heapq.heappop(queue.delayed)[2])  # due again: first in line
        version = self._version.get(key, 0) + 1
        self._version[key] = version
        if self.politeness.blocked(key):
            heapq.heappush(self._ready, (-math.inf, version, key))  # give its jobs up at once
            return
        if not queue.ready:
            self._sleep_until(queue.delayed[0][0], key)
            return
        wait = self.politeness.ready_in(key)
        if wait == math.inf:
            return
        if wait > 0:
            self._sleep_until(now + wait, key)
            return
        rank = len(queue) * self.politeness.latency(key) / max(1, self.politeness.limit(key))
        heapq.heappush(self._ready, (-rank, version, key))

    def _sleep_until(self, due: float, key: str) -> None:
        heapq.heappush(self._sleeping, (due, key))
        if self._timekeeper and due < self._due:
            self._due = due
            self._time_cond.notify()  # it sleeps longer than this host has to wait

    def _any_ready(self) -> bool:
        """Whether a host may start a request now (stale entries of the lazy heap dropped)."""
        while self._ready and self._ready[0][1] != self._version.get(self._ready[0][2]):
            heapq.heappop(self._ready)
        return bool(self._ready)

    def _wake(self) -> None:
        """Hand ready work to one idle worker (to the timekeeper when no other is idle)."""
        if self._idle_workers > 0:
            self._idle_workers -= 1
            self._cond.notify()
        elif self._timekeeper:
            self._time_cond.notify()

    def _pick(self) -> tuple[Job | None, Slot | str | None, float]:
        """(job, slot or the reason its host was given up, 0) or (None, None, seconds to wait)."""
        now = self.clock()
        while self._sleeping and self._sleeping[0][0] <= now:
            self._offer(heapq.heappop(self._sleeping)[1])
        while self._ready:
            _, version, key = heapq.heappop(self._ready)
            if version != self._version.get(key):
                continue  # stale: the host was offered again since
            self._version[key] = version + 1
            queue = self.queues[key]
            if not queue:
                continue
            reason = self.politeness.blocked(key)
            if reason:
                job = queue.ready.popleft() if queue.ready else heapq.heappop(queue.delayed)[2]
                self._offer(key)
                return job, reason, 0.0
            slot = self.politeness.acquire(key) if queue.ready else None
            if slot is None:
                self._offer(key)
                continue
            job = queue.ready.popleft()
            self.politeness.note_backlog(key, len(queue))
            self._offer(key)  # more slots may be free for the next worker
            return job, slot, 0.0
        soonest = self._sleeping[0][0] - now if self._sleeping else MAX_WAIT
        return None, None, soonest

    def run(self) -> None:
        """Run every job queued (and any queued meanwhile) to the end."""
        with self._cond:
            if not self._pending and not self._threads:
                return
        self.start()
        self.close()
        self.join()

    def start(self) -> None:
        """Start the workers on the jobs queued so far; more may be queued until `close`."""
        with self._cond:
            self._open = True
            self._spawn()

    def close(self) -> None:
        """No more jobs: the workers end once every queued job is done."""
        with self._cond:
            self._open = False
            self._cond.notify_all()
            self._time_cond.notify_all()

    def join(self) -> None:
        for thread in list(self._threads):
            thread.join()
        if self.errors:
            raise self.errors[0]

    def _spawn(self) -> None:
        """Enough workers for the work queued: up to 16 a host, `max_workers` in all."""
        slots = sum(min(len(q), 16) for q in self.queues.values())
        for _ in range(max(1, min(self.max_workers, slots)) - len(self._threads)):
            thread = threading.Thread(target=self._worker, daemon=True, name=f"links-{len(self._threads)}")
            self._threads.append(thread)
            thread.start()

    def run_here(self) -> None:
        """Run every job on the calling thread (tests with a fake clock and `wait`)."""
        self._worker()

    def _idle(self, wait: float) -> None:
        """Wait for work: the timekeeper until the next host is due, the others until handed
        work (`_wake`)."""
        if self._timekeeper:
            self._idle_workers += 1
            if not self._cond.wait(IDLE_WAIT):
                self._idle_workers = max(0, self._idle_workers - 1)  # timed out, not handed work
            return
        wait = min(max(wait, 0.001), MAX_WAIT)
        self._timekeeper, self._due = True, self.clock() + wait
        try:
            self._wait(self._time_cond, wait)
        finally:
            self._timekeeper, self._due = False, math.inf
        self.tick()

    def _worker(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._pending <= 0 and not self._open or self.errors:
                        self._cond.notify_all()
                        self._time_cond.notify_all()
                        return
                    job, slot, wait = self._pick()
                    if job is not None:
                        break
                    self._idle(wait)
                if self._any_ready() or self._idle_workers and not self._timekeeper:
                    self._wake()  # more hosts may start a request, or nobody keeps the time
            done = True
            try:
                if isinstance(slot, str):
                    job.give_up(f"host given up: {slot}")
                else:
                    done = job.step(slot)
            except Exception as exc:  # noqa: BLE001 - a bug in one check must not end the run
                try:
                    job.give_up(f"internal error: {exc!r}")
                except Exception as again:  # noqa: BLE001
                    with self._cond:
                        self.errors.append(again)
            except BaseException as exc:
                with self._cond:
                    self.errors.append(exc)
            finally:
                with self._cond:
                    if done:
                        self._pending -= 1
                    else:
                        self._put(job, started=True)
                    if isinstance(slot, Slot):  # after the job is back in line: it goes first
                        self.politeness.settle(slot)
                        self._offer(slot.host)
                self.tick()
