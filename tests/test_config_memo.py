"""The vocabulary and the sort policies are built once per configuration, for every rule."""

from __future__ import annotations

from bot import vocabulary
from bot.engine import check_text
from bot.fixer import fix_text
from bot.rules import ordering
from tests.ruletest import config_for


def _item(arxiv: str, title: str) -> str:
    return f"- [[ArXiv](https://arxiv.org/abs/{arxiv})] {title}\n"


def test_section_placement_places_a_moved_entry_by_the_ordering_rules_keys():
    """policy_of read the options of the rule that called it: section-placement has no
    ``keys``, so a moved entry landed at the end, not where rules.ordering.keys puts it."""
    # a preprint under a year before its arXiv year is misplaced for certain: it moves
    text = ("# L\n\n## 2023\n\n" + _item("2301.00001", "First Paper Title")
            + _item("2403.00001", "Second Paper Title") + _item("2305.00001", "Third Paper Title")
            + "\n## 2024\n\n" + _item("2401.00001", "A 2024 Paper Title")
            + _item("2405.00001", "A Later 2024 Paper"))
    config = config_for({"rules": {"ordering": {"level": "warning", "keys": ["arxiv"]}}})
    fixed = fix_text(text, "list.md", config, select=["section-placement"]).text
    assert fixed == ("# L\n\n## 2023\n\n" + _item("2301.00001", "First Paper Title")
                     + _item("2305.00001", "Third Paper Title") + "\n## 2024\n\n"
                     + _item("2401.00001", "A 2024 Paper Title")
                     + _item("2403.00001", "Second Paper Title")
                     + _item("2405.00001", "A Later 2024 Paper"))


def test_vocabulary_and_policies_are_built_once_per_run(monkeypatch):
    built = {"vocabulary": 0, "policies": 0}
    real_build, real_policies = vocabulary.Vocabulary._build, ordering._Policies.__init__

    def count_vocabulary(cls, config):
        built["vocabulary"] += 1
        return real_build.__func__(cls, config)

    def count_policies(self, config):
        built["policies"] += 1
        real_policies(self, config)

    monkeypatch.setattr(vocabulary.Vocabulary, "_build", classmethod(count_vocabulary))
    monkeypatch.setattr(ordering._Policies, "__init__", count_policies)
    config = config_for({"rules": {"ordering": "warning"}, "venues": {"aliases": {"Nips": "NeurIPS"}},
                         "sections": {"ordering": [{"match": "*", "keys": ["published"]}]}})
    text = "# L\n\n" + "".join(f"## 20{y}\n\n" + _item(f"{y}01.0000{y % 10}", f"Paper Title {y}")
                               + "- [[ICLR](https://openreview.net/forum?id=x" + str(y) + ")] Venue "
                               f"Paper {y}\n\n" for y in range(15, 25))
    check_text(text, "list.md", config)
    assert built == {"vocabulary": 1, "policies": 1}
