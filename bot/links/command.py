"""The body of `listkeeper links`: options, sharding, merging, output and exit code."""

from __future__ import annotations

import argparse
import json
import os
import sys
import zlib
from typing import TextIO

from bot.errors import ConfigError, InputError
from bot.links.checker import check_links
from bot.links.http import host_key
from bot.links.report import FORMATTERS, merge_reports
from bot.links.results import LinkResult, LinkTarget
from bot.links.settings import LinksSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format")
    parser.add_argument("--cache", metavar="FILE", help="link history database (default from rules.yaml)")
    parser.add_argument("--no-cache", action="store_true", help="check everything, keep no history")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow links to private/loopback addresses (tests, intranets)")
    parser.add_argument("--shard", metavar="K/N", type=parse_shard,
                        help="check only shard K of N (1-based), split by host")
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


def shard_of(url: str, n: int) -> int:
    """1-based shard of a URL: a stable hash (CRC-32) of its host, so a host stays in one shard."""
    return zlib.crc32(host_key(url).encode("utf-8")) % n + 1


def run(args: argparse.Namespace, targets_by_path: dict[str, list[LinkTarget]], settings: LinksSettings,
        *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Check (or merge), print in the chosen format; 1 when a link is reported broken."""
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
        results, locations = merge_reports(payloads)
        stdout.write(fmt(results, locations))
        return 1 if any(r.reported_broken for r in results) else 0

    locations: dict[str, list[tuple[str, list[int]]]] = {}
    targets: list[LinkTarget] = []
    shard = getattr(args, "shard", None)
    for path, path_targets in targets_by_path.items():
        for target in path_targets:
            if shard and shard_of(target.url, shard[1]) != shard[0]:
                continue
            targets.append(target)
            places = locations.setdefault(target.url, [])
            for i, (p, lines) in enumerate(places):
                if p == path:
                    places[i] = (p, sorted(set(lines) | set(target.lines)))
                    break
            else:
                places.append((path, sorted(set(target.lines))))
    if getattr(args, "no_cache", False):
        cache = None
    else:
        cache = getattr(args, "cache", None) or settings.cache
    try:
        results: list[LinkResult] = check_links(
            targets, settings, cache_path=cache, allow_private=getattr(args, "allow_private", False),
            first_failure_is_broken=bool(getattr(args, "report_first_failure", False)
                                         or getattr(args, "only_changed", False)),
            progress=stderr, github_token=os.environ.get("GITHUB_TOKEN") or None)
    except OSError as exc:
        raise ConfigError(f"cannot use link cache: {exc}", path=cache) from None
    stdout.write(fmt(results, locations))
    return 1 if any(r.reported_broken for r in results) else 0
