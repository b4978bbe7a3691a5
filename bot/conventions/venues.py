"""Venue labels: how the list spells each venue, whether labels carry a year, its own venues."""

from __future__ import annotations

from collections import Counter, defaultdict

from . import Choice
from ._facts import FOLLOW, MIN_SAMPLES, Facts, count_of, share

ORDER = 20
MIN_VENUE = 3  # labels of one venue before its spelling counts as a convention
OPEN_VOCABULARY = 5  # distinct one-off venue labels that show the list names venues freely


def infer(facts: Facts) -> list[Choice]:
    vocab = facts.vocab
    tagged = [e for e in facts.papers if e.venue and e.venue_is_tag and e.venue_span]
    out: list[Choice] = []
    if not tagged:
        return out
    forms: dict[str, Counter] = defaultdict(Counter)
    unknown: Counter = Counter()
    with_year = 0
    for entry in tagged:
        label = vocab.parse(entry.venue)
        if label.year_spans:
            with_year += 1
        if label.base is None:
            unknown[label.written or entry.venue] += 1
        else:
            forms[label.base][label.written] += 1
    spelling: dict[str, str] = {}
    loose: list[str] = []
    for base, counter in sorted(forms.items(), key=lambda kv: -sum(kv[1].values())):
        total = sum(counter.values())
        written, n = counter.most_common(1)[0]
        others = ", ".join(f"{w} {c}" for w, c in counter.most_common()[1:4])
        if len(counter) == 1:
            if written != base:
                spelling[base] = written  # the only spelling the list uses
            continue
        if total < MIN_VENUE:
            loose.append(base)  # too few labels to tell which spelling the list prefers
            continue
        if share(n, total) >= FOLLOW:
            spelling[base] = written
            out.append(Choice(("venues", "spelling"), None,
                              f"label spelling {written}: {count_of(n, total)}"
                              + (f" ({others})" if others else "")))
        else:
            loose.append(base)
            out.append(Choice(("venues", "any_spelling"), None,
                              f"{base} is written several ways ({written} {n}, {others}): "
                              "left as written"))
    if spelling:
        out.append(Choice(("venues", "spelling"), spelling))
    if loose:
        out.append(Choice(("venues", "any_spelling"), loose))
    # a year in the label: a convention either way only when the list has year headings
    if facts.year_pattern and len(tagged) >= MIN_SAMPLES:
        if share(with_year, len(tagged)) <= 1 - FOLLOW:
            out.append(Choice(("rules", "venue", "allow_year"), False,
                              f"labels with a year: {count_of(with_year, len(tagged))}: the year "
                              "heading says it"))
        else:
            out.append(Choice(("rules", "venue", "allow_year"), True,
                              f"labels with a year: {count_of(with_year, len(tagged))}: allowed"))
    recurring = sorted(w for w, c in unknown.items() if c >= 2 and len(w) <= 40)
    if recurring:
        out.append(Choice(("venues", "extra"), recurring,
                          "the list's own venue labels (not in the built-in vocabulary): "
                          + ", ".join(f"{w} {unknown[w]}" for w in recurring[:8])
                          + (" ..." if len(recurring) > 8 else "")))
    once = sorted(w for w, c in unknown.items() if c == 1)
    if len(once) >= OPEN_VOCABULARY:
        out.append(Choice(("rules", "venue", "unknown"), "off",
                          f"labels used once and not in the vocabulary: {len(once)} ("
                          + ", ".join(once[:5]) + "): the list names venues freely; unknown "
                          "labels not reported"))
    elif once:
        out.append(Choice(("rules", "venue"), None,
                          f"labels used once and not in the vocabulary: {len(once)}: reported "
                          "as info"))
    return out
