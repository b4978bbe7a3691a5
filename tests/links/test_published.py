"""The published rule against local fakes of arXiv, Semantic Scholar and DBLP (scholarfarm.py
names the documentation each fake follows): what counts as published, the label it gets, and
how few requests it takes."""

from __future__ import annotations

import pytest
import yaml

from bot.config import Config
from bot.engine import run
from bot.fixer import fix_text
from bot.links.service import check_documents, settings_for
from bot.parse import parse_document
from tests.links.scholarfarm import corr_record, dblp_record, s2_paper

PEQA = "Memory-Efficient Fine-Tuning of Compressed Large Language Models via sub-4-bit Integer Quantization"
BILLM = "BiLLM: Pushing the Limit of Post-Training Quantization for LLMs"
KIVI = "KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache"
NIPS_EE = "http://papers.nips.cc/paper_files/paper/2023/hash/7183f4fc87598f6c6e947b96714acbd6-Abstract-Conference.html"


def config_for(farm, scholar, **sections) -> Config:
    data = {"extends": "default", "links": {**scholar.links(farm), **sections.pop("links", {})}}
    data.update(sections)
    return Config.from_text(yaml.safe_dump(data), "rules.yaml")


def lookups(text, config, *, cache=None, changed=None, stats=None):
    doc = parse_document(text, "list.md")
    links = check_documents([doc], settings_for(config), config=config, allow_private=True,
                            cache_path=cache, changed={"list.md": changed} if changed else None,
                            stats=stats)
    return doc, links


def published(text, config, **kwargs):
    doc, links = lookups(text, config, **kwargs)
    return [f for f in run(doc, config, links=links) if f.rule == "published"]


def listing(*entries: str, heading: str = "## 2023") -> str:
    return "# Papers\n\n" + heading + "\n\n" + "".join(f"- {e}\n" for e in entries)


def peqa_published(farm, scholar):
    """Semantic Scholar and DBLP both know PEQA as a NeurIPS 2023 paper; DBLP also has CoRR's."""
    farm.papers["2305.14152"] = PEQA
    scholar.s2.papers["ARXIV:2305.14152"] = s2_paper(
        "2305.14152", PEQA, full="Neural Information Processing Systems", short="NeurIPS", year=2023,
        dblp="conf/nips/KimLKPYKL23", date="2023-05-23")
    scholar.dblp.records += [corr_record(PEQA, "2305.14152", 2023),
                             dblp_record(PEQA, "NeurIPS", 2023, "conf/nips/KimLKPYKL23", ee=NIPS_EE)]


def test_two_sources_agree_and_the_fix_relabels(farm, scholar):
    peqa_published(farm, scholar)
    farm.papers["2402.04291"] = BILLM
    scholar.s2.papers["ARXIV:2402.04291"] = s2_paper("2402.04291", BILLM)  # arXiv.org: no venue
    scholar.dblp.records.append(corr_record(BILLM, "2402.04291", 2024))
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2305.14152)] {PEQA}",
                   f"[[ArXiv](https://arxiv.org/abs/2402.04291)] {BILLM}")
    config = config_for(farm, scholar, rules={"venue": {"allow_year": False}})
    doc, links = lookups(text, config)
    [finding] = [f for f in run(doc, config, links=links) if f.rule == "published"]
    assert (finding.line, finding.column, finding.level) == (5, 5, "info")
    assert finding.message == "published at NeurIPS 2023: Semantic Scholar, DBLP"
    fixed = fix_text(text, "list.md", config, select=["published"], links=links).text
    assert fixed == text.replace("[[ArXiv](https://arxiv.org/abs/2305.14152)]",
                                 "[[NeurIPS](https://arxiv.org/abs/2305.14152)]")
    # one batch for both papers, one title search each
    assert scholar.s2.batches() == [["ARXIV:2305.14152", "ARXIV:2402.04291"]]
    assert sorted(scholar.dblp.queries()) == sorted([
        "memory efficient fine tuning of compressed large language models via sub 4 bit integer quantization",
        "billm pushing the limit of post training quantization for llms"])
    [batch] = scholar.s2.requests("/graph/v1/paper/batch")
    assert set(batch["query"]["fields"].split(",")) >= {"venue", "publicationVenue", "year", "externalIds"}


