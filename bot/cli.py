"""The ``listkeeper`` command line: thin front-ends over the engine."""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import sys
from typing import Any

from . import __version__
from .errors import InputError, ListkeeperError
from .listfile import Terminated, read_list

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def list_root(path: str) -> str | None:
    """The folder relative links of the list at ``path`` are judged against: its own, when it
    is a file in a git checkout (the repository's other files are there), else None."""
    from .rules.link_format import in_git_checkout

    if path == "-" or not os.path.isfile(path):
        return None
    folder = os.path.dirname(os.path.abspath(path))
    return folder if in_git_checkout(folder) else None


def _split_ids(value: str | None) -> list[str] | None:
    if not value:
        return None
    from .rules import RULES

    ids = [v.strip() for v in value.split(",") if v.strip()]
    for rule_id in ids:
        if rule_id not in RULES:
            raise ListkeeperError(f"unknown rule '{rule_id}' (see 'listkeeper rules')")
    return ids


def _changed(args: argparse.Namespace, path: str, text: str) -> set[int] | None:
    from .diff import changed_since, parse_ranges

    if getattr(args, "lines", None):
        return parse_ranges(args.lines)
    if getattr(args, "base", None):
        if path == "-":
            raise InputError("--base needs a file path, not stdin")
        return changed_since(args.base, path, text)
    return None


def _paths(args: argparse.Namespace, config: Any) -> list[str]:
    return args.paths or config.files


def cmd_check(args: argparse.Namespace) -> int:
    # check parses each file once and keeps every document to the end: the cyclic collector
    # would only rescan them (a tenth of the time on a large list), so it is off for the run and
    # back on afterwards for in-process callers
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _check(args)
    finally:
        if enabled:
            gc.enable()


def _check(args: argparse.Namespace) -> int:
    from .config import load_config
    from .engine import run
    from .output import write
    from .parse import parse_document

    config = load_config(args.config)
    select, ignore = _split_ids(args.select), _split_ids(args.ignore)
    paths = _paths(args, config)
    docs, changed = [], {}
    sources: dict[str, str] = {}
    for path in paths:
        text, _ = read_list(path)
        doc = parse_document(text, "<stdin>" if path == "-" else path)
        doc.root = list_root(path)
        docs.append(doc)
        sources[doc.path] = text
        changed[doc.path] = _changed(args, path, text)
    links = None
    if args.links:
        from .links.service import check_documents, settings_for

        links = check_documents(docs, settings_for(config), changed=changed,
                                cache_path=None if args.no_cache else args.cache,
                                allow_private=args.allow_private,
                                first_failure_is_broken=any(c is not None for c in changed.values()),
                                progress=sys.stderr, config=config, select=select, ignore=ignore)
    findings = []
    for doc in docs:
        findings.extend(run(doc, _own_conventions(config, doc), changed=changed[doc.path],
                            select=select, ignore=ignore, links=links))
    color = args.format == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    write("statistics" if args.statistics else args.format, sys.stdout, findings, len(paths),
          color=color, sources=sources)
    return EXIT_FINDINGS if any(f.level == "error" for f in findings) else EXIT_CLEAN


def cmd_fix(args: argparse.Namespace) -> int:
    from .config import load_config
    from .fixer import fix_text
    from .listfile import write_atomic
    from .output.sanitize import terminal
    from .parse import parse_document

    config = load_config(args.config)
    select, ignore = _split_ids(args.select), _split_ids(args.ignore)
    worst = EXIT_CLEAN
    for path in _paths(args, config):
        if path == "-":
            raise InputError("fix needs a file path, not stdin (use check for stdin)")
        text, bom = read_list(path)
        doc_config = _own_conventions(config, parse_document(text, path))
        result = fix_text(text, path, doc_config, changed=_changed(args, path, text),
                          sweep=_split_ids(args.rule),
                          select=select, ignore=ignore)
        if args.diff:
            sys.stdout.writelines(terminal(line) for line in difflib.unified_diff(
                text.splitlines(keepends=True), result.text.splitlines(keepends=True),
                f"a/{path.lstrip('/')}", f"b/{path.lstrip('/')}"))
        elif result.text != text:
            write_atomic(path, result.text, bom=bom)
        for skip in result.skipped:
            print(f"{terminal(path)}:{skip.finding.line}: skipped the {skip.finding.rule} fix "
                  f"({terminal(skip.reason)}): {terminal(skip.finding.message)}", file=sys.stderr)
        print(f"{terminal(path)}: fixed {len(result.applied)} finding(s), "
              f"{len(result.remaining)} left"
              + (f", {len(result.skipped)} fix(es) skipped" if result.skipped else ""),
              file=sys.stderr)
        if any(f.level == "error" for f in result.remaining):
            worst = EXIT_FINDINGS
    return worst


