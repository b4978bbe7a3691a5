"""Property: ordering and placement fixes move entries but never lose or duplicate one."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.fixer import fix_text
from bot.parse import parse_document
from tests.hostile import hostile_titles
from tests.ruletest import config_for

CONFIG = {"rules": {"ordering": "warning", "section-placement": "warning"},
          "sections": {"ordering": [{"match": "*", "keys": ["published", "arxiv"]}]}}

RULES = ("ordering", "section-placement")
label = st.sampled_from(["ArXiv", "ICLR", "ACL", "NeurIPS"])
# titles with hostile runs (brackets, backticks, openers) and notes nested deep under an entry
entry = st.builds(
    lambda lab, year, month, num, title, depth: (
        f"- [[{lab}](https://arxiv.org/abs/{year % 100:02d}{month:02d}.{num:05d})] Paper {num}"
        f"{title}\n" + "".join("  " * (d + 1) + f"- a note {d}\n" for d in range(depth))),
    label, st.integers(2021, 2024), st.integers(1, 12), st.integers(0, 99999),
    st.one_of(st.just(""), hostile_titles(100).map(lambda t: " " + t)),
    st.one_of(st.just(0), st.just(1), st.integers(0, 40)))
section = st.lists(entry, min_size=0, max_size=6)


def entries(text: str) -> Counter:
    return Counter(e.raw for e in parse_document(text, "list.md").entries)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(section, min_size=4, max_size=4))
def test_ordering_and_placement_fixes_keep_the_multiset_of_entries(sections):
    text = "# L\n"
    for year, body in zip((2024, 2023, 2022, 2021), sections, strict=True):
        text += f"\n## {year}\n\n**Quantization**\n\n" + "".join(body)
    config = config_for(CONFIG)
    once = fix_text(text, "list.md", config, select=RULES)
    assert entries(once.text) == entries(text)
    assert fix_text(once.text, "list.md", config, select=RULES).text == once.text
