"""`listkeeper report`: one link-rot issue, created, updated, closed; and the fix PR."""

from __future__ import annotations

import argparse
import io

import pytest

from bot.github import report_command

REPO = "lab/awesome"


def make_list(url: str) -> str:
    return ("# Awesome\n\n## Vision\n\n"
            f"- [[Site]({url}/site/ok)] A Paper That Still Works Fine Today\n"
            f"- [[Site]({url}/site/gone)] A Paper Whose Page Went Away Recently\n"
            f"- [[Site]({url}/site/old)] A Paper Whose Page Moved Permanently\n")


@pytest.fixture
def report_env(github, tmp_path, monkeypatch):
    github.site = {"/site/ok": 200, "/site/gone": 404, "/site/old": (301, "/site/new"), "/site/new": 200}
    text = make_list(github.url)
    github.create_repo(REPO, {"README.md": text})
    listing = tmp_path / "README.md"
    listing.write_text(text, encoding="utf-8")
    config = tmp_path / "rules.yaml"
    config.write_text("extends: default\nlinks:\n  flap_runs: 1\n  flap_days: 0\n  max_age_days: 0\n"
                      "  retries: 0\n  timeout_connect: 2\n  timeout_read: 2\n"
                      f"  github_api: {github.url}/graphql\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.chdir(tmp_path)  # paths are repository-relative, as in the workflow's checkout
    return {"list": "README.md", "config": str(config), "cache": str(tmp_path / "links.sqlite"),
            "summary": summary}


def report(env, *extra: str) -> str:
    parser = argparse.ArgumentParser()
    report_command.add_arguments(parser)
    args = parser.parse_args([env["list"], "--config", env["config"], "--cache", env["cache"],
                              "--allow-private", *extra])
    out = io.StringIO()
    assert report_command.run(args, out=out) == 0
    return out.getvalue()


def issues(github):
    return list(github.repos[REPO].issues.values())


def test_report_opens_updates_and_closes_one_issue(github, report_env):
    out = report(report_env)
    assert "opened #" in out
    [issue] = issues(github)
    assert issue["label_names"] == ["link-rot"] and "link-rot" in github.repos[REPO].labels
    body = issue["body"]
    assert body.startswith("<!-- listkeeper:link-rot -->\n```mermaid\nxychart-beta")
    assert "### New broken links (1)" in body and "/site/gone" in body
    assert "Vision" in body and "README.md:6" in body
    assert "/site/new" in body  # the permanent redirect's target is offered
    assert "xychart-beta" in report_env["summary"].read_text()

    out = report(report_env)
    [issue] = issues(github)  # never a second issue
    assert "### Still broken (1)" in issue["body"] and "| 2 |" in issue["body"]
    assert issue["state"] == "open"

    github.site["/site/gone"] = 200
    out = report(report_env)
    [issue] = issues(github)
    assert issue["state"] == "closed" and "closed #" in out
    assert "### Recovered since the last report (1)" in issue["body"]
    assert any("All links work again" in c["body"] for c in github.repos[REPO].issue_comments)


def test_fix_pr_is_opened_once_and_then_updated(github, report_env):
    out = report(report_env, "--fix-pr")
    assert "opened PR #" in out
    pulls = [p for p in github.repos[REPO].pulls.values() if p.state == "open"]
    assert len(pulls) == 1
    fixed = github.file(REPO, "README.md", pulls[0].head_ref)
    assert "/site/new)" in fixed and "/site/old)" not in fixed and "/site/gone)" in fixed
    out = report(report_env, "--fix-pr")
    assert "updated PR #" in out
    assert len([p for p in github.repos[REPO].pulls.values() if p.state == "open"]) == 1


@pytest.mark.parametrize("refusal", ["actions-may-not-open-prs", "contents-read"])
def test_a_refused_fix_pr_puts_the_patch_on_the_report_issue(github, report_env, refusal):
    """New repositories forbid Actions to open PRs: 403 "GitHub Actions is not permitted to
    create or approve pull requests." (https://docs.github.com/en/repositories/managing-your-
    repositorys-settings-and-features/enabling-features-for-your-repository/managing-github-
    actions-settings-for-a-repository); a `contents: read` job gets 403 on the branch."""
    if refusal == "contents-read":
        github.read_only.add("test-token")
    else:
        github.repos[REPO].actions_can_open_prs = False
    out = report(report_env, "--fix-pr")
    assert ("Allow GitHub Actions to create and approve pull requests" in out) == (refusal != "contents-read")
    assert "the patch goes on the report issue" in out
    assert not [p for p in github.repos[REPO].pulls.values() if p.user == "github-actions[bot]"]
    [issue] = issues(github)
    [comment] = [c for c in github.repos[REPO].issue_comments if "link-fix-patch" in c["body"]]
    assert "```diff\n" in comment["body"] and "+- [[Site](" in comment["body"] and "/site/new)" in comment["body"]
    report(report_env, "--fix-pr")  # a second week edits that comment, never a second one
    assert len([c for c in github.repos[REPO].issue_comments if "link-fix-patch" in c["body"]]) == 1


def test_dry_run_prints_and_touches_nothing(github, report_env):
    out = report(report_env, "--dry-run")
    assert "New broken links" in out and not issues(github)
    assert github.count("POST") == 0


def test_first_failures_are_listed_unconfirmed_not_broken(github, report_env, tmp_path):
    """With the default flap rule (2 failures 3 days apart) a new install still shows what
    failed, in its own section, not counted as broken."""
    config = tmp_path / "rules.yaml"
    config.write_text(config.read_text().replace("  flap_runs: 1\n  flap_days: 0\n", ""), encoding="utf-8")
    out = report(report_env)
    [issue] = issues(github)
    body = issue["body"]
    assert "**0 broken** (0 new), 1 unconfirmed" in body
    assert "### Unconfirmed, checked again next run (1)" in body and "/site/gone" in body
    assert "New broken links" not in body
    assert "opened #" in out and "0 broken, 1 unconfirmed" in out


def test_report_honours_the_rules_options(github, report_env, tmp_path):
    config = tmp_path / "rules.yaml"
    config.write_text(config.read_text() + "rules:\n  broken-link:\n    report_redirects: false\n",
                      encoding="utf-8")
    out = report(report_env, "--fix-pr")
    [issue] = issues(github)
    assert "Moved links" not in issue["body"] and "/site/new" not in issue["body"]
    assert "no certain link fixes to propose" in out


def test_fix_pr_keeps_a_reference_links_label(github, report_env):
    """`[Paper][p]`: the URL lives in the definition, which the fix rewrites; the label stays."""
    text = ("# Awesome\n\n## Vision\n\n- [Paper][p] A Paper Whose Page Moved Permanently\n\n"
            f"[p]: {github.url}/site/old\n")
    github.create_repo("lab/refs", {"README.md": text})
    (report_env["summary"].parent / "README.md").write_text(text, encoding="utf-8")
    out = report(report_env, "--fix-pr", "--repo", "lab/refs")
    assert "opened PR #" in out
    [pull] = [p for p in github.repos["lab/refs"].pulls.values() if p.state == "open"]
    fixed = github.file("lab/refs", "README.md", pull.head_ref)
    assert fixed == text.replace(f"[p]: {github.url}/site/old", f"[p]: {github.url}/site/new")
