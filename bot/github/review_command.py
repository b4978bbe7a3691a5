"""`listkeeper review`: review a pull request with the engine and post one GitHub review.

Three ways to run it:

- in one job: compute and post (needs `pull-requests: write`);
- two workflows: `--findings-out plan.json` in the unprivileged `pull_request` job, then
  `--findings-in plan.json` in the `workflow_run` job, which trusts nothing in the artifact but
  its validated findings and finds the PR from `workflow_run.head_sha`;
- locally with `--repo OWNER/NAME --pr N --dry-run` to see what it would post.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sys
from typing import Any, TextIO

from bot.errors import InputError, ListkeeperError

from . import escape
from .plan import PlannedFinding, ReviewPlan, in_sections, plan_findings, touched_sections
from .pullrequest import PullData


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="F", help="rules.yaml (default: found in the current "
                        "directory, i.e. the trusted base checkout)")
    parser.add_argument("--repo", metavar="OWNER/NAME", help="repository (default: from the event)")
    parser.add_argument("--pr", type=int, metavar="N", help="pull request number (default: from the event)")
    parser.add_argument("--head-sha", metavar="SHA", help="with --findings-in: the head SHA the plan "
                        "was made for (default: workflow_run.head_sha of the event)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be posted; post nothing")
    parser.add_argument("--offline", action="store_true",
                        help="skip link checks: no request except to the GitHub API")
    parser.add_argument("--allow-private", action="store_true",
                        help="let the link check reach private/loopback addresses (tests)")
    parser.add_argument("--findings-out", metavar="F", help="write the review plan (JSON) to F; post nothing")
    parser.add_argument("--findings-in", metavar="F", help="post a plan written by --findings-out")
    parser.add_argument("--bot-login", metavar="LOGIN",
                        help="the login the token posts as, to recognise the bot's own comments "
                        "(default: LISTKEEPER_BOT_LOGIN, else github-actions[bot]; set it for a PAT "
                        "or a GitHub App token)")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from bot.config import load_config

    from . import api
    from .settings import review_settings

    out = out or sys.stdout
    if args.findings_in and args.findings_out:
        raise ListkeeperError("--findings-in and --findings-out do not go together")
    event = _event()
    config = load_config(_trusted_config(args))
    settings = review_settings(config)
    gh = api.client()
    if args.findings_in:
        return _post_plan(args, gh, config, settings, event, out)
    repo_name, number = _target(args, event)
    from .pullrequest import load_pull

    pull = load_pull(gh, repo_name, number)
    event_sha = _event_head_sha(event, repo_name, number)
    if event_sha and event_sha != pull.head_sha:
        # The PR moved on since this run was triggered: the run for the newer head reviews it.
        notice(out, f"pull request #{number} moved on from {event_sha[:12]} to {pull.head_sha[:12]}; "
                    "the run for the newer commit reviews it")
        if args.findings_out:
            _write_plan(args.findings_out, ReviewPlan(repo=repo_name, pr=number, head_sha=event_sha,
                                                      base_sha=pull.base_sha, findings=[]))
        return 0
    links = settings.link_check and not args.offline
    plan, texts = compute(gh, pull, config, allow_private=args.allow_private, check_links=links)
    _print_findings(plan.findings, out)
    if args.findings_out:
        _write_plan(args.findings_out, plan)
        return exit_code(plan.findings)
    return _publish(gh, plan, pull, config, settings, texts, dry_run=args.dry_run, out=out,
                    login=getattr(args, "bot_login", None))


def notice(out: TextIO, message: str) -> None:
    """A GitHub Actions notice (our own words: the message names only SHAs and numbers)."""
    out.write(f"::notice title=listkeeper::{escape.stdout(message)}\n")


def _write_plan(path: str, plan: ReviewPlan) -> None:
    from bot.listfile import write_atomic

    write_atomic(path, plan.to_json())


def _trusted_config(args: argparse.Namespace) -> str | None:
    """The rules.yaml to use: --config, else the one in the trusted checkout (the working
    directory, i.e. GITHUB_WORKSPACE in the action), never one that came with the plan."""
    from bot.config import find_config

    if getattr(args, "config", None):
        return args.config
    found = find_config(".")
    if found and args.findings_in:
        plan_dir = os.path.dirname(os.path.abspath(args.findings_in))
        if os.path.dirname(os.path.abspath(found)) == plan_dir:
            raise ListkeeperError(f"{found} lies next to the review plan, which is an untrusted "
                                  "artifact: download the artifact to ${{ runner.temp }} and run "
                                  "listkeeper in the trusted checkout (or pass --config)")
    return found


def _event_head_sha(event: dict[str, Any], repo_name: str, number: int) -> str | None:
    """The head SHA a pull_request event was triggered for, if the event is about this PR."""
    pull = event.get("pull_request") or {}
    repo = (event.get("repository") or {}).get("full_name") or ""
    if pull.get("number") != number or repo.lower() != repo_name.lower():
        return None
    sha = (pull.get("head") or {}).get("sha")
    return sha if isinstance(sha, str) else None


def exit_code(findings: list[PlannedFinding]) -> int:
    return 1 if any(f.level == "error" for f in findings) else 0


def _event() -> dict[str, Any]:
    path = os.environ.get("GITHUB_EVENT_PATH")
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the event payload: {exc}", path) from None
    return data if isinstance(data, dict) else {}


def _target(args: argparse.Namespace, event: dict[str, Any]) -> tuple[str, int]:
    repo = args.repo or (event.get("repository") or {}).get("full_name") or os.environ.get("GITHUB_REPOSITORY")
    number = args.pr or (event.get("pull_request") or {}).get("number") or event.get("number")
    if not repo or not isinstance(number, int):
        raise ListkeeperError("no pull request: pass --repo OWNER/NAME --pr N, or run on a "
                              "pull_request event")
    return repo, number


def list_paths(pull: PullData, config: Any) -> list[str]:
    """The PR's files that are list files per rules.yaml `files`."""
    patterns = config.files
    return [path for path, item in sorted(pull.files.items()) if item.status != "removed"
            and any(path == p or fnmatch.fnmatchcase(path, p) for p in patterns)]


