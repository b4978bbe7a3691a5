"""Open or update one pull request that applies the certain link fixes (moved and renamed).

The fixes are made on the default branch's current text, read through the contents API, on a
branch of the base repository that is reset to the default branch tip first.
"""

from __future__ import annotations

import sys
from typing import Any

BRANCH = "listkeeper/link-fixes"
TITLE = "Update moved links"


def rewrite(text: str, path: str, config: Any, links: Any) -> tuple[str, int]:
    """`text` with the broken-link rule's certain fixes applied by the fixer, through its
    safety check (no entry or link lost); (new text, fixes applied). A reference link's fix
    is on its definition, so `[Paper][p]` keeps its label."""
    from bot.fixer import fix_text

    result = fix_text(text, path, config, select=["broken-link"], links=links)
    return result.text, len(result.applied)


def open_or_update(gh: Any, repo_name: str, paths: list[str], config: Any, links: Any) -> str:
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
            new_text, count = rewrite(current[0], path, config, links)
        except UnsafeFix as exc:
            print(f"listkeeper: warning: {path}: no fix PR for this file: {exc}", file=sys.stderr)
            continue
        if count:
            changes.append((path, new_text, current[1], count))
    if not changes:
        return "no certain link fixes to propose"
    ref = repo.get_git_ref(f"heads/{BRANCH}")
    try:
        ref.object  # noqa: B018 - the ref is lazy: this reads it
    except GithubException as exc:
        if exc.status != 404:
            raise
        repo.create_git_ref(f"refs/heads/{BRANCH}", tip)
    else:  # start over from the default branch: the PR is always one fresh commit per file
        ref.edit(tip, force=True)
    total = 0
    for path, new_text, blob_sha, count in changes:
        repo.update_file(path, f"listkeeper: update {count} moved link{'s' if count != 1 else ''} in {path}",
                         new_text, blob_sha, branch=BRANCH)
        total += count
    body = (f"listkeeper's link check found {total} link{'s' if total != 1 else ''} with a certain new "
            "address (a permanent redirect or a renamed repository) and updated them.")
    owner = repo_name.split("/")[0]
    existing = list(repo.get_pulls(state="open", head=f"{owner}:{BRANCH}"))
    if existing:
        existing[0].edit(body=body)
        return f"updated PR #{existing[0].number}"
    pull = repo.create_pull(title=TITLE, body=body, head=BRANCH, base=default)
    return f"opened PR #{pull.number}"
