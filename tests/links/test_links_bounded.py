"""Bounded whatever the server does: each case against a local misbehaving server."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from bot.cli import main
from bot.links import HostLimit, LinkTarget, check_links
from tests.links.linkfarm import by_url, make_settings


def test_a_server_sending_a_byte_a_second_cannot_stall_a_request(trickle):
    settings = make_settings(timeout_connect=1.0, timeout_read=1.0, request_deadline=0.6, retries=0)
    t0 = time.monotonic()
    [result] = check_links([LinkTarget(f"{trickle.base}/paper", [1])], settings, cache_path=None,
                           allow_private=True)
    assert (result.verdict, result.error) == ("unverifiable", "no complete answer within 0.6 s")
    assert time.monotonic() - t0 < 3


def test_a_host_refusing_every_request_is_given_up_at_once(farm):
    urls = [f"{farm.base}/ratelimit/secs/f{i}?n=999&wait=0" for i in range(30)]
    settings = make_settings(farm, hosts={farm.hostport: HostLimit(1, 0.0)}, max_refusals=4)
    t0 = time.monotonic()
    results = by_url(check_links([LinkTarget(u, [1]) for u in urls], settings, cache_path=None,
                                 allow_private=True))
    assert time.monotonic() - t0 < 3
    assert len(farm.log) == 4
    assert all(r.verdict == "unverifiable" for r in results.values())
    errors = [r.error for r in results.values()]
    # the URL that met the fourth refusal ran out of retries; the other 29 were never sent
    assert errors.count("host given up: refused 4 requests in a row") == 29, errors


@pytest.mark.parametrize("lock", ["transaction", "wal-exclusive"])
def test_a_locked_cache_is_waited_for_then_the_run_goes_without_history(farm, tmp_path, capsys, lock):
    cache = str(tmp_path / "links.sqlite")
    urls = [f"{farm.base}/ok/1", f"{farm.base}/status/404"]
    settings = make_settings(farm, cache_timeout=0.3)
    check_links([LinkTarget(u, [1]) for u in urls], settings, cache_path=cache, allow_private=True)
    holder = sqlite3.connect(cache, isolation_level=None)
    if lock == "transaction":
        holder.execute("BEGIN EXCLUSIVE")
    else:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("SELECT count(*) FROM urls").fetchone()
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("COMMIT")
    try:
        t0 = time.monotonic()
        results = by_url(check_links([LinkTarget(u, [1]) for u in urls], settings, cache_path=cache,
                                     allow_private=True))
        assert time.monotonic() - t0 < 5
    finally:
        holder.close()
    assert results[urls[0]].verdict == "ok" and results[urls[1]].verdict == "broken"
    assert not results[urls[1]].reported_broken  # one failure: unconfirmed, not broken
    assert "locked" in capsys.readouterr().err
    assert not any("corrupt" in name for name in os.listdir(tmp_path))
    rows = sqlite3.connect(cache).execute("SELECT count(*) FROM urls").fetchone()[0]
    assert rows == 2  # the history is kept, not discarded


@pytest.mark.parametrize("command", [["links", "--no-cache"], ["check", "--links", "--no-cache"]])
def test_a_bad_url_in_a_list_is_a_finding_not_a_traceback(tmp_path, capsys, monkeypatch, command):
    listing = tmp_path / "README.md"
    listing.write_text("# L\n\n- [a](http://[oops]/x) one\n- [b](http://[::1/) two\n", encoding="utf-8")
    (tmp_path / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main([command[0], "README.md", *command[1:]])
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.err
    assert "README.md:3:7: error broken link http://[oops]/x (malformed URL" in out.out
    assert "README.md:4:7: error broken link http://[::1/ (malformed URL" in out.out
