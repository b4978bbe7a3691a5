"""GitHub repository links and stars badges checked through the GraphQL API in batches."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot import ids
from bot.links.http import LinkError, host_key
from bot.links.jobs import RetryingJob
from bot.links.results import LinkResult, LinkTarget
from bot.links.settings import HostLimit


@dataclass
class RepoResult:
    verdict: str
    error: str | None = None
    name_with_owner: str | None = None
    url: str | None = None
    archived: bool = False


def github_repo(url: str) -> str | None:
    """"owner/repo" of a github.com repository URL or a shields.io stars badge, else None."""
    return ids.github_repo(url) or ids.shields_repo(url)


def is_badge(url: str) -> bool:
    return (urlsplit(url).hostname or "").lower() == "img.shields.io"


def build_query(repos: list[str]) -> str:
    parts = []
    for i, full in enumerate(repos):
        owner, name = full.split("/", 1)
        parts.append(f'r{i}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) '
                     "{ nameWithOwner isArchived url }")
    return "query {\n  " + "\n  ".join(parts) + "\n}"


NAME = "github"


def claim(url: str, run) -> str | None:
    """Repositories and their badges, through the GraphQL API when there is a token."""
    if not run.token:
        return None
    repo = github_repo(url)
    return run.repo_key(repo) if repo else None


def key(ident: str, run) -> str:
    return host_key(run.settings.github_api)


def cost(count: int, key: str, run) -> float:
    return -(-count // max(1, run.settings.github_batch)) * 1.0


def jobs(groups: dict[str, list[LinkTarget]], run) -> list:
    repos = list(groups)
    size = max(1, run.settings.github_batch)
    run.politeness.tighten(key("", run), HostLimit(1, 0.0))  # GitHub: no concurrent API requests
    return [GithubJob(run, repos[i:i + size], groups) for i in range(0, len(repos), size)]


def _replace_repo(url: str, old: str, new: str) -> str:
    """The URL with its owner/repo segment swapped for the new name."""
    return re.sub(re.escape(old) + r"(?=$|[/?#.])", new, url, count=1, flags=re.IGNORECASE)


class GithubJob(RetryingJob):
    """One GraphQL query for up to `github_batch` repositories."""

    def __init__(self, run, repos: list[str], groups: dict[str, list[LinkTarget]]) -> None:
        super().__init__(run, key("", run))
        self.repos = repos
        self.groups = groups

    def give_up(self, reason: str) -> None:
        self._finish({r: RepoResult("unverifiable", f"GitHub API: {reason}") for r in self.repos})

    def _finish(self, found: dict[str, RepoResult]) -> bool:
        for repo in self.repos:
            info = found[repo]
            for target in self.groups[repo]:
                new_repo = info.name_with_owner if info.verdict == "redirect" else None
                final = _replace_repo(target.url, repo, new_repo) if new_repo else None
                self.run.put(target, LinkResult(target.url, target.lines, info.verdict, None, final,
                                                info.error, archived=info.archived, new_repo=new_repo),
                             {"archived": info.archived, "new_repo": new_repo})
        return True

    def step(self, slot) -> bool:
        s = self.run.settings
        body = json.dumps({"query": build_query(self.repos)}).encode()
        headers = {"Authorization": f"bearer {self.run.token}", "Content-Type": "application/json"}
        self.run.count_api("github")
        try:
            answer = self.run.fetcher.attempt("POST", s.github_api, slot, headers=headers, data=body,
                                              cap=32 << 20)
        except LinkError as exc:
            if self.retry(error=exc):
                return False
            return self._finish({r: RepoResult("unverifiable", f"GitHub API: {exc.error}") for r in self.repos})
        if self.retry(answer=answer):  # a refusal holds the API host for what GitHub asked
            return False
        return self._finish(parse_answer(self.repos, answer.status, answer.body))


def parse_answer(batch: list[str], status: int, raw: bytes) -> dict[str, RepoResult]:
    try:
        payload = json.loads(raw.decode("utf-8"))
    except ValueError:
        payload = None
    if status != 200 or not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        return {r: RepoResult("unverifiable", f"GitHub API: HTTP {status}") for r in batch}
    data = payload["data"]
    errors = {}
    for err in payload.get("errors") or []:
        path = err.get("path") or []
        if path:
            errors[path[0]] = err
    out = {}
    for i, full in enumerate(batch):
        alias = f"r{i}"
        node = data.get(alias)
        if node is None:
            err = errors.get(alias, {})
            if err.get("type") == "NOT_FOUND":
                out[full] = RepoResult("broken", "repository not found")
            else:
                out[full] = RepoResult("unverifiable", f"GitHub API: {err.get('message', 'no data')}")
            continue
        name = node.get("nameWithOwner") or full
        archived = bool(node.get("isArchived"))
        if name.lower() != full.lower():
            out[full] = RepoResult("redirect", f"renamed to {name}", name, node.get("url"), archived)
        else:
            out[full] = RepoResult("ok", None, name, node.get("url"), archived)
    return out
