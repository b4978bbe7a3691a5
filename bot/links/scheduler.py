"""Workers that take work only from hosts that are ready: no head-of-line blocking.

A job is one URL's check (or one API batch) as a sequence of requests. A worker runs one
step (one request) of a job whose host may start a request now, then puts the job back under
the host of its next request, possibly with a delay of its own (a flaky 503 retried later).
So a host that is held, full or waiting for its interval occupies no worker, a delayed URL
holds back neither its host nor anyone else, and the host with the most expected work left
(queued jobs x its answer time / its concurrency) is served first: the busiest, slowest host
starts at t=0.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections import deque
from collections.abc import Callable
from typing import Protocol

from bot.links.politeness import Politeness, Slot

MAX_WAIT = 0.25  # a waiting worker re-checks at least this often (progress, holds ending)


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
        self._cond = threading.Condition()
        self._pending = 0
        self.errors: list[BaseException] = []

    def add(self, job: Job) -> None:
        with self._cond:
            self._put(job)
            self._pending += 1
            self._cond.notify()

    def _put(self, job: Job, *, started: bool = False) -> None:
        queue = self.queues.setdefault(job.key, _Queue())
        if job.not_before > self.clock():
            heapq.heappush(queue.delayed, (job.not_before, next(self._seq), job))
        elif started:
            queue.ready.appendleft(job)  # a job under way (next hop, GET after HEAD) goes first
        else:
            queue.ready.append(job)
        self.politeness.note_backlog(job.key, len(queue))

    def _pick(self) -> tuple[Job | None, Slot | str | None, float]:
        """(job, slot or the reason its host was given up, 0) or (None, None, seconds to wait)."""
        now = self.clock()
        best, best_rank, soonest = None, -1.0, math.inf
        for key, queue in self.queues.items():
            if not queue:
                continue
            reason = self.politeness.blocked(key)
            if reason:
                job = queue.ready.popleft() if queue.ready else heapq.heappop(queue.delayed)[2]
                return job, reason, 0.0
            while queue.delayed and queue.delayed[0][0] <= now:
                queue.ready.appendleft(heapq.heappop(queue.delayed)[2])  # due again: first in line
            if not queue.ready:
                soonest = min(soonest, queue.delayed[0][0] - now)
                continue
            wait = self.politeness.ready_in(key)
            if wait > 0:
                soonest = min(soonest, wait)
                continue
            rank = len(queue) * self.politeness.latency(key) / max(1, self.politeness.limit(key))
            if rank > best_rank:
                best, best_rank = key, rank
        if best is not None:
            slot = self.politeness.acquire(best)
            if slot is not None:
                queue = self.queues[best]
                job = queue.ready.popleft()
                self.politeness.note_backlog(best, len(queue))
                return job, slot, 0.0
            soonest = 0.0
        return None, None, soonest

    def run(self) -> None:
        with self._cond:
            if not self._pending:
                return
            slots = sum(min(len(q), 16) for q in self.queues.values())
        workers = [threading.Thread(target=self._worker, daemon=True, name=f"links-{i}")
                   for i in range(max(1, min(self.max_workers, slots)))]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        if self.errors:
            raise self.errors[0]

    def run_here(self) -> None:
        """Run every job on the calling thread (tests with a fake clock and `wait`)."""
        self._worker()

    def _worker(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._pending <= 0 or self.errors:
                        self._cond.notify_all()
                        return
                    job, slot, wait = self._pick()
                    if job is not None:
                        break
                    self._wait(self._cond, min(max(wait, 0.001), MAX_WAIT))
                    self.tick()
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
                    self._cond.notify_all()
                self.tick()
