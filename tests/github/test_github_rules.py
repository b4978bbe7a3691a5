"""The PR bot under GitHub's documented rules (issue 8), through PyGithub against the fake.

Each test names the GitHub behaviour it follows; the fake answers as these pages document:
- reviews (create: events, 422s; dismiss: PUT .../dismissals, protected branches):
  https://docs.github.com/en/rest/pulls/reviews
- review comments (line, start_line, side, subject_type):
  https://docs.github.com/en/rest/pulls/comments
- body limit, 422 "body is too long (maximum is 65536 characters)": the error GitHub returns
  for issue, comment and review bodies (e.g. https://github.com/lazy-actions/gitrivy/issues/102)
- workflow_run.pull_requests is empty for PRs from forks:
  https://github.com/github/docs/issues/22501
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from bot.github.fingerprint import fingerprint
from tests.fakegithub import BODY_TOO_LONG, OWN_REQUEST_CHANGES

from .helpers import (
    BADGE_MISMATCH,
    BASE,
    CLEAN,
    DUPLICATE,
    ENTRIES,
    HEADER,
    line_of,
    list_text,
    review,
    setup_pr,
    write_config,
)

REPO = "lab/awesome"


def summaries(github):
    return [c for c in github.repos[REPO].issue_comments if "listkeeper:summary" in c["body"]]


def all_bodies(github) -> list[str]:
    repo = github.repos[REPO]
    return ([c["body"] for c in repo.review_comments] + [r["body"] for r in repo.reviews]
            + [c["body"] for c in repo.issue_comments] + [i["body"] for i in repo.issues.values()])


def workflow_run_event(tmp_path, monkeypatch, head_sha: str, pull_requests: list | None = None) -> None:
    event = tmp_path / "workflow_run.json"
    event.write_text(json.dumps({"workflow_run": {"head_sha": head_sha, "event": "pull_request",
                                                  "conclusion": "failure",
                                                  "pull_requests": pull_requests or []},
                                 "repository": {"full_name": REPO}}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))


# ---- plain install: the plan needs no jsonschema ---------------------------------------------

def test_a_plan_is_validated_without_jsonschema(github, tmp_path, monkeypatch):
    """`pip install .` brings no jsonschema: posting a plan must not import it."""
    number = setup_pr(github)
    config = write_config(tmp_path)
    plan_path = tmp_path / "plan.json"
    review("--repo", REPO, "--pr", str(number), "--offline", "--findings-out", str(plan_path), config=config)
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # `import jsonschema` now fails
    workflow_run_event(tmp_path, monkeypatch, github.head_sha(REPO, number))
    code, _ = review("--findings-in", str(plan_path), config=config)
    assert code == 0 and len(github.repos[REPO].reviews) == 1


def test_the_hand_written_validator_agrees_with_jsonschema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from bot.github.plan import SCHEMA, SchemaError, validate

    finding = {"rule": "duplicate", "level": "error", "path": "README.md", "line": 3, "column": 1,
               "message": "dup", "fingerprint": "0123456789abcdef", "end_line": None, "section": "A",
               "suggestion": {"first": 3, "last": 3, "lines": [], "fixes": ["duplicate"]},
               "move_below": None, "fixable": True}
    good = {"version": 1, "repo": "lab/awesome", "head_sha": "a" * 40, "findings": [finding]}
    variants = [good]
    for key, value in [("rule", "<img>"), ("level", "fatal"), ("line", 0), ("line", True), ("path", ""),
                       ("path", "a\nb"), ("fingerprint", "xyz"), ("message", "m" * 2001), ("extra", 1),
                       ("suggestion", {"first": 1, "last": 1}), ("end_line", "3")]:
        variants.append(dict(good, findings=[dict(finding, **{key: value})]))
    variants += [dict(good, head_sha="A" * 40), dict(good, head_sha="a" * 40 + "\n"), dict(good, version=2),
                 {k: v for k, v in good.items() if k != "repo"}, dict(good, repo="a/b/c"), []]
    checker = jsonschema.Draft202012Validator(SCHEMA)
    for data in variants:
        try:
            validate(data, SCHEMA)
            ours = True
        except SchemaError:
            ours = False
        theirs = checker.is_valid(data)
        if data == dict(good, head_sha="a" * 40 + "\n"):
            assert not ours  # stricter than Python's `$`, which lets a final newline through
            continue
        assert ours == theirs, data


# ---- no stale block: dismissals -----------------------------------------------------------

def test_a_fixed_pr_gets_the_bots_blocking_review_dismissed(github, tmp_path):
    """PUT /repos/{o}/{r}/pulls/{n}/reviews/{id}/dismissals once nothing blocking is left
    (https://docs.github.com/en/rest/pulls/reviews#dismiss-a-review-for-a-pull-request)."""
    config = write_config(tmp_path)
    number = setup_pr(github)
    code, _ = review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert code == 1 and github.repos[REPO].reviews[0]["state"] == "CHANGES_REQUESTED"
    github.push(REPO, "add-papers", {"README.md": list_text(ENTRIES + [CLEAN])}, "Fix the entries")
    code, out = review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert code == 0
    states = [r["state"] for r in github.repos[REPO].reviews]
    assert states == ["DISMISSED"]
    assert "no longer applies" in github.repos[REPO].reviews[0]["dismissal_message"]
    [summary] = summaries(github)
    assert "Dismissed listkeeper's earlier review" in summary["body"] and "No problems" in summary["body"]
    assert github.count("PUT", "/dismissals") == 1


def test_a_refused_dismissal_asks_a_maintainer(github, tmp_path):
    """On a protected branch only admins and allowed dismissers may dismiss: 403 otherwise."""
    config = write_config(tmp_path)
    number = setup_pr(github)
    github.repos[REPO].protected.add("main")
    review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    github.push(REPO, "add-papers", {"README.md": list_text(ENTRIES + [CLEAN])}, "Fix the entries")
    code, out = review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert code == 0 and "a maintainer must dismiss" in out
    assert github.repos[REPO].reviews[0]["state"] == "CHANGES_REQUESTED"
    [summary] = summaries(github)
    assert "A maintainer must dismiss it" in summary["body"] and "HTTP 403" in summary["body"]


def test_the_fake_dismisses_only_blocking_reviews_with_a_message(github):
    from github import GithubException

    from bot.github import api

    number = setup_pr(github)
    pull = api.client().get_repo(REPO).get_pull(number)
    commented = pull.create_review(body="x", event="COMMENT")
    with pytest.raises(GithubException) as caught:
        commented.dismiss("no")
    assert caught.value.status == 422
    blocking = pull.create_review(body="x", event="REQUEST_CHANGES")
    blocking.dismiss("fixed")
    assert [r["state"] for r in github.repos[REPO].reviews] == ["COMMENTED", "DISMISSED"]


# ---- bodies within GitHub's limits --------------------------------------------------------

def test_the_fake_refuses_every_body_over_65536_characters(github):
    from github import GithubException

    from bot.github import api

    number = setup_pr(github)
    repo = api.client().get_repo(REPO)
    pull = repo.get_pull(number)
    too_long, longest = "x" * 65_537, "y" * 65_536
    calls = [lambda b: pull.create_issue_comment(b), lambda b: repo.create_issue("t", body=b),
             lambda b: pull.create_review(body=b, event="COMMENT"),
             lambda b: pull.create_review(body="r", event="COMMENT", comments=[
                 {"path": "README.md", "line": line_of(github.file(REPO, "README.md", "add-papers"), CLEAN),
                  "side": "RIGHT", "body": b}]),
             lambda b: pull.edit(body=b)]
    for call in calls:
        with pytest.raises(GithubException) as caught:
            call(too_long)
        assert caught.value.status == 422 and BODY_TOO_LONG in json.dumps(caught.value.data)
        call(longest)


def test_5000_findings_fit_every_body_with_a_note(github, tmp_path, monkeypatch):
    entries = [f"- [[ArXiv](https://arxiv.org/abs/2401.{i:05d})] Paper number {i} on efficient compression "
               for i in range(5000)]  # a trailing space each: 5,000 whitespace findings
    number = setup_pr(github, head=list_text(ENTRIES + entries))
    config = write_config(tmp_path)
    plan_path = tmp_path / "plan.json"
    review("--repo", REPO, "--pr", str(number), "--offline", "--findings-out", str(plan_path), config=config)
    plan = json.loads(plan_path.read_text())
    assert len(plan["findings"]) == 5000
    workflow_run_event(tmp_path, monkeypatch, github.head_sha(REPO, number))
    code, _ = review("--findings-in", str(plan_path), config=config)
    assert code == 0
    bodies = all_bodies(github)
    assert bodies and all(len(b) <= 65_536 for b in bodies)
    [summary] = summaries(github)
    assert "**5,000 warnings**" in summary["body"]
    assert re.search(r"and [\d,]+ more findings not listed here", summary["body"])
    body = github.repos[REPO].reviews[0]["body"]
    assert re.search(r"and [\d,]+ more findings not listed here", body)


def test_2000_broken_links_fit_the_issue_with_a_note(github):
    from bot.github import api, issue, report

    rows = [report.Row(f"https://example.org/a-rather-long-path/to/paper/number/{i}/that/went/away",
                       [report.Place("README.md", i + 10, "Language › 2024 › Quantization")], 404,
                       first_seen="2024-01-01", failures=2, message="HTTP 404")
            for i in range(2000)]
    results = rows
    built = report.Report(new=rows)
    body = report.render(built, [])
    assert len(body) <= 65_536 and re.search(r"and [\d,]+ more not listed here", body)
    assert "the job summary of this run has the full report" in body
    remembered = report.previous_broken(body)
    assert remembered and remembered <= {r.url for r in results}
    github.create_repo(REPO, {"README.md": BASE})
    repo = api.client().get_repo(REPO)
    assert issue.upsert(repo, "link-rot", body, broken=True).startswith("opened #")
    full = report.render(built, [], limit=1_000_000)
    assert full.count("/that/went/away") == 2000


# ---- races and exit codes -----------------------------------------------------------------

def test_the_poster_skips_a_pr_that_moved_on(github, tmp_path, monkeypatch):
    config = write_config(tmp_path)
    number = setup_pr(github, fork=True)
    planned_sha = github.head_sha(REPO, number)
    plan_path = tmp_path / "plan.json"
    review("--repo", REPO, "--pr", str(number), "--offline", "--findings-out", str(plan_path), config=config)
    github.push("contributor/awesome", "add-papers", {"README.md": list_text(ENTRIES + [CLEAN])}, "newer")
    workflow_run_event(tmp_path, monkeypatch, planned_sha)
    code, out = review("--findings-in", str(plan_path), config=config)
    assert code == 0 and "::notice" in out and "not posting" in out
    assert not github.repos[REPO].reviews and not github.repos[REPO].issue_comments


def test_the_plan_is_made_for_the_events_head_sha(github, tmp_path, monkeypatch):
    config = write_config(tmp_path)
    number = setup_pr(github)
    event_sha = github.head_sha(REPO, number)
    github.push(REPO, "add-papers", {"README.md": list_text(ENTRIES + [CLEAN])}, "pushed meanwhile")
    event = tmp_path / "pull_request.json"
    event.write_text(json.dumps({"action": "synchronize", "number": number,
                                 "pull_request": {"number": number, "head": {"sha": event_sha}},
                                 "repository": {"full_name": REPO}}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    plan_path = tmp_path / "plan.json"
    code, out = review("--offline", "--findings-out", str(plan_path), config=config)
    assert json.loads(plan_path.read_text())["head_sha"] == event_sha
    assert code == 0 and "moved on" in out


def test_a_fork_pr_is_found_by_head_sha_when_pull_requests_is_empty(github, tmp_path, monkeypatch):
    config = write_config(tmp_path)
    number = setup_pr(github, fork=True)
    plan_path = tmp_path / "plan.json"
    review("--repo", REPO, "--pr", str(number), "--offline", "--findings-out", str(plan_path), config=config)
    workflow_run_event(tmp_path, monkeypatch, github.head_sha(REPO, number), pull_requests=[])
    code, _ = review("--findings-in", str(plan_path), config=config)
    assert code == 0 and github.repos[REPO].reviews[0]["state"] == "CHANGES_REQUESTED"


@pytest.mark.parametrize("source", ["workflow", "readme"])
def test_the_comment_workflow_runs_only_after_success_or_failure(source):
    import yaml

    from tests.conftest import ROOT

    if source == "workflow":
        text = (ROOT / ".github/workflows/listkeeper-comment.yml").read_text(encoding="utf-8")
    else:
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        text = re.search(r"```yaml\n(# \.github/workflows/listkeeper-comment\.yml.*?)```", readme, re.S).group(1)
    condition = " ".join(yaml.safe_load(text)["jobs"]["comment"]["if"].split())
    assert "github.event.workflow_run.conclusion == 'success'" in condition
    assert "github.event.workflow_run.conclusion == 'failure'" in condition
    assert "!=" not in condition


# ---- identity ---------------------------------------------------------------------------

def test_request_changes_on_the_tokens_own_pr_falls_back_to_comment(github, tmp_path, monkeypatch):
    """GitHub: 422 "Can not request changes on your own pull request" when the PAT's user
    opened the PR (https://docs.github.com/en/rest/pulls/reviews#create-a-review-for-a-pull-request)."""
    github.tokens["maintainer-pat"] = "maintainer"
    monkeypatch.setenv("GITHUB_TOKEN", "maintainer-pat")
    github.create_repo(REPO, {"README.md": BASE})
    github.push(REPO, "add-papers", {"README.md": list_text(ENTRIES + [DUPLICATE])})
    number = github.open_pull(REPO, REPO, "add-papers", user="maintainer")
    config = write_config(tmp_path)
    code, out = review("--repo", REPO, "--pr", str(number), "--offline", "--bot-login", "maintainer",
                       config=config)
    assert code == 1 and "posting the review as a COMMENT" in out
    [posted] = github.repos[REPO].reviews
    assert posted["state"] == "COMMENTED" and posted["user"]["login"] == "maintainer"
    assert github.count("POST", "/reviews") == 2  # refused once, as GitHub does
    assert "request changes on it" in summaries(github)[0]["body"]
    github.requests.clear()
    review("--repo", REPO, "--pr", str(number), "--offline", "--bot-login", "maintainer", config=config)
    assert github.count("POST") == 0  # it knows its own comments by the configured login


def test_the_fake_refuses_request_changes_on_your_own_pr(github):
    from github import GithubException

    from bot.github import api

    github.tokens["test-token"] = "contributor"  # setup_pr's PRs are opened by "contributor"
    number = setup_pr(github)
    pull = api.client().get_repo(REPO).get_pull(number)
    with pytest.raises(GithubException) as caught:
        pull.create_review(body="x", event="REQUEST_CHANGES")
    assert caught.value.status == 422 and OWN_REQUEST_CHANGES in json.dumps(caught.value.data)


def test_markers_count_only_in_the_bots_own_comments_outside_code(github, tmp_path):
    """A PR line that carries `<!-- listkeeper:fp=X -->` is quoted in a suggestion; another
    bot's comment may carry markers too. Neither may hide finding X."""
    config = write_config(tmp_path)
    planted = fingerprint("duplicate", "README.md", DUPLICATE)
    bait = (f"- [[Arxiv](https://arxiv.org/abs/2402.77777)] A Paper That Quotes A Marker "
            f"<!-- listkeeper:fp={planted} -->")
    number = setup_pr(github, head=list_text(ENTRIES + [bait]))
    review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert any(planted in c["body"] and "```suggestion" in c["body"]
               for c in github.repos[REPO].review_comments)  # the marker sits in a suggestion
    github.add_issue_comment(REPO, number, f"<!-- listkeeper:summary -->\n<!-- listkeeper:fp={planted} -->",
                             user="other-helper[bot]")
    head = list_text(ENTRIES + [bait, DUPLICATE])
    github.push(REPO, "add-papers", {"README.md": head}, "add a duplicate")
    code, _ = review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert code == 1
    line = line_of(head, DUPLICATE, 2)
    assert [c for c in github.repos[REPO].review_comments if c["line"] == line and "duplicate" in c["body"]]


# ---- one suggestion per line; moves say one thing ----------------------------------------

def test_one_comment_and_one_suggestion_fix_every_problem_of_a_line(github, tmp_path):
    entry = BADGE_MISMATCH.replace("[[ArXiv]", "[[Arxiv]")  # a venue and a badge problem
    head = list_text(ENTRIES + [entry])
    number = setup_pr(github, head=head)
    review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    line = line_of(head, entry)
    [comment] = [c for c in github.repos[REPO].review_comments if c["line"] == line]
    body = comment["body"]
    assert body.count("```suggestion") == 1 and "venue" in body and "badge-format" in body
    fixed = body.split("```suggestion\n", 1)[1].split("\n```", 1)[0]
    # (the badge keeps its place: spacing is judged only in lists that require badges)
    assert fixed == (entry.replace("[[Arxiv]", "[[ArXiv]")
                     .replace("stars/htqin/IR-QLoRA", "stars/Vahe1994/AQLM"))
    assert "One suggestion fixes `badge-format`, `venue`" in body


ORDERED = ("extends: default\nrules:\n  ordering: warning\nsections:\n  ordering:\n"
           "    - match: \"* › 20* › *\"\n      keys: [published, arxiv]\n")


def test_an_ordering_move_names_one_line_in_message_and_hint(github, tmp_path):
    """A new entry added at the top that sorts last: the message and the hint name one line,
    the last entry it belongs after (once "belongs after line 258" / "move it below line 251")."""
    late = "- [[ArXiv](https://arxiv.org/abs/2402.20000)] ZipLM: A Late Paper That Sorts After The Others"
    early = "- [[ArXiv](https://arxiv.org/abs/2401.00100)] An Early Paper That Sorts First Of All"
    base = list_text([early, ENTRIES[2]])  # 2401.00100, 2402.11960: sorted
    head = list_text([late, early, ENTRIES[2]])
    github.create_repo(REPO, {"README.md": base})
    github.push(REPO, "add-papers", {"README.md": head})
    number = github.open_pull(REPO, REPO, "add-papers")
    review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path, ORDERED))
    [comment] = [c for c in github.repos[REPO].review_comments if "ordering" in c["body"]]
    said = re.search(r"belongs after line (\d+)", comment["body"])
    hint = re.search(r"move it below line (\d+)", comment["body"])
    assert said and hint and said.group(1) == hint.group(1) == str(line_of(head, ENTRIES[2]))


def test_section_placement_wins_over_ordering_for_one_entry(github, tmp_path):
    # the label's year is strong evidence: the entry moves to 2023 (a preprint under a later
    # year may have been published since, so that alone would not move it)
    old = "- [[ICLR 2023](https://arxiv.org/abs/2301.00500)] A Paper From Twenty Twenty Three Under 2024"
    footer = ("\n### 2023\n\n**Quantization**\n\n"
              "- [[ICLR](https://arxiv.org/abs/2301.00100)] Earlier Paper Of Twenty Twenty Three\n"
              "- [[ICLR](https://arxiv.org/abs/2301.00900)] Later Paper Of Twenty Twenty Three\n")
    base = HEADER + "\n".join(ENTRIES) + "\n" + footer
    head = HEADER + "\n".join(ENTRIES + [old]) + "\n" + footer
    github.create_repo(REPO, {"README.md": base})
    github.push(REPO, "add-papers", {"README.md": head})
    number = github.open_pull(REPO, REPO, "add-papers")
    review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path, ORDERED))
    line = line_of(head, old)
    [comment] = [c for c in github.repos[REPO].review_comments if c["line"] == line]
    assert "section-placement" in comment["body"] and "ordering" not in comment["body"]
    target = int(re.search(r"move it below line (\d+)", comment["body"]).group(1))
    lines = head.splitlines()
    assert lines[target - 1] == "- [[ICLR](https://arxiv.org/abs/2301.00100)] Earlier Paper Of Twenty Twenty Three"