def compute(gh: Any, pull: PullData, config: Any, *, allow_private: bool = False,
            check_links: bool = True) -> tuple[ReviewPlan, dict[str, tuple[str, str, str]]]:
    """Run the engine diff-aware on each list file of the PR; texts: path -> (base, head, blob sha)."""
    from bot.conventions import config_for
    from bot.diff import git_changed_lines
    from bot.engine import run
    from bot.links.service import check_documents, settings_for
    from bot.parse import parse_document

    from .pullrequest import read_text

    findings: list[PlannedFinding] = []
    preexisting: list[PlannedFinding] = []
    texts: dict[str, tuple[str, str, str]] = {}
    for path in list_paths(pull, config):
        item = pull.files[path]
        head = read_text(gh, pull.repo, path, pull.head_sha)
        if head is None:
            continue
        head_text, blob_sha = head
        base = None
        if item.status != "added":
            base = read_text(gh, pull.repo, item.previous_path or path, pull.base_sha)
        base_text = base[0] if base else ""
        texts[path] = (base_text, head_text, blob_sha)
        # the lines GitHub shows as added in the PR's patch; git's own diff when GitHub sends none
        changed = set(item.diff.added) if item.diff is not None else git_changed_lines(base_text, head_text)
        doc = parse_document(head_text, path)  # one parse serves every step below
        # with no rules.yaml the list is judged by its own conventions: those of the base
        # branch, which the PR cannot change by what it adds
        file_config = config_for(config, parse_document(base_text or head_text, path))
        # the broken-link rule judges the changed lines' links (a new link fails at once)
        links = check_documents([doc], settings_for(config), changed={path: changed},
                                allow_private=allow_private, first_failure_is_broken=True,
                                config=file_config) if check_links else None
        found = run(doc, file_config, changed=changed, links=links)
        planned = plan_findings(doc, found)
        findings += planned
        full = in_sections(doc, run(doc, file_config), touched_sections(doc, changed))
        known = {f.fingerprint for f in planned}
        preexisting += [f for f in plan_findings(doc, full) if f.fingerprint not in known]
    plan = ReviewPlan(repo=pull.repo, pr=pull.number, head_sha=pull.head_sha, base_sha=pull.base_sha,
                      findings=findings, preexisting=preexisting, links_checked=check_links)
    return plan, texts


