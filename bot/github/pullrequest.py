"""Read a pull request as data: its head and base, its files' patches and file texts.

Nothing is checked out and nothing from the PR runs: file texts come through the contents API
at the exact head and base SHAs.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from bot.errors import InputError, ListkeeperError
from bot.listfile import MAX_LIST_BYTES, decode_list

from .diffmap import FileDiff, parse_patch


@dataclass
class PullFile:
    path: str
    status: str  # added | modified | removed | renamed ...
    diff: FileDiff | None  # None when GitHub sent no patch (very large diffs)
    previous_path: str | None = None


@dataclass
class PullData:
    """What the reviewer needs to know about one PR."""

    repo: str
    number: int
    title: str
    head_sha: str
    base_sha: str
    head_ref: str
    head_repo: str | None
    files: dict[str, PullFile] = field(default_factory=dict)
    handle: Any = None  # the PyGithub PullRequest, for posting

    @property
    def same_repo(self) -> bool:
        """True when the head branch lives in the base repository (not a fork)."""
        return self.head_repo is not None and self.head_repo.lower() == self.repo.lower()


def pull_data(pull: Any, repo_name: str) -> PullData:
    """Turn a PyGithub PullRequest into PullData (one request for the PR, one per files page)."""
    head_repo = pull.head.repo.full_name if pull.head.repo is not None else None
    data = PullData(repo=repo_name, number=pull.number, title=pull.title or "",
                    head_sha=pull.head.sha, base_sha=pull.base.sha, head_ref=pull.head.ref,
                    head_repo=head_repo, handle=pull)
    for item in pull.get_files():
        patch = item.patch
        diff = parse_patch(item.filename, patch) if patch is not None else None
        data.files[item.filename] = PullFile(item.filename, item.status, diff,
                                             item.previous_filename)
    return data


def load_pull(gh: Any, repo_name: str, number: int) -> PullData:
    repo = gh.get_repo(repo_name)
    return pull_data(repo.get_pull(number), repo_name)


def find_pull_by_head_sha(gh: Any, repo_name: str, head_sha: str) -> PullData | None:
    """The open PR whose head is exactly `head_sha` (how the posting workflow finds its PR),
    or None when there is none (the PR moved on to a newer commit, or was closed)."""
    repo = gh.get_repo(repo_name)
    matches = [p for p in repo.get_pulls(state="open") if p.head.sha == head_sha]
    if len(matches) > 1:
        raise ListkeeperError(f"expected one open pull request with head {head_sha[:12]}, "
                              f"found {len(matches)}")
    return pull_data(matches[0], repo_name) if matches else None


def read_text(gh: Any, repo_name: str, path: str, ref: str) -> tuple[str, str] | None:
    """(text, blob sha) of `path` at `ref`, or None when it does not exist there."""
    from github import GithubException

    repo = gh.get_repo(repo_name)
    try:
        content = repo.get_contents(path, ref=ref)
    except GithubException as exc:
        if exc.status == 404:
            return None
        raise
    if isinstance(content, list):
        raise ListkeeperError(f"{path} is a directory at {ref[:12]}")
    if content.encoding == "base64" and content.content:
        raw = base64.b64decode(content.content)
    elif (content.size or 0) > MAX_LIST_BYTES:  # not fetched: the blob would be refused
        raise InputError(f"file over {MAX_LIST_BYTES >> 20} MB at {ref[:12]}: not read", path)
    else:  # files over 1 MB come without content: read the blob
        raw = base64.b64decode(repo.get_git_blob(content.sha).content)
    return decode_list(raw, path, where=f"at {ref[:12]}")[0], content.sha
