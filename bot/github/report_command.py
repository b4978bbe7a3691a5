"""`listkeeper report`: check every link and keep the one link-rot issue up to date."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from bot.errors import ListkeeperError

from . import escape

DEFAULT_LABEL = "link-rot"
# what the report reads of rules.yaml: its online rules, the link settings and the vocabulary
REPORT_NEEDS = ("broken-link", "published", "links", "venues", "sections")


def report_rules(config) -> list[str]:
    """The online rules the report is made of: broken-link always, published unless off."""
    return ["broken-link"] + (["published"] if config.rules["published"].level is not None else [])


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="list files (default: 'files' in rules.yaml)")
    parser.add_argument("--config", metavar="F", help="rules.yaml to use")
    parser.add_argument("--repo", metavar="OWNER/NAME", help="repository (default: GITHUB_REPOSITORY)")
    parser.add_argument("--cache", metavar="FILE", help="link history database (default from rules.yaml)")
    parser.add_argument("--label", default=DEFAULT_LABEL, help="label of the report issue")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow links to loopback addresses (local tests and mirrors)")
    parser.add_argument("--fix-pr", action="store_true",
                        help="open or update one PR with the certain fixes (redirects, renamed repos, "
                             "preprints now published)")
    parser.add_argument("--dry-run", action="store_true", help="print the report; change nothing on GitHub")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from bot.config import load_config
    from bot.engine import run as engine_run
    from bot.links.history import History, HistoryUnavailable
    from bot.links.service import check_documents, settings_for
    from bot.listfile import read_list
    from bot.parse import parse_document

    from . import api, fixpr, issue, report

    out = out or sys.stdout
    config = load_config(args.config, only=REPORT_NEEDS)
    settings = settings_for(config)
    cache = args.cache or settings.cache
    paths = args.paths or config.files
    docs = [parse_document(read_list(path)[0], path) for path in paths]
    rules = report_rules(config)
    results = check_documents(docs, settings, cache_path=cache, allow_private=args.allow_private,
                              github_token=api.token(), config=config, select=rules)
    findings = [f for doc in docs for f in engine_run(doc, config, select=rules, links=results)]
    try:
        history = History(cache, timeout=settings.cache_timeout) if cache else None
    except HistoryUnavailable:
        history = None
    runs = history.recent_runs(12) if history else []
    if history:
        history.close()
    repo_name = args.repo or os.environ.get("GITHUB_REPOSITORY")
    gh = repo = current = None
    if repo_name and not args.dry_run:
        gh = api.client()
        repo = gh.get_repo(repo_name)
        current = issue.find_open(repo, args.label)
    previous = report.previous_broken(current.body if current is not None else None)
    built = report.build(docs, findings, results, previous)
    body = report.render(built, runs)
    _step_summary(report.render(built, runs, limit=1_000_000))  # the job summary has it all
    if args.dry_run or repo is None:
        if not args.dry_run:
            raise ListkeeperError("no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY")
        out.write(escape.stdout(body) + "\n")
        return 0
    # a first run shows its unconfirmed failures at once: the issue stays open for them too
    # ...and for preprints now published, until they are relabelled
    did = issue.upsert(repo, args.label, body, broken=bool(built.broken or built.unconfirmed or built.published),
                       issue=current)
    out.write(escape.stdout(f"{did}: {len(built.broken)} broken, {len(built.unconfirmed)} unconfirmed, "
                            f"{len(built.unverifiable)} unverifiable, {len(built.recovered)} recovered, "
                            f"{len(built.published)} preprints now published\n"))
    if args.fix_pr:
        try:
            out.write(escape.stdout(fixpr.open_or_update(gh, repo_name, list(paths), config, results,
                                                         rules=rules) + "\n"))
        except fixpr.Refused as refused:  # 403: say so, and put the patch on the report issue
            out.write(escape.stdout(f"listkeeper: {refused.message}; the patch goes on the report issue\n"))
            found = issue.find_open(repo, args.label)
            if found is not None:
                fixpr.post_patch(found, refused)
    return 0


def _step_summary(body: str) -> None:
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(body + "\n")
    except OSError as exc:
        print(f"listkeeper: warning: cannot write the step summary: {exc.strerror}", file=sys.stderr)


