"""Stable identities for findings and the hidden markers that carry them in comments.

A fingerprint comes from the rule, the path and the normalised content of the flagged line,
not the line number, so a finding keeps its identity when lines above it move.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

FP_MARKER = "<!-- listkeeper:fp={fp} -->"
SUMMARY_MARKER = "<!-- listkeeper:summary -->"
REPORT_MARKER = "<!-- listkeeper:link-rot -->"
_FP_RE = re.compile(r"<!-- listkeeper:fp=([0-9a-f]{16}(?:-\d+)?) -->")
_POSTED_RE = re.compile(r"<!-- listkeeper:posted=([0-9a-f,\-]*) -->")


def normalize_line(line: str) -> str:
    return " ".join(line.split()).casefold()


def fingerprint(rule: str, path: str, line_text: str) -> str:
    digest = hashlib.sha256(f"{rule}\0{path}\0{normalize_line(line_text)}".encode())
    return digest.hexdigest()[:16]


def fingerprints(items: Iterable[tuple[str, str, str]]) -> list[str]:
    """Fingerprints for (rule, path, line text) in order; repeats get -2, -3 suffixes."""
    seen: dict[str, int] = {}
    result = []
    for rule, path, line_text in items:
        fp = fingerprint(rule, path, line_text)
        seen[fp] = seen.get(fp, 0) + 1
        result.append(fp if seen[fp] == 1 else f"{fp}-{seen[fp]}")
    return result


def marker(fp: str) -> str:
    return FP_MARKER.format(fp=fp)


def found_in(body: str | None) -> set[str]:
    """Fingerprints named by markers in a comment the bot wrote."""
    if not body:
        return set()
    found = set(_FP_RE.findall(body))
    for group in _POSTED_RE.findall(body):
        found.update(fp for fp in group.split(",") if fp)
    return found


def posted_marker(fps: Iterable[str]) -> str:
    return "<!-- listkeeper:posted=" + ",".join(sorted(set(fps))) + " -->"
