"""Where a paper was published, from sightings: venue names, titles, agreement (no I/O)."""

from __future__ import annotations

import pytest

from bot.links.results import Sighting
from bot.publication import decide, mentioned_venue, venue_of
from bot.vocabulary import DEFAULT_VOCABULARY as VOCAB

TITLE = "QLoRA: Efficient Finetuning of Quantized LLMs"


@pytest.mark.parametrize(("name", "expected"), [
    ("NeurIPS", ("NeurIPS", "")),
    ("Neural Information Processing Systems", ("NeurIPS", "")),
    ("Advances in Neural Information Processing Systems 36", ("NeurIPS", "")),
    ("nips", ("NeurIPS", "")),
    ("ACL (1)", ("ACL", "")),
    ("EMNLP (Findings)", ("EMNLP", "Findings")),
    ("Findings of the Association for Computational Linguistics: EMNLP 2023", None),  # two venues named
    ("ICLR Workshop", ("ICLR", "Workshop")),
    ("Trans. Mach. Learn. Res.", ("TMLR", "")),
    ("IEEE Trans. Pattern Anal. Mach. Intell.", ("TPAMI", "")),
    ("Proceedings of the 41st International Conference on Machine Learning", ("ICML", "")),
    ("arXiv.org", None),
    ("ArXiv", None),
    ("CoRR", None),
    ("Journal of Obscure Studies", None),
])
def test_venue_names(name, expected):
    assert venue_of(name, VOCAB) == expected


@pytest.mark.parametrize(("ref", "expected"), [
    ("Accepted at ICLR 2024", ("ICLR", "")),
    ("Proceedings of the 41st International Conference on Machine Learning, Vienna, Austria. PMLR 235, 2024",
     ("ICML", "")),
    ("CVPR 2024 (Highlight)", ("CVPR", "")),
    ("ICML 2023 Workshop on Efficient Systems", ("ICML", "Workshop")),
    ("Extended version of the ICML 2023 paper; accepted at NeurIPS 2023", None),
    ("10 pages, 4 figures", None),
])
def test_journal_refs(ref, expected):
    assert mentioned_venue(ref, VOCAB) == expected


def test_agreement_rules():
    s2 = Sighting("semantic-scholar", venue="Neural Information Processing Systems", year=2023, title=TITLE)
    dblp = Sighting("dblp", venue="NeurIPS", year=2023, title=TITLE.upper() + ".", names=["nips"])
    assert decide(TITLE, [s2], VOCAB, arxiv_id="2305.14314") is None
    found = decide(TITLE, [dblp, s2], VOCAB, arxiv_id="2305.14314")
    assert found.describe() == "published at NeurIPS 2023: Semantic Scholar, DBLP"
    renamed = Sighting("dblp", venue="NeurIPS", year=2023, title="QLoRA: A Quite Different Paper on LLMs")
    assert decide(TITLE, [renamed, s2], VOCAB, arxiv_id="2305.14314") is None
    # the same arXiv id links them even when the published title differs
    linked = Sighting("dblp", venue="NeurIPS", year=2023, title="QLoRA (NeurIPS version)", arxiv_id="2305.14314")
    assert decide(TITLE, [linked, s2], VOCAB, arxiv_id="2305.14314") is not None
    other = Sighting("dblp", venue="NeurIPS", year=2023, title=TITLE, arxiv_id="2305.99999")
    assert decide(TITLE, [other, s2], VOCAB, arxiv_id="2305.14314") is None
    ref = Sighting("arxiv", venue="NeurIPS 2023 (oral)", year=2023, title=TITLE, kind="journal_ref")
    assert decide(TITLE, [ref], VOCAB, arxiv_id="2305.14314").describe() == \
        "published at NeurIPS 2023: arXiv journal_ref"
