"""toc: GitHub anchors, HTML anchors, completeness and regeneration of the table of contents."""

from __future__ import annotations

import pytest

from bot.config import load_config
from bot.engine import check_text
from bot.slug import Slugger, slugify
from tests.conftest import ROOT, SEED, corpus_lists, needs_corpus, needs_seed
from tests.ruletest import assert_fix_safe, findings

LEVELS = {"rules": {"toc": {"levels": [2, 3]}}}


@pytest.mark.parametrize(("heading", "anchor"), [
    ("Table of Contents", "table-of-contents"),
    ("Features 🚀", "features-"),
    ("🔥 News", "-news"),
    ("C++ & Rust", "c--rust"),
    ("snake_case *emph*", "snake_case-emph"),
    ("[Linked](https://x.org) Title", "linked-title"),
    ("Awesome X [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)", "awesome-x-"),
    ("`code` and &amp;", "code-and-"),
    ("Über Straße", "über-straße"),
])
def test_github_slugs(heading, anchor):
    assert slugify(heading) == anchor


def test_repeated_headings_get_suffixes():
    slugger = Slugger()
    assert [slugger.slug(h) for h in ("2024", "2023", "2024", "2024")] == ["2024", "2023", "2024-1", "2024-2"]


def test_broken_anchor_anywhere_is_an_error():
    (found,) = findings("## A\n\nsee [b](#b) and [a](#a) and [top](#readme)\n", "toc")
    assert "'#b'" in found.message and found.level == "error"


def test_html_anchors_count():
    text = '<a name="x"></a>\n<h2 id="y">Z Heading</h2>\n\n[1](#x) [2](#y) [3](#z-heading)\n'
    assert findings(text, "toc") == []


def test_stale_toc_is_regenerated_keeping_indent_and_bullet():
    text = ("## Contents\n\n  * [A](#a)\n\n## A\n\n### 2024\n\n## B\n\n### 2024\n")
    found = findings(text, "toc", LEVELS)
    assert {f.line for f in found} == {7, 9, 11} and all(f.fixable for f in found)
    fixed = assert_fix_safe(text, LEVELS)
    assert fixed.startswith("## Contents\n\n  * [A](#a)\n    * [2024](#2024)\n  * [B](#b)\n"
                            "    * [2024](#2024-1)\n")


@needs_seed
def test_seed_toc_is_clean():
    config = load_config(str(ROOT / "rules.yaml"))
    assert [f for f in check_text(SEED.read_text(encoding="utf-8"), "README.md", config)
            if f.rule == "toc"] == []


@needs_corpus
@pytest.mark.parametrize("path", corpus_lists(), ids=lambda p: p.name)
def test_corpus_lists_never_crash(path):
    config = load_config(str(ROOT / "rules.yaml"))
    rules = ("venue", "badge-format", "ordering", "section-placement", "toc")
    check_text(path.read_text(encoding="utf-8"), path.name, config, select=rules)
