"""ordering: only the complement of a longest ordered subsequence, with where each belongs."""

from __future__ import annotations

from bot.config import load_config
from bot.engine import check_text
from bot.rules.ordering import kept_indices
from tests.conftest import ROOT, SEED, needs_seed
from tests.ruletest import assert_fix_safe, config_for, findings

POLICY = {"rules": {"ordering": "warning"},
          "sections": {"ordering": [{"match": "*", "keys": ["published", "arxiv"]}]}}


def item(label: str, arxiv: str, title: str) -> str:
    return f"- [[{label}](https://arxiv.org/abs/{arxiv})] {title}\n"


def test_one_misplaced_entry_gives_one_finding_naming_where_it_belongs():
    text = "## 2024\n\n" + "".join(item("ArXiv", f"2402.0{i}000", f"P{i}") for i in range(1, 6))
    text += item("ArXiv", "2402.02500", "Late")
    (found,) = findings(text, "ordering", POLICY)
    assert found.line == 8 and "belongs after line 4, P2 (2402.02000)" in found.message
    assert found.moves and found.fixable


def test_fix_is_a_stable_reorder_that_keeps_nested_items():
    text = ("## 2024\n\n" + item("ArXiv", "2402.03000", "C") + "  - note on C\n"
            + item("ICLR", "2402.09000", "V") + item("ArXiv", "2402.01000", "A"))
    fixed = assert_fix_safe(text, POLICY)
    assert fixed == ("## 2024\n\n" + item("ICLR", "2402.09000", "V") + item("ArXiv", "2402.01000", "A")
                     + item("ArXiv", "2402.03000", "C") + "  - note on C\n")


def test_missing_values_sort_last_or_first():
    text = "## S\n\n- [[ArXiv](https://example.org/x)] No ID\n" + item("ArXiv", "2402.01000", "A")
    assert len(findings(text, "ordering", POLICY)) == 1
    first = {"rules": {"ordering": "warning"},
             "sections": {"ordering": [{"match": "*", "keys": ["arxiv"], "missing": "first"}]}}
    assert findings(text, "ordering", first) == []


def test_diff_mode_reports_the_added_entry_not_the_old_ones():
    text = "## S\n\n" + item("ArXiv", "2402.01000", "A") + item("ArXiv", "2402.09000", "New") \
        + item("ArXiv", "2402.02000", "B")
    found = findings(text, "ordering", POLICY, changed={4})
    assert [f.line for f in found] == [4]


def test_off_by_default():
    text = "## S\n\n" + item("ArXiv", "2402.09000", "B") + item("ArXiv", "2402.01000", "A")
    assert findings(text, "ordering") == []


def test_kept_indices_is_a_longest_non_decreasing_subsequence():
    assert len(kept_indices([1, 5, 2, 3, 4, 0])) == 4
    assert kept_indices([2, 2, 1], [1, 1, 9]) == {2}


@needs_seed
def test_seed_findings_name_where_each_entry_belongs():
    # the seed's rules.yaml (written by init) has no sort policy: no section of the seed keeps
    # one for 95% of its entries. The policy the old rules.yaml imposed (venue papers first)
    # gives findings the maintainers never asked for, each naming where the entry would go.
    config = load_config(str(ROOT / "rules.yaml"))
    seed = SEED.read_text(encoding="utf-8")
    assert not [f for f in check_text(seed, "README.md", config) if f.rule == "ordering"]
    imposed = config_for({"rules": {"ordering": {"level": "warning"}},
                          "sections": {"ordering": [{"match": "* › 20* › *",
                                                     "keys": ["published"]}]}})
    found = [f for f in check_text(seed, "README.md", imposed) if f.rule == "ordering"]
    assert found and all("belongs " in f.message and "line " in f.message for f in found)