def test_one_source_alone_is_not_enough(farm, scholar):
    farm.papers["2305.14152"] = PEQA
    scholar.s2.papers["ARXIV:2305.14152"] = s2_paper(
        "2305.14152", PEQA, full="Neural Information Processing Systems", year=2023)
    scholar.dblp.records.append(corr_record(PEQA, "2305.14152", 2023))  # CoRR is no venue
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2305.14152)] {PEQA}")
    assert published(text, config_for(farm, scholar)) == []


def test_arxiv_journal_ref_alone_counts(farm, scholar):
    farm.papers["2402.02750"] = KIVI
    farm.journal_refs["2402.02750"] = "Accepted at ICML 2024"
    scholar.s2.papers["ARXIV:2402.02750"] = s2_paper("2402.02750", KIVI)
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2402.02750)] {KIVI}", heading="## 2024")
    [finding] = published(text, config_for(farm, scholar))
    assert finding.message == "published at ICML 2024: arXiv journal_ref"


def test_a_doi_of_the_proceedings_counts_an_arxiv_doi_does_not(farm, scholar):
    title = "Post-Training Quantization on Diffusion Models"
    farm.papers["2211.15736"] = title
    scholar.s2.papers["ARXIV:2211.15736"] = s2_paper("2211.15736", title, doi="10.48550/arXiv.2211.15736")
    scholar.dblp.records.append(dblp_record(title, "CVPR", 2023, "conf/cvpr/ShangYWY23",
                                            doi="10.1109/CVPR52729.2023.00196",
                                            ee="https://doi.org/10.1109/CVPR52729.2023.00196"))
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2211.15736)] {title}")
    config = config_for(farm, scholar, rules={"published": {"proceedings_link": True}})
    [finding] = published(text, config)
    assert finding.message == "published at CVPR 2023: DBLP"
    doc, links = lookups(text, config)
    fixed = fix_text(text, "list.md", config, select=["published"], links=links).text
    # no year: the list writes none (its only label is the preprint's)
    assert f"- [[CVPR](https://doi.org/10.1109/CVPR52729.2023.00196)] {title}\n" in fixed
    scholar.dblp.records[0].pop("doi")
    scholar.dblp.records[0]["ee"] = "https://openaccess.thecvf.com/content/CVPR2023/html/x.html"
    assert published(text, config) == []  # DBLP alone, without a DOI


def test_titles_must_match_and_years_must_fit(farm, scholar):
    farm.papers["2402.04291"] = BILLM
    scholar.s2.papers["ARXIV:2402.04291"] = s2_paper(
        "2402.04291", BILLM, full="International Conference on Machine Learning", year=2024)
    # another paper whose title the search also finds, and an older paper of the same title
    scholar.dblp.records += [
        dblp_record("BiLLM: Pushing the Limit of Post-Training Quantization for LLMs on Phones and Watches",
                    "ICML", 2024, "conf/icml/Other24"),
        dblp_record(BILLM, "ICML", 2019, "conf/icml/Older19")]
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2402.04291)] {BILLM}", heading="## 2024")
    assert published(text, config_for(farm, scholar)) == []
    scholar.dblp.records.append(dblp_record(BILLM, "ICML", 2024, "conf/icml/HuangLQ0ZMQ24"))
    [finding] = published(text, config_for(farm, scholar))
    assert finding.message == "published at ICML 2024: Semantic Scholar, DBLP"


def test_disagreeing_sources_leave_the_entry_alone(farm, scholar):
    farm.papers["2402.04291"] = BILLM
    scholar.s2.papers["ARXIV:2402.04291"] = s2_paper(
        "2402.04291", BILLM, full="International Conference on Machine Learning", year=2024)
    scholar.dblp.records.append(dblp_record(BILLM, "NeurIPS", 2024, "conf/nips/X24"))
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2402.04291)] {BILLM}", heading="## 2024")
    assert published(text, config_for(farm, scholar)) == []
    # a workshop in journal_ref and the main venue by two sources: the main venue
    farm.journal_refs["2402.04291"] = "ICML 2024 Workshop on Efficient Systems"
    scholar.dblp.records[0].update(venue="ICML", key="conf/icml/X24")
    [finding] = published(text, config_for(farm, scholar))
    assert finding.message == "published at ICML 2024: Semantic Scholar, DBLP"


