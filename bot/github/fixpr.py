"""Open or update one pull request that applies the certain fixes of the weekly report: moved
links and renamed repositories (broken-link), and preprints now published (published).

The fixes are made on the default branch's current text, read through the contents API, on a
branch of the base repository that is reset to the default branch tip first.
"""

from __future__ import annotations

import sys
from typing import Any

BRANCH = "listkeeper/link-fixes"
TITLE = "Update moved links"
TITLE_PUBLISHED = "Update moved links and published preprints"
PATCH_MARKER = "<!-- listkeeper:link-fix-patch -->"


class Refused(Exception):
    """GitHub refused the branch, the commit or the pull request (403); `patch` has the fixes."""

    def __init__(self, message: str, patch: str) -> None:
        super().__init__(message)
        self.message = message
        self.patch = patch


def _refusal(exc: Any, step: str) -> str:
    detail = (exc.data or {}).get("message", "") if isinstance(exc.data, dict) else ""
    if "not permitted to create or approve pull requests" in detail:
        return ("GitHub refused to open the fix PR: \"GitHub Actions is not permitted to create or "
                "approve pull requests\". Enable Settings → Actions → General → Workflow permissions → "
                "\"Allow GitHub Actions to create and approve pull requests\", or pass a GitHub App or "
                "personal access token as `token:`")
    return (f"GitHub refused to {step} (403 {detail}): the job needs `contents: write` and "
            "`pull-requests: write`, or a GitHub App or personal access token").replace(" ):", "):")


def patch_of(changes: list[tuple[str, str, str, str, tuple[int, int]]]) -> str:
    """A unified diff of the fixes: (path, new text, blob sha, old text, counts) per file."""
    import difflib

    out = []
    for path, new_text, _sha, old_text, _count in changes:
        out += difflib.unified_diff(old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                    f"a/{path}", f"b/{path}")
    return "".join(out)


def post_patch(issue: Any, refused: Refused) -> None:
    """Say on the report issue why there is no fix PR, with the fixes as a patch (if it fits)."""
    from . import escape

    head = f"{PATCH_MARKER}\n**listkeeper could not open the fix PR.** {escape.text(refused.message)}."
    ticks = escape.fence(refused.patch)
    body = f"{head}\n\nThe certain fixes as a patch (`git apply` it):\n\n{ticks}diff\n{refused.patch}{ticks}\n"
    if escape.size(body) > escape.BUDGET:  # never post a cut patch
        body = f"{head}\n\nThe patch is too long for a comment: run `listkeeper report --fix-pr` with a token that may open PRs."
    for comment in issue.get_comments():
        if (comment.body or "").startswith(PATCH_MARKER):
            if comment.body != body:
                comment.edit(body)
            return
    issue.create_comment(body)


def rewrite(text: str, path: str, config: Any, links: Any,
            rules: list[str] | None = None) -> tuple[str, int, int]:
    """`text` with the online rules' certain fixes (broken-link, and published when given)
    applied by the fixer, through its safety check (no entry or link lost); (new text, link
    fixes applied, preprints relabelled). A reference link's fix is on its definition, so
    `[Paper][p]` keeps its label."""
    from bot.fixer import fix_text

    result = fix_text(text, path, config, select=rules or ["broken-link"], links=links)
    relabelled = sum(1 for f in result.applied if f.rule == "published")
    return result.text, len(result.applied) - relabelled, relabelled


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def open_or_update(gh: Any, repo_name: str, paths: list[str], config: Any, links: Any,
                   rules: list[str] | None = None) -> str:
    """Commit the fixes to BRANCH and open (or update) its PR; says what it did."""
    from github import GithubException

    from bot.fixer import UnsafeFix

    from .pullrequest import read_text

    repo = gh.get_repo(repo_name)
    default = repo.default_branch
    tip = repo.get_git_ref(f"heads/{default}").object.sha
    changes = []
    for path in paths:
        current = read_text(gh, repo_name, path, tip)
        if current is None:
            continue
        try:
            new_text, count, relabelled = rewrite(current[0], path, config, links, rules)
        except UnsafeFix as exc:
            print(f"listkeeper: warning: {path}: no fix PR for this file: {exc}", file=sys.stderr)
            continue
        if count or relabelled:
            changes.append((path, new_text, current[1], current[0], (count, relabelled)))
    if not changes:
        return "no certain link fixes to propose"
    try:
        return _push_and_open(repo, repo_name, default, tip, changes)
    except GithubException as exc:
        if exc.status != 403:
            raise
        raise Refused(_refusal(exc, "push the fix branch"), patch_of(changes)) from None


def _push_and_open(repo: Any, repo_name: str, default: str, tip: str, changes: list) -> str:
    from github import GithubException

    ref = repo.get_git_ref(f"heads/{BRANCH}")
    try:
        ref.object  # noqa: B018 - the ref is lazy: this reads it
    except GithubException as exc:
        if exc.status != 404:
            raise
        repo.create_git_ref(f"refs/heads/{BRANCH}", tip)
    else:  # start over from the default branch: the PR is always one fresh commit per file
        ref.edit(tip, force=True)
    total = relabelled = 0
    for path, new_text, blob_sha, _old, (count, published) in changes:
        what = " and ".join(part for part in (
            _plural(count, "moved link") if count else "",
            f"relabel {_plural(published, 'published preprint')}" if published else "") if part)
        repo.update_file(path, f"listkeeper: {'update ' if count else ''}{what} in {path}",
                         new_text, blob_sha, branch=BRANCH)
        total += count
        relabelled += published
    parts = []
    if total:
        parts.append(f"listkeeper's link check found {_plural(total, 'link')} with a certain new "
                     "address (a permanent redirect or a renamed repository) and updated them.")
    if relabelled:
        entries = "1 entry" if relabelled == 1 else f"{relabelled} entries"
        parts.append(f"{entries} labelled as a preprint {'has' if relabelled == 1 else 'have'} been "
                     "published since (two sources agree on the venue, or arXiv's journal_ref or a "
                     "DOI of the published version names it): relabelled with the venue.")
    body = " ".join(parts)
    owner = repo_name.split("/")[0]
    existing = list(repo.get_pulls(state="open", head=f"{owner}:{BRANCH}"))
    if existing:
        existing[0].edit(body=body)
        return f"updated PR #{existing[0].number}"
    pull = repo.create_pull(title=TITLE_PUBLISHED if relabelled else TITLE, body=body, head=BRANCH,
                            base=default)
    return f"opened PR #{pull.number}"
