"""`listkeeper review` against the fake GitHub, through PyGithub over HTTP."""

from __future__ import annotations

import json
import time

import pytest

from tests.fakegithub import NOT_IN_DIFF

from .helpers import (
    BADGE_MISMATCH,
    CLEAN,
    DUPLICATE,
    ENTRIES,
    HEAD,
    line_of,
    list_text,
    review,
    setup_pr,
    write_config,
)

REPO = "lab/awesome"


def summaries(github):
    return [c for c in github.repos[REPO].issue_comments if "listkeeper:summary" in c["body"]]


def test_pr_with_three_new_entries_gets_one_review_with_a_suggestion(github, tmp_path):
    number = setup_pr(github)
    code, out = review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    assert code == 1  # an error-level finding
    reviews = github.repos[REPO].reviews
    assert len(reviews) == 1
    assert reviews[0]["state"] == "CHANGES_REQUESTED"
    assert reviews[0]["commit_id"] == github.head_sha(REPO, number)
    comments = github.repos[REPO].review_comments
    duplicate_line = line_of(HEAD, DUPLICATE, 2)
    on_duplicate = [c for c in comments if c["line"] == duplicate_line]
    assert len(on_duplicate) == 1
    body = on_duplicate[0]["body"]
    assert body.startswith("<!-- listkeeper:fp=")
    assert "duplicate of line" in body
    assert "```suggestion\n```" in body  # removing the exact duplicate line
    assert "start_line" not in on_duplicate[0]
    assert not [c for c in comments if c["line"] == line_of(HEAD, CLEAN)]
    assert len(summaries(github)) == 1
    assert "README.md:12" in out


def test_badge_mismatch_gets_a_line_comment_with_a_suggestion(github, tmp_path):
    number = setup_pr(github)
    review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    line = line_of(HEAD, BADGE_MISMATCH)
    comments = [c for c in github.repos[REPO].review_comments if c["line"] == line]
    assert len(comments) == 1 and "badge-format" in comments[0]["body"]
    assert "```suggestion\n" in comments[0]["body"]
    assert "img.shields.io/github/stars/Vahe1994/AQLM" in comments[0]["body"]
    # exactly two line comments: the duplicate and the badge; the clean entry gets none
    assert sorted(c["line"] for c in github.repos[REPO].review_comments) == sorted(
        [line_of(HEAD, DUPLICATE, 2), line])


def test_second_push_repeats_nothing_and_edits_the_summary(github, tmp_path):
    config = write_config(tmp_path)
    number = setup_pr(github)
    review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    comments_before = len(github.repos[REPO].review_comments)
    first_summary = summaries(github)[0]["body"]
    more = list_text(ENTRIES + [DUPLICATE, BADGE_MISMATCH, CLEAN,
                                "- [[ArXiv](https://arxiv.org/abs/2401.14112)] FP6-LLM: Efficiently Serving LLMs"])
    github.push(REPO, "add-papers", {"README.md": more}, "One more paper")
    code, _ = review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert code == 1  # the duplicate is still there
    assert len(github.repos[REPO].reviews) == 1  # nothing new to say: no new review
    assert len(github.repos[REPO].review_comments) == comments_before
    assert len(summaries(github)) == 1
    assert summaries(github)[0]["body"] != first_summary  # edited in place for the new head
    assert github.head_sha(REPO, number)[:12] in summaries(github)[0]["body"]
    # a third run on the same head changes nothing at all
    github.requests.clear()
    review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert github.count("POST") == 0 and github.count("PATCH") == 0


def test_fork_pr_gets_suggestions_and_no_commit(github, tmp_path):
    number = setup_pr(github, fork=True)
    config = write_config(tmp_path, "extends: default\nreview:\n  autofix: commit\n")
    review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert github.count("PUT") == 0
    assert any("```suggestion" in c["body"] for c in github.repos[REPO].review_comments)
    assert github.file("contributor/awesome", "README.md", "add-papers") == HEAD


def test_same_repo_autofix_commits_once_and_fixes_the_file(github, tmp_path):
    number = setup_pr(github)
    head_before = github.head_sha(REPO, number)
    config = write_config(tmp_path, "extends: default\nreview:\n  autofix: commit\n")
    code, out = review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert github.count("PUT", "/contents/README.md") == 1
    fixed = github.file(REPO, "README.md", "add-papers")
    assert fixed.count(DUPLICATE) == 1 and CLEAN in fixed
    commit = github.commits[github.head_sha(REPO, number)]
    assert commit.parent == head_before
    assert commit.message.startswith("listkeeper: fix ") and "duplicate" in commit.message
    assert "stars/Vahe1994/AQLM" in fixed
    assert code == 0  # the only error was fixed
    assert "Committed the certain fixes" in summaries(github)[0]["body"]
    assert not github.repos[REPO].review_comments  # nothing left to comment on


