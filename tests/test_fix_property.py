"""Property: on any list with realistic defects, ``fix_text`` is safe.

Lists are built from seed-style entries with random defects (exact duplicate lines in a
section, ``browse.arxiv.org`` hosts, trailing spaces, tabs, continuation lines, double spaces,
runs of blank lines, CRLF line endings, a missing final newline). The fix must be idempotent,
leave no fixable finding, keep the line-ending style, and lose no link except those of the exact
duplicate lines it removes.
"""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_config
from bot.fixer import fix_text
from bot.parse import parse_document
from tests.conftest import ROOT
from tests.hostile import hostile_blocks, hostile_titles

CONFIG = load_config(str(ROOT / "rules.yaml"))
WORDS = ("Accurate", "Efficient", "Quantization", "Pruning", "Large", "Language", "Models",
         "Diffusion", "Sparse", "Low-Rank", "Adaptation", "Binary", "Transformers", "Cache",
         "Distillation", "Memory", "Inference", "Training", "Outlier", "Tokens")
CATEGORIES = ("Quantization", "Pruning and Sparsity", "Distillation", "Other")
DEFECTS = ("none", "none", "none", "trailing", "tab", "double_space", "browse_host",
           "http_host", "continuation", "duplicate", "hostile_title", "long_spaces", "huge_url")


@st.composite
def entry_specs(draw):
    """(title words, has code, defect, hostile run) for one entry."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=8))
    return words, draw(st.booleans()), draw(st.sampled_from(DEFECTS)), draw(hostile_titles())


@st.composite
def paper_lists(draw):
    """(text, number of exact duplicate lines injected)."""
    counter = 0
    duplicates = 0
    out = ["# Awesome Efficient AIGC [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)",
           "", "## Language", "", "### 2024", ""]
    categories = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3, unique=True))
    for category in categories:
        out += [f"**{category}**", ""]
        section: list[str] = []
        for words, code, defect, hostile in draw(st.lists(entry_specs(), min_size=1, max_size=8)):
            counter += 1
            aid = f"24{(counter % 12) + 1:02d}.{10000 + counter:05d}"
            title = f"M{counter}Q: " + " ".join(words)
            line = f"- [[ArXiv](https://arxiv.org/abs/{aid})] {title}"
            if code:
                repo = f"owner{counter}/repo{counter}"
                line += (f" [[code](https://github.com/{repo})]"
                         f" ![GitHub Repo stars](https://img.shields.io/github/stars/{repo})")
            if defect == "duplicate" and section:
                line = draw(st.sampled_from([s for s in section if "\n" not in s] or [line]))
                duplicates += line in section
            elif defect == "trailing":
                line += draw(st.sampled_from([" ", "  ", "\t", " \t "]))
            elif defect == "tab":
                line = line.replace("] ", "]\t", 1)
            elif defect == "double_space":
                line = line.replace(": ", ":  ", 1)
            elif defect == "browse_host":
                line = line.replace("https://arxiv.org/", "https://browse.arxiv.org/", 1)
            elif defect == "http_host":
                line = line.replace("https://arxiv.org/", "http://arxiv.org/", 1)
            elif defect == "continuation" and code:
                line = line.replace(" [[code]", "\n  [[code]", 1)
            elif defect == "hostile_title":  # a run of brackets, backticks, openers...
                line = line.replace(": ", f": {hostile} ", 1)
            elif defect == "long_spaces":
                line = line.replace(": ", ":" + " " * draw(st.integers(2, 3000)), 1)
            elif defect == "huge_url":
                line = line.replace(")] ", "?q=" + "a" * draw(st.integers(1, 20000)) + ")] ", 1)
            section.append(line)
        out += section
        out += [""] * draw(st.integers(min_value=1, max_value=4))
        if draw(st.integers(0, 3)) == 0:  # a hostile block between categories (its entries
            # are no duplicates the property counts; its line endings become the list's)
            block = draw(hostile_blocks(200, without=("duplicates",)))
            out += [block.replace("\r\n", "\n").rstrip("\n"), ""]
    text = "\n".join(out)
    if draw(st.booleans()):
        text = text.rstrip("\n")  # missing final newline
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text, duplicates


def link_key(url: str) -> str:
    key = "".join(url.split())
    key = re.sub(r"^https?://(?:browse\.|export\.|www\.)?arxiv\.org/", "https://arxiv.org/", key)
    return key


def links(text: str) -> Counter:
    return Counter(link_key(link.url) for link in parse_document(text, "README.md").links)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paper_lists())
def test_fix_is_safe_on_lists_with_defects(case):
    text, duplicates = case
    once = fix_text(text, "README.md", CONFIG)
    fixed = once.text

    # idempotent: a second run changes nothing
    twice = fix_text(fixed, "README.md", CONFIG)
    assert twice.text == fixed, "the fix is not idempotent"
    assert not twice.applied

    # nothing fixable is left
    assert [f for f in once.remaining if f.fixable] == []

    # the line-ending style is kept
    if "\r\n" in text:
        assert "\n" not in fixed.replace("\r\n", ""), "a bare LF in a CRLF file"
    else:
        assert "\r" not in fixed
    assert fixed.endswith("\r\n" if "\r\n" in text else "\n")

    # no link is lost except those of the exact duplicate lines the fix removed
    removed = Counter()
    removed_entries = 0
    for finding in once.applied:
        removed.update(link_key(u) for u in finding.fix.removes_links)
        removed_entries += finding.fix.removes_entries
    before, after = links(text), links(fixed)
    for url, count in before.items():
        assert after[url] >= count - removed[url], f"the fix lost {url}"
    assert removed_entries <= duplicates
    doc_before = parse_document(text, "README.md")
    doc_after = parse_document(fixed, "README.md")
    assert len(doc_after.entries) == len(doc_before.entries) - removed_entries
