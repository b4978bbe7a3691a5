"""What every host type's job shares: its host, its own delay and its retries."""

from __future__ import annotations

from bot.links.http import Answer, LinkError


class RetryingJob:
    """A job that asks again, later, after a one-off failure or a refusal, `retries` times.

    A refusal (429, Retry-After) is asked again at once: the host is held for what the server
    asked, so the job waits with it without a worker. A one-off failure (503 without
    Retry-After, a reset connection) waits a back-off of its own; the host goes on.
    """

    def __init__(self, run, key: str) -> None:
        self.run = run
        self.key = key
        self.not_before = 0.0
        self.attempts = 0

    def again(self, delay: float) -> bool:
        self.attempts += 1
        self.not_before = self.run.politeness.clock() + delay
        return False

    def retry(self, *, error: LinkError | None = None, answer: Answer | None = None) -> bool:
        """True (and the job re-queued) when this failure is worth another try."""
        settings = self.run.settings
        if self.attempts >= settings.retries:
            return False
        backoff = settings.backoff_base * 2 ** self.attempts
        if error is not None and error.retryable or answer is not None and answer.transient:
            self.again(backoff)
            return True
        if answer is not None and answer.refused:
            self.again(0.0)
            return True
        return False