def test_autofix_never_overwrites_a_newer_push(github, tmp_path):
    from bot.config import load_config
    from bot.github import api, autofix

    setup_pr(github)
    config = load_config(write_config(tmp_path))
    from .helpers import BASE
    fix = autofix.prepare("README.md", BASE, HEAD, github.head_sha(REPO, 1) and
                          __import__("tests.fakegithub", fromlist=["blob_sha"]).blob_sha(HEAD), config)
    assert fix is not None
    github.push(REPO, "add-papers", {"README.md": HEAD + "\n"}, "someone pushed meanwhile")
    assert autofix.commit(api.client(), REPO, "add-papers", fix) is None
    assert github.file(REPO, "README.md", "add-papers") == HEAD + "\n"


def test_hostile_title_and_text_are_neutralized(github, tmp_path):
    hostile = "@org/team <img src=x onerror=alert(1)> ```` ::set-output name=x::y"
    entry = f"- [[ArXiv](https://arxiv.org/abs/2402.99999)] {hostile} Pushing the Limit of Post-Training Quantization"
    evil_twin = f"- [[ArXiv](https://arxiv.org/abs/2402.88888)] {hostile} Pushing the Limit of Post-Training Quantization"
    head = list_text(ENTRIES + [entry, evil_twin])
    number = setup_pr(github, head=head, title=hostile)
    code, out = review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    posted = [c["body"] for c in github.repos[REPO].review_comments]
    posted += [r["body"] for r in github.repos[REPO].reviews]
    posted += [c["body"] for c in github.repos[REPO].issue_comments]
    assert posted and any("org/team" in body for body in posted)  # the title is quoted...
    for body in posted:  # ...but inert
        assert "@org" not in body
        assert "<img" not in body
        assert "````" not in body.replace("\\`", "")
    for line in out.splitlines():
        assert not line.lstrip().startswith("::")


def test_rate_limits_are_waited_out(github, tmp_path):
    number = setup_pr(github)
    github.script("GET", r"/pulls/\d+$", 429, {"message": "You have exceeded a secondary rate limit."},
                  {"Retry-After": "1"})
    github.script("GET", r"/pulls/\d+/files$", 403, {"message": "API rate limit exceeded for installation."},
                  {"Retry-After": "1", "X-RateLimit-Remaining": "0",
                   "X-RateLimit-Reset": str(int(time.time()) + 1)})
    started = time.monotonic()
    code, _ = review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    assert time.monotonic() - started >= 2.0
    assert code == 1 and len(github.repos[REPO].reviews) == 1
    assert github.count("GET", f"/pulls/{number}/files") == 2


def test_422_falls_back_to_a_body_only_review(github, tmp_path):
    number = setup_pr(github)
    github.script("POST", r"/reviews$", 422, {"message": "Unprocessable Entity", "errors": [NOT_IN_DIFF],
                                             "documentation_url": "https://docs.github.com/rest", "status": "422"})
    code, _ = review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    reviews = github.repos[REPO].reviews
    assert len(reviews) == 1 and not github.repos[REPO].review_comments
    assert "duplicate of line" in reviews[0]["body"] and "did not accept line comments" in reviews[0]["body"]
    assert github.count("POST", "/reviews") == 2


def test_fake_rejects_a_comment_outside_the_diff(github):
    from github import GithubException

    from bot.github import api

    number = setup_pr(github)
    pull = api.client().get_repo(REPO).get_pull(number)
    with pytest.raises(GithubException) as caught:
        pull.create_review(body="x", event="COMMENT",
                           comments=[{"path": "README.md", "line": 1, "side": "RIGHT", "body": "no"}])
    assert caught.value.status == 422 and NOT_IN_DIFF in json.dumps(caught.value.data)
    assert not github.repos[REPO].reviews


def test_patchless_file_findings_go_to_a_file_comment(github, tmp_path):
    number = setup_pr(github)
    github.repos[REPO].pulls[number].patchless = True
    review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    comments = github.repos[REPO].review_comments
    assert len(comments) == 1 and comments[0]["subject_type"] == "file"
    assert comments[0]["path"] == "README.md" and "duplicate" in comments[0]["body"]
    assert "in file comments on" in github.repos[REPO].reviews[0]["body"]
    # a second run says nothing new: the file comment carries the findings' fingerprints
    review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    assert len(github.repos[REPO].review_comments) == 1 and len(github.repos[REPO].reviews) == 1


