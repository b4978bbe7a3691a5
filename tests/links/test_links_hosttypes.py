"""The host-type contract: every module in HOST_TYPES provides the same five names, claims
URLs, and gives LinkResults; pages comes last and claims the rest."""

from __future__ import annotations

import inspect

from bot.links import hosttypes
from bot.links.checker import Run
from bot.links.settings import LinksSettings

NAMES = {"claim": ["url", "run"], "key": ["ident", "run"], "cost": ["count", "key", "run"],
         "jobs": ["groups", "run"]}


def test_every_host_type_module_follows_the_contract():
    modules = hosttypes.modules()
    assert [m.NAME for m in modules] == ["arxiv", "github", "doi", "pages"]
    for module in modules:
        assert isinstance(module.NAME, str)
        for name, params in NAMES.items():
            assert list(inspect.signature(getattr(module, name)).parameters) == params, (module, name)


def test_claims():
    run = Run(LinksSettings(), allow_private=False, github_token="t", records={})
    claims = {
        "https://arxiv.org/abs/2401.00001v2": ("arxiv", "2401.00001v2"),
        "https://github.com/Owner/Repo/tree/main": ("github", "Owner/Repo"),
        "https://img.shields.io/github/stars/owner/repo": ("github", "Owner/Repo"),  # one spelling
        "https://doi.org/10.1145/1.2": ("doi", "10.1145/1.2"),
        "https://example.org/paper": ("pages", "https://example.org/paper"),
    }
    for url, expected in claims.items():
        module = next(m for m in hosttypes.modules() if m.claim(url, run) is not None)
        assert (module.NAME, module.claim(url, run)) == expected
    no_token = Run(LinksSettings(), allow_private=False, github_token=None, records={})
    pages = hosttypes.modules()[-1]
    assert pages.claim("https://img.shields.io/github/stars/a/b", no_token) == "https://github.com/a/b"


def test_every_paper_source_follows_the_contract():
    from bot.links.results import PaperTarget

    modules = hosttypes.paper_sources()
    assert [m.NAME for m in modules] == ["semantic-scholar", "dblp", "openreview"]
    for module in modules:
        for name, params in NAMES.items():
            want = ["paper", "run"] if name == "claim" else params
            assert list(inspect.signature(getattr(module, name)).parameters) == want, (module, name)
    run = Run(LinksSettings(), allow_private=False, github_token=None, records={})
    paper = PaperTarget("2402.04291", "BiLLM: Pushing the Limit of Post-Training Quantization", [3],
                        "2402.04291")
    claims = [m.claim(paper, run) for m in modules]
    assert claims == ["ARXIV:2402.04291", "billm pushing the limit of post training quantization", None]
    short = PaperTarget("title:x", "BiLLM", [3], openreview_id="abc")
    assert [m.claim(short, run) for m in modules] == [None, None, "abc"]  # too short to search
