"""The same paper listed twice.

Two entries are the same paper when they share a normalised arXiv ID (``abs``/``pdf``/``html``,
versions and ``www.``/``browse.``/``export.`` hosts do not matter), a DOI, an OpenReview id, a
normalised paper URL (scheme, ``www.``, trailing slash and ``index.html`` do not matter; a
site's front page names no paper) or a
near-identical title (case, punctuation and spacing do not matter). Code links are not paper
identities: one toolkit repository may serve many papers.

In the same section a duplicate is an error, and an exact duplicate line is removed by the fix.
Across sections it has the level ``cross_section_level`` (papers legitimately sit in two
categories). The message names the other entry's line. In diff-aware mode the finding is put on
the entry the change touched.

Options:

- ``cross_section_level`` (default ``warning``): level for duplicates in different sections,
  or ``off``.
- ``match_titles`` (default ``true``): also match near-identical titles.
- ``min_title_length`` (default ``12``): shorter titles are too generic to compare.

BAD::

    ## 2024
    - [[ArXiv](https://arxiv.org/abs/2402.10517)] Any-Precision LLM
    - [[ArXiv](https://arxiv.org/pdf/2402.10517v2.pdf)] Any-Precision LLM

GOOD::

    ## 2024
    - [[ArXiv](https://arxiv.org/abs/2402.10517)] Any-Precision LLM
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import ids
from ..model import Document, Edit, Entry, Fix, Problem
from ._common import is_paper, removal_span

ID = "duplicate"
LEVEL = "error"
ENABLED = True
FIXABLE = True
ONLINE = False
OPTIONS = {
    "cross_section_level": (("error", "warning", "info", "off"), "warning"),
    "match_titles": (bool, True),
    "min_title_length": (int, 12),
}

_KEY_NAMES = {"arxiv": "arXiv ID", "doi": "DOI", "openreview": "OpenReview id",
              "url": "paper URL", "title": "title"}


def _keys(entry: Entry, opts: dict) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    if entry.arxiv_id:
        keys.append(("arxiv", entry.arxiv_id))
    if entry.doi:
        keys.append(("doi", entry.doi))
    if entry.openreview_id:
        keys.append(("openreview", entry.openreview_id))
    url = entry.paper_url
    if url and "://" in url and not ids.paper_key(url) and not ids.github_repo(url):
        key = ids.normalize_url(url)
        if "/" in key or "?" in key:  # a site's front page names no paper
            keys.append(("url", key))
    if opts["match_titles"]:
        title = ids.normalize_title(entry.title)
        if len(title) >= opts["min_title_length"]:
            keys.append(("title", title.replace(" ", "")))
    return keys


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    first_seen: dict[tuple[str, str], Entry] = {}
    for entry in doc.entries:
        if not is_paper(entry):
            continue
        keys = _keys(entry, opts)
        match = None
        for key in keys:
            other = first_seen.get(key)
            if other is not None and other is not entry:
                match = (other, key)
                break
        for key in keys:
            first_seen.setdefault(key, entry)
        if match is None:
            continue
        other, key = match
        same_section = entry.section is other.section
        level = None if same_section else opts["cross_section_level"]
        if level == "off":
            continue
        # report on the entry the change touched (the later one when both or neither)
        here, there = entry, other
        if ctx.changed is not None and not ctx.touched(entry.line, entry.end_line) \
                and ctx.touched(other.line, other.end_line):
            here, there = other, entry
        where = "in the same section" if same_section else f"in {there.section.path_str or 'the list'}"
        message = (f"duplicate of line {there.line} {where} "
                   f"(same {_KEY_NAMES[key[0]]}: {key[1] if key[0] != 'title' else there.title})")
        fix = None
        if same_section and here.raw.strip() == there.raw.strip():
            start, end = removal_span(doc, here)
            fix = Fix((Edit(start, end, ""),), "remove the exact duplicate line",
                      removes_links=tuple(link.url for link in here.links), removes_entries=1)
        yield Problem(here.line, 1, message, fix, end_line=here.end_line,
                      related=(there.line,), level=level)
