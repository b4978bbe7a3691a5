"""Broken rules.yaml files end with exit code 2 and name the file, the line and the key; discovery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load_config
from bot.errors import ConfigError
from tests.conftest import ROOT

LIST = ("# List\n\n## 2024\n\n"
        "- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training "
        "Quantization  \n")
WHITESPACE_ERROR = "extends: default\nrules:\n  whitespace: error\n"

# (name, rules.yaml text, line, key or None, part of the message)
BROKEN = [
    # Semantic Scholar's batch endpoint takes at most 500 ids a request:
    # https://api.semanticscholar.org/api-docs/graph#tag/Paper-Data/operation/post_graph_get_papers
    ("batch-over-the-services-maximum", "links:\n  semantic_scholar_batch: 501\n", 2,
     "links.semantic_scholar_batch", "must be at most 500"),
    ("bad-yaml", "extends: default\nrules:\n  whitespace: [\n", 4, None, "invalid YAML"),
    ("bad-yaml-tab", "rules:\n\twhitespace: off\n", 2, None, "invalid YAML"),
    ("duplicate-key", "rules:\n  whitespace: off\n  whitespace: on\n", 3, "rules.whitespace",
     "duplicate key 'rules.whitespace'"),
    ("unknown-top-level-key", "extends: default\nrulez:\n  whitespace: off\n", 2, "rulez",
     "unknown key 'rulez'"),
    ("unknown-rule", "extends: default\nrules:\n  whitespaces: off\n", 3, "rules.whitespaces",
     "unknown rule 'whitespaces'"),
    ("unknown-option", "rules:\n  duplicate:\n    level: error\n    colour: red\n", 4,
     "rules.duplicate.colour", "unknown option 'colour'"),
    ("wrong-type", "rules:\n  whitespace:\n    max_blank_lines: two\n", 3,
     "rules.whitespace.max_blank_lines", "must be an integer, not 'two'"),
    ("wrong-type-bool", "rules:\n  whitespace:\n    allow_tabs: 1\n", 3,
     "rules.whitespace.allow_tabs", "must be true or false"),
    ("bad-level", "rules:\n  whitespace: loud\n", 2, "rules.whitespace",
     "'loud' is not off, on or a level"),
    ("bad-level-in-mapping", "rules:\n  whitespace:\n    level: fatal\n", 3,
     "rules.whitespace.level", "level 'fatal' is not one of error, warning, info"),
    ("bad-ignore", "rules:\n  whitespace:\n    ignore: Table of Contents\n", 3,
     "rules.whitespace.ignore", "'ignore' must be a list"),
    ("extends-other", "extends: recommended\n", 1, "extends", "'extends' must be 'default'"),
    ("rules-not-mapping", "rules: [whitespace]\n", 1, "rules", "'rules' must be a mapping"),
    ("files-not-list", "files: README.md\n", 1, "files", "'files' must be a list"),
]


def run_cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def listdir(tmp_path: Path) -> Path:
    (tmp_path / "list.md").write_text(LIST, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("name", "text", "line", "key", "message"), BROKEN,
                         ids=[case[0] for case in BROKEN])
def test_broken_config_through_the_loader(tmp_path, name, text, line, key, message):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    error = info.value
    assert message in error.message
    assert error.path == str(path)
    assert error.line == line
    assert error.key == key
    if key:
        assert key.rsplit(".", 1)[-1] in error.message  # the message names the key


@pytest.mark.parametrize(("name", "text", "line", "key", "message"), BROKEN,
                         ids=[case[0] for case in BROKEN])
def test_broken_config_through_the_cli(listdir, name, text, line, key, message):
    (listdir / "broken.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--config", "broken.yaml", "list.md", cwd=listdir)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert f"broken.yaml:{line}: " in result.stderr
    assert message in result.stderr
    if key:
        assert key.rsplit(".", 1)[-1] in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_config_file(listdir):
    result = run_cli("check", "--config", "nope.yaml", "list.md", cwd=listdir)
    assert result.returncode == 2
    assert "nope.yaml: config file not found" in result.stderr


def test_config_not_utf8(listdir):
    (listdir / "latin1.yaml").write_bytes("rules:\n  # caf\xe9\n".encode("latin-1"))
    result = run_cli("check", "--config", "latin1.yaml", "list.md", cwd=listdir)
    assert result.returncode == 2
    assert "latin1.yaml:2: not UTF-8" in result.stderr  # the line of the bad byte


def test_rule_off_disables_it(listdir):
    (listdir / "off.yaml").write_text("extends: default\nrules:\n  whitespace: off\n",
                                      encoding="utf-8")
    result = run_cli("check", "--config", "off.yaml", "list.md", cwd=listdir)
    assert result.returncode == 0, result.stderr
    assert "whitespace" not in result.stdout
    config = load_config(str(listdir / "off.yaml"))
    assert config.rule("whitespace").level is None


def test_level_off_in_a_mapping_disables_it(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  whitespace:\n    level: off\n    max_blank_lines: 2\n",
                    encoding="utf-8")
    settings = load_config(str(path)).rule("whitespace")
    assert settings.level is None and settings.options["max_blank_lines"] == 2


# discovery ---------------------------------------------------------------------------------------

def test_defaults_without_any_config(listdir):
    result = run_cli("check", "list.md", cwd=listdir)
    assert result.returncode == 0, result.stderr
    assert "warning trailing whitespace" in result.stdout


def test_config_in_the_current_directory(listdir):
    (listdir / "rules.yaml").write_text(WHITESPACE_ERROR, encoding="utf-8")
    result = run_cli("check", "list.md", cwd=listdir)
    assert result.returncode == 1
    assert "error trailing whitespace" in result.stdout


def test_hidden_config_name_in_the_current_directory(listdir):
    (listdir / ".listkeeper.yaml").write_text(WHITESPACE_ERROR, encoding="utf-8")
    assert run_cli("check", "list.md", cwd=listdir).returncode == 1


def test_config_at_the_git_root(listdir):
    subprocess.run(["git", "init", "-q"], cwd=listdir, check=True)
    (listdir / "rules.yaml").write_text(WHITESPACE_ERROR, encoding="utf-8")
    sub = listdir / "docs" / "deep"
    sub.mkdir(parents=True)
    (sub / "list.md").write_text(LIST, encoding="utf-8")
    result = run_cli("check", "list.md", cwd=sub)
    assert result.returncode == 1, result.stderr
    assert "error trailing whitespace" in result.stdout


def test_current_directory_wins_over_git_root(listdir):
    subprocess.run(["git", "init", "-q"], cwd=listdir, check=True)
    (listdir / "rules.yaml").write_text(WHITESPACE_ERROR, encoding="utf-8")
    sub = listdir / "sub"
    sub.mkdir()
    (sub / "list.md").write_text(LIST, encoding="utf-8")
    (sub / "rules.yaml").write_text("extends: default\nrules:\n  whitespace: off\n",
                                    encoding="utf-8")
    result = run_cli("check", "list.md", cwd=sub)
    assert result.returncode == 0, result.stderr
    assert "whitespace" not in result.stdout


def test_explicit_config_wins(listdir):
    (listdir / "rules.yaml").write_text("extends: default\nrules:\n  whitespace: off\n",
                                        encoding="utf-8")
    (listdir / "strict.yaml").write_text(WHITESPACE_ERROR, encoding="utf-8")
    result = run_cli("check", "--config", "strict.yaml", "list.md", cwd=listdir)
    assert result.returncode == 1
    assert "error trailing whitespace" in result.stdout


def test_broken_discovered_config_is_named(listdir):
    (listdir / "rules.yaml").write_text("rules:\n  nope: on\n", encoding="utf-8")
    result = run_cli("check", "list.md", cwd=listdir)
    assert result.returncode == 2
    assert "rules.yaml:2: unknown rule 'nope'" in result.stderr


def test_files_from_config(listdir):
    (listdir / "rules.yaml").write_text(WHITESPACE_ERROR + "files: [list.md]\n", encoding="utf-8")
    result = run_cli("check", cwd=listdir)
    assert result.returncode == 1
    assert "list.md:5:" in result.stdout


def test_bare_off_in_an_enumerated_option(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  duplicate:\n    cross_section_level: off\n", encoding="utf-8")
    assert load_config(str(path)).rule("duplicate").options["cross_section_level"] == "off"


def test_a_regex_option_that_does_not_compile_is_a_config_error(tmp_path):
    from bot.config import Config
    from bot.errors import ConfigError

    text = "extends: default\nrules:\n  entry-format:\n    pattern: '^[[unclosed'\n"
    with pytest.raises(ConfigError) as info:
        Config.from_text(text, "rules.yaml")
    assert info.value.line == 4 and info.value.key == "rules.entry-format.pattern"
    assert "not a valid regular expression" in str(info.value)


def test_only_the_named_rules_and_sections_are_validated_at_load(tmp_path):
    """``load_config(only=...)``: what the caller runs is validated at once; the rest when
    first asked for, with the same error."""
    path = tmp_path / "rules.yaml"
    path.write_text("extends: default\nrules:\n  whitespace:\n    no_such_option: 1\n"
                    "venues:\n  no_such_key: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as everything:
        load_config(str(path))
    config = load_config(str(path), only=("broken-link", "links"))
    assert config.rule("broken-link").level == "error"
    with pytest.raises(ConfigError) as asked:
        config.rule("whitespace")
    assert str(asked.value) == str(everything.value) and asked.value.line == 4
    with pytest.raises(ConfigError):
        load_config(str(path), only=("broken-link", "venues"))


def test_libyaml_and_pyyaml_read_a_config_alike(monkeypatch):
    """The config is read with libyaml when PyYAML has it; PyYAML's own parser reads the same
    values and key lines (and says why when libyaml refuses a file)."""
    from bot import config as config_module

    texts = [(ROOT / "rules.yaml").read_text(encoding="utf-8"),
             config_module.DEFAULTS_PATH.read_text(encoding="utf-8"),
             'links:\n  hosts: {"a.example:8080": {concurrency: 2}}\nfiles: [a.md, "b.md"]\n'
             "rules:\n  toc: &t {level: warning}\n  whitespace: *t\n"]
    fast = [config_module._load_yaml(text, "rules.yaml") for text in texts]
    monkeypatch.setattr(config_module, "_LOADER", __import__("yaml").SafeLoader)
    assert [config_module._load_yaml(text, "rules.yaml") for text in texts] == fast
