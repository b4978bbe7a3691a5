"""The SSRF guard: private and metadata addresses are refused before any request."""

from __future__ import annotations

import pytest

from bot.links import LinkTarget, check_links
from bot.links.ssrf import BLOCKED_MESSAGE, blocked_reason, is_forbidden_address
from tests.links.linkfarm import make_settings


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.1.1", "172.16.0.1", "169.254.169.254",
                                     "fd00:ec2::254", "::1", "fe80::1", "224.0.0.1", "0.0.0.0",
                                     "::ffff:127.0.0.1", "100.64.0.1", "240.0.0.1"])
def test_forbidden_addresses(address):
    assert is_forbidden_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "140.82.112.3", "2606:4700::6810:84e5"])
def test_public_addresses(address):
    assert not is_forbidden_address(address)


def test_loopback_link_is_refused_without_a_request(farm):
    urls = [f"{farm.base}/ok", f"http://localhost:{farm.server_address[1]}/ok"]
    results = check_links([LinkTarget(u, [1]) for u in urls], make_settings(farm), cache_path=None)
    assert [(r.verdict, r.error) for r in results] == [("unverifiable", BLOCKED_MESSAGE)] * 2
    assert farm.log == []
    assert blocked_reason("localhost", 80) == BLOCKED_MESSAGE


def test_redirect_into_private_space_is_refused(farm, monkeypatch):
    """A public page that redirects to a private address: the hop is refused."""
    from bot.links import http

    allowed = {"public.test"}
    monkeypatch.setattr(http, "blocked_reason",
                        lambda host, port: None if host in allowed else BLOCKED_MESSAGE)
    fetcher = http.Fetcher(make_settings(farm), http.Politeness(make_settings(farm)))
    monkeypatch.setattr(fetcher, "_once", _fake_once(farm))
    result = fetcher.check_page("http://public.test/start")
    assert (result.verdict, result.error) == ("unverifiable", BLOCKED_MESSAGE)
    assert farm.log == []


def _fake_once(farm):
    def once(method, url, host, headers, data, cap):
        return http_answer(url)
    return once


def http_answer(url):
    from bot.links.http import Answer

    return Answer(url, 301, {"location": "http://169.254.169.254/latest/meta-data"})
