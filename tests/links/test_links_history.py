"""The SQLite history: cache, flap suppression, ETags, runs, and surviving a corrupt file."""

from __future__ import annotations

import io
import os
import sqlite3

from bot.links import LinkTarget, check_links
from bot.links.history import History
from tests.links.linkfarm import by_url, make_settings

DAY = 86400.0
T0 = 1_750_000_000.0


def run(urls, settings, cache, now, **kw):
    kw.setdefault("allow_private", True)
    return by_url(check_links([LinkTarget(u, [1]) for u in urls], settings, cache_path=cache, now=now, **kw))


def test_second_run_uses_the_cache(farm, tmp_path):
    cache = str(tmp_path / "deep" / "links.sqlite")
    farm.papers = {"2301.00001": "A paper"}
    urls = [f"{farm.base}/ok/{i}" for i in range(30)] + [f"{farm.base}/status/404",
                                                         "https://arxiv.org/abs/2301.00001"]
    settings = make_settings(farm)
    first = run(urls, settings, cache, T0)
    sent = len(farm.log)
    second = run(urls, settings, cache, T0 + DAY)
    resent = len(farm.log) - sent
    assert resent <= 0.1 * sent and resent >= 1  # only the broken link is asked again
    assert all(second[u].cached for u in urls[:30])
    assert [second[u].verdict for u in urls] == [first[u].verdict for u in urls]
    run(urls, settings, cache, T0 + 5 * DAY)  # past max_age_days: everything again
    assert len(farm.log) - sent - resent == sent


def test_flap_suppression_needs_two_runs_over_three_days(farm, tmp_path):
    cache = str(tmp_path / "links.sqlite")
    url = f"{farm.base}/status/404"
    settings = make_settings(farm)
    r1 = run([url], settings, cache, T0)[url]
    assert (r1.verdict, r1.reported_broken, r1.failures) == ("broken", False, 1)
    r2 = run([url], settings, cache, T0 + DAY)[url]
    assert (r2.reported_broken, r2.failures) == (False, 2)  # two runs, but only one day
    r3 = run([url], settings, cache, T0 + 3 * DAY)[url]
    assert (r3.reported_broken, r3.failures) == (True, 3)
    assert r3.first_broken == "2025-06-15"
    # a PR check reports the first failure
    other = f"{farm.base}/status/410"
    assert run([other], settings, cache, T0, first_failure_is_broken=True)[other].reported_broken


def test_recovery_resets_the_streak(farm, tmp_path):
    cache = str(tmp_path / "links.sqlite")
    url = f"{farm.base}/flaky503?n=1"
    settings = make_settings(farm, retries=0)
    assert run([url], settings, cache, T0)[url].verdict == "unverifiable"
    assert run([url], settings, cache, T0 + DAY)[url].verdict == "ok"
    db = History(cache)
    assert db.get_many([url])[url].failures == 0
    runs = db.recent_runs()
    assert [(r.ok, r.unverifiable) for r in runs] == [(0, 1), (1, 0)]
    db.close()


def test_etag_is_stored_and_sent(farm, tmp_path):
    cache = str(tmp_path / "links.sqlite")
    url = f"{farm.base}/etag"
    settings = make_settings(farm, max_age_days=0)
    assert run([url], settings, cache, T0)[url].verdict == "ok"
    second = run([url], settings, cache, T0 + DAY)[url]
    assert (second.verdict, second.status) == ("ok", 304)
    assert farm.log[-1]["headers"].get("If-None-Match") == '"v1"'


def test_corrupt_database_is_moved_aside_and_rebuilt(farm, tmp_path):
    cache = tmp_path / "links.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    warn = io.StringIO()
    url = f"{farm.base}/ok"
    results = by_url(check_links([LinkTarget(url, [1])], make_settings(farm), cache_path=str(cache),
                                 allow_private=True, progress=warn, now=T0))
    assert results[url].verdict == "ok"
    assert "unreadable" in warn.getvalue()
    aside = [p for p in os.listdir(tmp_path) if ".corrupt-" in p]
    assert aside
    assert sqlite3.connect(cache).execute("SELECT count(*) FROM urls").fetchone() == (1,)


class _CrashingConnection:
    """A connection that dies when the run row is written, after the URL rows."""

    def __init__(self, db):
        self.db = db

    def __getattr__(self, name):
        return getattr(self.db, name)

    def __enter__(self):
        return self.db.__enter__()

    def __exit__(self, *exc):
        return self.db.__exit__(*exc)

    def execute(self, sql, *args):
        if sql.startswith("INSERT INTO runs"):
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return self.db.execute(sql, *args)


def test_crash_mid_run_leaves_the_previous_state(farm, tmp_path, monkeypatch):
    cache = str(tmp_path / "links.sqlite")
    url, broken = f"{farm.base}/ok", f"{farm.base}/status/404"
    run([url], make_settings(farm), cache, T0)
    real_open = History._open
    with monkeypatch.context() as patch:
        patch.setattr(History, "_open", lambda self: _CrashingConnection(real_open(self)))
        warn = io.StringIO()
        results = run([url, broken], make_settings(farm, max_age_days=0), cache, T0 + DAY, progress=warn)
    assert results[broken].verdict == "broken"  # the run still answers
    assert "could not save link history" in warn.getvalue()
    db = History(cache)
    rows = db.get_many([url, broken])
    assert list(rows) == [url] and rows[url].last_checked == T0
    assert len(db.recent_runs()) == 1
    db.close()
