"""The table of contents: which heading levels it lists."""

from __future__ import annotations

import re
from urllib.parse import unquote

from ..rules.toc import OPTIONS as TOC_OPTIONS
from ..rules.toc import toc_items, toc_section
from . import Choice
from ._facts import FOLLOW, Facts, count_of, share

ORDER = 80


def infer(facts: Facts) -> list[Choice]:
    doc = facts.doc
    key = ("rules", "toc", "levels")
    section = toc_section(doc, re.compile(TOC_OPTIONS["heading"][1]))
    if section is None:
        return [Choice(key, None, "table of contents: none found; only broken anchors checked")]
    anchors = {unquote(lk.url[1:]) for item in toc_items(section) for lk in item.links
               if lk.url.startswith("#")}
    later = [s for s in doc.sections if s.line > section.line and s.level <= 6 and s.anchor]
    levels = []
    notes = []
    for level in sorted({s.level for s in later}):
        heads = [s for s in later if s.level == level]
        listed = sum(1 for s in heads if s.anchor in anchors)
        notes.append(f"H{level} {count_of(listed, len(heads))}")
        if share(listed, len(heads)) >= FOLLOW:
            levels.append(level)
        elif listed:
            break
    if not levels or levels != list(range(levels[0], levels[0] + len(levels))):
        return [Choice(key, None, f"table of contents lists {', '.join(notes)}: completeness not "
                                  "checked")]
    return [Choice(key, levels, f"table of contents lists {', '.join(notes)}")]