# ---- changed lines as git and GitHub show them -------------------------------------------

# git aligns the table row below with the old one; difflib calls it changed (DefTruth step 37)
GIT_OLD = "# T\n\n## A\n\n\n| a | b | \n\n"
GIT_NEW = "# T\n\n## A\n\n| a | b | \n- [x](https://example.org/x) X\n\n"


def test_review_takes_changed_lines_from_the_patch(github, tmp_path):
    github.create_repo(REPO, {"README.md": GIT_OLD})
    github.push(REPO, "add-papers", {"README.md": GIT_NEW})
    number = github.open_pull(REPO, REPO, "add-papers")
    review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    assert not [c for c in github.repos[REPO].review_comments if c["line"] == 5]  # the unchanged row


def test_check_base_takes_changed_lines_from_git_diff(tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "README.md").write_text(GIT_OLD, encoding="utf-8")
    (tmp_path / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "old"], cwd=tmp_path, check=True)
    (tmp_path / "README.md").write_text(GIT_NEW, encoding="utf-8")
    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-m", "bot", "check", "--base", "HEAD", "README.md"],
                          cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert "README.md:5:" not in done.stdout, done.stdout


def test_a_finding_on_a_multi_line_entry_lands_on_its_changed_line(github, tmp_path):
    """The entry starts far above the changed line (outside the hunk): the finding goes on
    the entry's changed line, not in the review body and not on an unchanged line."""
    entry = [ENTRIES[1]] + [f"  continued note number {i} about this paper" for i in range(6)]
    base = list_text([ENTRIES[0], *entry, ENTRIES[2]])
    changed = entry[:-1] + ["  continued note number 5 about this paper, now longer"]
    head = list_text([ENTRIES[0], *changed, ENTRIES[2]])
    github.create_repo(REPO, {"README.md": base})
    github.push(REPO, "add-papers", {"README.md": head})
    number = github.open_pull(REPO, REPO, "add-papers")
    review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    last = line_of(head, changed[-1])
    comments = [c for c in github.repos[REPO].review_comments if "entry-format" in c["body"]]
    assert [c["line"] for c in comments] == [last] and "start_line" not in comments[0]
    assert "entry-format" not in github.repos[REPO].reviews[0]["body"]


