"""Open or update one pull request that applies the certain link fixes (moved and renamed).

The fixes are made on the default branch's current text, read through the contents API, on a
branch of the base repository that is reset to the default branch tip first.
"""

from __future__ import annotations

from typing import Any

BRANCH = "listkeeper/link-fixes"
TITLE = "Update moved links"


def rewrite(text: str, path: str, fixes: dict[str, str]) -> tuple[str, int]:
    """`text` with each link URL in `fixes` replaced, touching only the URL bytes."""
    from bot.parse import parse_document

    doc = parse_document(text, path)
    edits = sorted(((link.start, link.end, fixes[link.url]) for link in doc.links if link.url in fixes),
                   reverse=True)
    for start, end, new in edits:
        text = text[:start] + new + text[end:]
    return text, len(edits)


def open_or_update(gh: Any, repo_name: str, paths: list[str], fixes: dict[str, str]) -> str:
    """Commit the fixes to BRANCH and open (or update) its PR; says what it did."""
    from github import GithubException

    from .pullrequest import read_text

    repo = gh.get_repo(repo_name)
    default = repo.default_branch
    tip = repo.get_git_ref(f"heads/{default}").object.sha
    changes = []
    for path in paths:
        current = read_text(gh, repo_name, path, tip)
        if current is None:
            continue
        new_text, count = rewrite(current[0], path, fixes)
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
