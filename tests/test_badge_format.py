"""badge-format: the stars badge matches the code link, is well-formed, separated, required."""

from __future__ import annotations

from tests.ruletest import assert_fix_safe, findings

REQUIRE = {"rules": {"badge-format": {"require_stars_badge": True}}}
CODE = "[[code](https://github.com/htqin/IR-QLoRA)]"
BADGE = "![GitHub Repo stars](https://img.shields.io/github/stars/htqin/IR-QLoRA)"


def entry(rest: str) -> str:
    return f"- [[ArXiv](https://arxiv.org/abs/2402.05445)] IR-QLoRA {rest}\n"


def test_good_badge_passes():
    assert findings(entry(f"{CODE} {BADGE}"), "badge-format", REQUIRE) == []


def test_owner_case_does_not_matter():
    badge = BADGE.replace("htqin/IR-QLoRA", "HTQIN/ir-qlora")
    assert findings(entry(f"{CODE} {badge}"), "badge-format") == []


def test_mismatch_is_an_error_and_the_fix_rewrites_the_badge():
    text = entry(f"{CODE} {BADGE.replace('htqin/IR-QLoRA', 'htqin/BiLLM')}")
    (found,) = findings(text, "badge-format")
    assert found.level == "error" and "htqin/BiLLM" in found.message
    assert assert_fix_safe(text) == entry(f"{CODE} {BADGE}")


def test_missing_badge_is_inserted_after_the_code_link():
    text = entry(CODE)
    (found,) = findings(text, "badge-format", REQUIRE)
    assert found.level == "warning"
    assert assert_fix_safe(text, REQUIRE) == entry(f"{CODE} {BADGE}")
    assert findings(text, "badge-format") == []  # not required by default


def test_missing_badge_is_reported_only_for_new_entries_in_diff_mode():
    text = entry(CODE) + entry(CODE).replace("IR-QLoRA", "Other")
    found = findings(text, "badge-format", REQUIRE, changed={2})
    assert [f.line for f in found] == [2]


def test_badge_without_code_link_is_an_error():
    (found,) = findings(entry(BADGE), "badge-format")
    assert "no GitHub code link" in found.message and found.level == "error"


def test_separator_is_fixed():
    opts = {"rules": {"badge-format": {"require_stars_badge": True}}}
    text = entry(f"{CODE}{BADGE}")
    (found,) = findings(text, "badge-format", opts)
    assert "separate" in found.message
    assert assert_fix_safe(text, opts) == entry(f"{CODE} {BADGE}")


def test_spacing_is_no_convention_where_badges_are_not():
    # a list that does not ask for badges has no badge layout to enforce
    assert findings(entry(f"{CODE}{BADGE}"), "badge-format") == []


def test_awesome_badge_in_the_title():
    opts = {"rules": {"badge-format": {"awesome_badge": True}}}
    good = "# Awesome X [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n"
    assert findings(good, "badge-format", opts) == []
    (found,) = findings("# Awesome X\n", "badge-format", opts)
    assert found.fixable
