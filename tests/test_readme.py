"""The README's rule table is generated from the rules' docs and must not be stale."""

from __future__ import annotations

import re

from bot.cli import rules_table
from tests.conftest import ROOT


def test_readme_rule_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- rules-table:start -->\n(.*?)<!-- rules-table:end -->", readme, re.S)
    assert m, "README.md lacks the rules-table markers"
    assert m.group(1).strip() == rules_table().strip(), (
        "README rule table is stale: run `python tools/update_readme.py`")


def test_quickstart_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"```sh\n", quickstart)) == 2


def test_readme_configuration_examples_are_valid():
    from bot.config import Config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    configs = [b for b in blocks if re.match(r"(extends|links|review|rules):", b)]
    assert len(configs) >= 3
    for block in configs:
        Config.from_text(block, "README.md")  # raises ConfigError when an example is wrong
