"""The entry style: how this list writes an entry, and whether entries stay on one line."""

from __future__ import annotations

from collections import Counter

from ..styles import STYLES, example
from . import Choice
from ._facts import FOLLOW, MIN_SAMPLES, Facts, count_of, share, spread

ORDER = 10


def infer(facts: Facts) -> list[Choice]:
    papers = facts.papers
    out: list[Choice] = []
    if not papers:
        return [Choice(("rules", "entry-format", "style"), None,
                       "entry style: no paper entries found; not checked")]
    counts = Counter(e.style for e in papers)
    top, n = counts.most_common(1)[0]
    if len(papers) >= MIN_SAMPLES and share(n, len(papers)) >= FOLLOW:
        out.append(Choice(("rules", "entry-format", "style"), top,
                          f"entry style {top} ({example(top)}): {count_of(n, len(papers))} "
                          "paper entries"))
    else:
        out.append(Choice(("rules", "entry-format", "style"), None,
                          f"entry styles: {spread(counts)}: no single style; not checked"))
    one_line = [e for e in papers if not STYLES[e.style].MULTILINE and e.kind == "item"]
    broken = [e for e in one_line if e.end_line > e.line]
    if len(broken) >= 3 and share(len(broken), len(one_line)) > 1 - FOLLOW:
        out.append(Choice(("rules", "entry-format", "one_line"), False,
                          f"entries over several lines: {count_of(len(broken), len(one_line))}: "
                          "a style of this list"))
    spaced = [e for e in papers if e.kind == "item" and "  " in e.raw.strip().replace("  \n", "\n")]
    if len(spaced) >= 3 and share(len(spaced), len(papers)) > 1 - FOLLOW:
        out.append(Choice(("rules", "entry-format", "single_spaces"), False,
                          f"entries with double spaces: {count_of(len(spaced), len(papers))}: "
                          "not checked"))
    return out
