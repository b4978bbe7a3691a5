"""Verdicts of the page checker against misbehaving local routes."""

from __future__ import annotations

from bot.links import LinkTarget, check_links
from tests.links.linkfarm import HUGE_SIZE, by_url, make_settings


def run(urls, settings, **kw):
    kw.setdefault("allow_private", True)
    kw.setdefault("cache_path", None)
    return by_url(check_links([LinkTarget(u, [i + 1]) for i, u in enumerate(urls)], settings, **kw))


def test_verdicts_by_route(farm, closed_port):
    b = farm.base
    urls = {
        f"{b}/ok": ("ok", 200),
        f"{b}/status/404": ("broken", 404),
        f"{b}/status/410": ("broken", 410),
        f"{b}/status/500": ("unverifiable", 500),
        f"{b}/redirect/301/3": ("redirect", 200),
        f"{b}/redirect/308/2": ("redirect", 200),
        f"{b}/redirect/302/2": ("ok", 200),
        f"{b}/redirect/307/1": ("ok", 200),
        f"{b}/loop/a": ("broken", 301),
        f"{b}/chain/0": ("broken", None),
        f"{b}/nohead": ("ok", 200),
        f"{b}/flaky503": ("ok", 200),
        f"http://127.0.0.1:{closed_port}/x": ("broken", None),
        "http://no-such-host.invalid/paper": ("broken", None),
        f"https://{farm.hostport}/ok": ("broken", None),
    }
    results = run(list(urls), make_settings(farm))
    for url, (verdict, status) in urls.items():
        assert (results[url].verdict, results[url].status) == (verdict, status), (url, results[url])
    assert results[f"{b}/redirect/301/3"].final_url == f"{b}/ok/final"
    assert results[f"{b}/redirect/302/2"].final_url == f"{b}/ok/final"
    assert results[f"{b}/loop/a"].error == "redirect loop"
    assert "too many redirects" in results[f"{b}/chain/0"].error
    assert results[f"http://127.0.0.1:{closed_port}/x"].error == "connection refused"
    assert results["http://no-such-host.invalid/paper"].error == "DNS failure"
    assert results[f"https://{farm.hostport}/ok"].error == "TLS error"
    # no redirect chain went beyond max_redirects + 1 requests
    assert sum(1 for p in farm.paths() if p.startswith("/chain/")) <= 11 * 2


def test_mixed_chain_reports_only_the_permanent_part(farm):
    results = run([f"{farm.base}/mixed/1"], make_settings(farm))
    r = results[f"{farm.base}/mixed/1"]
    assert (r.verdict, r.final_url) == ("redirect", f"{farm.base}/mixed/2")


def test_head_405_falls_back_to_get_and_is_remembered(farm):
    urls = [f"{farm.base}/nohead/{i}" for i in range(4)]
    results = run(urls, make_settings(farm, default_host=__import__("bot.links").links.HostLimit(1, 0)))
    assert all(r.verdict == "ok" for r in results.values())
    methods = [e["method"] for e in farm.log]
    assert methods[:2] == ["HEAD", "GET"]
    assert methods.count("HEAD") == 1  # later URLs on the host go straight to GET


def test_huge_body_reads_only_the_cap(farm):
    url = f"{farm.base}/huge"
    stats = {}
    results = by_url(check_links([LinkTarget(url, [1])], make_settings(farm), cache_path=None,
                                 allow_private=True, stats=stats))
    assert results[url].verdict == "ok"
    assert stats["bytes_read"] <= 64 * 1024
    assert farm.huge_sent < HUGE_SIZE // 8, farm.huge_sent


def test_hanging_socket_is_unverifiable_and_bounded(hanging):
    import time

    url = f"{hanging.base}/paper"
    t0 = time.monotonic()
    results = run([url], make_settings(timeout_connect=0.3, timeout_read=0.3))
    assert results[url].verdict == "unverifiable"
    assert "timeout" in results[url].error
    assert time.monotonic() - t0 < 5


def test_reset_connection_is_unverifiable_not_broken(farm):
    url = f"{farm.base}/reset"
    results = run([url], make_settings(farm, retries=1))
    assert results[url].verdict == "unverifiable"


def test_every_url_once_and_lines_merged(farm):
    url = f"{farm.base}/ok/dup"
    targets = [LinkTarget(url, [3]), LinkTarget(url, [1]), LinkTarget(url, [3, 7]),
               LinkTarget("mailto:someone@example.org", [2]), LinkTarget("ftp://x/y", [4])]
    results = check_links(targets, make_settings(farm), cache_path=None, allow_private=True)
    assert [(r.url, r.lines) for r in results] == [(url, [1, 3, 7])]
    assert farm.paths().count("/ok/dup") == 1


def test_excluded_urls_are_not_requested(farm):
    url = f"{farm.base}/ok/private-page"
    results = run([url], make_settings(farm, exclude=[r"/private-page$"]))
    assert (results[url].verdict, results[url].error) == ("unverifiable", "excluded")
    assert farm.log == []


def test_user_agent_is_honest(farm):
    run([f"{farm.base}/ok"], make_settings(farm))
    agent = farm.log[0]["headers"]["User-Agent"]
    assert "listkeeper" in agent and "http" in agent