# ---- autofix and fix PRs under GitHub's rules --------------------------------------------

def test_autofix_with_a_read_only_token_posts_suggestions(github, tmp_path):
    """A job with `contents: read` gets 403 "Resource not accessible by integration"."""
    github.read_only.add("test-token")
    number = setup_pr(github)
    config = write_config(tmp_path, "extends: default\nreview:\n  autofix: commit\n")
    code, out = review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert code == 1 and "contents: write" in out and "posting suggestions instead" in out
    assert any("```suggestion" in c["body"] for c in github.repos[REPO].review_comments)
    assert "posted as suggestions instead" in summaries(github)[0]["body"]


def test_a_committed_fix_says_that_it_starts_no_workflow(github, tmp_path):
    number = setup_pr(github)
    config = write_config(tmp_path, "extends: default\nreview:\n  autofix: commit\n")
    review("--repo", REPO, "--pr", str(number), "--offline", config=config)
    assert "starts no workflow run" in summaries(github)[0]["body"]


# ---- what the bot posts cannot be broken by the list's text -------------------------------

def test_a_suggestion_too_long_to_post_whole_is_not_posted(github, tmp_path):
    long_entry = ("- [[Arxiv](https://arxiv.org/abs/2402.66666)] A Paper With A Very Long Note "
                  + "word " * 14_000).rstrip()
    head = list_text(ENTRIES + [long_entry])
    number = setup_pr(github, head=head)
    review("--repo", REPO, "--pr", str(number), "--offline", config=write_config(tmp_path))
    for body in all_bodies(github):
        assert len(body) <= 65_536
        assert "truncated" not in body.split("```suggestion", 1)[-1] or "```suggestion" not in body
    assert not [c for c in github.repos[REPO].review_comments if "```suggestion" in c["body"]
                and c["line"] == line_of(head, long_entry)]


