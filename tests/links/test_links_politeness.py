"""Per-host limits and back-off, asserted from the servers' own request logs."""

from __future__ import annotations

import time

from bot.links import HostLimit, LinkTarget, check_links
from bot.links.http import server_wait
from tests.links.linkfarm import assert_min_interval, by_url, make_settings


def run(urls, settings, **kw):
    return by_url(check_links([LinkTarget(u, [1]) for u in urls], settings, cache_path=None,
                              allow_private=True, **kw))


def test_concurrency_and_interval_never_exceeded(farm_factory):
    busy = farm_factory("127.0.0.2", latency=0.15)
    spaced = farm_factory("127.0.0.3", latency=0.02)
    settings = make_settings(hosts={"127.0.0.2": HostLimit(2, 0.0), "127.0.0.3": HostLimit(4, 0.1)})
    urls = [f"{busy.base}/ok/{i}" for i in range(12)] + [f"{spaced.base}/ok/{i}" for i in range(8)]
    stats: dict = {}
    results = run(urls, settings, stats=stats)
    assert all(r.verdict == "ok" for r in results.values())
    assert busy.max_active == 2
    assert spaced.max_active <= 4
    # the client kept the interval on its own clock, exactly
    assert_min_interval(stats["politeness"].starts(spaced.hostport), 0.1, slack=1e-9)
    # the server saw the same schedule, less the delay of each arrival (scheduling under load):
    # no gap much shorter, and no drift: the k-th request came k intervals after the first
    arrivals = spaced.starts()
    assert len(arrivals) == 8
    assert_min_interval(arrivals, 0.1, slack=0.05)
    assert all(t - arrivals[0] >= k * 0.1 - 0.05 for k, t in enumerate(arrivals))


def test_name_port_override_wins_over_name(farm_factory):
    a = farm_factory("127.0.0.4", latency=0.1)
    b = farm_factory("127.0.0.4", latency=0.1)
    settings = make_settings(hosts={"127.0.0.4": HostLimit(1, 0.0), f"127.0.0.4:{b.server_address[1]}":
                                    HostLimit(3, 0.0)})
    run([f"{a.base}/ok/{i}" for i in range(4)] + [f"{b.base}/ok/{i}" for i in range(9)], settings)
    assert a.max_active == 1
    assert b.max_active == 3


def _assert_host_waited(farm, path_prefix, slack=0.05):
    """No request to the host arrived after a 429 was sent and before its wait ran out."""
    assert farm.violations == []
    limited = [e for e in farm.log if e["path"].startswith(path_prefix)][0]
    until = farm.not_before[path_prefix.split("?")[0]]
    early = [e for e in farm.log if limited["wall"] + slack < e["wall"] < until]
    assert early == [], [(e["path"], round(until - e["wall"], 3)) for e in early]


def test_retry_after_seconds_holds_the_whole_host(farm):
    settings = make_settings(farm, default_host=HostLimit(3, 0.0))
    limited = f"{farm.base}/ratelimit/secs/a?n=1&wait=1"
    urls = [limited] + [f"{farm.base}/slow?s=0.05&i={i}" for i in range(12)]
    t0 = time.monotonic()
    results = run(urls, settings)
    assert results[limited].verdict == "ok"
    assert all(r.verdict == "ok" for r in results.values())
    _assert_host_waited(farm, "/ratelimit/secs/a")
    assert time.monotonic() - t0 >= 1.0


def test_retry_after_http_date(farm):
    url = f"{farm.base}/ratelimit/date/b?n=1&wait=1"
    results = run([url, f"{farm.base}/ok/1", f"{farm.base}/ok/2"], make_settings(farm))
    assert results[url].verdict == "ok"
    _assert_host_waited(farm, "/ratelimit/date/b")


def test_x_ratelimit_reset(farm):
    url = f"{farm.base}/ratelimit/reset/c?n=1&wait=1"
    results = run([url], make_settings(farm))
    assert results[url].verdict == "ok"
    _assert_host_waited(farm, "/ratelimit/reset/c")


def test_wait_longer_than_cap_is_unverifiable(farm):
    url = f"{farm.base}/ratelimit/secs/d?n=5&wait=120"
    t0 = time.monotonic()
    results = run([url], make_settings(farm, max_retry_wait=2))
    assert results[url].verdict == "unverifiable"
    assert "rate limited" in results[url].error
    assert time.monotonic() - t0 < 2
    assert farm.counters["/ratelimit/secs/d"] == 1


def test_persistent_429_is_unverifiable_after_bounded_retries(farm):
    url = f"{farm.base}/ratelimit/secs/e?n=99&wait=0"
    results = run([url], make_settings(farm, retries=2))
    assert (results[url].verdict, results[url].status) == ("unverifiable", 429)
    assert farm.counters["/ratelimit/secs/e"] == 3


def test_403_to_head_and_get_stops_the_host(farm):
    settings = make_settings(farm, default_host=HostLimit(1, 0.0), max_host_concurrency=1)
    urls = [f"{farm.base}/forbidden/1"] + [f"{farm.base}/ok/{i}" for i in range(3)]
    results = run(urls, settings)
    assert all(r.verdict == "unverifiable" for r in results.values())
    assert [e["method"] for e in farm.log] == ["HEAD", "GET"]
    assert "blocks bots" in results[f"{farm.base}/ok/0"].error


def test_configured_blocking_host_gives_up_after_first_403(farm):
    settings = make_settings(farm, default_host=HostLimit(1, 0.0), max_host_concurrency=1,
                             blocking_hosts=["127.0.0.1"])
    results = run([f"{farm.base}/forbidden/1", f"{farm.base}/ok/1"], settings)
    assert [r.verdict for r in results.values()] == ["unverifiable", "unverifiable"]
    assert [e["method"] for e in farm.log] == ["HEAD"]


def test_retry_after_parsing():
    now = 1_700_000_000.0
    assert server_wait({"retry-after": "7"}, now) == 7
    assert server_wait({"retry-after": "Tue, 14 Nov 2023 22:13:30 GMT"}, now) == 10
    assert server_wait({"x-ratelimit-reset": str(int(now) + 30),
                                "x-ratelimit-remaining": "0"}, now) == 30
    assert server_wait({"retry-after": "garbage"}, now) is None
    assert server_wait({}, now) is None


def test_github_secondary_limit_waits_for_retry_after_not_the_hourly_reset():
    """GitHub sends the rate headers on every answer; a secondary-limit 403 says retry-after: 2
    while 4999 requests remain, so the wait is 2 s, not the hour until the reset.
    https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api"""
    now = 1_700_000_000.0
    headers = {"retry-after": "2", "x-ratelimit-remaining": "4999", "x-ratelimit-reset": str(int(now) + 3599)}
    assert server_wait(headers, now) == 2
    # the reset counts only once the quota is used up
    assert server_wait({"x-ratelimit-remaining": "4999", "x-ratelimit-reset": str(int(now) + 3599)},
                               now) is None