def test_the_label_follows_the_list(farm, scholar):
    """The list's spelling of the venue, a year only where its labels carry one, and its own
    preprint label (never a hard-coded ArXiv)."""
    peqa_published(farm, scholar)
    with_years = listing("[[CVPR 2023](https://openaccess.thecvf.com/content/CVPR2023/html/a.html)] A Vision Paper",
                         "[[ICCV 2023](https://openaccess.thecvf.com/content/ICCV2023/html/b.html)] Another Paper",
                         f"[[arXiv](https://arxiv.org/abs/2305.14152)] {PEQA}")
    config = config_for(farm, scholar, venues={"spelling": {"NeurIPS": "NIPS"}})
    doc, links = lookups(with_years, config)
    fixed = fix_text(with_years, "list.md", config, select=["published"], links=links).text
    assert f"- [[NIPS 2023](https://arxiv.org/abs/2305.14152)] {PEQA}\n" in fixed
    never = config_for(farm, scholar, venues={"spelling": {"NeurIPS": "NIPS"}},
                       rules={"published": {"year": "never"}})
    fixed = fix_text(with_years, "list.md", never, select=["published"], links=links).text
    assert f"- [[NIPS](https://arxiv.org/abs/2305.14152)] {PEQA}\n" in fixed
    own = config_for(farm, scholar, venues={"canonical": ["NeurIPS", "ICML", "Tech Report"],
                                            "preprint": "Tech Report"})
    text = listing(f"[[Tech Report](https://arxiv.org/abs/2305.14152)] {PEQA}",
                   f"[[ArXiv](https://arxiv.org/abs/2402.04291)] {BILLM}")
    [finding] = published(text, own)
    assert finding.line == 5 and finding.message.startswith("published at NeurIPS 2023")
    assert "billm" not in " ".join(scholar.dblp.queries()[-2:])  # ArXiv is not this list's preprint label


def test_requests_per_preprint_and_nothing_again_for_resolved_papers(farm, scholar, tmp_path):
    """1,200 preprints: 3 Semantic Scholar requests (500 a batch), 1,200 DBLP searches; a second
    run asks nothing; once the answers are old, only the papers not published yet are asked."""
    entries = []
    for i in range(1200):
        ident, title = f"2401.{i:05d}", f"Quantized Language Model Number {i:04d} For Efficient Inference"
        farm.papers[ident] = title
        entries.append(f"[[ArXiv](https://arxiv.org/abs/{ident})] {title}")
        if i % 10 == 0:  # every tenth is published at ICLR 2024 by both sources
            scholar.s2.papers[f"ARXIV:{ident}"] = s2_paper(
                ident, title, full="International Conference on Learning Representations", year=2024)
            scholar.dblp.records.append(dblp_record(title, "ICLR", 2024, f"conf/iclr/P{i}"))
        else:
            scholar.s2.papers[f"ARXIV:{ident}"] = s2_paper(ident, title)
    text = listing(*entries, heading="## 2024")
    cache = str(tmp_path / "links.sqlite")
    config = config_for(farm, scholar)
    stats: dict = {}
    findings = published(text, config, cache=cache, stats=stats)
    assert len(findings) == 120
    assert [len(b) for b in scholar.s2.batches()] == [500, 500, 200]
    assert stats["semantic_scholar_requests"] == 3 and stats["dblp_requests"] == 1200
    assert len(scholar.dblp.queries()) == 1200

    scholar.s2.log.clear()
    scholar.dblp.log.clear()
    assert len(published(text, config, cache=cache, stats=stats)) == 120  # from the history
    assert scholar.s2.log == [] and scholar.dblp.log == []
    assert stats["semantic_scholar_requests"] == 0 and stats["dblp_requests"] == 0

    aged = config_for(farm, scholar, links={"paper_max_age_days": 0})
    assert len(published(text, aged, cache=cache, stats=stats)) == 120
    asked = {i for batch in scholar.s2.batches() for i in batch}
    assert len(asked) == 1080 and not any(int(i[-5:]) % 10 == 0 for i in asked)
    assert stats["semantic_scholar_requests"] == 3 and stats["dblp_requests"] == 1080


def test_semantic_scholar_429s_are_waited_out(farm, scholar):
    """Semantic Scholar sends 429 without Retry-After: the batch is held back and asked again."""
    peqa_published(farm, scholar)
    scholar.s2.refuse_first = 2
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2305.14152)] {PEQA}")
    [finding] = published(text, config_for(farm, scholar))
    assert finding.message == "published at NeurIPS 2023: Semantic Scholar, DBLP"
    starts = [e["t"] for e in scholar.s2.log]
    assert len(starts) == 3 and scholar.s2.refused == 2
    assert starts[2] - starts[1] >= starts[1] - starts[0] > 0  # a growing back-off