def test_an_over_long_line_or_heading_drops_only_that_finding_from_the_plan(github, tmp_path, monkeypatch):
    heading = "Q" * 600
    long_entry = "- [[Arxiv](https://arxiv.org/abs/2402.55555)] " + "A Long Title " * 500
    head = list_text(ENTRIES + [DUPLICATE]) + f"\n## {heading}\n\n{long_entry}\n"
    number = setup_pr(github, head=head)
    config = write_config(tmp_path)
    plan_path = tmp_path / "plan.json"
    review("--repo", REPO, "--pr", str(number), "--offline", "--findings-out", str(plan_path), config=config)
    workflow_run_event(tmp_path, monkeypatch, github.head_sha(REPO, number))
    code, _ = review("--findings-in", str(plan_path), config=config)  # not rejected whole
    assert code == 0 and len(github.repos[REPO].reviews) == 1
    duplicate_line = line_of(head, DUPLICATE, 2)
    assert [c for c in github.repos[REPO].review_comments if c["line"] == duplicate_line]


def test_a_pipe_in_a_url_stays_in_its_table_cell():
    from bot.github import render, report
    from bot.github.plan import PlannedFinding

    url = "https://example.org/a|@org/team|b"
    row = report.Row(url, [report.Place("a|@org/x.md", 3, "S|@org/y")], 404, failures=1)
    body = report.render(report.Report(new=[row]), [])
    line = next(x for x in body.splitlines() if "example.org" in x)
    assert len(re.findall(r"(?<!\\)\|", line)) == 5  # | link | where | why | suggested fix |
    finding = PlannedFinding("duplicate", "error", "a|@org/team.md", 3, 1, "x | @org/team", "0123456789abcdef",
                             section="S | @org/z")
    summary = render.summary([finding], [], head_sha="a" * 40)
    line = next(x for x in summary.splitlines() if "org/team.md" in x)
    assert len(re.findall(r"(?<!\\)\|", line)) == 6  # | level | rule | where | section | problem |
