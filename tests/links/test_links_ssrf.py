"""The SSRF guard: the authority parsed as urllib3 parses it, resolved once, the connection made
to the checked address on every hop. Names resolve through a fake resolver: no test sends a
packet off loopback."""

from __future__ import annotations

import socket

import pytest

from bot.links import LinkTarget, check_links
from bot.links.ssrf import BLOCKED_MESSAGE, blocked_reason, is_forbidden_address, parse_authority
from bot.links.targets import link_targets
from bot.parse import parse_document
from tests.links.linkfarm import make_settings


class FakeResolver:
    """Names to addresses, and every lookup it was asked for."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.table[host]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.1.1", "172.16.0.1", "169.254.169.254",
                                     "fd00:ec2::254", "::1", "fe80::1", "224.0.0.1", "0.0.0.0",
                                     "::ffff:127.0.0.1", "100.64.0.1", "240.0.0.1"])
def test_forbidden_addresses(address):
    assert is_forbidden_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "140.82.112.3", "2606:4700::6810:84e5"])
def test_public_addresses(address):
    assert not is_forbidden_address(address)


@pytest.mark.parametrize(("address", "forbidden"), [
    ("127.0.0.1", False), ("127.0.0.2", False), ("::1", False), ("::ffff:127.0.0.1", False),
    ("169.254.169.254", True), ("169.254.1.1", True), ("fd00:ec2::254", True), ("fe80::1", True),
    ("10.0.0.1", True), ("192.168.0.1", True)])
def test_allow_private_opens_loopback_only(address, forbidden):
    assert is_forbidden_address(address, allow_loopback=True) is forbidden


def test_authority_is_parsed_as_urllib3_does():
    # urlsplit says x.invalid; urllib3, and so requests, connect to 127.0.0.1
    assert parse_authority("http://127.0.0.1:8080\\@x.invalid/") == ("127.0.0.1", 8080, True)
    assert parse_authority("https://Example.ORG./a") == ("example.org", 443, False)
    assert parse_authority("http://[::1]:81/") == ("::1", 81, True)


def test_loopback_link_is_refused_without_a_request(farm):
    urls = [f"{farm.base}/ok", f"http://localhost:{farm.server_address[1]}/ok",
            f"http://127.0.0.1:{farm.server_address[1]}\\@x.invalid/ok"]
    resolver = FakeResolver({"localhost": ["127.0.0.1"]})
    results = check_links([LinkTarget(u, [1]) for u in urls], make_settings(farm), cache_path=None,
                          resolver=resolver)
    assert [(r.verdict, r.error) for r in results] == [("unverifiable", BLOCKED_MESSAGE)] * 3
    assert farm.log == []
    assert blocked_reason("localhost", 80, resolver=resolver) == BLOCKED_MESSAGE


def test_backslash_authority_is_refused_in_every_kind_of_link(farm):
    """Inline links, bare URLs and hrefs all reach the guard with the urllib3 authority."""
    sneaky = f"http://127.0.0.1:{farm.server_address[1]}\\@x.invalid/"
    text = (f"# L\n\n- [a]({sneaky}inline) paper\n- bare {sneaky}bare\n"
            f'- <a href="{sneaky}href">c</a>\n')
    targets = link_targets(parse_document(text, "l.md"))
    assert len(targets) == 3
    results = check_links(targets, make_settings(farm), cache_path=None, resolver=FakeResolver({}))
    assert {(r.verdict, r.error) for r in results} == {("unverifiable", BLOCKED_MESSAGE)}
    assert farm.log == []


def test_connects_to_the_address_it_checked_without_a_second_lookup(farm):
    """DNS rebinding: the guard's lookup said 127.0.0.1; a second lookup (by urllib3) would
    fail, since the name exists only in the fake resolver, so an answer from the farm proves the
    connection went to the checked address."""
    resolver = FakeResolver({"paper.test": ["127.0.0.1"]})
    url = f"http://paper.test:{farm.server_address[1]}/ok/rebind"
    [result] = check_links([LinkTarget(url, [1])], make_settings(farm), cache_path=None,
                           allow_private=True, resolver=resolver)
    assert result.verdict == "ok"
    assert farm.paths() == ["/ok/rebind"]
    assert farm.log[0]["headers"]["Host"] == f"paper.test:{farm.server_address[1]}"
    assert resolver.calls == ["paper.test"]


def test_a_name_that_does_not_resolve_is_broken_without_a_connection(farm):
    resolver = FakeResolver({})
    [result] = check_links([LinkTarget("http://gone.invalid/paper", [1])], make_settings(farm),
                           cache_path=None, resolver=resolver)
    assert (result.verdict, result.error) == ("broken", "DNS failure")
    assert resolver.calls == ["gone.invalid"]


def test_metadata_stays_refused_with_allow_private(farm):
    resolver = FakeResolver({"meta.test": ["169.254.169.254"], "wide.test": ["127.0.0.1", "fd00:ec2::254"]})
    urls = ["http://meta.test/latest/meta-data", "http://wide.test/x", "http://169.254.169.254/latest",
            "http://[fd00:ec2::254]/latest", "http://10.0.0.7/x"]
    results = check_links([LinkTarget(u, [1]) for u in urls], make_settings(farm), cache_path=None,
                          allow_private=True, resolver=resolver)
    assert [(r.verdict, r.error) for r in results] == [("unverifiable", BLOCKED_MESSAGE)] * 5


def test_every_redirect_hop_is_guarded(farm):
    """A public page redirecting to the metadata address, written so urlsplit sees another host:
    the hop is refused and nothing is sent there."""
    port = farm.server_address[1]
    resolver = FakeResolver({"public.test": ["127.0.0.1"]})
    url = f"http://public.test:{port}/redirect-to?u=http://169.254.169.254:{port}%5C@x.invalid/"
    [result] = check_links([LinkTarget(url, [1])], make_settings(farm), cache_path=None,
                           allow_private=True, resolver=resolver)
    assert (result.verdict, result.error) == ("unverifiable", BLOCKED_MESSAGE)
    assert farm.paths() == ["/redirect-to?u=http://169.254.169.254:" + str(port) + "%5C@x.invalid/"]
