"""The one fake GitHub for the whole suite: started once, reset for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakegithub import FakeGitHub


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeGitHub]:
    fake = FakeGitHub().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def github(fake_server: FakeGitHub, monkeypatch: pytest.MonkeyPatch, tmp_path) -> FakeGitHub:
    """The fake, emptied, with the environment pointing the bot at it."""
    fake_server.reset()
    monkeypatch.setenv("GITHUB_API_URL", fake_server.url)
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    monkeypatch.setenv("LISTKEEPER_GITHUB_THROTTLE", "0")
    for name in ("GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_NAME", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    return fake_server
