"""The published rule in the PR review (new entries only) and in the weekly report (its section
and the fix PR), against the fake GitHub and the fakes of arXiv, Semantic Scholar and DBLP."""

from __future__ import annotations

import yaml

from tests.links.linkfarm import farm  # noqa: F401  (fixtures)
from tests.links.scholarfarm import corr_record, dblp_record, s2_paper, scholar  # noqa: F401

from .helpers import review
from .test_report import report

REPO = "lab/awesome"
PEQA = "Memory-Efficient Fine-Tuning of Compressed Large Language Models via sub-4-bit Integer Quantization"
BILLM = "BiLLM: Pushing the Limit of Post-Training Quantization for LLMs"
BASE = ("# Awesome Efficient AI\n\n## Language\n\n### 2023\n\n"
        f"- [[ArXiv](https://arxiv.org/abs/2305.14152)] {PEQA}\n\n### 2024\n\n"
        "- [[ICML](https://arxiv.org/abs/2402.05445)] Accurate LoRA-Finetuning Quantization of LLMs via Information Retention\n")
NEW = f"- [[ArXiv](https://arxiv.org/abs/2402.04291)] {BILLM}"
HEAD = BASE + NEW + "\n"


def _publish_both(farm, scholar):  # noqa: F811
    farm.papers.update({"2305.14152": PEQA, "2402.04291": BILLM,
                        "2402.05445": "Accurate LoRA-Finetuning Quantization of LLMs via Information Retention"})
    scholar.s2.papers["ARXIV:2305.14152"] = s2_paper(
        "2305.14152", PEQA, full="Neural Information Processing Systems", year=2023)
    scholar.s2.papers["ARXIV:2402.04291"] = s2_paper(
        "2402.04291", BILLM, full="International Conference on Machine Learning", short="ICML", year=2024)
    scholar.dblp.records += [dblp_record(PEQA, "NeurIPS", 2023, "conf/nips/Kim23"),
                             corr_record(BILLM, "2402.04291", 2024),
                             dblp_record(BILLM, "ICML", 2024, "conf/icml/Huang24")]


def _config(tmp_path, farm, scholar, github=None) -> str:  # noqa: F811
    links = {**scholar.links(farm), "flap_runs": 1, "flap_days": 0, "max_age_days": 0}
    if github is not None:
        links["github_api"] = f"{github.url}/graphql"
    data = {"extends": "default", "links": links, "rules": {"venue": {"allow_year": False}}}
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def test_the_review_looks_up_only_the_new_preprint(github, farm, scholar, tmp_path):  # noqa: F811
    _publish_both(farm, scholar)
    github.create_repo(REPO, {"README.md": BASE})
    github.push(REPO, "add-billm", {"README.md": HEAD}, "Add BiLLM")
    number = github.open_pull(REPO, REPO, "add-billm", title="Add BiLLM")
    code, out = review("--repo", REPO, "--pr", str(number), "--allow-private", "--dry-run",
                       config=_config(tmp_path, farm, scholar))
    assert code == 0  # info: never blocking
    line = HEAD.splitlines().index(NEW) + 1
    assert f"README.md:{line}:5: info [published] published at ICML 2024: Semantic Scholar, DBLP" in out
    assert "2305.14152" not in out  # the old preprint is not the PR's business...
    assert scholar.s2.batches() == [["ARXIV:2402.04291"]]  # ...and is not even asked about
    assert scholar.dblp.queries() == ["billm pushing the limit of post training quantization for llms"]


def test_the_report_lists_published_preprints_and_the_fix_pr_relabels_them(
        github, farm, scholar, tmp_path, monkeypatch):  # noqa: F811
    _publish_both(farm, scholar)
    github.create_repo(REPO, {"README.md": HEAD})
    (tmp_path / "README.md").write_text(HEAD, encoding="utf-8")
    config = _config(tmp_path, farm, scholar, github)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.chdir(tmp_path)
    env = {"list": "README.md", "config": config, "cache": str(tmp_path / "links.sqlite")}
    out = report(env, "--fix-pr")
    assert "opened #" in out and "2 preprints now published" in out and "opened PR #" in out
    [issue] = list(github.repos[REPO].issues.values())
    body = issue["body"]
    assert "### Preprints now published (2)" in body
    assert "published at ICML" not in body  # the table says it in columns
    assert "| NeurIPS 2023 | Semantic Scholar, DBLP | `NeurIPS` |" in body
    assert "| ICML 2024 | Semantic Scholar, DBLP | `ICML` |" in body
    [pull] = [p for p in github.repos[REPO].pulls.values() if p.state == "open"]
    assert pull.title == "Update moved links and published preprints"
    fixed = github.file(REPO, "README.md", pull.head_ref)
    assert fixed == HEAD.replace("[[ArXiv](https://arxiv.org/abs/2305.14152)]",
                                 "[[NeurIPS](https://arxiv.org/abs/2305.14152)]") \
        .replace("[[ArXiv](https://arxiv.org/abs/2402.04291)]", "[[ICML](https://arxiv.org/abs/2402.04291)]")
    # the second week asks the sources nothing: both papers are known published
    scholar.s2.log.clear()
    scholar.dblp.log.clear()
    report(env)
    assert scholar.s2.log == [] and scholar.dblp.log == []


def test_a_report_with_the_rule_off_has_no_such_section(github, farm, scholar, tmp_path, monkeypatch):  # noqa: F811
    _publish_both(farm, scholar)
    github.create_repo(REPO, {"README.md": HEAD})
    (tmp_path / "README.md").write_text(HEAD, encoding="utf-8")
    path = _config(tmp_path, farm, scholar, github)
    data = yaml.safe_load(open(path, encoding="utf-8"))
    data["rules"]["published"] = "off"
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = report({"list": "README.md", "config": path, "cache": str(tmp_path / "c.sqlite")}, "--dry-run")
    assert "Preprints now published" not in out
    assert scholar.s2.log == [] and scholar.dblp.log == []
