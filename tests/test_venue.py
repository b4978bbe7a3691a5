"""venue: aliases fixed, years removed when not allowed, unknown labels, contradicting links."""

from __future__ import annotations

import pytest

from bot.config import load_config
from bot.engine import check_text
from bot.errors import ConfigError
from bot.rules.venue import contradiction, link_venues
from bot.vocabulary import Vocabulary
from tests.conftest import ROOT, SEED, needs_seed
from tests.ruletest import assert_fix_safe, config_for, findings

NO_YEAR = {"rules": {"venue": {"allow_year": False}}}


def test_alias_is_fixed_to_the_canonical_spelling():
    text = "# L\n\n## 2024\n\n- [[Arxiv](https://arxiv.org/abs/2402.10193)] BitDelta\n"
    (found,) = findings(text, "venue")
    assert found.line == 5 and "'ArXiv'" in found.message and found.fixable
    assert "[[ArXiv](" in assert_fix_safe(text)


def test_year_is_removed_only_when_not_allowed():
    text = "## 2024\n\n- [[DAC 2024](https://arxiv.org/abs/2402.14866)] APTQ\n"
    assert findings(text, "venue") == []
    fixed = assert_fix_safe(text, NO_YEAR)
    assert "[[DAC](https://arxiv.org/abs/2402.14866)]" in fixed


def test_workshop_label_keeps_its_track_and_loses_its_year():
    text = "- [[ICLR Practical ML Workshop 2024](https://arxiv.org/abs/2403.18159)] Oh! We Freeze\n"
    fixed = assert_fix_safe(text, NO_YEAR)
    assert "[[ICLR Practical ML Workshop](" in fixed


def test_unknown_label_suggests_the_closest():
    (found,) = findings("- [[NeurlPS](https://arxiv.org/abs/2305.14314)] X\n", "venue")
    assert "did you mean 'NeurIPS'" in found.message and not found.fixable


@pytest.mark.parametrize(("label", "url", "bad"), [
    ("ICLR", "https://openaccess.thecvf.com/content/CVPR2023/papers/x.pdf", True),
    ("CVPR", "https://openaccess.thecvf.com/content/CVPR2023/papers/x.pdf", False),
    ("ICCV", "https://openaccess.thecvf.com/content_ICCV_2019/papers/x.pdf", False),
    ("ACL", "https://aclanthology.org/2023.emnlp-main.5/", True),
    ("TACL", "https://aclanthology.org/2023.tacl-1.5/", False),
    ("ICML", "https://proceedings.mlr.press/v202/x.html", False),
    ("NeurIPS", "https://proceedings.mlr.press/v202/x.html", True),
    ("ICLR", "https://openreview.net/forum?id=x", False),
    ("CVPR", "https://openreview.net/forum?id=x", True),
    ("AAAI", "https://ojs.aaai.org/index.php/AAAI/article/view/1", False),
    ("IJCAI", "https://papers.nips.cc/paper/2020/hash/x.html", True),
    ("ECCV", "https://www.ecva.net/papers/eccv_2022/papers_ECCV/x.pdf", False),
    ("ICLR", "https://arxiv.org/abs/2210.17323", False),
])
def test_link_contradictions(label, url, bad):
    vocab = Vocabulary()
    assert bool(contradiction(vocab.parse(label), url)) is bad


def test_link_venues_of_unknown_hosts_say_nothing():
    assert link_venues("https://dl.acm.org/doi/10.1145/3579371.3589038") is None


def test_vocabulary_from_rules_yaml_is_validated():
    with pytest.raises(ConfigError) as info:
        config_for({"venues": {"canonical": ["ICLR"], "aliases": {"Nips": "NeurIPS"}}})
    assert "not a canonical label" in info.value.message
    with pytest.raises(ConfigError):
        config_for({"venues": {"colours": []}})


@needs_seed
def test_seed_arxiv_labels_are_fixable():
    config = load_config(str(ROOT / "rules.yaml"))
    found = [f for f in check_text(SEED.read_text(encoding="utf-8"), "README.md", config)
             if f.rule == "venue" and "'Arxiv'" in f.message]
    assert len(found) == 3 and all(f.fixable for f in found)
