"""Progress on stderr: one redrawn line on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """Counts finished URLs; `waiting` reports how many hosts are backing off."""

    def __init__(self, stream: TextIO | None, total: int, waiting: Callable[[], int],
                 interval: float = 5.0) -> None:
        self.stream = stream
        self.total = total
        self.waiting = waiting
        self.interval = interval
        self.done = 0
        self.broken = 0
        self._last = 0.0
        self._lock = threading.Lock()
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())

    def advance(self, n: int = 1, broken: int = 0) -> None:
        with self._lock:
            self.done += n
            self.broken += broken
        self.tick()

    def tick(self, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        with self._lock:
            every = 0.1 if self.tty else self.interval
            if not force and now - self._last < every:
                return
            self._last = now
            done, broken, total = self.done, self.broken, self.total
        waiting = self.waiting()
        if self.tty:
            width = 30
            filled = width * done // total if total else width
            bar = "#" * filled + "." * (width - filled)
            line = f"\rlinks [{bar}] {done}/{total}  broken {broken}  hosts backing off {waiting}"
            self.stream.write(line + "\x1b[K")
        else:
            self.stream.write(f"links: {done}/{total} checked, {broken} broken, "
                              f"{waiting} hosts backing off\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.stream is None:
            return
        self.tick(force=True)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