def _publish(gh: Any, plan: ReviewPlan, pull: PullData, config: Any, settings: Any,
             texts: dict[str, tuple[str, str, str]], *, dry_run: bool, out: TextIO,
             login: str | None = None) -> int:
    from . import autofix
    from .post import post

    committed = None
    notes: list[str] = []
    if settings.autofix == "commit" and pull.same_repo and not dry_run:
        fixed: set[str] = set()
        for path, (base_text, head_text, blob_sha) in texts.items():
            item = pull.files.get(path)
            changed = set(item.diff.added) if item is not None and item.diff is not None else None
            fix = autofix.prepare(path, base_text, head_text, blob_sha, config, changed=changed)
            if fix is None:
                continue
            try:
                sha = autofix.commit(gh, pull.repo, pull.head_ref, fix)
            except autofix.Refused as exc:
                out.write(escape.stdout(f"listkeeper: {exc}; posting suggestions instead\n"))
                notes.append(f"_{escape.text(str(exc))}; the fixes are posted as suggestions instead. "
                             "See the README (GitHub, autofix) for the permission to grant._")
                break
            if sha:
                committed = sha
                fixed |= set(fix.fixed)
                out.write(escape.stdout(f"committed fixes to {path} as {sha[:12]}\n"))
            else:
                out.write(escape.stdout(f"{path} changed on the branch since {pull.head_sha[:12]}; "
                                        "posting suggestions instead of committing\n"))
        plan.findings = [f for f in plan.findings if f.fingerprint not in fixed]
        if committed:
            notes.append("_A commit pushed with the workflow's `GITHUB_TOKEN` starts no workflow "
                         "run, so the checks of this pull request do not re-run on it by themselves; "
                         "use a GitHub App or personal access token (README, GitHub) to have them run._")
    post(plan, pull, settings, gh=gh, committed=committed, dry_run=dry_run, out=out, notes=notes,
         login=login)
    return exit_code(plan.findings)


def _post_plan(args: argparse.Namespace, gh: Any, config: Any, settings: Any,
               event: dict[str, Any], out: TextIO) -> int:
    """Post a plan from an artifact: validate it, re-derive the PR, trust nothing else in it.

    Exits 0 once posted (the first workflow's status carries the verdict), and 0 with a notice
    when the PR has moved on to a newer commit or is closed: the newer run posts for it.
    """
    from .pullrequest import find_pull_by_head_sha, load_pull

    try:
        with open(args.findings_in, encoding="utf-8") as handle:
            text = handle.read(8 << 20)
    except OSError as exc:
        raise InputError(f"cannot read the review plan: {exc.strerror}", args.findings_in) from None
    plan = ReviewPlan.from_json(text, args.findings_in)
    run_info = event.get("workflow_run") or {}
    head_sha = args.head_sha or run_info.get("head_sha")
    repo_name = args.repo or (event.get("repository") or {}).get("full_name") or os.environ.get("GITHUB_REPOSITORY")
    if not head_sha or not repo_name:
        raise ListkeeperError("--findings-in needs the workflow_run event (or --repo and --head-sha)")
    if plan.head_sha != head_sha or plan.repo.lower() != repo_name.lower():
        raise ListkeeperError("the review plan was made for another commit or repository; not posting")
    # workflow_run.pull_requests is empty for a PR from a fork: then find it by its head SHA
    listed = [p.get("number") for p in run_info.get("pull_requests") or [] if isinstance(p, dict)]
    number = args.pr or next((n for n in listed if isinstance(n, int)), None)
    pull = load_pull(gh, repo_name, number) if number else find_pull_by_head_sha(gh, repo_name, head_sha)
    if pull is None or pull.head_sha != head_sha:
        where = f"#{pull.number} is at {pull.head_sha[:12]}" if pull else "no open pull request has it as head"
        notice(out, f"not posting the review of {head_sha[:12]}: {where}; the run for the newer "
                    "commit posts its own")
        return 0
    if plan.pr is not None and plan.pr != pull.number:
        raise ListkeeperError(f"the review plan names PR #{plan.pr}, but {head_sha[:12]} is the head "
                              f"of #{pull.number}; not posting")
    plan.base_sha = pull.base_sha
    wanted = set(list_paths(pull, config))
    plan.findings = [f for f in plan.findings if f.path in wanted]
    plan.preexisting = [f for f in plan.preexisting if f.path in wanted]
    texts: dict[str, tuple[str, str, str]] = {}
    if settings.autofix == "commit" and pull.same_repo:
        from .pullrequest import read_text

        for path in sorted({f.path for f in plan.findings if f.fixable}):
            head = read_text(gh, pull.repo, path, pull.head_sha)
            item = pull.files[path]
            base = None if item.status == "added" else read_text(gh, pull.repo, item.previous_path or path,
                                                                  pull.base_sha)
            if head is not None:
                texts[path] = (base[0] if base else "", head[0], head[1])
    _print_findings(plan.findings, out)
    _publish(gh, plan, pull, config, settings, texts, dry_run=args.dry_run, out=out,
             login=getattr(args, "bot_login", None))
    return 0


def _print_findings(findings: list[PlannedFinding], out: TextIO) -> None:
    for f in findings:
        out.write(escape.stdout(f"{f.path}:{f.line}:{f.column}: {f.level} [{f.rule}] {f.message}\n"))
    if not findings:
        out.write("no problems in the changed lines\n")
