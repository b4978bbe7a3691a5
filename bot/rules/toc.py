"""A table-of-contents or in-document link to an anchor no heading has, or a stale table of contents.

Anchors follow GitHub's algorithm (``bot/slug.py``): lower-case, punctuation dropped, spaces
to ``-``, emoji and images dropped, ``-1``, ``-2`` for repeated headings (the second ``## 2024``
is ``#2024-1``). HTML anchors (``<a name="x">``, ``id="x"``), HTML headings (``<h2>``) and
GitHub's own anchors (``#readme``, ``#top``) are targets too. Every ``#`` link in the file is
checked (``check_all_links``), not only the table of contents.

With ``levels`` set, the table of contents (the list under a heading matching ``heading``) must
list the headings of those levels that follow it, in document order. The fix regenerates the
list from the headings, keeping its bullet and indentation; a table whose items carry more
than a link is not rewritten.

Options:

- ``heading`` (default ``(?i)^(table of contents|contents|toc)$``).
- ``levels`` (default ``[]``: no completeness check; the seed's ``rules.yaml`` sets ``[2, 3]``).
- ``check_all_links`` (default ``true``).

BAD::

    ## Table of Contents
    - [Language](#language)
      - [2024](#2024)
    - [Vision](#vison)

GOOD::

    ## Table of Contents
    - [Language](#language)
      - [2024](#2024)
    - [Vision](#vision)
      - [2024](#2024-1)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote

from ..config import Regex
from ..model import Document, Edit, Entry, Fix, Link, Problem, Section
from ..slug import Slugger, atx_heading, heading_text

ID = "toc"
LEVEL = "error"
ENABLED = True
FIXABLE = True
ONLINE = False
OPTIONS = {
    "heading": (Regex, r"(?i)^(table of contents|contents|toc)$"),
    "levels": (list, []),
    "check_all_links": (bool, True),
}

GITHUB_ANCHORS = {"", "readme", "top", "start-of-content"}
# an attribute never spans another '<': each tag is scanned once, however many are unclosed
_HTML_OPEN = re.compile(r"<h([1-6])\b[^<>]*>", re.I)
_HTML_ID = re.compile(r"<[a-z][^<>]*?\b(?:id|name)\s*=\s*[\"']?([^\"'\s<>]+)", re.I)
_ITEM = re.compile(r"^(\s*)([-*+])\s+")
_LINK_ONLY = re.compile(r"^\[[^\]]*\]\(#[^)\s]*\)\s*$")


def targets(doc: Document) -> set[str]:
    """Every anchor a ``#`` link in the file can reach."""
    found = {s.anchor for s in doc.sections if s.anchor is not None}
    slugger = Slugger()
    for number, line in enumerate(doc.lines, 1):
        if "#" not in line or number in doc.code_lines:  # no heading without a "#"
            continue
        heading = atx_heading(line, in_containers=True)
        if heading:
            found.add(slugger.slug(heading[1]))
    text = doc.text
    html_slugger = Slugger()
    for start, inner in html_headings(text):
        if doc.line_of(start) not in doc.code_lines:
            found.add(html_slugger.slug(inner))
    for m in _HTML_ID.finditer(text):
        if doc.line_of(m.start()) not in doc.code_lines:
            found.add(m.group(1))
    found |= {f"user-content-{t}" for t in list(found)}
    return found | GITHUB_ANCHORS


def html_headings(text: str) -> Iterator[tuple[int, str]]:
    r"""(offset, inner HTML) of each ``<hN ...>...</hN>``, as ``finditer`` of
    ``<h([1-6])\b[^>]*>(.*?)</h\1\s*>`` (case-insensitive, across lines) finds them.

    That pattern searched to the end of the text for the closer of every ``<h2>`` that has
    none: quadratic. Here each level remembers the next closer found after an offset, so
    many openers share one search.
    """
    lowered = text.lower()
    closers: dict[str, tuple[int, int]] = {}  # level -> (searched from, closer start or -1)
    done = 0
    for m in _HTML_OPEN.finditer(text):
        if m.start() < done:
            continue  # inside the heading found last
        level = m.group(1)
        known = closers.get(level)
        if known is not None and known[0] <= m.end() and (known[1] == -1 or m.end() <= known[1]):
            close = known[1]
        else:
            close = _closer(text, lowered, level, m.end())
            closers[level] = (m.end(), close)
        if close == -1:
            continue
        yield m.start(), text[m.end():close]
        done = text.index(">", close) + 1


