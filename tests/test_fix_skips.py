"""A fix that would lose a link, an entry or a code block is skipped, alone; the rest apply."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from bot import engine
from bot.fixer import fix_text
from bot.model import Edit, Fix, Problem
from tests.conftest import ROOT
from tests.ruletest import config_for

TEXT = ("# L\n\n- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM\n"
        "- [[ArXiv](https://arxiv.org/abs/2402.05445)] IR-QLoRA [[code](https://github.com/h/i)]\n"
        "\n```\ncode   \n```\n\ntrailing   \n")


def _bad_rule(make_fix):
    def check(doc, ctx):
        yield Problem(4, 1, "a bad fix", make_fix(doc))

    return SimpleNamespace(ID="bad", LEVEL="warning", ENABLED=True, FIXABLE=True, ONLINE=False,
                           OPTIONS={}, check=check, __doc__="A bad rule.\n\nBAD GOOD")


@pytest.fixture
def with_rule(monkeypatch):
    def install(make_fix):
        rules = dict(engine.RULES)
        rules["bad"] = _bad_rule(make_fix)
        monkeypatch.setattr(engine, "RULES", rules)
        config = config_for()
        config.rules["bad"] = config.rules["whitespace"].__class__("warning", {})
        return config

    return install


def test_a_fix_that_drops_a_link_is_skipped_and_the_others_apply(with_rule):
    def drop_code_link(doc):
        start = doc.text.index(" [[code]")
        return Fix((Edit(start, doc.text.index("\n", start), ""),), "drop the code link")

    result = fix_text(TEXT, "list.md", with_rule(drop_code_link))
    assert result.text == TEXT.replace("trailing   ", "trailing")
    assert [(s.finding.rule, s.reason) for s in result.skipped] == [
        ("bad", "would lose the link github.com/h/i")]
    assert {f.rule for f in result.applied} == {"whitespace"}


def test_a_fix_that_changes_a_code_block_is_skipped(with_rule):
    def edit_code(doc):
        start = doc.text.index("code   ")
        return Fix((Edit(start + 4, start + 7, ""),), "strip the code")

    result = fix_text(TEXT, "list.md", with_rule(edit_code))
    assert result.text == TEXT.replace("trailing   ", "trailing")
    assert [(s.finding.rule, s.reason) for s in result.skipped] == [
        ("bad", "would lose the code block at line 6")]


@pytest.mark.parametrize(("text", "skipped_rule", "reason"), [
    # an entry whose continuation line would become part of the previous one
    ("-\nhttp://.g\n]", "entry-format", "would lose 1 entries"),
    ("- [\n[f]:-\thttp://.r", "entry-format", "would lose the link -"),
])
def test_odd_lists_fix_the_rest_instead_of_refusing_the_file(text, skipped_rule, reason):
    """Found by random lists: each made fix refuse to write anything."""
    config = config_for({"rules": {"entry-format": {"pattern": r"^\[\["}}})
    result = fix_text(text, "README.md", config)
    assert result.text.endswith("\n") and result.text.rstrip("\n") == text.replace("\t", " ") \
        or result.text == text + "\n"
    assert (skipped_rule, reason) in [(s.finding.rule, s.reason) for s in result.skipped]


def test_fix_says_which_fixes_it_skipped(tmp_path):
    (tmp_path / "README.md").write_text("-\nhttp://.g\n]  \n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "bot", "fix", "README.md"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    assert "README.md:1: skipped the entry-format fix (would lose 1 entries)" in result.stderr
    assert "1 fix(es) skipped" in result.stderr
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "-\nhttp://.g\n]\n"
