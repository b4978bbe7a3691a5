"""Whitespace habits: trailing spaces, hard breaks, runs of blank lines and tabs."""

from __future__ import annotations

from collections import Counter

from . import Choice
from ._facts import FOLLOW, Facts, count_of, share

ORDER = 70
MIN_HABIT = 20  # lines with a habit before it counts as the list's style
BLANK_HABIT = 3  # runs of several blank lines: a list that has this many spaces its blocks so


def infer(facts: Facts) -> list[Choice]:
    doc = facts.doc
    key = ("rules", "whitespace")
    lines = doc.lines
    code = doc.code_lines
    text_lines = [(n, line) for n, line in enumerate(lines, 1) if n not in code and line.strip()]
    out: list[Choice] = []
    breaks = stray = 0
    for n, line in text_lines:
        stripped = line.rstrip(" \t")
        if stripped == line:
            continue
        nxt = lines[n] if n < len(lines) else ""
        if line.endswith("  ") and nxt.strip():
            breaks += 1
        else:
            stray += 1
    if breaks:
        out.append(Choice(key + ("allow_hard_breaks",), True,
                          f"lines ending in a hard break (two or more spaces): {breaks:,}"))
    if stray >= MIN_HABIT and share(stray, len(text_lines)) > 1 - FOLLOW:
        out.append(Choice(key + ("trailing_spaces",), False,
                          f"lines with trailing spaces: {count_of(stray, len(text_lines))}: kept "
                          "as the list writes them"))
    runs: Counter = Counter()
    run = 0
    for n, line in enumerate(lines, 1):
        if not line.strip() and n not in code:
            run += 1
        else:
            if run:
                runs[run] += 1
            run = 0
    total = sum(runs.values())
    long_runs = sum(c for k, c in runs.items() if k > 1)
    if long_runs >= BLANK_HABIT:
        out.append(Choice(key + ("max_blank_lines",), 0,
                          f"runs of two or more blank lines: {count_of(long_runs, total)}: the "
                          "list's spacing; not checked"))
    elif long_runs and total >= MIN_HABIT and share(long_runs, total) > 1 - FOLLOW:
        out.append(Choice(key + ("max_blank_lines",), max(runs),
                          f"runs of up to {max(runs)} blank lines: {count_of(long_runs, total)}"))
    tabs = sum(1 for _, line in text_lines if "\t" in line)
    if tabs >= 5:
        out.append(Choice(key + ("allow_tabs",), True, f"lines with tabs: {tabs:,}: the list's "
                                                       "indentation"))
    return out
