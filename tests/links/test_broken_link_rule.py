"""The broken-link rule: the link checker's verdicts as findings, against a local link farm."""

from __future__ import annotations

import yaml

from bot.config import Config
from bot.engine import check_text, run
from bot.fixer import fix_text
from bot.links.service import check_documents, settings_for
from bot.parse import parse_document


def _config(farm) -> Config:
    data = {"extends": "default",
            "links": {"arxiv_api": f"{farm.base}/arxiv/api", "github_api": f"{farm.base}/graphql",
                      "arxiv_interval": 0.05, "timeout_connect": 1.0, "timeout_read": 1.0,
                      "retries": 1, "backoff_base": 0.05}}
    return Config.from_text(yaml.safe_dump(data), "rules.yaml")


def links_of(text, config, changed=None):
    """What every front-end does: check the document's links once, for the engine."""
    doc = parse_document(text, "list.md")
    return check_documents([doc], settings_for(config), changed={"list.md": changed} if changed else None,
                           allow_private=True, first_failure_is_broken=True)


def findings_of(text, config, changed=None):
    return run(parse_document(text, "list.md"), config, select=["broken-link"], changed=changed,
               links=links_of(text, config, changed))


def _text(farm) -> str:
    return (
        "# List\n\n"
        f"- [[ArXiv](https://arxiv.org/abs/2402.04291)] BiLLM: Pushing the Limit of Post-Training Quantization for LLMs\n"
        f"- [[ArXiv](https://arxiv.org/abs/2402.05445)] A Completely Different Title About Gardening\n"
        f"- [[ICLR]({farm.base}/status/404)] Gone Paper\n"
        f"- [[ICML]({farm.base}/redirect/301/2)] Moved Paper\n"
        f"- [[ACL]({farm.base}/ok/here)] Fine Paper [[code](https://github.com/Old/Name)] "
        f"![GitHub Repo stars](https://img.shields.io/github/stars/Old/Name)\n"
    )


def test_verdicts_become_findings(farm, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    farm.papers.update({"2402.04291": "BiLLM: Pushing the Limit of Post-Training Quantization for LLMs",
                        "2402.05445": "Accurate LoRA-Finetuning Quantization of LLMs"})
    farm.repos["old/name"] = ("New/Name", False)
    text = _text(farm)
    findings = {f.line: f for f in findings_of(text, _config(farm))}
    assert set(findings) == {4, 5, 6, 7}
    assert "titled 'Accurate LoRA-Finetuning" in findings[4].message
    assert findings[5].level == "error" and "HTTP 404" in findings[5].message
    assert findings[6].level == "warning" and findings[6].fix is not None
    assert "renamed to New/Name" in findings[7].message


def test_renamed_repo_fix_rewrites_link_and_badge(farm, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    farm.papers.update({"2402.04291": "BiLLM: Pushing the Limit of Post-Training Quantization for LLMs",
                        "2402.05445": "A Completely Different Title About Gardening"})
    farm.repos["old/name"] = ("New/Name", False)
    config = _config(farm)
    result = fix_text(_text(farm), "list.md", config, select=["broken-link"],
                      links=links_of(_text(farm), config))
    assert "https://github.com/New/Name)" in result.text
    assert "img.shields.io/github/stars/New/Name)" in result.text
    assert f"{farm.base}/ok/final" in result.text  # the permanent redirect's target


def test_offline_check_skips_the_rule(farm):
    text = _text(farm)
    assert not [f for f in check_text(text, "list.md", _config(farm)) if f.rule == "broken-link"]
    assert farm.paths() == []


def test_diff_aware_checks_only_changed_lines(farm):
    text = _text(farm)
    findings = findings_of(text, _config(farm), changed={5})
    assert [f.line for f in findings] == [5]
    assert all("/redirect/" not in p for p in farm.paths())