def _own_conventions(config: Any, doc: Any) -> Any:
    """With no rules.yaml, judge the list by the conventions it follows (what init writes)."""
    from .config import is_builtin

    if not is_builtin(config):
        return config
    from .conventions import config as inferred

    return inferred(doc)


def cmd_init(args: argparse.Namespace) -> int:
    from .config import CONFIG_NAMES, find_config
    from .conventions import infer, render
    from .listfile import write_atomic
    from .output.sanitize import terminal
    from .parse import parse_document

    path = args.path
    text, _ = read_list(path)
    written = render(infer(parse_document(text, path), path if path != "-" else "README.md"))
    target = args.output or find_config() or CONFIG_NAMES[0]
    current = read_list(target)[0] if os.path.lexists(target) else None
    if args.diff:
        sys.stdout.writelines(terminal(line) for line in difflib.unified_diff(
            (current or "").splitlines(keepends=True), written.splitlines(keepends=True),
            f"a/{target}", f"b/{target}"))
        return EXIT_CLEAN
    if current is not None and not args.force:
        raise InputError("exists; left alone (compare with `listkeeper init --diff`, replace "
                         "with `--force`)", target)
    write_atomic(target, written)
    print(f"{terminal(target)}: wrote the conventions of {terminal(path)}", file=sys.stderr)
    return EXIT_CLEAN


def cmd_add(args: argparse.Namespace) -> int:
    from .add import AlreadyListed, Found, build, diff, look_up, parse_date, parse_paper
    from .config import load_config
    from .ids import arxiv_yymm
    from .listfile import write_atomic
    from .output.sanitize import terminal
    from .parse import parse_document

    config = load_config(args.config)
    path = args.path or config.files[0]
    if path == "-":
        raise InputError("add needs a list file, not stdin")
    if args.code is not None and not args.code.lower().startswith(("http://", "https://")):
        raise ListkeeperError(f"--code {args.code}: give the repository's URL (https://github.com/o/r)")
    text, bom = read_list(path)
    doc = parse_document(text, path)
    doc_config = _own_conventions(config, doc)
    offline = args.title is not None
    paper = parse_paper(args.paper, offline=offline)
    date = parse_date(args.date) if args.date else None
    if offline:
        if not args.title.strip():
            raise ListkeeperError("--title is empty")
        yymm = arxiv_yymm(paper.arxiv_id) if paper.arxiv_id else None
        if date is None and yymm is None:
            raise ListkeeperError("offline (--title) the date is needed: --date 2024-02")
        found = Found(" ".join(args.title.split()), date or f"{yymm[0]}-{yymm[1]:02d}", paper.arxiv_id)
    else:
        from .links.service import settings_for

        cache = None if args.no_cache else (args.cache or settings_for(config).cache)
        found = look_up(paper, doc_config, cache_path=cache, allow_private=args.allow_private)
        found.date = date or found.date
    try:
        added, notes = build(doc, doc_config, paper, found, code_url=args.code, venue=args.venue,
                             section_name=args.section)
    except AlreadyListed as exc:
        print(f"listkeeper: {terminal(str(exc))}; not added", file=sys.stderr)
        return EXIT_FINDINGS
    for note in notes:
        print(f"listkeeper: {terminal(note)}", file=sys.stderr)
    sys.stdout.write(terminal(diff(text, added.text, path)))
    where = f"{terminal(path)}:{added.line} ({terminal(added.section.path_str)})"
    if args.write:
        write_atomic(path, added.text, bom=bom)
        print(f"listkeeper: added at {where}", file=sys.stderr)
    else:
        print(f"listkeeper: would add at {where}; --write writes it", file=sys.stderr)
    return EXIT_CLEAN


