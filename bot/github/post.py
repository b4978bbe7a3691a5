"""Post a review plan: place findings on diff lines, skip what was said before, one review.

Line comments go only on RIGHT-side lines of the file's patch; the rest and anything past
`max_comments` go in the review body. If GitHub still rejects the line comments (422), the
same findings are posted once more as a body-only review.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from . import escape, render
from .fingerprint import SUMMARY_MARKER, found_in
from .plan import PlannedFinding, ReviewPlan
from .pullrequest import PullData
from .settings import ReviewSettings

LEVEL_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Placement:
    comments: list[dict] = field(default_factory=list)
    placed: list[PlannedFinding] = field(default_factory=list)
    unplaced: list[PlannedFinding] = field(default_factory=list)
    overflow: list[PlannedFinding] = field(default_factory=list)
    # files whose diff GitHub does not show (no `patch`): one file-level comment each
    by_file: dict[str, list[PlannedFinding]] = field(default_factory=dict)

    @property
    def file_level(self) -> list[PlannedFinding]:
        return [f for findings in self.by_file.values() for f in findings]

    @property
    def empty(self) -> bool:
        return not (self.placed or self.unplaced or self.overflow or self.by_file)

    @property
    def all(self) -> list[PlannedFinding]:
        return self.placed + self.unplaced + self.overflow + self.file_level


@dataclass
class Outcome:
    review_posted: bool = False
    review_event: str | None = None
    fallback: bool = False
    summary_action: str = "none"  # created | edited | unchanged | none
    placement: Placement | None = None


def place(findings: list[PlannedFinding], pull: PullData, max_comments: int) -> Placement:
    """Decide for each finding: a line comment (with a suggestion if it fits) or the body."""
    out = Placement()
    ordered = sorted(findings, key=lambda f: (LEVEL_RANK.get(f.level, 3), f.path, f.line))
    for finding in ordered:
        pull_file = pull.files.get(finding.path)
        diff = pull_file.diff if pull_file else None
        if pull_file is not None and diff is None:
            out.by_file.setdefault(finding.path, []).append(finding)
            continue
        if diff is None or finding.line not in diff.commentable:
            out.unplaced.append(finding)
            continue
        if len(out.comments) >= max_comments:
            out.overflow.append(finding)
            continue
        comment: dict[str, Any] = {"path": finding.path, "side": "RIGHT", "line": finding.line}
        suggestion = finding.suggestion
        fits = suggestion is not None and diff.can_comment(suggestion["first"], suggestion["last"])
        if fits:
            comment["line"] = suggestion["last"]
            if suggestion["first"] < suggestion["last"]:
                comment["start_line"] = suggestion["first"]
                comment["start_side"] = "RIGHT"
        comment["body"] = render.line_comment(finding, with_suggestion=fits)
        out.comments.append(comment)
        out.placed.append(finding)
    return out


def review_event(findings: list[PlannedFinding], settings: ReviewSettings) -> str:
    """REQUEST_CHANGES at or above the configured level, else COMMENT; never APPROVE."""
    if settings.request_changes_on == "never":
        return "COMMENT"
    worst = min((LEVEL_RANK.get(f.level, 3) for f in findings), default=9)
    return "REQUEST_CHANGES" if worst <= LEVEL_RANK[settings.request_changes_on] else "COMMENT"


def already_said(pull: PullData) -> tuple[set[str], Any]:
    """Fingerprints the bot already posted on this PR, and its sticky summary comment if any."""
    said: set[str] = set()
    for comment in pull.handle.get_review_comments():
        if _is_bot(comment.user):
            said |= found_in(comment.body)
    summary = None
    for comment in pull.handle.get_issue_comments():
        if _is_bot(comment.user) and (comment.body or "").startswith(SUMMARY_MARKER):
            summary = summary or comment
            said |= found_in(comment.body)
    return said, summary


def _is_bot(user: Any) -> bool:
    import os

    login = os.environ.get("LISTKEEPER_BOT_LOGIN")
    if user is None:
        return False
    return user.login == login if login else user.type == "Bot"


def post(plan: ReviewPlan, pull: PullData, settings: ReviewSettings, *, gh: Any,
         committed: str | None = None, dry_run: bool = False, out: TextIO | None = None) -> Outcome:
    """Post one review (if there is something new to say) and update the sticky summary."""
    from github import GithubException

    out = out or sys.stdout
    said, summary_comment = already_said(pull) if not dry_run or pull.handle else (set(), None)
    new = [f for f in plan.findings if f.fingerprint not in said]
    placement = place(new, pull, settings.max_comments)
    outcome = Outcome(placement=placement)
    event = review_event(placement.all, settings)
    if not placement.empty:
        body = render.review_body(placement.placed, placement.unplaced, placement.overflow,
                                  file_level=placement.file_level)
        file_comments = {path: render.file_comment(findings)
                         for path, findings in placement.by_file.items()}
        if dry_run:
            _show(out, f"would post a {event} review on {plan.repo}#{pull.number} at {pull.head_sha}",
                  body, placement.comments)
            for path, text in file_comments.items():
                out.write(escape.stdout(f"-- {path} (file comment)\n{text}\n"))
        else:
            commit = gh.get_repo(plan.repo).get_commit(pull.head_sha)
            for path, text in file_comments.items():
                # GitHub shows no diff for this file, so its findings go on the file itself
                pull.handle.create_review_comment(text, commit, path, subject_type="file")
            try:
                pull.handle.create_review(commit=commit, body=body, event=event,
                                          comments=placement.comments)
            except GithubException as exc:
                if exc.status != 422 or not placement.comments:
                    raise
                # GitHub refused a line (the diff moved under us): say it all in the body.
                body = render.review_body([], placement.all, [], fallback=True)
                pull.handle.create_review(commit=commit, body=body, event=event, comments=[])
                outcome.fallback = True
        outcome.review_posted = True
        outcome.review_event = event
    posted = said | {f.fingerprint for f in placement.all}
    text = render.summary(plan.findings, plan.preexisting, head_sha=pull.head_sha, posted=posted,
                          committed=committed, links_checked=plan.links_checked, title=pull.title)
    if summary_comment is None and not plan.findings and not committed:
        return outcome  # nothing to say and nothing said before: stay quiet
    if dry_run:
        _show(out, "would " + ("edit" if summary_comment else "create") + " the summary comment", text, [])
        outcome.summary_action = "edited" if summary_comment else "created"
    elif summary_comment is None:
        pull.handle.create_issue_comment(text)
        outcome.summary_action = "created"
    elif summary_comment.body != text:
        summary_comment.edit(text)
        outcome.summary_action = "edited"
    else:
        outcome.summary_action = "unchanged"
    return outcome


def _show(out: TextIO, title: str, body: str, comments: list[dict]) -> None:
    out.write(escape.stdout(f"== {title}\n{body}\n"))
    for comment in comments:
        span = f"{comment.get('start_line', comment['line'])}-{comment['line']}"
        out.write(escape.stdout(f"-- {comment['path']}:{span}\n{comment['body']}\n"))
