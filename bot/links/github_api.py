"""GitHub repository links and stars badges checked through the GraphQL API in batches."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot import ids
from bot.links.http import Fetcher, LinkError


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


class GithubClient:
    """Batches of up to `github_batch` repositories per GraphQL query."""

    def __init__(self, fetcher: Fetcher, api: str, token: str, batch: int = 100) -> None:
        self.fetcher = fetcher
        self.api = api
        self.token = token
        self.batch = max(1, batch)
        self.requests = 0

    def check(self, repos: list[str]) -> dict[str, RepoResult]:
        unique = list(dict.fromkeys(repos))
        results: dict[str, RepoResult] = {}
        for start in range(0, len(unique), self.batch):
            results.update(self._batch(unique[start:start + self.batch]))
        return results

    def _batch(self, batch: list[str]) -> dict[str, RepoResult]:
        body = json.dumps({"query": build_query(batch)}).encode()
        headers = {"Authorization": f"bearer {self.token}", "Content-Type": "application/json"}
        self.requests += 1
        try:
            answer = self.fetcher.request("POST", self.api, headers=headers, data=body, cap=32 << 20)
        except LinkError as exc:
            return {r: RepoResult("unverifiable", f"GitHub API: {exc.error}") for r in batch}
        try:
            payload = json.loads(answer.body.decode("utf-8"))
        except ValueError:
            payload = None
        if answer.status != 200 or not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
            return {r: RepoResult("unverifiable", f"GitHub API: HTTP {answer.status}") for r in batch}
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
