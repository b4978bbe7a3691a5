"""section-placement: years from labels, venue links and arXiv IDs; moves into the right year."""

from __future__ import annotations

import pytest

from bot import years
from bot.config import load_config
from bot.engine import check_text
from tests.conftest import ROOT, SEED, needs_seed
from tests.ruletest import assert_fix_safe, findings


@pytest.mark.parametrize(("url", "year"), [
    ("https://aclanthology.org/2023.acl-demo.54/", 2023),
    ("https://nips.cc/virtual/2023/oral/73855", 2023),
    ("https://openaccess.thecvf.com/content/CVPR2023/papers/x.pdf", 2023),
    ("https://openaccess.thecvf.com/content_ICCV_2019/papers/x.pdf", 2019),
    ("https://proceedings.mlr.press/v139/kim21d.html", 2021),
    ("https://nips.cc/Conferences/2022/Schedule?showEvent=53407", 2022),
    ("https://www.ijcai.org/Proceedings/2020/0520.pdf", 2020),
    ("https://icml.cc/virtual/2023/28295", 2023),
    ("https://aclanthology.org/P19-1001/", 2019),
    ("https://papers.nips.cc/paper_files/paper/2022/hash/x.html", 2022),
    ("https://arxiv.org/abs/2402.04291", None),
    ("https://openreview.net/forum?id=x", None),
])
def test_url_years(url, year):
    assert years.url_year(url) == year


def test_label_years():
    assert years.label_year("ICLR 2024") == 2024
    assert years.label_year("NeurIPS'23") == 2023
    assert years.label_year("ICLR") is None


TEXT = """# L

## Language

### 2023

**Fine-tuning**

- [[ArXiv](https://arxiv.org/abs/2305.18403)] LoRAPrune

### 2022

**Fine-tuning**

- [[ACL](https://aclanthology.org/2023.acl-demo.54/)] Petals
- [[ICML](https://proceedings.mlr.press/v162/liu22v.html)] GACT
"""


def test_misplaced_entry_moves_to_the_same_category_under_its_year():
    (found,) = findings(TEXT, "section-placement")
    assert found.line == 15 and "Language › 2023 › Fine-tuning" in found.message and found.moves
    fixed = assert_fix_safe(TEXT)
    assert fixed.index("Petals") < fixed.index("### 2022")
    assert "- [[ICML](https://proceedings.mlr.press/v162/liu22v.html)] GACT" in fixed


def test_a_venue_paper_known_only_by_its_arxiv_id_is_not_judged():
    # FLHonker: "Few Sample Knowledge Distillation" is CVPR 2020, arXiv 2018, rightly under 2020
    text = "## 2020\n\n- [[CVPR](https://arxiv.org/abs/1812.01839)] Few Sample Knowledge Distillation\n"
    strict = {"rules": {"section-placement": {"tolerance": 0}}}
    assert findings(text, "section-placement", strict) == []
    # a year in the label is evidence: judged
    labelled = text.replace("[[CVPR]", "[[CVPR 2019]")
    assert [f.line for f in findings(labelled, "section-placement", strict)] == [3]


def test_category_hints_are_info():
    opts = {"rules": {"section-placement": {"category_hints": True}},
            "sections": {"categories": {"Quantization": ["quantiz"], "Distillation": ["distill"]}}}
    text = "## 2023\n\n**Quantization**\n\n- [[ArXiv](https://arxiv.org/abs/2305.12330)] Task-agnostic Distillation\n"
    (found,) = findings(text, "section-placement", opts)
    assert found.level == "info" and "Distillation" in found.message


@needs_seed
def test_seed_misplacements():
    config = load_config(str(ROOT / "rules.yaml"))
    found = [f for f in check_text(SEED.read_text(encoding="utf-8"), "README.md", config)
             if f.rule == "section-placement"]
    messages = " | ".join(f.message for f in found)
    assert "2023.acl-demo.54" in messages and "Language › 2023 › Fine-tuning" in messages
    # the seed's rules.yaml allows one year after the arXiv year (as the list keeps): the 2021
    # preprint under Vision › 2023 is reported, not moved; the 2022 one is within the year
    assert "arXiv 2101.02388" in messages and "arXiv 2202.00512" not in messages
    assert not [f for f in found if "arXiv 2101.02388" in f.message and f.fix is not None]
    assert "2210.17323" not in messages  # GPTQ (ICLR) under 2023 is fine
