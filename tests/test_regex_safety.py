"""No pattern of ours, and no pattern a rules.yaml brings, can backtrack exponentially."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import bot
from bot.config import Config
from bot.errors import ConfigError
from bot.regex_safety import catastrophic
from tests.bounds import within

CATASTROPHIC = [r"(\w+\s?)+$", r"(a+)+b", r"(\d+,?)*x", r"(a*)*b", r"(a|a)*b", r"(?i)(A+a)+$",
                r"^(?:\s*(?:>|[-*+]|\d+[.)])\s*)*#{1,6}[ \t]+(.+?)$", r"(?:x|(?:\s?\w+))+$",
                r"^[A-Za-z][\w&.\-+']*(?:[ \-/][\w&.\-+'()]+){0,11}$"]
SAFE = [r"^\[\[[^\]]+\]\([^)\s]+\)\] \S", r"(?i)^(table of contents|contents|toc)$", r"^\d{4}$",
        r"(?:\[[^\]]*\]\s*)+", r"^(?:[ \t]*+(?:>|[-*+]|\d++[.)])[ \t]*+)*+#", r"(ab|cd)+",
        r"\w+\s+\w+", r"(?:https?://)?[\w.-]+", r"^(20\d\d)$", r"(?:\d{4})?$"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_shapes_are_found(pattern):
    assert catastrophic(pattern)


@pytest.mark.parametrize(("pattern", "text"), [
    (r"(\w+\s?)+$", "a" * 26 + "!"), (r"(a+)+b", "a" * 26), (r"(\d+,?)*x", "1" * 26),
    (r"(a*)*b", "a" * 26), (r"(a|a)*b", "a" * 26)])
def test_the_found_shapes_really_are_slow(pattern, text):
    """The analysis is not paranoid: each of these takes seconds on 26 characters."""
    compiled = re.compile(pattern)
    with pytest.raises(AssertionError), within(0.5):
        compiled.match(text)


@pytest.mark.parametrize("pattern", SAFE)
def test_unambiguous_patterns_pass(pattern):
    assert catastrophic(pattern) is None


def _package_patterns():
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if info.name == "bot.__main__":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{info.name}.{name}", value


def test_no_pattern_in_the_package_backtracks_exponentially():
    """The audit: toc's ATX pattern (``- `` x28 hung check) and the venue-label pattern
    (40 dashes: 11 s) were the two that did."""
    found = {name: catastrophic(p) for name, p in _package_patterns()}
    assert len(found) > 50
    assert {name: why for name, why in found.items() if why} == {}


@pytest.mark.parametrize(("option", "yaml_key", "line"), [
    ("entry-format", "pattern", 4),
    ("section-placement", "year_pattern", 4),
    ("toc", "heading", 4),
])
def test_rules_yaml_refuses_a_catastrophic_user_pattern(option, yaml_key, line):
    text = f"extends: default\nrules:\n  {option}:\n    {yaml_key}: '(\\w+\\s?)+$'\n"
    with pytest.raises(ConfigError) as info:
        Config.from_text(text, "rules.yaml")
    err = info.value
    assert (err.path, err.line, err.key) == ("rules.yaml", line, f"rules.{option}.{yaml_key}")
    assert "exponential" in str(err) and "(\\w+\\s?)+" in str(err)


def test_a_plausible_user_pattern_still_loads():
    config = Config.from_text("extends: default\nrules:\n  entry-format:\n"
                              "    pattern: '^\\[\\[[^\\]]+\\]\\([^)\\s]+\\)\\] \\S.*$'\n", "r.yaml")
    assert config.rules["entry-format"].options["pattern"].startswith("^")
