"""One fake GitHub REST (and a sliver of GraphQL) server that PyGithub really talks to.

It keeps repositories as commits of whole-file trees, computes the `patch` fields with
`git diff` (GitHub's patches are git's), validates review comments against those patches
exactly as GitHub does (422 and nothing created), paginates with `Link` headers, and counts
every request. Tests script failures (403/429 with Retry-After and X-RateLimit-*) with
`script()`. It also answers as GitHub documents where our bot meets GitHub's rules:

- every body (issues, pull requests, issue comments, reviews, review comments) longer than
  65,536 characters is refused with 422 "body is too long (maximum is 65536 characters)";
- each token acts as one user (`tokens`); a review that requests changes on (or approves) the
  token user's own pull request is refused with 422 "Can not request changes on your own pull
  request" (https://docs.github.com/en/rest/pulls/reviews#create-a-review-for-a-pull-request);
- reviews can be dismissed (PUT .../reviews/{id}/dismissals), and on a branch in
  `Repo.protected` only users in `Repo.dismissers` may: others get 403
  (https://docs.github.com/en/rest/pulls/reviews#dismiss-a-review-for-a-pull-request);
- a token in `read_only` gets 403 "Resource not accessible by integration" on every write to
  contents and refs (a job with `contents: read`), and the Actions bot gets 403 "GitHub Actions
  is not permitted to create or approve pull requests." when `Repo.actions_can_open_prs` is
  false, as new repositories are by default
  (https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/enabling-features-for-your-repository/managing-github-actions-settings-for-a-repository).

Run it on its own with `python tests/fakegithub.py` (prints its URL, serves until stopped).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

BOT_LOGIN = "github-actions[bot]"
DOCS = "https://docs.github.com/rest"
NOT_IN_DIFF = "Pull request review thread line must be part of the diff"
START_NOT_IN_HUNK = "Pull request review thread start line must be part of the same hunk as the line."
START_AFTER_LINE = "Pull request review thread start line must precede the end line."
MAX_BODY = 65_536
BODY_TOO_LONG = "body is too long (maximum is 65536 characters)"
OWN_REQUEST_CHANGES = "Can not request changes on your own pull request"
OWN_APPROVE = "Can not approve your own pull request"
NOT_PERMITTED_PR = "GitHub Actions is not permitted to create or approve pull requests."
NOT_ACCESSIBLE = "Resource not accessible by integration"


def blob_sha(text: str) -> str:
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def unified_patch(old: str, new: str) -> str:
    """The `patch` GitHub shows for a file: git's unified diff, hunks only, no header."""
    if old == new:
        return ""
    with tempfile.TemporaryDirectory(prefix="fakegithub-") as tmp:
        paths = [os.path.join(tmp, "a"), os.path.join(tmp, "b")]
        for path, text in zip(paths, (old, new), strict=True):
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        result = subprocess.run(["git", "diff", "--no-index", "--no-color", "--no-ext-diff", "-U3", *paths],
                                cwd=tmp, capture_output=True, timeout=60)
    text = result.stdout.decode("utf-8")
    start = text.find("\n@@")
    return text[start + 1:].rstrip("\n") if start >= 0 else ""


