"""A hostile or odd rules.yaml gets exit 2 with file and line: never a traceback, a hang or a
memory blow-up; and every section is checked by the one validator, with the same errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.errors import ConfigError
from tests.bounds import within
from tests.conftest import ROOT

BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"]
                 + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
                    for i in range(8)]) + "\nrules: *i\n"

# (name, rules.yaml text, line of the error, part of the message)
HOSTILE = [
    ("billion laughs (478 bytes)", BOMB, None, "alias bomb"),
    ("recursive alias", "extends: default\nvenues: &v\n  canonical: [*v]\n", 2, "contains itself"),
    ("5,000-deep nesting", "rules:\n  toc:\n    levels: " + "[" * 5000 + "]" * 5000 + "\n", 3,
     "nested more than 32 levels"),
    ("1,000-deep mappings", "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 1000)), 33,
     "nested more than 32 levels"),
    ("unknown tag", "extends: default\nrules:\n  whitespace: !!python/object:os.system x\n", 3,
     "unknown tag"),
    ("local tag", "extends: default\nfiles: [!include other.yaml]\n", 2, "unknown tag"),
    ("5,000-digit integer", "rules:\n  whitespace:\n    max_blank_lines: " + "9" * 5000 + "\n",
     3, "a number of 5,000 characters"),
    ("links.timeout_read: .inf", "links:\n  timeout_read: .inf\n", 2, "finite number"),
    ("links.timeout_read: .nan", "links:\n  timeout_read: .nan\n", 2, "finite number"),
    ("negative count", "rules:\n  whitespace:\n    max_blank_lines: -1\n", 3, "at least 0"),
    ("negative tolerance", "rules:\n  section-placement:\n    tolerance: -3\n", 3, "at least 0"),
    ("huge count", "rules:\n  duplicate:\n    min_title_length: 99999999999999\n", 3, "at most"),
    ("negative interval", "links:\n  default_host: {min_interval: -2}\n", 2, "at least 0"),
    ("a list as a key", "rules:\n  ? [a, b]\n  : on\n", 2, "plain name"),
    ("a date where a number goes", "review:\n  max_comments: 2024-01-01\n", 2, "an integer"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_config_is_a_config_error(name, text, line, message):
    with within(5, mb=100), pytest.raises(ConfigError) as info:
        Config.from_text(text, "rules.yaml")
    assert message in info.value.message
    assert info.value.path == "rules.yaml"
    if line is not None:
        assert info.value.line == line


def test_hostile_config_through_the_cli_is_exit_2(tmp_path):
    (tmp_path / "list.md").write_text("# L\n", encoding="utf-8")
    for n, case in enumerate(HOSTILE):
        (tmp_path / f"r{n}.yaml").write_text(case[1], encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for n, (name, _, _, message) in enumerate(HOSTILE[:8]):
        result = subprocess.run([sys.executable, "-m", "bot", "check", "--config", f"r{n}.yaml",
                                 "list.md"], cwd=tmp_path, env=env, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 2, name
        assert "Traceback" not in result.stderr and message in result.stderr, name
        assert result.stderr.startswith(f"listkeeper: error: r{n}.yaml"), name


def test_a_fifo_or_a_huge_file_is_not_read_as_a_config(tmp_path):
    fifo = tmp_path / "rules.yaml"
    os.mkfifo(fifo)
    with within(5), pytest.raises(ConfigError, match="not a regular file"):
        load_config(str(fifo))
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (2 << 20) + b"\n")
    with pytest.raises(ConfigError, match="file over 1 MB"):
        load_config(str(big))


def test_aliases_that_only_share_values_still_load():
    config = Config.from_text("extends: default\nlinks:\n  default_host: &polite {concurrency: 2}\n"
                              "  hosts:\n    a.org: *polite\n    b.org: *polite\n", "rules.yaml")
    assert config.section("links")["hosts"]["b.org"] == {"concurrency": 2}


# one validator: every section reports the same way --------------------------------------------

SECTIONS = [
    ("rules", "rules:\n  whitespace:\n    max_blank_lines: two\n", 3,
     "rules.whitespace.max_blank_lines", "option 'max_blank_lines' must be an integer, not 'two'"),
    ("links", "links:\n  retries: two\n", 2, "links.retries",
     "option 'retries' must be an integer, not 'two'"),
    ("review", "review:\n  max_comments: two\n", 2, "review.max_comments",
     "option 'max_comments' must be an integer, not 'two'"),
    ("venues", "venues:\n  closed: two\n", 2, "venues.closed",
     "option 'closed' must be true or false, not 'two'"),
    ("sections", "sections:\n  ordering:\n    - match: '*'\n      missing: two\n      keys: [arxiv]\n",
     4, "sections.ordering[0].missing", "option 'missing' must be one of first, last, not 'two'"),
    ("rules unknown", "rules:\n  whitespace:\n    colour: red\n", 3, "rules.whitespace.colour",
     "unknown option 'colour' (options of rules.whitespace:"),
    ("links unknown", "links:\n  retires: 3\n", 2, "links.retires",
     "unknown option 'retires' (options of links:"),
    ("review unknown", "review:\n  approve: true\n", 2, "review.approve",
     "unknown option 'approve' (options of review:"),
    ("venues unknown", "venues:\n  colours: []\n", 2, "venues.colours",
     "unknown option 'colours' (options of venues:"),
    ("sections unknown", "sections:\n  sorting: []\n", 2, "sections.sorting",
     "unknown option 'sorting' (options of sections:"),
]


@pytest.mark.parametrize(("name", "text", "line", "key", "message"), SECTIONS,
                         ids=[s[0] for s in SECTIONS])
def test_every_section_reports_file_line_and_key_the_same_way(name, text, line, key, message):
    with pytest.raises(ConfigError) as info:
        Config.from_text("extends: default\n" + text, "rules.yaml")
    error = info.value
    assert (error.path, error.line, error.key) == ("rules.yaml", line + 1, key)
    assert error.message == f"{key}: {message}" or error.message.startswith(f"{key}: {message}")


def test_the_sections_share_one_validator():
    """No section module keeps a type checker of its own."""
    for module in ("bot/links/settings.py", "bot/github/settings.py", "bot/vocabulary.py",
                   "bot/config.py"):
        text = Path(ROOT, module).read_text(encoding="utf-8")
        assert "bot.validate import" in text or ".validate import" in text, module
        assert "isinstance(value, bool)" not in text, module
