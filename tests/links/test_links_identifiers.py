"""arXiv, GitHub and DOI links are checked through their APIs, in batches, never as pages."""

from __future__ import annotations

import pytest

from bot.links import LinkTarget, check_links
from bot.links.arxiv import arxiv_id, title_mismatch
from bot.links.doi import doi_from_url
from bot.links.github_api import github_repo
from tests.links.linkfarm import assert_min_interval, by_url, make_settings


def run(targets, settings, **kw):
    return by_url(check_links(targets, settings, cache_path=None, allow_private=True, **kw))


@pytest.mark.parametrize(("url", "expected"), [
    ("https://arxiv.org/abs/2402.04291", "2402.04291"),
    ("https://arxiv.org/abs/2402.04291v3", "2402.04291v3"),
    ("http://arxiv.org/pdf/2402.04291.pdf", "2402.04291"),
    ("https://arxiv.org/pdf/2402.04291v1", "2402.04291v1"),
    ("https://www.arxiv.org/html/2402.04291v2", "2402.04291v2"),
    ("https://export.arxiv.org/abs/1706.03762", "1706.03762"),
    ("https://browse.arxiv.org/abs/1706.03762", "1706.03762"),
    ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001v2"),
    ("https://arxiv.org/list/cs.CL/recent", None),
    ("https://example.org/abs/2402.04291", None),
])
def test_arxiv_id(url, expected):
    assert arxiv_id(url) == expected


def test_github_repo_and_badges():
    assert github_repo("https://github.com/owner/repo") == "owner/repo"
    assert github_repo("https://github.com/owner/repo.git") == "owner/repo"
    assert github_repo("https://github.com/owner/repo/tree/main/src") == "owner/repo"
    assert github_repo("https://img.shields.io/github/stars/owner/repo?style=social") == "owner/repo"
    assert github_repo("https://github.com/orgs/owner") is None
    assert github_repo("https://github.com/owner") is None
    assert doi_from_url("https://doi.org/10.1145/3290605.3300857") == "10.1145/3290605.3300857"
    assert doi_from_url("https://dx.doi.org/10.18653%2Fv1%2F2020.acl-main.1") == "10.18653/v1/2020.acl-main.1"


def test_title_mismatch():
    assert title_mismatch("Attention Is All You Need", "Attention is all you need.") is None
    assert title_mismatch("Attention Is All You Need", "Attention Is All You Need: extended") is None
    assert title_mismatch("BERT: Pre-training of Deep Bidirectional Transformers",
                          "BERT pre-training of deep bidirectional transformers") is None
    assert title_mismatch("Attention Is All You Need",
                          "Deep Residual Learning for Image Recognition") == \
        "Deep Residual Learning for Image Recognition"
    assert title_mismatch(None, "Anything") is None


def test_arxiv_batches_titles_and_missing_ids(farm):
    farm.papers = {f"2401.{i:05d}": f"Paper number {i} about Large Language Models" for i in range(230)}
    farm.papers["1706.03762"] = "Attention Is All You Need"
    targets = [LinkTarget(f"https://arxiv.org/abs/2401.{i:05d}", [i + 1], f"Paper number {i} about large "
                          "language models") for i in range(230)]
    targets += [
        LinkTarget("https://arxiv.org/pdf/1706.03762v5.pdf", [300], "Deep Residual Learning"),
        LinkTarget("http://www.arxiv.org/abs/1706.03762", [301], "Attention is all you need"),
        LinkTarget("https://arxiv.org/abs/2401.99999", [302], "A paper that does not exist"),
    ]
    settings = make_settings(farm, arxiv_interval=0.1, arxiv_margin=0.02)
    stats: dict = {}
    results = run(targets, settings, stats=stats)
    assert all(results[t.url].verdict == "ok" for t in targets[:230])
    assert all(results[t.url].title_mismatch is None for t in targets[:230])
    assert results["https://arxiv.org/pdf/1706.03762v5.pdf"].title_mismatch == "Attention Is All You Need"
    assert results["http://www.arxiv.org/abs/1706.03762"].title_mismatch is None
    assert results["https://arxiv.org/abs/2401.99999"].verdict == "broken"
    # 233 ids -> 3 requests of at most 100 ids, one at a time, no page fetched
    assert len(farm.arxiv_batches) == 3 and max(farm.arxiv_batches) <= 100
    assert all(p.startswith("/arxiv/api") for p in farm.paths())
    assert farm.max_active == 1
    # the client started them the interval plus its margin apart, on its own clock (the gaps
    # the server measures also hold the machine's scheduling delays, which vary under load)
    starts = stats["politeness"].starts(farm.hostport)
    assert len(starts) == 3
    assert_min_interval(starts, 0.12, slack=1e-9)


def test_arxiv_malformed_id_is_broken_and_the_rest_of_the_batch_is_asked_again(farm):
    """`hepth/9901002` passes our local pattern, but arXiv answers the whole batch with an error
    feed and HTTP 400 (the Error entry names the id, as arXiv's classic_api does)."""
    farm.papers = {"2301.00001": "Good paper", "hep-th/9901001": "An old paper"}
    urls = {"https://arxiv.org/abs/2301.00001": "ok", "https://arxiv.org/abs/hepth/9901002": "broken",
            "https://arxiv.org/abs/hep-th/9901001": "ok", "https://arxiv.org/abs/2301.99999": "broken"}
    results = run([LinkTarget(u, [i], None) for i, u in enumerate(urls)], make_settings(farm))
    assert {u: r.verdict for u, r in results.items()} == urls
    assert results["https://arxiv.org/abs/hepth/9901002"].error == "malformed arXiv identifier"
    assert results["https://arxiv.org/abs/2301.99999"].error == "arXiv identifier not found"
    assert farm.arxiv_batches == [4, 3]  # the first batch was refused, the rest asked again
    assert farm.arxiv_statuses == [400, 200]


