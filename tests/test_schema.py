"""bot/schema.json: current with the rules' OPTIONS, accepts our configs, rejects what bot.config rejects."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from bot.config import DEFAULTS_PATH, Config
from bot.errors import ConfigError
from bot.rules import RULES
from bot.schema import SCHEMA_PATH, build_schema, render
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_current():
    committed = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert committed == build_schema(), "bot/schema.json is stale: run python -m bot.schema"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render()


@pytest.mark.parametrize("path", [ROOT / "rules.yaml", DEFAULTS_PATH], ids=lambda p: p.name)
def test_project_configs_validate(validator, path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_every_rule_and_option_is_in_the_schema():
    rules = build_schema()["properties"]["rules"]["properties"]
    assert set(rules) == set(RULES)
    for rule_id, module in RULES.items():
        options = rules[rule_id]["anyOf"][2]["properties"]
        assert set(options) == {"level", "ignore", *module.OPTIONS}
        for name, (_, default) in module.OPTIONS.items():
            assert options[name]["default"] == default


def _both_reject(validator, text: str) -> tuple[list[str], ConfigError]:
    data = yaml.safe_load(text)
    schema_errors = [e.message for e in validator.iter_errors(data)]
    with pytest.raises(ConfigError) as info:
        Config.from_text(text, "rules.yaml")
    return schema_errors, info.value


@pytest.mark.parametrize(("text", "schema_says", "config_says", "line", "key"), [
    ("extends: default\nrulez: {}\n", "'rulez' was unexpected", "unknown key 'rulez'", 2, "rulez"),
    ("rules:\n  no-such-rule: error\n", "'no-such-rule' was unexpected",
     "unknown rule 'no-such-rule'", 2, "rules.no-such-rule"),
    ("rules:\n  duplicate:\n    level: error\n    colour: red\n", "",
     "unknown option 'colour'", 4, "rules.duplicate.colour"),
    ("rules:\n  whitespace:\n    max_blank_lines: two\n", "",
     "option 'max_blank_lines' must be an integer", 3, "rules.whitespace.max_blank_lines"),
    ("rules:\n  whitespace: loud\n", "", "'loud' is not off, on or a level", 2,
     "rules.whitespace"),
    ("rules:\n  whitespace:\n    level: loud\n", "", "level 'loud' is not one of", 3,
     "rules.whitespace.level"),
    ("extends: strict\n", "'strict' is not one of", "'extends' must be 'default'", 1, "extends"),
    ("rules:\n  duplicate:\n    cross_section_level: sometimes\n", "",
     "option 'cross_section_level' must be one of", 3, "rules.duplicate.cross_section_level"),
])
def test_broken_config_is_rejected_by_schema_and_config(validator, text, schema_says, config_says,
                                                        line, key):
    schema_errors, error = _both_reject(validator, text)
    assert schema_errors, "the schema accepted a config bot.config rejects"
    if schema_says:
        assert any(schema_says in message for message in schema_errors), schema_errors
    assert config_says in error.message
    assert (error.path, error.line, error.key) == ("rules.yaml", line, key)


@pytest.mark.parametrize("spec", ["off", "on", "error", "warning", "info", True, False, None,
                                  {"level": "off"}, {"ignore": ["Table of Contents"]}])
def test_short_forms_are_accepted_by_both(validator, spec):
    data = {"extends": "default", "rules": {"whitespace": spec}}
    assert list(validator.iter_errors(data)) == []
    Config.from_text(yaml.safe_dump(data), "rules.yaml")


def test_bare_off_is_accepted_by_both(validator):
    text = "rules:\n  whitespace:\n    level: off\n  duplicate:\n    cross_section_level: off\n"
    assert list(validator.iter_errors(yaml.safe_load(text))) == []
    config = Config.from_text(text, "rules.yaml")
    assert config.rule("whitespace").level is None
    assert config.rule("duplicate").options["cross_section_level"] == "off"