def test_dry_run_posts_nothing(github, tmp_path):
    number = setup_pr(github)
    code, out = review("--repo", REPO, "--pr", str(number), "--offline", "--dry-run",
                       config=write_config(tmp_path))
    assert code == 1 and "would post a REQUEST_CHANGES review" in out and "```suggestion" in out
    assert github.count("POST") == github.count("PATCH") == github.count("PUT") == 0


def test_request_changes_is_configurable(github, tmp_path):
    number = setup_pr(github)
    config = write_config(tmp_path, "extends: default\nreview:\n  request_changes_on: never\n  max_comments: 0\n")
    review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert github.repos[REPO].reviews[0]["state"] == "COMMENTED"
    assert not github.repos[REPO].review_comments  # max_comments 0: all in the body
    assert "More than the 0 line comments" in github.repos[REPO].reviews[0]["body"]


def test_two_workflow_pattern_posts_a_validated_plan(github, tmp_path, monkeypatch):
    number = setup_pr(github)
    config = write_config(tmp_path)
    plan_path = tmp_path / "plan.json"
    code, _ = review("--repo", REPO, "--pr", str(number), "--offline", "--findings-out", str(plan_path),
                     config=config)
    assert code == 1 and github.count("POST") == 0
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"workflow_run": {"head_sha": github.head_sha(REPO, number)},
                                 "repository": {"full_name": REPO}}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    code, _ = review("--findings-in", str(plan_path), config=config)
    # the poster exits 0 once it has posted: the first workflow's status carries the verdict
    assert code == 0 and len(github.repos[REPO].reviews) == 1
    planned = json.loads(plan_path.read_text())["findings"]
    assert len(github.repos[REPO].review_comments) == len(planned) >= 1


@pytest.mark.parametrize("tamper", ["extra-key", "html-rule", "other-sha", "other-pr"])
def test_tampered_plans_are_refused(github, tmp_path, monkeypatch, tamper):
    from bot.errors import ListkeeperError

    number = setup_pr(github)
    config = write_config(tmp_path)
    plan_path = tmp_path / "plan.json"
    review("--repo", REPO, "--pr", str(number), "--offline", "--findings-out", str(plan_path), config=config)
    plan = json.loads(plan_path.read_text())
    if tamper == "extra-key":
        plan["findings"][0]["body"] = "@everyone click here"
    elif tamper == "html-rule":
        plan["findings"][0]["rule"] = "<img src=x>"
    elif tamper == "other-sha":
        plan["head_sha"] = "0" * 40
    else:
        plan["pr"] = number + 1
    plan_path.write_text(json.dumps(plan))
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"workflow_run": {"head_sha": github.head_sha(REPO, number)},
                                 "repository": {"full_name": REPO}}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    with pytest.raises(ListkeeperError):
        review("--findings-in", str(plan_path), config=config)
    assert not github.repos[REPO].reviews


def test_pull_request_event_payload_names_the_pr(github, tmp_path, monkeypatch):
    number = setup_pr(github)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "number": number,
                                 "pull_request": {"number": number},
                                 "repository": {"full_name": REPO}}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    code, out = review("--offline", "--dry-run", config=write_config(tmp_path))
    assert code == 1 and f"on {REPO}#{number}" in out
    assert github.count("POST") == 0


def test_no_pull_request_is_a_usage_error(github, tmp_path):
    from bot.errors import ListkeeperError

    with pytest.raises(ListkeeperError, match="no pull request"):
        review("--offline", config=write_config(tmp_path))


def test_with_no_rules_yaml_the_review_judges_by_the_base_lists_conventions(github, tmp_path, monkeypatch):
    # the base list writes its arXiv label "arXiv"; a PR adds one entry labelled "Arxiv"
    from .helpers import FOOTER, HEADER

    entries = [f"- [[arXiv](https://arxiv.org/abs/2402.{10000 + i})] Paper Number {i} On Quantization"
               for i in range(12)]
    base = HEADER + "\n".join(entries) + "\n" + FOOTER.replace("[[ArXiv]", "[[arXiv]")
    added = "- [[Arxiv](https://arxiv.org/abs/2402.20000)] A New Paper On Quantization"
    head = base.replace(entries[-1], entries[-1] + "\n" + added)
    github.create_repo(REPO, {"README.md": base})
    github.push(REPO, "add-papers", {"README.md": head})
    number = github.open_pull(REPO, REPO, "add-papers")
    monkeypatch.chdir(tmp_path)  # no rules.yaml here or at a git root: the built-in defaults
    review("--repo", REPO, "--pr", str(number), "--offline")
    bodies = [c["body"] for c in github.repos[REPO].review_comments]
    assert len(bodies) == 1 and "venue label 'Arxiv' is written 'arXiv' in this list" in bodies[0]
