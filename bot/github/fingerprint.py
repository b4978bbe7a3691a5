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


_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


def outside_code(body: str) -> str:
    """`body` without its fenced code blocks (suggestions) and inline code spans.

    Those quote the pull request's own lines, so a marker in them was written by the PR's
    author, not by the bot.
    """
    kept = []
    fence = ""
    for line in body.split("\n"):
        stripped = line.strip()
        ticks = len(stripped) - len(stripped.lstrip("`"))
        if fence:
            if ticks >= len(fence) and stripped == "`" * ticks:
                fence = ""
            continue
        if ticks >= 3:
            fence = "`" * ticks
            continue
        kept.append(line)
    return _CODE_SPAN.sub("", "\n".join(kept))


def found_in(body: str | None) -> set[str]:
    """Fingerprints named by markers in a comment the bot wrote (outside code it quotes)."""
    if not body:
        return set()
    text = outside_code(body)
    found = set(_FP_RE.findall(text))
    for group in _POSTED_RE.findall(text):
        found.update(fp for fp in group.split(",") if fp)
    return found


def posted_marker(fps: Iterable[str]) -> str:
    return "<!-- listkeeper:posted=" + ",".join(sorted(set(fps))) + " -->"
