"""Limits for the bounded-input tests: a CPU-time alarm, a wider wall-clock alarm (for a block
that waits instead of computing) and a ceiling on traced memory.

The inputs of tests/test_bounds.py are chosen so that the code before issue 11 runs for many
seconds (or forever, or through gigabytes) while the bounded code needs a small fraction of the
limit, so a loaded machine does not make them flaky.
"""

from __future__ import annotations

import signal
import threading
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager


class TookTooLong(AssertionError):
    """The code under test did not finish within its limit."""


class _Expired(BaseException):
    """Raised by the alarm inside the code under test; turned into TookTooLong outside it."""


@contextmanager
def within(seconds: float, *, mb: float | None = None) -> Iterator[None]:
    """Fail when the block uses more than ``seconds`` of CPU time, waits for more than four
    times that (at least 20 s) of wall-clock time, or allocates more than ``mb`` MB. CPU time,
    not wall-clock time, is the bound of work: a machine loaded by other processes does not
    make the tests flaky."""
    use_alarm = threading.current_thread() is threading.main_thread()

    def expired(signum, frame):
        raise _Expired

    if use_alarm:
        previous = signal.signal(signal.SIGALRM, expired), signal.signal(signal.SIGPROF, expired)
        signal.setitimer(signal.ITIMER_PROF, seconds)
        signal.setitimer(signal.ITIMER_REAL, max(4 * seconds, seconds + 20))
    tracing = mb is not None and not tracemalloc.is_tracing()
    if tracing:
        tracemalloc.start()
    try:
        try:
            yield
        except _Expired:
            raise TookTooLong(f"took longer than {seconds} s of CPU time (or waited) ") from None
        if tracing:
            _, peak = tracemalloc.get_traced_memory()
            assert peak <= mb * 2**20, f"allocated {peak / 2**20:.0f} MB, limit {mb} MB"
    finally:
        if tracing:
            tracemalloc.stop()
        if use_alarm:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous[0])
            signal.signal(signal.SIGPROF, previous[1])


class Counted:
    """A sort key that counts its comparisons (shared counter), to assert O(n log n) work."""

    __slots__ = ("value", "counter")

    def __init__(self, value, counter: list[int]) -> None:
        self.value = value
        self.counter = counter

    def _cmp(self, other):
        self.counter[0] += 1
        return other.value if isinstance(other, Counted) else other

    def __lt__(self, other):
        return self.value < self._cmp(other)

    def __le__(self, other):
        return self.value <= self._cmp(other)

    def __gt__(self, other):
        return self.value > self._cmp(other)

    def __ge__(self, other):
        return self.value >= self._cmp(other)

    def __eq__(self, other):
        return self.value == self._cmp(other)

    def __hash__(self):
        return hash(self.value)
