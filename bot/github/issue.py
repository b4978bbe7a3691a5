"""Keep exactly one open link-rot issue: find it, create it (and its label), edit, close."""

from __future__ import annotations

from typing import Any

from .fingerprint import REPORT_MARKER

TITLE = "Link rot report"
LABEL_COLOR = "d73a4a"
LABEL_DESCRIPTION = "Broken links found by listkeeper's weekly report"
CLOSING_COMMENT = "All links work again (or were removed), so listkeeper closes this report."


def find_open(repo: Any, label: str) -> Any:
    """The open report issue (the oldest, should there ever be two), or None."""
    found = [i for i in repo.get_issues(state="open", labels=[label])
             if i.pull_request is None and (i.body or "").startswith(REPORT_MARKER)]
    return min(found, key=lambda i: i.number) if found else None


def ensure_label(repo: Any, label: str) -> None:
    from github import GithubException

    try:
        repo.get_label(label).color  # noqa: B018 - the label is lazy: this reads it
    except GithubException as exc:
        if exc.status != 404:
            raise
        repo.create_label(label, LABEL_COLOR, LABEL_DESCRIPTION)


def upsert(repo: Any, label: str, body: str, *, broken: bool, issue: Any = None) -> str:
    """Create, edit or close the report issue; says what it did."""
    issue = issue if issue is not None else find_open(repo, label)
    if not broken:
        if issue is None:
            return "nothing broken; no open report"
        issue.edit(body=body)
        issue.create_comment(CLOSING_COMMENT)
        issue.edit(state="closed", state_reason="completed")
        return f"closed #{issue.number}"
    if issue is None:
        ensure_label(repo, label)
        created = repo.create_issue(title=TITLE, body=body, labels=[label])
        return f"opened #{created.number}"
    if issue.body != body:
        issue.edit(body=body)
        return f"updated #{issue.number}"
    return f"#{issue.number} is up to date"
