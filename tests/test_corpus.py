"""Every real list in the corpus parses, checks and fixes without a crash (speed is measured in
bench/check_bench.py, not here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_defaults
from bot.engine import run
from bot.fixer import fix_text
from bot.parse import parse_document
from tests.conftest import corpus_lists

LISTS = corpus_lists()


@pytest.mark.skipif(not LISTS, reason="corpus ../shared/corpus is absent")
@pytest.mark.parametrize("path", LISTS, ids=[p.stem for p in LISTS])
def test_corpus_list_checks(path: Path):
    text = path.read_text(encoding="utf-8")
    doc = parse_document(text, path.name)
    findings = run(doc, load_defaults())
    assert doc.links, f"{path.name}: no links extracted"
    for finding in findings:
        assert 1 <= finding.line <= doc.line_count + 1
    # every link span points at its URL in the original text
    for link in doc.links:
        if link.kind != "reference":
            assert doc.text[link.start:link.end] == link.url


@pytest.mark.skipif(not LISTS, reason="corpus ../shared/corpus is absent")
@pytest.mark.parametrize("path", LISTS, ids=[p.stem for p in LISTS])
def test_corpus_list_fix_is_stable(path: Path):
    text = path.read_text(encoding="utf-8")
    once = fix_text(text, path.name, load_defaults())
    twice = fix_text(once.text, path.name, load_defaults())
    assert twice.text == once.text
    assert not [f for f in once.remaining if f.fixable and not f.fix.sweeping]


@pytest.mark.skipif(not LISTS, reason="corpus ../shared/corpus is absent")
@pytest.mark.parametrize("path", LISTS, ids=[p.stem for p in LISTS])
def test_corpus_list_init_writes_a_valid_config_and_fix_is_stable_under_it(path: Path):
    from bot.config import Config
    from bot.conventions import infer, render

    text = path.read_text(encoding="utf-8")
    written = render(infer(parse_document(text, "README.md")))
    config = Config.from_text(written, "rules.yaml")  # what init writes loads as it is
    once = fix_text(text, "README.md", config)
    assert fix_text(once.text, "README.md", config).text == once.text
    assert not [f for f in once.remaining if f.fixable and not f.fix.sweeping]