def _closer(text: str, lowered: str, level: str, pos: int) -> int:
    r"""Offset of the first ``</hN\s*>`` at or after ``pos``, or -1."""
    while True:
        close = lowered.find("</h" + level, pos)
        if close == -1:
            return -1
        tail = close + 4
        while tail < len(text) and text[tail] in " \t\r\n\f\v":
            tail += 1
        if text[tail:tail + 1] == ">":
            return close
        pos = close + 1


def _fragment(link: Link) -> str | None:
    url = link.url.strip()
    if not url.startswith("#"):
        return None
    return unquote(url[1:])


def toc_section(doc: Document, pattern: re.Pattern) -> Section | None:
    for section in doc.sections:
        if section.level <= 6 and pattern.search(heading_text(section.title)):
            return section
    return None


def toc_items(section: Section) -> list[Entry]:
    """The items of the first list under the TOC heading (nested items included)."""
    items: list[Entry] = []
    for entry in section.entries:
        if items and entry.line > items[-1].end_line + 1:
            break
        items.append(entry)
    return items


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    pattern = re.compile(opts["heading"])  # bot.config checked that it compiles
    reachable = targets(doc)
    folded = {t.lower() for t in reachable}
    if opts["check_all_links"]:
        for link in doc.links:
            if link.kind == "definition" or link.line in doc.code_lines:
                continue
            fragment = _fragment(link)
            if fragment is None or fragment in reachable or fragment.lower() in folded:
                continue
            yield Problem(link.line, link.column, f"link to '#{fragment}', which no heading or "
                                                  f"anchor in the file has")
    levels = [lv for lv in opts["levels"] if isinstance(lv, int)]
    section = toc_section(doc, pattern) if levels else None
    if section is not None:
        yield from _check_complete(doc, section, levels)


def _check_complete(doc: Document, section: Section, levels: list[int]) -> Iterator[Problem]:
    items = toc_items(section)
    if not items:
        return
    headings = [s for s in doc.sections if s.level in levels and s.line > section.line
                and s is not section and s.anchor is not None]
    listed: list[tuple[Entry, str]] = []
    for item in items:
        link = next((lk for lk in item.links if lk.url.startswith("#")), None)
        if link is not None:
            listed.append((item, unquote(link.url[1:])))
    want = [s.anchor for s in headings]
    anchors = {s.anchor for s in doc.sections if s.anchor}
    # links to other headings (the list's title, the TOC itself) are the maintainer's choice
    have = [anchor for _, anchor in listed if anchor in set(want) or anchor not in anchors]
    if want == have:
        return
    fix = _regenerate(doc, items, headings, levels)
    want_set, have_set = set(want), set(have)
    problems = 0
    for heading in headings:
        if heading.anchor not in have_set:
            problems += 1
            yield Problem(heading.line, 1, f"heading '{heading_text(heading.title)}' is missing "
                                           f"from the table of contents (line {section.line})",
                          fix, level="warning")
    for item, anchor in listed:
        if anchor not in want_set and anchor not in anchors:  # the title, itself: fine
            problems += 1
            yield Problem(item.line, 1, f"table of contents lists '#{anchor}', which is not a "
                                        f"level {'/'.join(map(str, levels))} heading after it",
                          fix, level="warning")
    if not problems:
        yield Problem(items[0].line, 1, "table of contents is not in document order", fix,
                      end_line=items[-1].end_line, level="warning")


def _regenerate(doc: Document, items: list[Entry], headings: list[Section],
                levels: list[int]) -> Fix | None:
    if not all(_LINK_ONLY.match(item.raw.strip()) for item in items):
        return None
    first_line = doc.line_text(items[0].line)
    m = _ITEM.match(first_line)
    if m is None:
        return None
    base, bullet = m.group(1), m.group(2)
    unit = 2
    for item in items:
        im = _ITEM.match(doc.line_text(item.line))
        if im and len(im.group(1)) > len(base):
            unit = len(im.group(1)) - len(base)
            break
    top = min(levels)
    lines = []
    for heading in headings:
        text = heading_text(heading.title).replace("[", r"\[").replace("]", r"\]")
        indent = base + " " * (unit * (heading.level - top))
        lines.append(f"{indent}{bullet} [{text}](#{heading.anchor})")
    start, _ = doc.line_span(items[0].line, items[0].line)
    _, end = doc.line_span(items[-1].end_line, items[-1].end_line, with_newline=False)
    kept = {f"#{h.anchor}" for h in headings}
    dropped = tuple(lk.url for item in items for lk in item.links if lk.url not in kept)
    return Fix((Edit(start, end, doc.newline.join(lines)),), "regenerate the table of contents",
               removes_links=dropped)