def right_side_hunks(patch: str) -> list[set[int]]:
    """Independent re-implementation (for the fake) of the commentable RIGHT lines per hunk."""
    hunks: list[set[int]] = []
    right = 0
    for line in patch.split("\n"):
        header = re.match(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@", line)
        if header:
            hunks.append(set())
            right = int(header.group(1))
        elif hunks and line[:1] in ("+", " "):
            hunks[-1].add(right)
            right += 1
    return hunks


@dataclass
class Commit:
    sha: str
    tree: dict[str, str]
    parent: str | None
    message: str


@dataclass
class Pull:
    number: int
    title: str
    body: str
    user: str
    head_repo: str
    head_ref: str
    base_ref: str
    base_sha: str
    state: str = "open"
    patchless: bool = False  # GitHub omits `patch` for very large diffs


@dataclass
class Repo:
    full_name: str
    id: int
    branches: dict[str, str] = field(default_factory=dict)
    fork_of: str | None = None
    labels: dict[str, dict] = field(default_factory=dict)
    issues: dict[int, dict] = field(default_factory=dict)
    pulls: dict[int, Pull] = field(default_factory=dict)
    issue_comments: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    review_comments: list[dict] = field(default_factory=list)
    next_number: int = 1
    protected: set[str] = field(default_factory=set)  # branches whose reviews only dismissers dismiss
    dismissers: set[str] = field(default_factory=set)
    actions_can_open_prs: bool = True  # "Allow GitHub Actions to create and approve pull requests"


@dataclass
class Scripted:
    method: str
    pattern: re.Pattern
    status: int
    body: Any
    headers: dict[str, str]
    times: int


class FakeGitHub:
    """State plus helpers; `url` is the API root to put in GITHUB_API_URL."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.server: ThreadingHTTPServer | None = None
        self.url = ""
        self.reset()

    # ---- lifecycle -------------------------------------------------------------------
    def start(self) -> FakeGitHub:
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.repos: dict[str, Repo] = {}
            self.commits: dict[str, Commit] = {}
            self.requests: list[tuple[str, str]] = []
            self.scripted: list[Scripted] = []
            self.renamed: dict[str, str] = {}
            # a tiny web site for link checks: path -> status, or (status, Location)
            self.site: dict[str, Any] = {}
            self.ids = itertools.count(1000)
            self.tokens: dict[str, str] = {}  # token -> login; any other token is the Actions bot
            self.read_only: set[str] = set()  # tokens of jobs with `contents: read`

    # ---- helpers for tests -----------------------------------------------------------
    def create_repo(self, full_name: str, files: dict[str, str], *, fork_of: str | None = None) -> Repo:
        with self.lock:
            repo = Repo(full_name, next(self.ids), fork_of=fork_of)
            self.repos[full_name] = repo
            if fork_of is None:
                repo.branches["main"] = self._new_commit(dict(files), None, "Initial commit")
            else:
                repo.branches = dict(self.repos[fork_of].branches)
            return repo

    def fork(self, source: str, full_name: str) -> Repo:
        return self.create_repo(full_name, {}, fork_of=source)

    def push(self, full_name: str, branch: str, files: dict[str, str], message: str = "Update",
             *, from_branch: str = "main") -> str:
        """Commit `files` (merged over the branch's tree) to `branch`, creating it if needed."""
        with self.lock:
            repo = self.repos[full_name]
            parent = repo.branches.get(branch) or repo.branches[from_branch]
            tree = dict(self.commits[parent].tree)
            tree.update(files)
            sha = self._new_commit(tree, parent, message)
            repo.branches[branch] = sha
            return sha

    def open_pull(self, base: str, head_repo: str, head_ref: str, *, title: str = "Add papers",
                  body: str = "", user: str = "contributor", base_ref: str = "main") -> int:
        with self.lock:
            repo = self.repos[base]
            number = repo.next_number
            repo.next_number += 1
            repo.pulls[number] = Pull(number, title, body, user, head_repo, head_ref, base_ref,
                                      repo.branches[base_ref])
            return number

    def add_issue_comment(self, repo: str, number: int, body: str, user: str = "contributor") -> dict:
        with self.lock:
            return self._create_issue_comment(self.repos[repo], number, body, user)

    def file(self, repo: str, path: str, ref: str = "main") -> str:
        with self.lock:
            return self.commits[self._resolve(self.repos[repo], ref)].tree[path]

    def head_sha(self, repo: str, number: int) -> str:
        with self.lock:
            pull = self.repos[repo].pulls[number]
            return self.repos[pull.head_repo].branches[pull.head_ref]

    def script(self, method: str, path_regex: str, status: int, body: Any = None,
               headers: dict[str, str] | None = None, times: int = 1) -> None:
        """Answer the next `times` matching requests with `status` instead of the real thing."""
        with self.lock:
            self.scripted.append(Scripted(method, re.compile(path_regex), status, body,
                                          headers or {}, times))

    def count(self, method: str | None = None, contains: str = "") -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if (method is None or m == method) and contains in p)

    # ---- internals --------------------------------------------------------------------
    def _new_commit(self, tree: dict[str, str], parent: str | None, message: str) -> str:
        seed = json.dumps([sorted(tree.items()), parent, message, next(self.ids)])
        sha = hashlib.sha1(seed.encode()).hexdigest()
        self.commits[sha] = Commit(sha, tree, parent, message)
        return sha

    def _resolve(self, repo: Repo, ref: str | None) -> str:
        ref = ref or "main"
        if ref in repo.branches:
            return repo.branches[ref]
        if ref in self.commits:
            return ref
        raise _Error(404, "No commit found for the ref " + ref)

    def user(self, login: str) -> dict:
        return {"login": login, "id": abs(hash(login)) % 10_000_000, "type": "Bot" if login.endswith("[bot]") else "User",
                "url": f"{self.url}/users/{quote(login)}", "html_url": f"https://github.com/{quote(login)}",
                "site_admin": False}

    def repo_json(self, repo: Repo) -> dict:
        owner, name = repo.full_name.split("/")
        return {"id": repo.id, "name": name, "full_name": repo.full_name, "owner": self.user(owner),
                "private": False, "fork": repo.fork_of is not None,
                "url": f"{self.url}/repos/{repo.full_name}",
                "html_url": f"https://github.com/{repo.full_name}", "default_branch": "main",
                "archived": False}

    def pull_json(self, repo: Repo, pull: Pull) -> dict:
        head_repo = self.repos[pull.head_repo]
        url = f"{self.url}/repos/{repo.full_name}/pulls/{pull.number}"
        return {
            "id": 50_000 + pull.number, "number": pull.number, "url": url, "state": pull.state,
            "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}",
            "issue_url": f"{self.url}/repos/{repo.full_name}/issues/{pull.number}",
            "title": pull.title, "body": pull.body, "user": self.user(pull.user),
            "merged": False, "draft": False,
            "head": {"ref": pull.head_ref, "sha": head_repo.branches[pull.head_ref],
                     "label": f"{pull.head_repo.split('/')[0]}:{pull.head_ref}",
                     "repo": self.repo_json(head_repo), "user": self.user(pull.head_repo.split("/")[0])},
            "base": {"ref": pull.base_ref, "sha": pull.base_sha,
                     "label": f"{repo.full_name.split('/')[0]}:{pull.base_ref}",
                     "repo": self.repo_json(repo), "user": self.user(repo.full_name.split("/")[0])},
        }

    def pull_files(self, repo: Repo, pull: Pull) -> list[dict]:
        base = self.commits[pull.base_sha].tree
        head = self.commits[self.repos[pull.head_repo].branches[pull.head_ref]].tree
        files = []
        for path in sorted(set(base) | set(head)):
            old, new = base.get(path), head.get(path)
            if old == new:
                continue
            status = "added" if old is None else "removed" if new is None else "modified"
            patch = unified_patch(old or "", new or "")
            entry = {"sha": blob_sha(new) if new is not None else None, "filename": path,
                     "status": status,
                     "additions": sum(1 for x in patch.split("\n") if x.startswith("+")),
                     "deletions": sum(1 for x in patch.split("\n") if x.startswith("-")),
                     "blob_url": f"https://github.com/{repo.full_name}/blob/x/{path}",
                     "raw_url": f"https://github.com/{repo.full_name}/raw/x/{path}",
                     "contents_url": f"{self.url}/repos/{repo.full_name}/contents/{path}"}
            entry["changes"] = entry["additions"] + entry["deletions"]
            if not pull.patchless:
                entry["patch"] = patch
            files.append(entry)
        return files

    def _create_issue_comment(self, repo: Repo, number: int, body: str, user: str) -> dict:
        cid = next(self.ids)
        comment = {"id": cid, "body": body, "user": self.user(user), "issue_number": number,
                   "url": f"{self.url}/repos/{repo.full_name}/issues/comments/{cid}",
                   "html_url": f"https://github.com/{repo.full_name}/issues/{number}#issuecomment-{cid}",
                   "issue_url": f"{self.url}/repos/{repo.full_name}/issues/{number}",
                   "created_at": _now(), "updated_at": _now()}
        repo.issue_comments.append(comment)
        return comment


class _Error(Exception):
    def __init__(self, status: int, message: str, errors: list | None = None,
                 headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.errors, self.headers = status, message, errors, headers or {}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _b64(text: str) -> str:
    encoded = base64.b64encode(text.encode()).decode()
    return "\n".join(encoded[i:i + 60] for i in range(0, len(encoded), 60)) + "\n"


ROUTES: list[tuple[str, re.Pattern, str]] = []


def route(method: str, pattern: str):
    def register(func):
        ROUTES.append((method, re.compile("^" + pattern + "$"), func.__name__))
        return func
    return register


REPO = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGitHub
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    # ---- plumbing ----------------------------------------------------------------------
    def _dispatch(self, method: str) -> None:
        fake = self.fake
        auth = (self.headers.get("Authorization") or "").split(" ", 1)
        self.token = auth[1].strip() if len(auth) == 2 else ""
        self.login = fake.tokens.get(self.token, BOT_LOGIN)
        split = urlsplit(self.path)
        path = unquote(split.path)
        self.query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            self.body = json.loads(raw) if raw else {}
        except ValueError:
            self.body = {}
        if path.startswith("/site/"):
            return self._site(method, path)
        with fake.lock:
            fake.requests.append((method, split.path + ("?" + split.query if split.query else "")))
            for scripted in fake.scripted:
                if scripted.times > 0 and scripted.method == method and scripted.pattern.search(path):
                    scripted.times -= 1
                    return self._send(scripted.status, scripted.body or {"message": "scripted"},
                                      scripted.headers)
            try:
                for verb, pattern, name in ROUTES:
                    match = pattern.match(path)
                    if verb == method and match:
                        status, payload, headers = getattr(self, name)(**match.groupdict())
                        return self._send(status, payload, headers)
                raise _Error(404, "Not Found")
            except _Error as error:
                body: dict[str, Any] = {"message": error.message, "documentation_url": DOCS}
                if error.errors is not None:
                    body["errors"] = error.errors
                    body["status"] = str(error.status)
                return self._send(error.status, body, error.headers)

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = b"" if status == 204 else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        merged = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999",
                  "X-RateLimit-Reset": str(int(time.time()) + 3600), "X-RateLimit-Resource": "core"}
        merged.update(headers or {})
        for key, value in merged.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _site(self, method: str, path: str) -> None:
        answer = self.fake.site.get(path, 404)
        status, location = answer if isinstance(answer, tuple) else (answer, None)
        data = b"" if method == "HEAD" else b"<html><title>page</title></html>"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        if location:
            self.send_header("Location", self.fake.url + location)
        self.end_headers()
        self.wfile.write(data)

    def _page(self, items: list, path: str) -> tuple[int, list, dict]:
        per_page = max(1, min(100, int(self.query.get("per_page", 30))))
        page = max(1, int(self.query.get("page", 1)))
        last = max(1, -(-len(items) // per_page))
        links = []

        def link(number: int, rel: str) -> str:
            query = dict(self.query, page=str(number), per_page=str(per_page))
            return f'<{self.fake.url}{path}?{urlencode(query)}>; rel="{rel}"'
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links += [link(1, "first"), link(page - 1, "prev")]
        headers = {"Link": ", ".join(links)} if links else {}
        return 200, items[(page - 1) * per_page: page * per_page], headers

    def _body(self, key: str = "body", resource: str = "Issue") -> str:
        """The request's body text, refused as GitHub does when over 65,536 characters."""
        value = self.body.get(key) or ""
        if len(value) > MAX_BODY:
            raise _Error(422, "Validation Failed", [{"resource": resource, "code": "custom",
                                                     "field": key, "message": BODY_TOO_LONG}])
        return value

    def _writable(self) -> None:
        if self.token in self.fake.read_only:
            raise _Error(403, NOT_ACCESSIBLE)

    def _repo(self, owner: str, name: str) -> Repo:
        repo = self.fake.repos.get(f"{owner}/{name}")
        if repo is None:
            raise _Error(404, "Not Found")
        return repo

    def _pull(self, repo: Repo, number: str) -> Pull:
        pull = repo.pulls.get(int(number))
        if pull is None:
            raise _Error(404, "Not Found")
        return pull

    # ---- repositories and contents -----------------------------------------------------
    @route("GET", REPO)
    def get_repo(self, owner, name):
        return 200, self.fake.repo_json(self._repo(owner, name)), {}

    def _content_json(self, repo: Repo, path: str, text: str) -> dict:
        return {"type": "file", "encoding": "base64", "size": len(text.encode()), "name": path.rsplit("/", 1)[-1],
                "path": path, "content": _b64(text), "sha": blob_sha(text),
                "url": f"{self.fake.url}/repos/{repo.full_name}/contents/{path}",
                "git_url": f"{self.fake.url}/repos/{repo.full_name}/git/blobs/{blob_sha(text)}",
                "html_url": f"https://github.com/{repo.full_name}/blob/main/{path}",
                "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/main/{path}"}

    @route("GET", REPO + r"/contents/(?P<path>.+)")
    def get_contents(self, owner, name, path):
        repo = self._repo(owner, name)
        tree = self.fake.commits[self.fake._resolve(repo, self.query.get("ref"))].tree
        if path not in tree:
            raise _Error(404, "Not Found")
        return 200, self._content_json(repo, path, tree[path]), {}

    @route("PUT", REPO + r"/contents/(?P<path>.+)")
    def put_contents(self, owner, name, path):
        repo = self._repo(owner, name)
        self._writable()
        branch = self.body.get("branch") or "main"
        if branch not in repo.branches:
            raise _Error(404, f"Branch {branch} not found")
        tree = dict(self.fake.commits[repo.branches[branch]].tree)
        if path in tree:
            if "sha" not in self.body:
                raise _Error(422, "Invalid request.\n\n\"sha\" wasn't supplied.")
            if self.body["sha"] != blob_sha(tree[path]):
                raise _Error(409, f"{path} does not match {self.body['sha']}")
        text = base64.b64decode(self.body["content"]).decode()
        tree[path] = text
        sha = self.fake._new_commit(tree, repo.branches[branch], self.body.get("message", ""))
        repo.branches[branch] = sha
        commit = {"sha": sha, "message": self.body.get("message", ""),
                  "url": f"{self.fake.url}/repos/{repo.full_name}/git/commits/{sha}",
                  "html_url": f"https://github.com/{repo.full_name}/commit/{sha}"}
        return 200, {"content": self._content_json(repo, path, text), "commit": commit}, {}

    @route("GET", REPO + r"/commits/(?P<ref>[^/]+)")
    def get_commit(self, owner, name, ref):
        repo = self._repo(owner, name)
        sha = self.fake._resolve(repo, ref)
        commit = self.fake.commits[sha]
        return 200, {"sha": sha, "url": f"{self.fake.url}/repos/{repo.full_name}/commits/{sha}",
                     "commit": {"message": commit.message},
                     "parents": [{"sha": commit.parent}] if commit.parent else [], "files": []}, {}

    @route("GET", REPO + r"/git/ref/heads/(?P<branch>.+)")
    def get_ref(self, owner, name, branch):
        repo = self._repo(owner, name)
        if branch not in repo.branches:
            raise _Error(404, "Not Found")
        return 200, self._ref_json(repo, branch), {}

    def _ref_json(self, repo: Repo, branch: str) -> dict:
        return {"ref": f"refs/heads/{branch}", "url": f"{self.fake.url}/repos/{repo.full_name}/git/refs/heads/{branch}",
                "object": {"sha": repo.branches[branch], "type": "commit",
                           "url": f"{self.fake.url}/repos/{repo.full_name}/git/commits/{repo.branches[branch]}"}}

    @route("POST", REPO + r"/git/refs")
    def create_ref(self, owner, name):
        repo = self._repo(owner, name)
        self._writable()
        branch = self.body["ref"].removeprefix("refs/heads/")
        if branch in repo.branches:
            raise _Error(422, "Reference already exists")
        repo.branches[branch] = self.fake._resolve(repo, self.body["sha"])
        return 201, self._ref_json(repo, branch), {}

    @route("PATCH", REPO + r"/git/refs/heads/(?P<branch>.+)")
    def update_ref(self, owner, name, branch):
        repo = self._repo(owner, name)
        self._writable()
        if branch not in repo.branches:
            raise _Error(422, "Reference does not exist")
        repo.branches[branch] = self.fake._resolve(repo, self.body["sha"])
        return 200, self._ref_json(repo, branch), {}

    # ---- pulls and reviews -------------------------------------------------------------
    @route("GET", REPO + r"/pulls")
    def list_pulls(self, owner, name):
        repo = self._repo(owner, name)
        state = self.query.get("state", "open")
        pulls = [p for p in repo.pulls.values() if state == "all" or p.state == state]
        if "head" in self.query:
            pulls = [p for p in pulls if f"{p.head_repo.split('/')[0]}:{p.head_ref}" == self.query["head"]]
        return self._page([self.fake.pull_json(repo, p) for p in pulls], f"/repos/{owner}/{name}/pulls")

    @route("GET", REPO + r"/pulls/(?P<number>\d+)")
    def get_pull(self, owner, name, number):
        repo = self._repo(owner, name)
        return 200, self.fake.pull_json(repo, self._pull(repo, number)), {}

    @route("POST", REPO + r"/pulls")
    def create_pull(self, owner, name):
        repo = self._repo(owner, name)
        if self.login == BOT_LOGIN and not repo.actions_can_open_prs:
            raise _Error(403, NOT_PERMITTED_PR)
        head = self.body["head"].split(":")[-1]
        if head not in repo.branches:
            raise _Error(422, "Validation Failed", [{"field": "head", "code": "invalid"}])
        number = self.fake.open_pull(repo.full_name, repo.full_name, head, title=self.body.get("title", ""),
                                     body=self._body("body", "PullRequest"), user=self.login,
                                     base_ref=self.body.get("base", "main"))
        return 201, self.fake.pull_json(repo, repo.pulls[number]), {}

    @route("PATCH", REPO + r"/pulls/(?P<number>\d+)")
    def edit_pull(self, owner, name, number):
        repo = self._repo(owner, name)
        pull = self._pull(repo, number)
        self._body("body", "PullRequest")
        for key in ("title", "body", "state"):
            if key in self.body:
                setattr(pull, key, self.body[key])
        return 200, self.fake.pull_json(repo, pull), {}

    @route("GET", REPO + r"/pulls/(?P<number>\d+)/files")
    def list_pull_files(self, owner, name, number):
        repo = self._repo(owner, name)
        return self._page(self.fake.pull_files(repo, self._pull(repo, number)),
                          f"/repos/{owner}/{name}/pulls/{number}/files")

    @route("GET", REPO + r"/pulls/(?P<number>\d+)/comments")
    def list_review_comments(self, owner, name, number):
        repo = self._repo(owner, name)
        items = [c for c in repo.review_comments if c["pull_number"] == int(number)]
        return self._page(items, f"/repos/{owner}/{name}/pulls/{number}/comments")

    @route("POST", REPO + r"/pulls/(?P<number>\d+)/comments")
    def create_review_comment(self, owner, name, number):
        """A single review comment; only file-level ones (``subject_type: file``) are served."""
        repo = self._repo(owner, name)
        pull = self._pull(repo, number)
        files = {f["filename"] for f in self.fake.pull_files(repo, pull)}
        if self.body.get("path") not in files:
            raise _Error(422, "Unprocessable Entity", ["Path could not be resolved"])
        if self.body.get("subject_type") != "file":
            raise _Error(422, "Unprocessable Entity", [NOT_IN_DIFF])
        commit_id = self.body.get("commit_id")
        if commit_id not in self.fake.commits:
            raise _Error(422, "Unprocessable Entity", ["Commit not found"])
        cid = next(self.fake.ids)
        stored = {"id": cid, "pull_number": pull.number, "path": self.body["path"],
                  "body": self._body("body", "PullRequestReviewComment"), "subject_type": "file",
                  "commit_id": commit_id, "original_commit_id": commit_id,
                  "user": self.fake.user(self.login), "pull_request_review_id": None,
                  "url": f"{self.fake.url}/repos/{repo.full_name}/pulls/comments/{cid}",
                  "created_at": _now(), "updated_at": _now()}
        repo.review_comments.append(stored)
        return 201, stored, {}

    @route("GET", REPO + r"/pulls/(?P<number>\d+)/reviews")
    def list_reviews(self, owner, name, number):
        repo = self._repo(owner, name)
        items = [r for r in repo.reviews if r["pull_number"] == int(number)]
        return self._page(items, f"/repos/{owner}/{name}/pulls/{number}/reviews")

    @route("POST", REPO + r"/pulls/(?P<number>\d+)/reviews")
    def create_review(self, owner, name, number):
        repo = self._repo(owner, name)
        pull = self._pull(repo, number)
        files = {f["filename"]: f for f in self.fake.pull_files(repo, pull)}
        event = self.body.get("event")
        if event not in (None, "COMMENT", "REQUEST_CHANGES", "APPROVE"):
            raise _Error(422, "Unprocessable Entity", [f"Invalid event {event}"])
        self._body("body", "PullRequestReview")
        for comment in self.body.get("comments", []):
            if len(comment.get("body") or "") > MAX_BODY:
                raise _Error(422, "Unprocessable Entity", [BODY_TOO_LONG])
        if pull.user.lower() == self.login.lower() and event in ("REQUEST_CHANGES", "APPROVE"):
            raise _Error(422, "Unprocessable Entity",
                         [OWN_REQUEST_CHANGES if event == "REQUEST_CHANGES" else OWN_APPROVE])
        commit_id = self.body.get("commit_id") or self.fake.repos[pull.head_repo].branches[pull.head_ref]
        if commit_id not in self.fake.commits:
            raise _Error(422, "Unprocessable Entity", ["Commit not found"])
        errors: list[str] = []
        for comment in self.body.get("comments", []):
            entry = files.get(comment.get("path"))
            if entry is None:
                errors.append("Path could not be resolved")
                continue
            if comment.get("subject_type") == "file":
                continue
            if "patch" not in entry or comment.get("side", "RIGHT") != "RIGHT" or "line" not in comment:
                errors.append(NOT_IN_DIFF)
                continue
            hunks = right_side_hunks(entry["patch"])
            line = comment["line"]
            hunk = next((i for i, lines in enumerate(hunks) if line in lines), None)
            if hunk is None:
                errors.append(NOT_IN_DIFF)
            elif "start_line" in comment:
                if comment["start_line"] >= line:
                    errors.append(START_AFTER_LINE)
                elif comment["start_line"] not in hunks[hunk]:
                    errors.append(START_NOT_IN_HUNK)
        if errors:
            raise _Error(422, "Unprocessable Entity", [", ".join(sorted(set(errors)))])
        rid = next(self.fake.ids)
        state = {"COMMENT": "COMMENTED", "REQUEST_CHANGES": "CHANGES_REQUESTED",
                 "APPROVE": "APPROVED", None: "PENDING"}[event]
        review = {"id": rid, "pull_number": pull.number, "user": self.fake.user(self.login),
                  "body": self.body.get("body", ""), "state": state, "commit_id": commit_id,
                  "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}#pullrequestreview-{rid}",
                  "pull_request_url": f"{self.fake.url}/repos/{repo.full_name}/pulls/{pull.number}",
                  "submitted_at": _now()}
        repo.reviews.append(review)
        for comment in self.body.get("comments", []):
            cid = next(self.fake.ids)
            stored = dict(comment, id=cid, pull_number=pull.number, pull_request_review_id=rid,
                          commit_id=commit_id, original_commit_id=commit_id, user=self.fake.user(self.login),
                          original_line=comment.get("line"),
                          url=f"{self.fake.url}/repos/{repo.full_name}/pulls/comments/{cid}",
                          created_at=_now(), updated_at=_now())
            stored.setdefault("side", "RIGHT")
            repo.review_comments.append(stored)
        return 200, review, {}

    @route("PUT", REPO + r"/pulls/(?P<number>\d+)/reviews/(?P<rid>\d+)/dismissals")
    def dismiss_review(self, owner, name, number, rid):
        """Dismiss a review: only an APPROVED or CHANGES_REQUESTED one, with a message; on a
        protected branch only a repository admin or an allowed dismisser may (else 403)."""
        repo = self._repo(owner, name)
        pull = self._pull(repo, number)
        review = next((r for r in repo.reviews if r["id"] == int(rid) and r["pull_number"] == pull.number), None)
        if review is None:
            raise _Error(404, "Not Found")
        if not self.body.get("message"):
            raise _Error(422, "Validation Failed", [{"resource": "PullRequestReview", "field": "message",
                                                     "code": "missing_field"}])
        if pull.base_ref in repo.protected and self.login not in repo.dismissers:
            raise _Error(403, NOT_ACCESSIBLE)
        if review["state"] not in ("APPROVED", "CHANGES_REQUESTED"):
            raise _Error(422, "Unprocessable Entity",
                         [f"Can not dismiss a {review['state'].lower()} pull request review"])
        review["state"] = "DISMISSED"
        review["dismissal_message"] = self.body["message"]
        return 200, review, {}

    # ---- issues, comments, labels ------------------------------------------------------
    def _issue_json(self, repo: Repo, issue: dict) -> dict:
        return dict(issue, url=f"{self.fake.url}/repos/{repo.full_name}/issues/{issue['number']}",
                    html_url=f"https://github.com/{repo.full_name}/issues/{issue['number']}",
                    labels=[repo.labels.get(n, {"name": n}) for n in issue["label_names"]])

    @route("GET", REPO + r"/issues")
    def list_issues(self, owner, name):
        repo = self._repo(owner, name)
        state = self.query.get("state", "open")
        wanted = [x for x in self.query.get("labels", "").split(",") if x]
        items = [self._issue_json(repo, i) for i in repo.issues.values()
                 if (state == "all" or i["state"] == state) and all(w in i["label_names"] for w in wanted)]
        return self._page(items, f"/repos/{owner}/{name}/issues")

    @route("POST", REPO + r"/issues")
    def create_issue(self, owner, name):
        repo = self._repo(owner, name)
        number = repo.next_number
        repo.next_number += 1
        labels = [x if isinstance(x, str) else x["name"] for x in self.body.get("labels", [])]
        repo.issues[number] = {"id": next(self.fake.ids), "number": number, "title": self.body["title"],
                               "body": self._body(), "state": "open", "state_reason": None,
                               "label_names": labels, "user": self.fake.user(self.login)}
        return 201, self._issue_json(repo, repo.issues[number]), {}

    @route("GET", REPO + r"/issues/(?P<number>\d+)")
    def get_issue(self, owner, name, number):
        repo = self._repo(owner, name)
        if int(number) not in repo.issues:
            raise _Error(404, "Not Found")
        return 200, self._issue_json(repo, repo.issues[int(number)]), {}

    @route("PATCH", REPO + r"/issues/(?P<number>\d+)")
    def edit_issue(self, owner, name, number):
        repo = self._repo(owner, name)
        issue = repo.issues[int(number)]
        self._body()
        for key in ("title", "body", "state", "state_reason"):
            if key in self.body:
                issue[key] = self.body[key]
        if "labels" in self.body:
            issue["label_names"] = [x if isinstance(x, str) else x["name"] for x in self.body["labels"]]
        return 200, self._issue_json(repo, issue), {}

    @route("GET", REPO + r"/issues/(?P<number>\d+)/comments")
    def list_issue_comments(self, owner, name, number):
        repo = self._repo(owner, name)
        items = [c for c in repo.issue_comments if c["issue_number"] == int(number)]
        return self._page(items, f"/repos/{owner}/{name}/issues/{number}/comments")

    @route("POST", REPO + r"/issues/(?P<number>\d+)/comments")
    def create_issue_comment(self, owner, name, number):
        repo = self._repo(owner, name)
        body = self._body("body", "IssueComment")
        return 201, self.fake._create_issue_comment(repo, int(number), body, self.login), {}

    @route("PATCH", REPO + r"/issues/comments/(?P<cid>\d+)")
    def edit_issue_comment(self, owner, name, cid):
        repo = self._repo(owner, name)
        for comment in repo.issue_comments:
            if comment["id"] == int(cid):
                if comment["user"]["login"] != self.login:
                    raise _Error(403, NOT_ACCESSIBLE)
                comment["body"] = self._body("body", "IssueComment")
                comment["updated_at"] = _now()
                return 200, comment, {}
        raise _Error(404, "Not Found")

    @route("GET", REPO + r"/labels/(?P<label>[^/]+)")
    def get_label(self, owner, name, label):
        repo = self._repo(owner, name)
        if label not in repo.labels:
            raise _Error(404, "Not Found")
        return 200, repo.labels[label], {}

    @route("POST", REPO + r"/labels")
    def create_label(self, owner, name):
        repo = self._repo(owner, name)
        if self.body["name"] in repo.labels:
            raise _Error(422, "Validation Failed", [{"resource": "Label", "code": "already_exists", "field": "name"}])
        label = {"name": self.body["name"], "color": self.body.get("color", "ededed"),
                 "description": self.body.get("description", ""),
                 "url": f"{self.fake.url}/repos/{repo.full_name}/labels/{quote(self.body['name'])}"}
        repo.labels[label["name"]] = label
        return 201, label, {}

    # ---- GraphQL: repository lookups only ----------------------------------------------
    @route("POST", r"/graphql")
    def graphql(self):
        query = self.body.get("query", "")
        data: dict[str, Any] = {}
        errors = []
        pattern = r'(?:(\w+)\s*:\s*)?repository\(\s*owner:\s*"([^"]+)"\s*,\s*name:\s*"([^"]+)"\s*\)'
        for alias, owner, name in re.findall(pattern, query):
            full = self.fake.renamed.get(f"{owner}/{name}", f"{owner}/{name}")
            repo = self.fake.repos.get(full)
            data[alias or "repository"] = None if repo is None else {
                "nameWithOwner": full, "url": f"https://github.com/{full}", "isArchived": False}
            if repo is None:
                errors.append({"type": "NOT_FOUND", "path": [alias or "repository"],
                               "message": f"Could not resolve to a Repository with the name '{owner}/{name}'."})
        return 200, {"data": data, **({"errors": errors} if errors else {})}, {}


def main() -> None:
    """Serve an empty fake on 127.0.0.1 until interrupted (for trying the bot by hand)."""
    fake = FakeGitHub().start()
    print(fake.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
