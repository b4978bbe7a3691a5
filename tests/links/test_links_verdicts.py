"""Verdicts people can act on: soft 404s, persistent server errors, malformed URLs."""

from __future__ import annotations

from bot.config import Config
from bot.engine import run
from bot.links import LinkTarget, check_links
from bot.links.pages import soft_404
from bot.links.service import check_documents, settings_for
from bot.parse import parse_document
from tests.links.linkfarm import by_url, make_settings

DAY = 86400.0
T0 = 1_750_000_000.0


def test_soft_404_rules():
    assert soft_404("https://lab.org/papers/x.pdf", "https://lab.org/") == "redirects to the front page"
    assert soft_404("https://lab.org/papers/x", "https://new.org/index.html") == "redirects to the front page"
    assert soft_404("https://lab.org/p/1", "https://lab.org/search?q=1") == "redirects to a search page"
    assert soft_404("https://lab.org/index.html", "https://lab.org/") is None
    assert soft_404("https://lab.org/", "https://www.lab.org/") is None
    assert soft_404("https://lab.org/p/1", "https://lab.org/p/1/") is None
    assert soft_404("https://lab.org/search?q=a", "https://lab.org/search?q=a&page=1") is None


def test_soft_404s_are_reported_with_the_page_they_lead_to(farm_factory):
    site = farm_factory("127.0.0.6")
    dead = farm_factory("127.0.0.7")  # a dead service: every paper leads to one page elsewhere
    hub = farm_factory("127.0.0.8")
    b = site.base
    trending = f"{hub.base}/ok/papers/trending"
    dead_links = [f"{dead.base}/redirect-to?u={trending}&paper={i}" for i in range(3)]
    expected = {
        f"{b}/soft/front/2301": ("soft-404", f"{b}/", "redirects to the front page"),
        f"{b}/soft/lookup/2302": ("soft-404", f"{b}/search?q=2302", "redirects to a search page"),
        f"{b}/index.html": ("redirect", f"{b}/", None),
        f"{b}/redirect/301/1": ("redirect", f"{b}/ok/final", None),
        f"{b}/ok/plain": ("ok", None, None),
    }
    for url in dead_links:
        expected[url] = ("soft-404", trending, f"3 links of {dead.hostport} all lead to this one page")
    text = "# L\n\n" + "".join(f"- [Paper {i}]({u}) title\n" for i, u in enumerate(expected))
    doc = parse_document(text, "l.md")
    config = Config.from_text("extends: default\n", "rules.yaml")
    links = check_documents([doc], make_settings(), allow_private=True, first_failure_is_broken=True)
    assert {u: (r.verdict, r.final_url, r.error) for u, r in links.items()} == expected
    findings = run(doc, config, select=["broken-link"], links=links)
    soft = [(f.line, f.level, f.message) for f in findings if f.message.startswith("soft 404")]
    assert soft == [
        (3, "error", f"soft 404: {b}/soft/front/2301 leads to {b}/ (redirects to the front page)"),
        (4, "error", f"soft 404: {b}/soft/lookup/2302 leads to {b}/search?q=2302 (redirects to a search page)"),
    ] + [(8 + i, "error", f"soft 404: {u} leads to {trending} (3 links of {dead.hostport} all lead to this "
                          "one page)") for i, u in enumerate(dead_links)]


def test_a_known_dead_service_is_a_soft_404_with_a_single_link(farm_factory):
    dead, hub = farm_factory("127.0.0.9"), farm_factory("127.0.0.10")
    url = f"{dead.base}/redirect-to?u={hub.base}/ok/papers/trending"
    settings = make_settings(dead_hosts=["127.0.0.9"])
    [result] = check_links([LinkTarget(url, [1])], settings, cache_path=None, allow_private=True)
    assert (result.verdict, result.error) == ("soft-404", "a dead service: its links lead elsewhere")


def test_persistent_5xx_is_unverifiable_first_and_broken_through_the_flap_rule(farm, tmp_path):
    cache = str(tmp_path / "links.sqlite")
    url = f"{farm.base}/status/500"
    settings = make_settings(farm, retries=1)

    def once(now, **kw):
        return by_url(check_links([LinkTarget(url, [1])], settings, cache_path=cache, now=now,
                                  allow_private=True, **kw))[url]

    first = once(T0)
    assert (first.verdict, first.reported_broken, first.failures) == ("unverifiable", False, 1)
    pr = once(T0, first_failure_is_broken=True)  # a PR check does not call a 500 broken either
    assert pr.verdict == "unverifiable"
    later = once(T0 + 3 * DAY)
    assert (later.verdict, later.reported_broken) == ("broken", True)
    assert later.error == "HTTP 500 in 3 runs since 2025-06-15"


def test_malformed_urls_are_findings_not_tracebacks():
    text = "# L\n\n- [a](http://[oops]/x) one\n- [b](http://[::1/) two\n"
    doc = parse_document(text, "l.md")
    config = Config.from_text("extends: default\n", "rules.yaml")
    links = check_documents([doc], settings_for(config), cache_path=None)
    findings = run(doc, config, select=["broken-link"], links=links)
    assert [(f.line, f.column, f.level) for f in findings] == [(3, 7, "error"), (4, 7, "error")]
    assert findings[0].message.startswith("broken link http://[oops]/x (malformed URL")
