"""A row of a Markdown table: ``| [Title](url) | 15 Sep 2023 | ICLR'2024 | [code](repo) |``.

The title is the first cell's link text (or the first cell with words); the paper link is the
link in the title cell; a cell that is a short label gives the venue.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .. import ids
from ..model import Entry
from ._common import (
    LINK_DEST,
    LINK_TEXT,
    clean,
    first_paper_link,
    looks_like_label,
    plain_candidates,
    strip_links,
    year_in,
)
from ._format import DATE_TEXT, Conventions, NewPaper, code_link, date_text, restyle_stars

ID = "table-row"
PRIORITY = 1
MULTILINE = False
EXAMPLE = "| [{title}]({url}) | {venue} |"

_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_LABEL_LINK = re.compile(rf"\[\[{LINK_TEXT}\]\]\({LINK_DEST}\)")  # [[code]](url): no title
_IMAGE = re.compile(rf"\[?!\[{LINK_TEXT}\]\({LINK_DEST}\)(?:\]\({LINK_DEST}\))?")


def claims(entry: Entry) -> bool:
    return entry.kind == "row"


def cells(raw: str) -> list[tuple[int, str]]:
    """(offset in raw, text) of each cell."""
    out = []
    pos = 0
    text = raw
    inner_start = 1 if text.lstrip().startswith("|") else 0
    if inner_start:
        pos = text.index("|") + 1
    for m in _CELL_SPLIT.finditer(text, pos):
        out.append((pos, text[pos:m.start()]))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, text[pos:]))
    return out


def _titled(link) -> bool:
    """A link whose text is a title: not an image, not a ``[[label]](url)`` however long."""
    text = link.text.strip()
    return not text.startswith(("!", "[")) and len(clean(text)) >= 12


def read(entry: Entry) -> None:
    base = entry.start
    links = plain_candidates(entry)
    row = cells(entry.raw)
    title_cell = None
    linked = [(offset, text) for offset, text in row
              if any(base + offset <= lk.start < base + offset + len(text)
                     and _titled(lk) for lk in links)]
    if linked:
        title_cell = linked[0]  # the title is a link: ``[Title](paper)``
    else:
        worded = [(len(clean(strip_links(_LABEL_LINK.sub("", _IMAGE.sub("", text))))), i) for i, (_, text) in enumerate(row)]
        length, index = max(worded, default=(0, -1))
        if length >= 12:
            title_cell = row[index]
    if title_cell is not None:
        offset, text = title_cell
        inside = [lk for lk in links if base + offset <= lk.start < base + offset + len(text)
                  and not lk.text.startswith("!")]
        named = [lk for lk in inside if _titled(lk)]
        if named:  # the title is a link: ``[Title](paper)``, maybe beside badges
            entry.title = clean(named[0].text)
            entry.paper_link = named[0]
        else:
            entry.title = clean(strip_links(_LABEL_LINK.sub("", _IMAGE.sub("", text))))
            entry.paper_link = first_paper_link(entry, inside) or (inside[0] if inside else None)
    if entry.paper_link is None:
        entry.paper_link = first_paper_link(entry, links)
    for offset, text in row:
        value = text.strip()
        if title_cell is not None and offset == title_cell[0]:
            continue
        if value and "](" not in value and looks_like_label(value):
            entry.venue = value
            entry.venue_span = (base + offset + text.index(value),
                                base + offset + text.index(value) + len(value))
            entry.venue_is_tag = False
            break
    entry.year = year_in(" ".join(strip_links(t) for _, t in row))


_COLUMNS = (
    ("title", re.compile(r"title|paper|name|work|method|model", re.I)),
    ("venue", re.compile(r"venue|conf|publi|journal|where|pub", re.I)),
    ("date", re.compile(r"date|year|time|when|month", re.I)),
    ("code", re.compile(r"code|github|repo|implement|source", re.I)),
)


URL = "\x00url\x00"  # where a form's link target goes


def _kind(entry: Entry, offset: int, text: str) -> tuple[str, str]:
    """What a cell of a row holds (title-link, paper, title, code, venue, date or "") and the
    cell as written (the form a new row's cell copies; `URL` for the paper's or the code's
    link target, and a code cell's repository as `owner/name`)."""
    start, end = entry.start + offset, entry.start + offset + len(text)
    value = text.strip()

    def inside(link) -> bool:
        return link is not None and start <= link.start < end

    def with_url(link) -> str:
        if link.kind != "inline" or not link.construct_start <= link.start <= link.end <= link.construct_end:
            return ""
        return entry.source[link.construct_start:link.start] + URL + entry.source[link.end:link.construct_end]

    if inside(entry.paper_link):
        if entry.title and clean(entry.paper_link.text) == entry.title:
            return "title-link", value
        return "paper", with_url(entry.paper_link)
    code = entry.code_link
    if inside(code) and code.kind == "inline" and entry.code_repo and \
            re.fullmatch(rf"https?://(?:www\.)?github\.com/{re.escape(entry.code_repo)}/?", code.url, re.I):
        # the code link and the stars badges of its repository, as the cell writes them
        repo = entry.code_repo.lower()
        parts = [code] + [lk for lk in entry.links if inside(lk) and lk.kind == "image"
                          and repo in lk.url.lower() and not code.construct_start <= lk.start < code.end]
        first = min(lk.construct_start for lk in parts)
        last = max(lk.construct_end for lk in parts)
        if first >= start and last <= end:
            return "code", entry.source[first:code.start] + URL + entry.source[code.end:last]
    if entry.title and len(entry.title) >= 12 and entry.title in clean(strip_links(text)):
        return "title", value
    if entry.venue_span is not None and start <= entry.venue_span[0] < end:
        return "venue", value
    if DATE_TEXT.fullmatch(value):
        return "date", value
    return "", value


def _padding_shown(date: str) -> bool:
    """Whether a date shows how the list writes days below 10 (``01 Mar 2024``, ``1 Mar``)."""
    return bool(re.match(r"(?:0?[1-9]) ", date))


def _columns(conv: Conventions) -> list[tuple[str, str, str]]:
    """Each column's kind, by what the section's rows hold there (the most rows; the header
    when they leave the column empty), a cell of that kind as the newest such row writes it, and the
    code repository of that row."""
    width = len(conv.columns)
    seen: list[Counter] = [Counter() for _ in range(width)]
    forms: list[dict[str, tuple[str, str]]] = [{} for _ in range(width)]
    written = [False] * width  # a column the rows write something in
    for row in conv.samples:
        found = cells(row.raw)
        if len(found) != width:
            continue
        for i, (offset, text) in enumerate(found):
            kind, form = _kind(row, offset, text)
            if form.strip(" -"):
                written[i] = True
            if kind:
                seen[i][kind] += 1
                if not (kind == "date" and _padding_shown(forms[i].get(kind, ("", ""))[0])
                        and not _padding_shown(form)):
                    forms[i][kind] = (form, row.code_repo or "")
    out = []
    for i, header in enumerate(conv.columns):
        kind = seen[i].most_common(1)[0][0] if seen[i] else "" if written[i] else \
            next((k for k, pattern in _COLUMNS if pattern.search(header)), "")
        out.append((kind, *forms[i].get(kind, ("", ""))))
    if not any(kind in ("title-link", "paper") for kind, _, _ in out):
        out = [("title-link", "", "") if kind == "title" else (kind, form, repo)
               for kind, form, repo in out]
    return out


def _code_cell(form: str, old: str, paper: NewPaper, conv: Conventions, texts: Counter) -> str:
    """The code cell as the list writes it (``[[DeepSpeed]](repo) ![](stars badge)``) for the
    new repository: a link named after its repository, or by a name no other row's has, gets
    the new one's name; a badge of the old repository shows the new one, as the list writes
    badges."""
    if not paper.code_url:
        return ""
    repo = ids.github_repo(paper.code_url)
    if not form or not old or not repo:
        return code_link(paper, conv)
    before, _, after = form.partition(URL)
    name, new_name = old.split("/")[-1], repo.split("/")[-1]
    before = re.sub(rf"(?<![\w.-]){re.escape(old)}(?![\w-])", lambda _: repo, before, flags=re.I)
    before = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", lambda _: new_name, before, flags=re.I)
    if "![" not in before and "[" in before and before.endswith("]("):
        head = before[:before.index("[") + 1]
        inner = before[len(head):-2]
        core = inner.strip("[] ")
        if core and texts[core.lower()] < 2 and core.lower() != new_name.lower():
            before = head + inner.replace(core, new_name) + "]("  # a name of its own: the new one's
    after = re.sub(rf"(?<![\w.-]){re.escape(old)}(?![\w-])", lambda _: repo, after, flags=re.I)
    return restyle_stars(before + paper.code_url + after, paper, conv)


def format(paper: NewPaper, conv: Conventions) -> str:
    """A row with a cell for each column of the table, each written as the section's rows
    write that column (title link, paper link, title, code link and badge, venue, date; other
    columns stay empty), or ``| [Title](url) | Venue |`` without a header."""
    if not conv.columns:
        return f"| [{paper.title}]({paper.url}) | {paper.label} |"
    out = []
    texts = Counter(clean(r.code_link.text).strip("[] ").lower() for r in conv.samples
                    if r.code_link is not None)  # code link names the rows share
    for (kind, form, old), header in zip(_columns(conv), conv.columns, strict=True):
        if kind == "title-link":
            out.append(f"[{paper.title}]({paper.url})")
        elif kind == "paper":
            out.append(form.replace(URL, paper.url) if URL in form else f"[paper]({paper.url})")
        elif kind == "title":
            out.append(paper.title)
        elif kind == "venue":
            out.append(paper.label)
        elif kind == "date":
            year_only = re.fullmatch(r"\d{4}", form) or not form and "year" in header.lower()
            out.append(str(paper.year or "") if year_only else
                       date_text(paper, replace(conv, date_sample=form or conv.date_sample)))
        elif kind == "code":
            out.append(_code_cell(form, old, paper, conv, texts))
        else:
            out.append("")
    return "| " + " | ".join(out) + " |"
