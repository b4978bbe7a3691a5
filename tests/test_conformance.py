"""Our positions against a reference parser: markdown-it-py's links and lines on real lists.

mistune keeps no source positions, so bot.parse records them itself; this test is the check
that they are right. Every Markdown link and image that markdown-it-py finds must be found by
us with the same URL and line, and we must find no Markdown link it does not.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bot.parse import parse_document
from tests.conftest import SEED, corpus_lists

markdown_it = pytest.importorskip("markdown_it")

LISTS = corpus_lists() + ([SEED] if SEED.is_file() else [])
MARKDOWN_KINDS = {"inline", "image", "reference", "autolink"}
# a link destination broken by a line break: ``[x](https://a.org/b\n)``
_BROKEN_DESTINATION = re.compile(r"\]\(\s*<?[^\s()<>]*\s*\n\s*\)")


def reference_links(text: str) -> Counter:
    md = markdown_it.MarkdownIt("commonmark").enable("table")
    out: Counter = Counter()
    for token in md.parse(text):
        if token.type != "inline" or token.map is None:
            continue
        if _BROKEN_DESTINATION.search(token.content):
            continue  # markdown-it's tokens cannot show a line break inside a destination
        line = token.map[0] + 1
        stack = list(token.children or [])
        for child in stack:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                out[(md.normalizeLink(child.attrs["href"]) if child.attrs.get("href") else "", line)] += 1
            elif child.type == "image":
                out[(md.normalizeLink(child.attrs["src"]) if child.attrs.get("src") else "", line)] += 1
            elif child.type in ("text", "code_inline", "html_inline"):
                line += child.content.count("\n")
    return out


def our_links(text: str) -> Counter:
    md = markdown_it.MarkdownIt("commonmark")
    doc = parse_document(text, "list.md")
    skipped = set()
    for token in md.parse(text):
        if token.type == "inline" and token.map and _BROKEN_DESTINATION.search(token.content):
            skipped.update(range(token.map[0] + 1, token.map[1] + 1))
    return Counter((md.normalizeLink(link.url) if link.url else "", doc.line_of(link.construct_start))
                   for link in doc.links
                   if link.kind in MARKDOWN_KINDS and doc.line_of(link.construct_start) not in skipped)


@pytest.mark.skipif(not LISTS, reason="corpus ../shared/corpus is absent")
@pytest.mark.parametrize("path", LISTS, ids=[p.stem for p in LISTS])
def test_links_agree_with_markdown_it(path: Path):
    text = path.read_text(encoding="utf-8")
    ours, theirs = our_links(text), reference_links(text)
    missing = theirs - ours
    extra = ours - theirs
    assert not missing and not extra, (
        f"{path.name}: missing {sorted(missing)[:5]} ({sum(missing.values())}), "
        f"extra {sorted(extra)[:5]} ({sum(extra.values())})")


def test_positions_on_a_tricky_snippet():
    text = ("# T\r\n\r\n- a [x](https://a.org/1)\r\n  continued [y](https://a.org/2)\r\n"
            "  1. nested ![i](https://a.org/i.png)\r\n\r\n> [q](https://a.org/q)\r\n\r\n"
            "| h | l |\r\n| - | - |\r\n| c | [t](https://a.org/t) |\r\n\r\n[r]: https://a.org/r\r\n"
            "see [r] and <https://a.org/auto>\r\n")
    assert our_links(text) == reference_links(text)
    doc = parse_document(text, "x.md")
    for link in doc.links:
        assert doc.text[link.start:link.end] == link.url or link.kind == "reference"
