"""Post a review plan: place findings on diff lines, skip what was said before, one review.

Line comments go only on RIGHT-side lines of the file's patch, one comment per line (or line
range) with at most one suggestion; the rest and anything past `max_comments` go in the review
body. If GitHub still rejects the line comments (422), the same findings are posted once more
as a body-only review. If GitHub refuses REQUEST_CHANGES because the token's user opened the
pull request, the review is posted as a COMMENT. Once nothing at the blocking level is left,
the bot's own earlier CHANGES_REQUESTED reviews are dismissed.

GitHub documents these rules at
https://docs.github.com/en/rest/pulls/reviews (create a review, 422; dismiss a review) and
https://docs.github.com/en/rest/pulls/comments (line, start_line, side, subject_type).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from . import escape, render
from .fingerprint import SUMMARY_MARKER, found_in
from .plan import PlannedFinding, ReviewPlan
from .pullrequest import PullData
from .settings import ReviewSettings

LEVEL_RANK = {"error": 0, "warning": 1, "info": 2}
DEFAULT_BOT_LOGIN = "github-actions[bot]"
OWN_PULL = "own pull request"  # GitHub's 422: "Can not request changes on your own pull request"


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
    dismissed: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def bot_login(login: str | None = None) -> str:
    """The login the bot posts as: `--bot-login`, else LISTKEEPER_BOT_LOGIN (action input
    `bot-login`), else the Actions bot."""
    return (login or os.environ.get("LISTKEEPER_BOT_LOGIN") or DEFAULT_BOT_LOGIN).strip()


def _target(finding: PlannedFinding, diff: Any) -> tuple[int, int, bool] | None:
    """(first, last, with suggestion) of the comment for `finding`, or None when off the diff.

    A suggestion needs its whole line range in one hunk. Otherwise a finding on several lines
    (a multi-line entry) spans them when one hunk shows them all, else it goes on the first
    changed line of the range, else on the first line the diff shows.
    """
    suggestion = finding.suggestion
    if suggestion is not None and diff.can_comment(suggestion["first"], suggestion["last"]):
        return suggestion["first"], suggestion["last"], True
    first, last = finding.line, max(finding.end_line or finding.line, finding.line)
    if diff.can_comment(first, last):
        return first, last, False
    span = range(first, last + 1)
    for line in span:
        if line in diff.added:
            return line, line, False
    for line in span:
        if line in diff.commentable:
            return line, line, False
    return None


def place(findings: list[PlannedFinding], pull: PullData, max_comments: int) -> Placement:
    """Decide for each finding: a line comment (shared by the findings on one line) or the body."""
    out = Placement()
    ordered = sorted(findings, key=lambda f: (LEVEL_RANK.get(f.level, 3), f.path, f.line))
    groups: dict[tuple[str, int, int], list[PlannedFinding]] = {}
    with_suggestion: dict[tuple[str, int, int], bool] = {}
    for finding in ordered:
        pull_file = pull.files.get(finding.path)
        diff = pull_file.diff if pull_file else None
        if pull_file is not None and diff is None:
            out.by_file.setdefault(finding.path, []).append(finding)
            continue
        target = _target(finding, diff) if diff is not None else None
        if target is None:
            out.unplaced.append(finding)
            continue
        key = (finding.path, target[0], target[1])
        if key not in groups and len(groups) >= max_comments:
            out.overflow.append(finding)
            continue
        groups.setdefault(key, []).append(finding)
        with_suggestion[key] = with_suggestion.get(key, False) or target[2]
    for (path, first, last), group in groups.items():
        comment: dict[str, Any] = {"path": path, "side": "RIGHT", "line": last}
        if first < last:
            comment["start_line"] = first
            comment["start_side"] = "RIGHT"
        comment["body"] = render.line_comment(group, with_suggestion=with_suggestion[(path, first, last)])
        out.comments.append(comment)
        out.placed += group
    return out


def review_event(findings: list[PlannedFinding], settings: ReviewSettings) -> str:
    """REQUEST_CHANGES at or above the configured level, else COMMENT; never APPROVE."""
    if settings.request_changes_on == "never":
        return "COMMENT"
    worst = min((LEVEL_RANK.get(f.level, 3) for f in findings), default=9)
    return "REQUEST_CHANGES" if worst <= LEVEL_RANK[settings.request_changes_on] else "COMMENT"


@dataclass
class Said:
    fingerprints: set[str]
    summary: Any = None
    blocking: list[Any] = field(default_factory=list)  # the bot's CHANGES_REQUESTED reviews


def already_said(pull: PullData, login: str | None = None) -> Said:
    """What the bot already said on this PR: markers in its own review comments, review bodies
    and summary comment (never in anyone else's text, nor in the code it quotes), its sticky
    summary comment, and its reviews that still request changes."""
    said = Said(set())
    me = bot_login(login).lower()

    def _is_bot(user: Any) -> bool:
        return user is not None and (user.login or "").lower() == me

    for comment in pull.handle.get_review_comments():
        if _is_bot(comment.user):
            said.fingerprints |= found_in(comment.body)
    for review in pull.handle.get_reviews():
        if _is_bot(review.user):
            said.fingerprints |= found_in(review.body)
            if review.state == "CHANGES_REQUESTED":
                said.blocking.append(review)
    for comment in pull.handle.get_issue_comments():
        if _is_bot(comment.user) and (comment.body or "").startswith(SUMMARY_MARKER):
            said.summary = said.summary or comment
            said.fingerprints |= found_in(comment.body)
    return said


def _refused_own(exc: Any) -> bool:
    return exc.status == 422 and OWN_PULL in str(exc.data)


def _create_review(pull: PullData, commit: Any, body: str, event: str, comments: list[dict],
                   outcome: Outcome, out: TextIO) -> str:
    """Create the review; COMMENT when GitHub refuses REQUEST_CHANGES on the token user's own PR."""
    from github import GithubException

    try:
        pull.handle.create_review(commit=commit, body=body, event=event, comments=comments)
        return event
    except GithubException as exc:
        if event != "REQUEST_CHANGES" or not _refused_own(exc):
            raise
    out.write("listkeeper: GitHub refused REQUEST_CHANGES (the token's user opened this pull "
              "request); posting the review as a COMMENT\n")
    outcome.notes.append("_GitHub does not let the account that opened this pull request request "
                         "changes on it, so listkeeper's review is a comment; its findings still "
                         "fail the check._")
    pull.handle.create_review(commit=commit, body=body, event="COMMENT", comments=comments)
    return "COMMENT"


def dismiss_stale(pull: PullData, blocking: list[Any], head_sha: str, outcome: Outcome,
                  out: TextIO) -> None:
    """Dismiss the bot's earlier CHANGES_REQUESTED reviews: nothing they flagged blocks any more.

    PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals
    (https://docs.github.com/en/rest/pulls/reviews#dismiss-a-review-for-a-pull-request). On a
    protected branch GitHub answers 403 unless the token may dismiss reviews.
    """
    from github import GithubException

    message = (f"listkeeper: nothing at the blocking level is left in the changed lines at "
               f"{head_sha[:12]}; this review no longer applies.")
    refused = []
    for review in blocking:
        try:
            review.dismiss(message)
        except GithubException as exc:
            if exc.status not in (403, 404, 422):
                raise
            refused.append((review, exc.status))
            continue
        outcome.dismissed.append(review.id)
    if outcome.dismissed:
        count = len(outcome.dismissed)
        outcome.notes.append(f"Dismissed listkeeper's earlier review{'s' if count != 1 else ''} that "
                             "requested changes: what it flagged is fixed.")
        out.write(f"dismissed {count} earlier review(s) that requested changes\n")
    if refused:
        status = refused[0][1]
        outcome.notes.append(f"⚠️ listkeeper's earlier review still requests changes, and GitHub "
                             f"refused to dismiss it (HTTP {status}: the token may not dismiss reviews "
                             "on this branch). **A maintainer must dismiss it.**")
        out.write(f"listkeeper: warning: GitHub refused to dismiss {len(refused)} earlier review(s) "
                  f"(HTTP {status}); a maintainer must dismiss them\n")


def post(plan: ReviewPlan, pull: PullData, settings: ReviewSettings, *, gh: Any,
         committed: str | None = None, dry_run: bool = False, out: TextIO | None = None,
         notes: list[str] | None = None, login: str | None = None) -> Outcome:
    """Post one review (if there is something new to say) and update the sticky summary."""
    from github import GithubException

    out = out or sys.stdout
    said = already_said(pull, login) if pull.handle is not None else Said(set())
    new = [f for f in plan.findings if f.fingerprint not in said.fingerprints]
    placement = place(new, pull, settings.max_comments)
    outcome = Outcome(placement=placement, notes=list(notes or []))
    event = review_event(placement.all, settings)
    if not placement.empty:
        body, _ = render.review_body_and_said(
            placement.placed, placement.unplaced, placement.overflow, file_level=placement.file_level)
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
                event = _create_review(pull, commit, body, event, placement.comments, outcome, out)
            except GithubException as exc:
                if exc.status != 422 or not placement.comments:
                    raise
                # GitHub refused a line (the diff moved under us): say it all in the body.
                body, _ = render.review_body_and_said([], placement.all, [], fallback=True)
                event = _create_review(pull, commit, body, event, [], outcome, out)
                outcome.fallback = True
        outcome.review_posted = True
        outcome.review_event = event
    blocks_now = review_event(plan.findings, settings) == "REQUEST_CHANGES"
    if said.blocking and not blocks_now:
        if dry_run:
            out.write(f"would dismiss {len(said.blocking)} earlier review(s) that requested changes\n")
        else:
            dismiss_stale(pull, said.blocking, pull.head_sha, outcome, out)
    text = render.summary(plan.findings, plan.preexisting, head_sha=pull.head_sha,
                          committed=committed, links_checked=plan.links_checked, title=pull.title,
                          notes=outcome.notes, omitted=plan.omitted)
    if said.summary is None and not plan.findings and not committed and not outcome.notes:
        return outcome  # nothing to say and nothing said before: stay quiet
    if dry_run:
        _show(out, "would " + ("edit" if said.summary else "create") + " the summary comment", text, [])
        outcome.summary_action = "edited" if said.summary else "created"
    elif said.summary is None:
        pull.handle.create_issue_comment(text)
        outcome.summary_action = "created"
    elif said.summary.body != text:
        said.summary.edit(text)
        outcome.summary_action = "edited"
    else:
        outcome.summary_action = "unchanged"
    return outcome


def _show(out: TextIO, title: str, body: str, comments: list[dict]) -> None:
    out.write(escape.stdout(f"== {title}\n{body}\n"))
    for comment in comments:
        span = f"{comment.get('start_line', comment['line'])}-{comment['line']}"
        out.write(escape.stdout(f"-- {comment['path']}:{span}\n{comment['body']}\n"))
