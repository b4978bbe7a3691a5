"""Identifier normalisation: every spelling of one paper gives one key."""

from __future__ import annotations

import pytest

from bot import ids


@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/2402.04291", "http://arxiv.org/abs/2402.04291",
    "https://arxiv.org/pdf/2402.04291", "https://arxiv.org/pdf/2402.04291.pdf",
    "https://arxiv.org/pdf/2402.04291v2.pdf", "https://arxiv.org/abs/2402.04291v3",
    "https://www.arxiv.org/abs/2402.04291", "https://browse.arxiv.org/abs/2402.04291",
    "https://export.arxiv.org/abs/2402.04291", "https://arxiv.org/html/2402.04291v1",
    " https://arxiv.org/abs/2402.04291/ ", "https://arxiv.org/abs/2402.04291#section",
])
def test_arxiv_forms_share_one_id(url):
    assert ids.arxiv_id(url) == "2402.04291"


def test_arxiv_versions_and_old_ids():
    assert ids.arxiv_id("https://arxiv.org/pdf/2402.04291v2.pdf", keep_version=True) == "2402.04291v2"
    assert ids.arxiv_id("https://arxiv.org/abs/hep-th/9901001v1") == "hep-th/9901001"
    assert ids.arxiv_id("https://arxiv.org/abs/2402.0429") is None  # five digits since 2015
    assert ids.arxiv_id("https://arxiv.org/abs/1412.6980") == "1412.6980"
    assert ids.arxiv_id("https://notarxiv.org/abs/2402.04291") is None
    assert ids.arxiv_id("https://arxiv.org/list/cs.LG/recent") is None
    assert ids.arxiv_yymm("2402.04291") == (2024, 2)
    assert ids.arxiv_yymm("hep-th/9901001") == (1999, 1)


def test_doi_openreview_github():
    assert ids.doi("https://doi.org/10.1145/3579371.3589038") == "10.1145/3579371.3589038"
    assert ids.doi("https://dl.acm.org/doi/abs/10.1145/3579371.3589038") == "10.1145/3579371.3589038"
    assert ids.doi("https://example.org/10.1145/x") is None
    assert ids.openreview_id("https://openreview.net/forum?id=cKlgcx7nSZ") == "cKlgcx7nSZ"
    assert ids.openreview_id("https://openreview.net/pdf?id=cKlgcx7nSZ&x=1") == "cKlgcx7nSZ"
    assert ids.openreview_id("https://openreview.net/group?id=ICLR.cc") is None
    assert ids.github_repo("https://github.com/microsoft/Moonlit/tree/main/Compresso") == "microsoft/Moonlit"
    assert ids.github_repo("https://github.com/VITA-Group/Junk_DNA_Hypothesis.git") == "VITA-Group/Junk_DNA_Hypothesis"
    assert ids.github_repo("https://github.com/") is None
    assert ids.github_repo("https://github.com/topics/llm") is None
    assert ids.github_repo("https://user@github.com:443/a/b?tab=readme") == "a/b"
    assert ids.shields_repo("https://img.shields.io/github/stars/htqin/IR-QLoRA?style=social") == "htqin/IR-QLoRA"
    assert ids.shields_repo("https://img.shields.io/badge/arXiv-2402-red") is None


def test_normalize_url_and_titles():
    assert ids.normalize_url("http://www.x.org/a/index.html") == ids.normalize_url("https://x.org/a/")
    assert ids.normalize_url("https://x.org/a?b=1") != ids.normalize_url("https://x.org/a?b=2")
    assert ids.normalize_title("QLoRA: Efficient  Finetuning!") == ids.normalize_title("qlora efficient finetuning")
    assert ids.paper_key("https://arxiv.org/pdf/2402.04291v2.pdf") == "arxiv:2402.04291"
