"""Malformed Markdown never crashes the parser, the rules or the fixer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Config
from bot.engine import run
from bot.fixer import UnsafeFix, fix_text
from bot.parse import parse_document
from tests.bounds import within
from tests.conftest import ROOT
from tests.hostile import hostile_blocks

CONFIG = Config.from_text((ROOT / "rules.yaml").read_text(encoding="utf-8"), "rules.yaml")

# fragments that stress the parser: brackets, fences, HTML, tables, headings, line endings
FRAGMENTS = st.sampled_from([
    "[", "]", "(", ")", "![", "](", "[[ArXiv](", "https://arxiv.org/abs/2402.04291", "`", "```",
    "~~~", "<!--", "-->", "<details>", "</details>", "<a href=\"", "\">", "|", "| --- |", "#",
    "## ", "### 2024", "**Quantization**", "- ", "  - ", "1. ", "> ", "\t", " ", "\n", "\r\n",
    "\r", "\\", "*", "_", "[ref]: ", "[ref]", "<https://a.org>", "www.", "é", "🚀", "\u200b",
    "[code](https://github.com/a/b)", "![GitHub Repo stars](https://img.shields.io/github/stars/a/b)",
    "[TOC](#2024-1)", "====", "----", "\x0c",
    "http://[oops]/x", "(http://[::1/)", "http://a.org:99999/", "(https://openreview.net:x/)",
])
# and the hostile shapes (deep nesting, long runs of one opener, huge URLs, many directives...)
TEXTS = st.one_of(st.lists(FRAGMENTS, max_size=60).map("".join), st.text(max_size=300),
                  st.lists(st.one_of(FRAGMENTS, hostile_blocks(300)), min_size=1, max_size=8)
                  .map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_parses_and_checks(text):
    with within(30):
        _parses_and_checks(text)


def _parses_and_checks(text):
    doc = parse_document(text, "list.md")
    for link in doc.links:
        assert 0 <= link.start <= link.end <= len(text)
        assert 1 <= link.line <= max(1, len(doc.line_starts))
    for entry in doc.entries:
        assert entry.line <= entry.end_line
    for line in range(1, doc.line_count + 1):  # the bisect finds what a scan would
        containing = [s for s in doc.sections if s.line <= line <= s.end_line]
        assert doc.section_at(line) is (max(containing, key=lambda s: s.line)
                                        if containing else None)
    for finding in run(doc, CONFIG):
        assert finding.line >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_fixes_stably_or_refuses(text):
    with within(30):
        try:
            once = fix_text(text, "list.md", CONFIG)
        except UnsafeFix:
            return  # refusing to write is a correct answer; losing content is not
        assert fix_text(once.text, "list.md", CONFIG).text == once.text


MALFORMED_URLS = ["http://[oops]/x", "http://[::1/", "https://openreview.net:99999/forum?id=a",
                  "http://example.com:abc/", "https://[img.shields.io/github/stars/a/b"]


@pytest.mark.parametrize("url", MALFORMED_URLS)
@pytest.mark.parametrize("config", [Config.from_text(""), CONFIG], ids=["no config", "rules.yaml"])
def test_a_malformed_url_anywhere_in_an_entry_is_read_without_a_crash(url, config):
    # urlsplit raises ValueError on these (a bracketed host that is no IP, a port out of range
    # or not a number); every rule reads hosts, paths and queries without it
    text = (f"# L\n\n## 2024\n\n- [[ICLR]({url})] A Title About Quantization Things\n"
            f"- [[ICLR]({url})] A Title About Quantization Things\n"
            f"- [[ArXiv](https://arxiv.org/abs/2402.04291)] Other Title [[code]({url})] "
            f"![GitHub Repo stars]({url})\n- [Plain Title Words Here]({url})\n")
    findings = run(parse_document(text, "list.md"), config)
    assert [f.line for f in findings if f.rule == "duplicate"] == [6, 8]  # same URL thrice


def test_url_parts_of_malformed_urls_are_read_without_raising():
    from bot import ids

    assert ids.hostname("http://[oops]/x") == "[oops]"
    assert ids.hostname("https://User@A.org:99999/p?q=1#f") == "a.org"
    assert ids.url_parts("https://a.org:99999/p/q?x=1#f").path == "/p/q"
    assert ids.url_parts("https://[img.shields.io/github/stars/a/b?style=social#x").query == (
        "style=social")
    assert ids.normalize_url("http://www.Example.com:abc/x/") == "http://www.example.com:abc/x/"
