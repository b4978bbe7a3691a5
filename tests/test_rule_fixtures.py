"""Every rule's fixtures: pass-* produce nothing, fail-* exactly what they expect; fixes are safe."""

from __future__ import annotations

import pytest

from bot.rules import RULES
from tests.ruletest import (
    assert_fix_safe,
    assert_fixed_text,
    assert_fixture,
    fixture_config,
    fixture_files,
)

# online rules (broken-link) are tested against local servers in their own test file
OFFLINE = [rule for rule, module in RULES.items() if not module.ONLINE]
CASES = [(rule, path) for rule in OFFLINE for path in fixture_files(rule)]


@pytest.mark.parametrize(("rule", "path"), CASES, ids=[f"{r}/{p.name}" for r, p in CASES])
def test_fixture(rule, path):
    assert_fixture(path, rule)


@pytest.mark.parametrize(("rule", "path"), CASES, ids=[f"{r}/{p.name}" for r, p in CASES])
def test_fixture_fix_gives_the_exact_fixed_text(rule, path):
    assert_fixed_text(path, rule)


def test_every_fixed_text_belongs_to_a_fixture():
    from pathlib import Path

    for fixed in (Path(__file__).parent / "fixtures").glob("*/*.fixed.md"):
        assert fixed.with_name(fixed.name.replace(".fixed.md", ".md")).is_file(), fixed


@pytest.mark.parametrize(("rule", "path"), CASES, ids=[f"{r}/{p.name}" for r, p in CASES])
def test_fix_is_idempotent_and_loses_nothing(rule, path):
    text = path.read_text(encoding="utf-8")
    assert_fix_safe(text, fixture_config(text))


def test_every_rule_has_passing_and_failing_fixtures():
    for rule in OFFLINE:
        names = [p.name for p in fixture_files(rule)]
        assert any(n.startswith("pass") for n in names), f"{rule} has no pass fixture"
        assert any(n.startswith("fail") for n in names), f"{rule} has no fail fixture"