def test_arxiv_requests_keep_a_margin_over_the_interval(farm):
    """arXiv's limiter measures arrivals: a client spacing starts exactly 3 s apart was seen
    2.999 s apart. The server's own clock must see at least the interval."""
    farm.papers = {f"2401.{i:05d}": f"P {i}" for i in range(5)}
    targets = [LinkTarget(f"https://arxiv.org/abs/2401.{i:05d}", [i]) for i in range(5)]
    run(targets, make_settings(farm, arxiv_interval=0.2, arxiv_batch=1,
                                arxiv_margin=0.05))
    gaps = [b - a for a, b in zip(farm.starts("/arxiv/api"), farm.starts("/arxiv/api")[1:], strict=False)]
    assert len(gaps) == 4 and min(gaps) >= 0.2, gaps


def test_github_renamed_missing_archived_and_badges(farm):
    farm.repos = {
        "good/repo": ("good/repo", False),
        "old/name": ("new-owner/new-name", False),
        "dusty/repo": ("dusty/repo", True),
        "case/repo": ("Case/Repo", False),
    }
    urls = ["https://github.com/good/repo", "https://github.com/old/name/tree/main/src",
            "https://github.com/dusty/repo", "https://github.com/gone/repo",
            "https://img.shields.io/github/stars/old/name?style=social",
            "https://img.shields.io/github/stars/gone/repo", "https://github.com/case/repo"]
    results = run([LinkTarget(u, [i]) for i, u in enumerate(urls)], make_settings(farm),
                  github_token="t0ken")
    assert results[urls[0]].verdict == "ok"
    renamed = results[urls[1]]
    assert (renamed.verdict, renamed.new_repo) == ("redirect", "new-owner/new-name")
    assert renamed.final_url == "https://github.com/new-owner/new-name/tree/main/src"
    assert (results[urls[2]].verdict, results[urls[2]].archived) == ("ok", True)
    assert results[urls[3]].verdict == "broken"
    assert results[urls[4]].verdict == "redirect"
    assert results[urls[4]].final_url == "https://img.shields.io/github/stars/new-owner/new-name?style=social"
    assert results[urls[5]].verdict == "broken"
    assert results[urls[6]].verdict == "ok"
    assert farm.paths() == ["/graphql"]  # one batch, no page or badge fetched
    assert farm.graphql_auth == ["bearer t0ken"]


def test_github_batches_of_100(farm):
    farm.repos = {f"o/r{i}": (f"o/r{i}", False) for i in range(250)}
    results = run([LinkTarget(f"https://github.com/o/r{i}", [i]) for i in range(250)], make_settings(farm),
                  github_token="x")
    assert all(r.verdict == "ok" for r in results.values())
    assert farm.paths() == ["/graphql"] * 3


def test_without_token_badges_use_the_repo_page(farm):
    badge = "https://img.shields.io/github/stars/a/b?style=social"
    gone = "https://img.shields.io/github/stars/gone/repo"
    settings = make_settings(farm, github_web=f"{farm.base}/ok/github")
    results = run([LinkTarget(badge, [1]), LinkTarget(gone, [2])], settings)
    assert results[badge].verdict == "ok"
    assert sorted(farm.paths()) == ["/ok/github/a/b", "/ok/github/gone/repo"]  # badges never fetched
    settings = make_settings(farm, github_web=f"{farm.base}/status/404")
    assert run([LinkTarget(gone, [2])], settings)[gone].verdict == "broken"


def test_doi_handles(farm):
    farm.dois = {"10.1145/3290605.3300857"}
    good, bad = "https://doi.org/10.1145/3290605.3300857", "https://doi.org/10.9999/missing.1"
    results = run([LinkTarget(good, [1]), LinkTarget(bad, [2])], make_settings(farm))
    assert results[good].verdict == "ok"
    assert results[bad].verdict == "broken"
    assert sorted(farm.paths()) == ["/doi/10.1145/3290605.3300857", "/doi/10.9999/missing.1"]


def test_github_secondary_limit_waits_retry_after_and_then_checks_every_repo(farm):
    """A secondary-limit 403 with retry-after: 1 and 4999 requests remaining is a wait of 1 s
    (not the 3,599 s to the hourly reset, which made every GitHub link unverifiable), and the
    next batch does not go out inside that window."""
    farm.repos = {f"o/r{i}": (f"o/r{i}", False) for i in range(150)}
    farm.graphql_secondary = 1
    results = run([LinkTarget(f"https://github.com/o/r{i}", [i]) for i in range(150)], make_settings(farm),
                  github_token="x")
    assert all(r.verdict == "ok" for r in results.values())
    starts = farm.starts("/graphql")
    assert len(starts) == 3 and starts[1] - starts[0] >= 1.0 - 0.01
