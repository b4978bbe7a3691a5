"""The body of `listkeeper links`: options, sharding, merging, output and exit code.

The links are checked once (`bot.links.service`), the broken-link rule judges them through the
engine, and the output renders its findings, with the link results beside them.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bot.errors import ConfigError, InputError
from bot.links.report import FORMATTERS, merge_reports
from bot.links.results import LinkResults
from bot.links.settings import LinksSettings
from bot.model import Document


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format")
    parser.add_argument("--cache", metavar="FILE", help="link history database (default from rules.yaml)")
    parser.add_argument("--no-cache", action="store_true", help="check everything, keep no history")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow links to loopback addresses (local tests and mirrors); private, "
                             "link-local and metadata addresses stay refused")
    parser.add_argument("--shard", metavar="K/N", type=parse_shard,
                        help="check only shard K of N (1-based), balanced by expected cost")
    parser.add_argument("--merge", metavar="FILE", nargs="+",
                        help="combine shard JSON reports instead of checking")
    parser.add_argument("--report-first-failure", action="store_true",
                        help="report a link broken on its first failure (no flap suppression)")


def parse_shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--shard expects K/N, got {text!r}") from None
    if n < 1 or not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"--shard {text}: need 1 <= K <= N")
    return k, n


def locations_of(docs: list[Document], results: LinkResults) -> dict[str, list[tuple[str, list[int]]]]:
    out: dict[str, list[tuple[str, list[int]]]] = {}
    for doc in docs:
        lines: dict[str, set[int]] = {}
        for link in doc.links:
            if link.url in results:
                lines.setdefault(link.url, set()).add(link.line)
        for url, where in lines.items():
            out.setdefault(url, []).append((doc.path, sorted(where)))
    return out


def run(args: argparse.Namespace, docs: list[Document], config, settings: LinksSettings, *,
        changed: dict[str, set[int] | None] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Check (or merge), judge through the engine, print; 1 when there is an error finding."""
    from bot.engine import run as engine_run
    from bot.links.service import check_documents

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    fmt = FORMATTERS[getattr(args, "format", None) or "text"]
    if getattr(args, "merge", None):
        payloads = []
        for path in args.merge:
            try:
                with open(path, encoding="utf-8") as fh:
                    payloads.append(json.load(fh))
            except (OSError, ValueError) as exc:
                raise InputError(f"cannot read shard report: {exc}", path=path) from None
        results = LinkResults(merge_reports(payloads)[0])
    else:
        cache = None if getattr(args, "no_cache", False) else (getattr(args, "cache", None) or settings.cache)
        try:
            results = check_documents(
                docs, settings, changed=changed, cache_path=cache,
                allow_private=getattr(args, "allow_private", False),
                first_failure_is_broken=bool(getattr(args, "report_first_failure", False) or changed),
                progress=stderr, shard=getattr(args, "shard", None))
        except OSError as exc:
            raise ConfigError(f"cannot use link cache: {exc}", path=cache) from None
    findings = []
    for doc in docs:
        findings += engine_run(doc, config, changed=(changed or {}).get(doc.path),
                               select=["broken-link"], links=results)
    stdout.write(fmt(list(results.values()), locations_of(docs, results), findings, len(docs)))
    return 1 if any(f.level == "error" for f in findings) else 0