def cmd_rules(args: argparse.Namespace) -> int:
    from .rules import RULES, get, summary

    if args.rule:
        try:
            module = get(args.rule)
        except KeyError as exc:
            raise ListkeeperError(str(exc.args[0])) from None
        print(f"{module.ID} (default level: {module.LEVEL})\n")
        print((module.__doc__ or "").strip())
        return EXIT_CLEAN
    if args.markdown:
        print(rules_table())
        return EXIT_CLEAN
    width = max(len(rule_id) for rule_id in RULES)
    for rule_id, module in RULES.items():
        print(f"{rule_id:<{width}}  {module.LEVEL:<7}  {summary(module)}")
    return EXIT_CLEAN


def rules_table() -> str:
    """The README's rule table, generated from the rules' own docs."""
    from .rules import RULES, summary

    rows = ["| rule | default level | fixable | what it finds |", "| --- | --- | --- | --- |"]
    for rule_id, module in RULES.items():
        fixable = "yes" if module.FIXABLE else "no"
        rows.append(f"| `{rule_id}` | {module.LEVEL} | {fixable} | {summary(module)} |")
    return "\n".join(rows)


# what `links` reads of rules.yaml: the rest is not validated (nor its rules imported) by it
LINKS_NEEDS = ("broken-link", "links")


