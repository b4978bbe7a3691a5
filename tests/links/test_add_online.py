"""`listkeeper add` with its lookups: arXiv, Semantic Scholar, OpenReview and DBLP as local fakes
(scholarfarm.py cites the documentation each follows)."""

from __future__ import annotations

import yaml

from bot.config import load_config
from bot.engine import check_text
from tests.links.scholarfarm import corr_record, dblp_record, s2_paper
from tests.test_add import add

PEQA = "Memory-Efficient Fine-Tuning of Compressed Large Language Models via sub-4-bit Integer Quantization"
LIST = ("# Awesome\n\n## 2024\n\n"
        "- [[ICLR](https://arxiv.org/abs/2402.00858)] AffineQuant: Affine Transformation Quantization for LLMs\n"
        "- [[arXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization\n"
        "\n## 2023\n\n"
        "- [[arXiv](https://arxiv.org/abs/2306.00978)] AWQ: Activation-aware Weight Quantization for LLMs\n")


def _setup(tmp_path, monkeypatch, farm, scholar):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text(LIST, encoding="utf-8")
    data = {"extends": "default", "links": scholar.links(farm),
            "rules": {"venue": {"allow_year": False}}, "venues": {"spelling": {"ArXiv": "arXiv"}}}
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return ["README.md", "--config", "rules.yaml", "--allow-private"]


def test_add_by_arxiv_id_finds_title_date_and_venue(tmp_path, monkeypatch, farm, scholar):
    common = _setup(tmp_path, monkeypatch, farm, scholar)
    farm.papers["2305.14152"] = PEQA
    farm.published["2305.14152"] = "2023-05-23"
    scholar.s2.papers["ARXIV:2305.14152"] = s2_paper(
        "2305.14152", PEQA, full="Neural Information Processing Systems", short="NeurIPS", year=2023)
    scholar.dblp.records += [corr_record(PEQA, "2305.14152", 2023),
                             dblp_record(PEQA, "NeurIPS", 2023, "conf/nips/KimLKPYKL23")]
    code, out, err = add("https://arxiv.org/abs/2305.14152v3", *common, "--write")
    assert code == 0, err
    assert "published at NeurIPS 2023: Semantic Scholar, DBLP" in err
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert text == LIST + f"- [[NeurIPS](https://arxiv.org/abs/2305.14152)] {PEQA}\n"
    assert check_text(text, "README.md", load_config("rules.yaml")) == []
    # one request to each: the arXiv batch, the Semantic Scholar batch, the DBLP search
    assert farm.arxiv_batches == [1]
    assert scholar.s2.batches() == [["ARXIV:2305.14152"]]
    assert scholar.dblp.queries() == [
        "memory efficient fine tuning of compressed large language models via sub 4 bit integer quantization"]


def test_an_unpublished_preprint_gets_the_lists_preprint_label(tmp_path, monkeypatch, farm, scholar):
    common = _setup(tmp_path, monkeypatch, farm, scholar)
    title = "GPTVQ: The Blessing of Dimensionality for LLM Quantization"
    farm.papers["2402.15319"] = title
    scholar.s2.papers["ARXIV:2402.15319"] = s2_paper("2402.15319", title)
    scholar.dblp.records.append(corr_record(title, "2402.15319", 2024))
    code, out, err = add("2402.15319", *common)
    assert code == 0, err
    assert "+- [[arXiv](https://arxiv.org/abs/2402.15319)] GPTVQ: The Blessing of " \
           "Dimensionality for LLM Quantization\n \n ## 2023\n" in out


def test_add_by_doi_and_by_openreview_url(tmp_path, monkeypatch, farm, scholar):
    common = _setup(tmp_path, monkeypatch, farm, scholar)
    title = "Post-Training Quantization on Diffusion Models"
    scholar.s2.papers["DOI:10.1109/cvpr52729.2023.00196"] = s2_paper(
        "2211.15736", title, full="Computer Vision and Pattern Recognition", year=2023,
        doi="10.1109/CVPR52729.2023.00196", date="2023-06-01")
    scholar.dblp.records.append(dblp_record(title, "CVPR", 2023, "conf/cvpr/ShangYWY23",
                                            doi="10.1109/CVPR52729.2023.00196"))
    code, out, err = add("https://doi.org/10.1109/CVPR52729.2023.00196", *common)
    assert code == 0, err
    assert f"+- [[CVPR](https://doi.org/10.1109/CVPR52729.2023.00196)] {title}\n" in out
    assert "README.md:11 (2023)" in err

    note = {"id": "Xy12AbCd", "forum": "Xy12AbCd", "pdate": 1705276800000,
            "content": {"title": {"value": "LoftQ: LoRA-Fine-Tuning-aware Quantization for Large Language Models"},
                        "venue": {"value": "ICLR 2024 oral"}, "venueid": {"value": "ICLR.cc/2024/Conference"}}}
    scholar.openreview.notes["Xy12AbCd"] = note
    scholar.dblp.records.append(dblp_record(note["content"]["title"]["value"], "ICLR", 2024, "conf/iclr/LiYZ24"))
    code, out, err = add("https://openreview.net/forum?id=Xy12AbCd", *common)
    assert code == 0, err
    assert "published at ICLR 2024: DBLP, OpenReview" in err
    assert "+- [[ICLR](https://openreview.net/forum?id=Xy12AbCd)] LoftQ: LoRA-Fine-Tuning-aware " \
           "Quantization for Large Language Models\n" in out


def test_an_id_arxiv_does_not_know_is_an_error(tmp_path, monkeypatch, farm, scholar):
    common = _setup(tmp_path, monkeypatch, farm, scholar)
    code, out, err = add("2402.99999", *common)
    assert code == 2 and out == "" and "arXiv has no paper 2402.99999" in err
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == LIST
