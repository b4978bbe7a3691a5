"""Papers under several sections: whether the list files one paper in more than one place.

A list of overlapping views (a notes file with "Methods", "Ideas" and a reading list by
"Genre", each citing the same papers) lists most of its papers twice on purpose: asking about
every cross-listing would be noise, so ``duplicate``'s ``cross_section_level`` is ``off`` there.
Copies in one section, and in two year sections, stay findings.
"""

from __future__ import annotations

from collections import defaultdict

from ..rules._common import is_paper
from ..rules.duplicate import OPTIONS, SharedKeys, paper_keys
from . import Choice
from ._facts import Facts, count_of, share

ORDER = 55
VIEWS = 0.4  # a list that cross-lists this share of its papers files them under several views


def infer(facts: Facts) -> list[Choice]:
    opts = {name: spec[1] for name, spec in OPTIONS.items()}
    papers = [e for e in facts.doc.entries if not e.details and is_paper(e)]
    # as the duplicate rule does: only an entry with a key another may share is keyed again,
    # not every key of every paper held at once (90 MB on 100k entries)
    maybe_shared = SharedKeys()
    for entry in papers:
        maybe_shared.add(paper_keys(entry, opts))
    keyed = [(entry, paper_keys(entry, opts)) for entry in maybe_shared.entries(papers)]
    sections: dict[tuple[str, str], set[int]] = defaultdict(set)
    for entry, keys in keyed:
        for key in keys:
            sections[key].add(id(entry.section))
    listed = sum(1 for _, keys in keyed if any(len(sections[key]) > 1 for key in keys))
    key = ("rules", "duplicate", "cross_section_level")
    evidence = (f"papers listed in more than one section: {count_of(listed, len(papers))} "
                f"({share(listed, len(papers)):.0%})")
    if len(papers) >= 10 and share(listed, len(papers)) >= VIEWS:
        return [Choice(key, "off", f"{evidence}: the list files papers under several views; "
                                   f"cross-listings not reported")]
    return [Choice(key, None, f"{evidence}: a paper in two categories is info")]