def cmd_links(args: argparse.Namespace) -> int:
    from .config import load_config
    from .links import command
    from .links.service import settings_for
    from .parse import parse_document

    config = load_config(args.config, only=LINKS_NEEDS)
    settings = settings_for(config)
    docs, changed = [], {}
    for path in _paths(args, config):
        text, _ = read_list(path)
        doc = parse_document(text, path)
        docs.append(doc)
        if args.only_changed:
            changed[path] = _changed(args, path, text)
            if changed[path] is None:
                raise ListkeeperError("--only-changed needs --base REV or --lines")
    return command.run(args, docs, config, settings, changed=changed or None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; feature modules add their options only for their own command,
    so that a plain ``check`` imports neither requests nor PyGithub."""
    parser = argparse.ArgumentParser(
        prog="listkeeper", description="Checks and fixes for awesome lists of research papers.")
    parser.add_argument("--version", action="version", version=f"listkeeper {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(p: argparse.ArgumentParser, *, diff_aware: bool = True) -> None:
        p.add_argument("paths", nargs="*", metavar="PATH",
                       help="list files (default: README.md, or 'files' in rules.yaml); - is stdin")
        p.add_argument("--config", metavar="F", help="rules.yaml to use (default: found "
                       "in the current directory, then at the git root)")
        if diff_aware:
            p.add_argument("--base", metavar="REV",
                           help="diff-aware: report only what changed since git revision REV")
            p.add_argument("--lines", metavar="RANGES",
                           help="diff-aware: changed lines, e.g. 10-12,40")

    p = sub.add_parser("check", help="check list files and report findings")
    common(p)
    p.add_argument("--select", metavar="R,..", help="run only these rules")
    p.add_argument("--ignore", metavar="R,..", help="skip these rules")
    p.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text")
    p.add_argument("--statistics", action="store_true",
                   help="one line per rule: count, level, fixable, an example")
    p.add_argument("--links", action="store_true",
                   help="also check links over the network (the broken-link rule)")
    p.add_argument("--cache", metavar="F", default=".listkeeper/links.sqlite",
                   help="link history database (with --links)")
    p.add_argument("--no-cache", action="store_true", help="no link history (with --links)")
    p.add_argument("--allow-private", action="store_true",
                   help="let --links fetch loopback addresses (private and metadata stay refused)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("fix", help="apply the certain fixes")
    common(p)
    p.add_argument("--select", metavar="R,..", help="fix only these rules")
    p.add_argument("--ignore", metavar="R,..", help="skip these rules")
    p.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    p.add_argument("--rule", metavar="R,..",
                   help="also apply these rules' list-wide rewrites (badge insertion, label "
                        "renames, reordering, moves) on the whole list; see 'fix:' in rules.yaml")
    p.set_defaults(func=cmd_fix)

    p = sub.add_parser("init", help="write a rules.yaml that describes this list's conventions")
    p.add_argument("path", nargs="?", default="README.md", metavar="PATH",
                   help="the list to learn from (default: README.md)")
    p.add_argument("--output", metavar="F", help="where to write (default: the rules.yaml found "
                   "in the current directory or at the git root, else ./rules.yaml)")
    p.add_argument("--diff", action="store_true", help="show what would be written; write nothing")
    p.add_argument("--force", action="store_true", help="replace an existing rules.yaml")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("add", help="add a paper: looked up, written in the list's style, put in place")
    p.add_argument("paper", metavar="PAPER", help="an arXiv id or URL, an OpenReview URL or a DOI")
    p.add_argument("path", nargs="?", metavar="PATH",
                   help="the list file (default: the first of 'files' in rules.yaml, else README.md)")
    p.add_argument("--config", metavar="F", help="rules.yaml to use")
    p.add_argument("--code", metavar="URL", help="the code repository (a stars badge goes with it "
                   "where the list has them)")
    p.add_argument("--section", metavar="PATH", help='the section, e.g. "Language › 2024 › Quantization" '
                   "(default: by the paper's year and the category keywords)")
    p.add_argument("--venue", metavar="LABEL", help="the venue label (default: looked up; the "
                   "preprint label when the paper is not published)")
    p.add_argument("--title", metavar="T", help="the title: offline, nothing is fetched")
    p.add_argument("--date", metavar="D", help="the date (2024-02-06, 2024-02 or 2024)")
    p.add_argument("--write", action="store_true", help="write the list (atomically); default: "
                   "print the diff only")
    p.add_argument("--cache", metavar="F", help="link history database (default from rules.yaml)")
    p.add_argument("--no-cache", action="store_true", help="keep no answers in the link history")
    p.add_argument("--allow-private", action="store_true",
                   help="let the lookups reach loopback addresses (local tests and mirrors)")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("rules", help="list the rules, or show one rule's docs")
    p.add_argument("rule", nargs="?", metavar="ID")
    p.add_argument("--markdown", action="store_true", help="print the README's rule table")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("links", help="check every link (or the changed ones)")
    common(p)
    p.add_argument("--only-changed", action="store_true",
                   help="check only links on lines changed since --base (or --lines)")
    if command == "links":
        _add_optional(p, "bot.links.command")
    p.set_defaults(func=cmd_links)

    for name, module, helptext in (
        ("review", "bot.github.review_command", "review a pull request on GitHub"),
        ("report", "bot.github.report_command", "update the weekly link-rot issue"),
    ):
        p = sub.add_parser(name, help=helptext)
        if command != name or _add_optional(p, module):
            p.set_defaults(func=_delegate(module))
        else:
            p.set_defaults(func=_unavailable(name))
    return parser


def _add_optional(parser: argparse.ArgumentParser, module_name: str) -> bool:
    """Let a feature module add its own options; False when it is not installed."""
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    module.add_arguments(parser)
    return True


def _delegate(module_name: str):
    def run(args: argparse.Namespace) -> int:
        import importlib

        return importlib.import_module(module_name).run(args)

    return run


def _unavailable(name: str):
    def run(args: argparse.Namespace) -> int:
        raise ListkeeperError(f"'{name}' is not available in this build")

    return run


def run() -> None:
    """The process entry point (``listkeeper``, ``python -m bot``): ``main``, then end the
    process without the interpreter's teardown, which frees every object of a large list's
    document one by one (0.7 s of a 16 s check of 100k entries), as mypy does. Nothing is lost:
    the commands have written their files and joined their work by then, nothing registers
    ``atexit`` work, and the standard streams are flushed here. In-process callers use ``main``."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except ListkeeperError as exc:
        from .output.sanitize import terminal

        print(f"listkeeper: error: {terminal(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Terminated as exc:
        print(f"listkeeper: stopped by signal {exc.args[0]}; the file being written was left "
              "as it was", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_CLEAN
