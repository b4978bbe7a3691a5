"""Every registered rule keeps the one contract of bot.rules.RuleModule, checked, not assumed."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from bot import rules as rules_pkg
from bot.engine import check_text
from bot.fixer import fix_text
from bot.model import LEVELS
from bot.rules import RULES, RuleModule, summary
from bot.validate import Regex, type_ok
from tests.conftest import ROOT
from tests.ruletest import config_for, fixture_config, fixture_files

IDS = list(RULES)
OPTION_TYPES = (bool, int, float, str, list, Regex)


@pytest.mark.parametrize("rule_id", IDS)
def test_module_satisfies_the_protocol(rule_id):
    module = RULES[rule_id]
    assert isinstance(module, RuleModule)
    assert module.ID == rule_id
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule_id)
    assert Path(module.__file__).stem == rule_id.replace("-", "_")
    assert module.LEVEL in LEVELS
    for flag in ("ENABLED", "FIXABLE", "ONLINE"):
        assert type(vars(module)[flag]) is bool, f"{rule_id}.{flag} must be declared as a bool"
    assert not (module.ONLINE and module.FIXABLE), "fix never runs online rules"
    assert inspect.isgeneratorfunction(module.check)
    assert list(inspect.signature(module.check).parameters) == ["doc", "ctx"]


@pytest.mark.parametrize("rule_id", IDS)
def test_options_are_typed_and_documented(rule_id):
    module = RULES[rule_id]
    doc = module.__doc__ or ""
    assert isinstance(module.OPTIONS, dict)
    for name, spec in module.OPTIONS.items():
        assert isinstance(spec, tuple) and len(spec) == 2, f"{rule_id}.{name}: (type, default)"
        kind, default = spec
        assert kind in OPTION_TYPES or (isinstance(kind, tuple) and kind
                                        and all(isinstance(k, str) for k in kind)), name
        assert type_ok(default, kind), f"{rule_id}.{name}: default {default!r} is not {kind}"
        assert f"``{name}``" in doc, f"{rule_id}: option {name} is not documented"


@pytest.mark.parametrize("rule_id", IDS)
def test_docstring_is_the_documentation(rule_id):
    module = RULES[rule_id]
    first = summary(module)
    assert first.endswith(".") and len(first) <= 110
    assert "BAD" in module.__doc__ and "GOOD" in module.__doc__


@pytest.mark.parametrize("rule_id", [r for r in IDS if not RULES[r].ONLINE])
def test_fixable_means_fix_repairs_a_fixture(rule_id):
    """FIXABLE rules have a failing fixture that fix changes; the others never offer a fix."""
    module = RULES[rule_id]
    changed = False
    offered = False
    for path in fixture_files(rule_id):
        text = path.read_text(encoding="utf-8")
        config = config_for(fixture_config(text))
        found = [f for f in check_text(text, "list.md", config) if f.rule == rule_id]
        offered = offered or any(f.fix is not None for f in found)
        result = fix_text(text, "list.md", config, select=[rule_id])
        changed = changed or result.text != text
    assert offered == module.FIXABLE and changed == module.FIXABLE


def test_online_rules_run_only_when_asked():
    online = [r for r in IDS if RULES[r].ONLINE]
    assert online == ["broken-link", "published"]
    text = "# L\n\n- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM\n"
    assert not [f for f in check_text(text, "list.md", config_for()) if f.rule in online]


def test_readme_marks_only_offline_fixable_rules_fixable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule_id, module in RULES.items():
        row = re.search(rf"^\| `{re.escape(rule_id)}` \| \w+ \| (yes|no) \|", readme, re.M)
        assert row, rule_id
        assert row.group(1) == ("yes" if module.FIXABLE else "no")
    assert "| `broken-link` | error | no |" in readme


def test_nothing_reads_rule_attributes_with_defaults():
    """The contract is declared by each rule, not guessed with getattr defaults by its users."""
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"getattr\(\s*(?:module|rule|mod)\s*,\s*['\"](\w+)", text):
            offenders.append(f"{path.relative_to(ROOT)}: {m.group(1)}")
    assert offenders == []
    assert rules_pkg.RuleModule.__doc__