def test_dblp_interval_and_retry_after_are_kept(farm, scholar):
    """DBLP answers bursts with 429 and Retry-After; `dblp_interval` apart there is none."""
    titles = [f"A Study of Sparse Attention Variant {i} for Long Context Models" for i in range(4)]
    for i, title in enumerate(titles):
        farm.papers[f"2402.{i:05d}"] = title
    text = listing(*[f"[[ArXiv](https://arxiv.org/abs/2402.{i:05d})] {t}" for i, t in enumerate(titles)],
                   heading="## 2024")
    scholar.dblp.min_interval = 0.2
    published(text, config_for(farm, scholar, links={"dblp_interval": 0.25}))
    starts = [e["t"] for e in scholar.dblp.log]
    assert len(starts) == 4 and scholar.dblp.refused == 0
    assert all(b - a >= 0.2 for a, b in zip(starts, starts[1:], strict=False))
    scholar.dblp.log.clear()
    scholar.dblp.min_interval, scholar.dblp.refuse_first, scholar.dblp.retry_after = 0.0, 1, 1
    published(text, config_for(farm, scholar))
    assert len(scholar.dblp.log) == 5 and scholar.dblp.violations == []  # 1 s held after the 429


def test_a_source_that_keeps_refusing_is_asked_again_next_run(farm, scholar, tmp_path):
    peqa_published(farm, scholar)
    scholar.s2.refuse_first = 100
    cache = str(tmp_path / "links.sqlite")
    config = config_for(farm, scholar, links={"retries": 1})
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2305.14152)] {PEQA}")
    doc, links = lookups(text, config, cache=cache)
    assert "semantic-scholar" in links.papers["2305.14152"].failed
    assert published(text, config, cache=cache) == []  # DBLP alone (no DOI) is not enough
    scholar.s2.refuse_first = 0
    scholar.dblp.log.clear()
    [finding] = published(text, config, cache=cache)
    assert finding.message == "published at NeurIPS 2023: Semantic Scholar, DBLP"
    assert scholar.dblp.log == []  # DBLP's answer is recent: only Semantic Scholar is asked


@pytest.mark.parametrize("key", [None, "s2-k3y"])
def test_the_api_key_goes_in_x_api_key(farm, scholar, monkeypatch, key):
    if key:
        monkeypatch.setenv("SEMANTIC_SCHOLAR_API_KEY", key)
    else:
        monkeypatch.delenv("SEMANTIC_SCHOLAR_API_KEY", raising=False)
    peqa_published(farm, scholar)
    published(listing(f"[[ArXiv](https://arxiv.org/abs/2305.14152)] {PEQA}"), config_for(farm, scholar))
    [request] = scholar.s2.log
    assert request["headers"].get("x-api-key") == key


def test_no_batch_is_larger_than_the_endpoint_takes(farm, scholar):
    for i in range(620):
        farm.papers[f"2401.{i:05d}"] = f"Title of the paper number {i:04d} here"
    text = listing(*[f"[[ArXiv](https://arxiv.org/abs/2401.{i:05d})] Title of the paper number {i:04d} here"
                     for i in range(620)], heading="## 2024")
    published(text, config_for(farm, scholar, links={"semantic_scholar_batch": 500, "dblp_interval": 0.0}))
    assert [len(b) for b in scholar.s2.batches()] == [500, 120]


def test_diff_aware_looks_up_only_the_changed_entries(farm, scholar):
    peqa_published(farm, scholar)
    farm.papers["2402.04291"] = BILLM
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2402.04291)] {BILLM}",
                   f"[[ArXiv](https://arxiv.org/abs/2305.14152)] {PEQA}")
    [finding] = published(text, config_for(farm, scholar), changed={6})
    assert finding.line == 6
    assert scholar.s2.batches() == [["ARXIV:2305.14152"]] and len(scholar.dblp.log) == 1


def test_off_and_offline_ask_nothing(farm, scholar):
    peqa_published(farm, scholar)
    text = listing(f"[[ArXiv](https://arxiv.org/abs/2305.14152)] {PEQA}")
    assert published(text, config_for(farm, scholar, rules={"published": "off"})) == []
    from bot.engine import check_text

    assert not [f for f in check_text(text, "list.md", config_for(farm, scholar)) if f.rule == "published"]
    assert scholar.s2.log == [] and scholar.dblp.log == []
