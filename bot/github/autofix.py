"""Commit the engine's certain fixes to a same-repository PR branch through the contents API.

The PUT carries the blob sha of the file as read at the head SHA, so GitHub refuses (409) if
someone pushed in between. Forks are never pushed to; they get suggestions instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .fingerprint import fingerprints


@dataclass
class FixCommit:
    path: str
    text: str  # the fixed file
    blob_sha: str  # of the file the fixes were computed on
    fixed: list[str]  # fingerprints of the findings the commit fixes
    message: str


class Refused(Exception):
    """GitHub refused the commit (403): the token may not write to the repository's contents."""


def prepare(path: str, base_text: str, head_text: str, blob_sha: str, config: Any, *,
            changed: set[int] | None = None) -> FixCommit | None:
    """The commit that fixes `path`, or None when nothing is fixable or the result is not clean.

    `changed`: the lines the PR changed (from its patch); git's diff of the texts when None.
    """
    from bot.diff import git_changed_lines
    from bot.engine import check_text
    from bot.errors import ListkeeperError
    from bot.fixer import fix_text

    if changed is None:
        changed = git_changed_lines(base_text, head_text)
    from bot.conventions import config_for
    from bot.parse import parse_document

    config = config_for(config, parse_document(base_text or head_text, path))  # no rules.yaml
    try:
        result = fix_text(head_text, path, config, changed=changed)
    except ListkeeperError:  # UnsafeFix: the fixer refused; leave it to a human
        return None
    if not result.applied or result.text == head_text:
        return None
    old_lines = head_text.splitlines()
    fixed = fingerprints((f.rule, path, old_lines[f.line - 1] if f.line <= len(old_lines) else "")
                         for f in result.applied)
    # Re-check the fixed file: none of the fixed findings may come back.
    after = check_text(result.text, path, config, changed=git_changed_lines(base_text, result.text))
    new_lines = result.text.splitlines()
    still = set(fingerprints((f.rule, path, new_lines[f.line - 1] if f.line <= len(new_lines) else "")
                             for f in after))
    if still & set(fixed):
        return None
    rules = sorted({f.rule for f in result.applied})
    lines = "\n".join(f"- {f.rule} (line {f.line}): {f.message[:150]}" for f in result.applied[:50])
    message = (f"listkeeper: fix {len(result.applied)} problem{'s' if len(result.applied) != 1 else ''}"
               f" in {path} ({', '.join(rules)})\n\n{lines}\n")
    return FixCommit(path, result.text, blob_sha, fixed, message)


def commit(gh: Any, repo_name: str, branch: str, fix: FixCommit) -> str | None:
    """PUT the fixed file; the new commit's sha, or None when the branch moved (409/422).

    A 403 (the job's token has `contents: read`, or the branch is protected) raises Refused.
    """
    from github import GithubException

    repo = gh.get_repo(repo_name)
    try:
        result = repo.update_file(fix.path, fix.message, fix.text, fix.blob_sha, branch=branch)
    except GithubException as exc:
        if exc.status in (409, 422):
            return None
        if exc.status == 403:
            detail = (exc.data or {}).get("message", "") if isinstance(exc.data, dict) else ""
            raise Refused(f"GitHub refused to commit the fixes to {branch} (403 {detail}: the "
                          "token needs `contents: write`)".replace(" :", ":")) from None
        raise
    return result["commit"].sha
