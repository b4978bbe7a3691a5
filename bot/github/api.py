"""Build the PyGithub client from the environment (token, API root, retry policy)."""

from __future__ import annotations

import os
from typing import Any

from bot.errors import ListkeeperError

DEFAULT_API_URL = "https://api.github.com"
# A rate limit that asks us to wait longer than this is reported, not waited out.
MAX_RATE_LIMIT_WAIT = 900.0


def api_url() -> str:
    """The REST API root from GITHUB_API_URL (GitHub Enterprise, tests) or api.github.com."""
    return (os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")


def token() -> str | None:
    """The token from GITHUB_TOKEN or GH_TOKEN, if any."""
    return os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or None


def client(*, per_page: int = 100, throttle: bool | None = None) -> Any:
    """A PyGithub `Github` that waits out rate limits (Retry-After, X-RateLimit-Reset).

    `throttle` keeps PyGithub's polite spacing between requests; it is on unless
    LISTKEEPER_GITHUB_THROTTLE=0 (the tests' fake server needs no politeness).
    """
    from github import Auth, Github, GithubRetry

    if throttle is None:
        throttle = os.environ.get("LISTKEEPER_GITHUB_THROTTLE", "1") != "0"
    secret = token()
    retry = GithubRetry(total=6, backoff_factor=0.5 if throttle else 0.0,
                        secondary_rate_wait=60.0 if throttle else 0.0,
                        max_rate_limit_wait=MAX_RATE_LIMIT_WAIT)
    kwargs: dict[str, Any] = {
        "base_url": api_url(),
        "per_page": per_page,
        "retry": retry,
        "timeout": 30,
        "user_agent": "listkeeper",
        "lazy": True,
    }
    if not throttle:
        kwargs["seconds_between_requests"] = None
        kwargs["seconds_between_writes"] = None
    if secret:
        kwargs["auth"] = Auth.Token(secret)
    return Github(**kwargs)


def split_repo(full_name: str) -> tuple[str, str]:
    """'owner/name' -> ('owner', 'name'), rejecting anything else."""
    owner, sep, name = full_name.partition("/")
    if not sep or not owner or not name or "/" in name:
        raise ListkeeperError(f"not a repository name (OWNER/NAME): {full_name!r}")
    return owner, name
