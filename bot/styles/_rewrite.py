"""A new entry written like one of its section's own: the sample entry's text with its title,
paper link, venue label, dates and code link (with the stars badges of its repository) made the
new paper's, and what belongs to the sample alone (authors, its other links and images) left
out. ``listkeeper add`` uses it for item styles whose layouts vary from list to list (where the
bold title's authors, venue and links go) and checks what it wrote; a sample it cannot take
apart gives None, and the style's own ``format`` writes the entry.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Entry, Link
from ._common import looks_like_label
from ._format import DATE_TEXT, MONTH, Conventions, NewPaper, date_text, restyle_stars

# ``*A. Author, B. Author*`` or ``_A. Author._``: one line of emphasis that is not the title
_YEAR = re.compile(r"(?<![\w'’])(?:19|20)\d{2}(?!\w)|[’'`]\d{2}\b")
_EMPHASIS = re.compile(r"(?<![*_\w\\])([*_])(?![*_\s])([^*_\n]{2,}?)(?<![\s*_])\1(?![*_\w])")


def _in_link(entry: Entry, offset: int) -> bool:
    return any(lk.construct_start <= offset < lk.construct_end for lk in entry.links)


def _construct(src: str, link: Link) -> tuple[int, int]:
    """The span of a link's markup, with the brackets of a ``[[text](url)]`` wrap."""
    first, last = link.construct_start, link.construct_end
    if first > 0 and src[first - 1] == "[" and src[last:last + 1] == "]":
        first, last = first - 1, last + 1
    return first, last


def like(sample: Entry, paper: NewPaper, conv: Conventions) -> str | None:
    """The new paper's entry written as `sample` is (its text without the list marker), or
    None when the sample's title, paper link or code link cannot be told apart."""
    src, start, end = sample.source, sample.start, sample.end
    raw = src[start:end]
    link = sample.paper_link
    at = raw.find(sample.title) if sample.title and len(sample.title) >= 8 else -1
    if at < 0 or link is None or link.kind != "inline" or not start <= link.start < end \
            or raw.find(sample.title, at + 1) >= 0:
        return None
    edits: list[tuple[int, int, str]] = [(start + at, start + at + len(sample.title), paper.title),
                                         (link.start, link.end, paper.url)]
    if sample.venue_span is not None and start <= sample.venue_span[0] < end:
        edits.append((*sample.venue_span, paper.label))
    elif sample.venue or paper.label:  # a venue in the text ("_Authors._ NeurIPS 2024."): its year is a date
        named = re.escape(sample.venue) if sample.venue else \
            rf"(?!{MONTH}\b)[A-Za-z][A-Za-z\-&]{{1,14}}(?=[ ']?(?:19|20)\d{{2}}\b)"
        found = [m for m in re.finditer(rf"(?<![\w-]){named}(?![\w-])", raw)
                 if m.start() >= at + len(sample.title) and not _in_link(sample, start + m.start())
                 and looks_like_label(m.group(0))]
        if found:  # else the list shows no venue here (the caller judges whether that will do)
            label = " ".join(_YEAR.sub(" ", paper.label).split())
            if label.lower() == found[-1].group(0).lower():
                label = found[-1].group(0)  # the list's spelling of it (arXiv)
            edits.append((start + found[-1].start(), start + found[-1].end(), label))
    kept = {id(link)}
    code = sample.code_link
    if code is not None and code is not link and start <= code.construct_start < end:
        repo = (sample.code_repo or "").lower()
        if code.kind != "inline" or not repo:
            return None
        badges = [lk for lk in sample.links if lk.kind == "image" and repo in lk.url.lower()
                  and start <= lk.start < end and not code.construct_start <= lk.start < code.construct_end]
        if paper.code_url:
            from .. import ids

            new_repo = ids.github_repo(paper.code_url) or ""
            if not new_repo:
                return None
            edits.append((code.start, code.end, paper.code_url))
            text_at = code.construct_start
            text = src[text_at:code.start]  # "[![stars](.../old/repo)](" or "[code]("
            text_new = re.sub(re.escape(repo), new_repo, text, flags=re.I)
            name = repo.split("/")[-1]
            text_new = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", new_repo.split("/")[-1],
                              text_new, flags=re.I)
            edits.append((text_at, code.start, text_new))
            for badge in badges:
                edits.append((badge.start, badge.end, re.sub(re.escape(repo), new_repo, badge.url, flags=re.I)))
            kept.update(id(lk) for lk in sample.links if code.construct_start <= lk.start < code.construct_end)
            kept.update(id(b) for b in badges)
            kept.add(id(code))
    for other in sample.links:  # the sample's other links and images are its own
        if id(other) in kept or not start <= other.start < end or other.construct_start < start:
            continue
        if link.construct_start <= other.construct_start < link.construct_end:
            continue  # inside the paper link (a badge that is the title's link)
        if other.construct_start <= link.start < other.construct_end:
            continue
        edits.append((*_construct(src, other), ""))
    taken = sorted(edits)
    for m in _EMPHASIS.finditer(raw):  # authors
        first, last = start + m.start(), start + m.end()
        if not any(a < last and first < b for a, b, _ in taken):
            edits.append((first, last, ""))
    taken = sorted(edits)
    for m in DATE_TEXT.finditer(raw):
        first, last = start + m.start(), start + m.end()
        if any(a < last and first < b for a, b, _ in taken) or \
                re.match(r"[\w.]", src[last:last + 1]) and not src[last:last + 1] == "." or \
                first > 0 and re.match(r"[\w/.-]", src[first - 1]):
            continue
        shown = m.group(0)
        if re.fullmatch(r"\d{4}", shown):
            new = str(paper.year or shown)
        else:
            new = date_text(paper, replace(conv, date_sample=shown))
        edits.append((first, last, new))
    edits.sort()
    for (_, b1, _), (a2, _, _) in zip(edits, edits[1:], strict=False):
        if a2 < b1:
            return None  # two parts overlap: the sample is not understood
    out, pos = [], start
    for a, b, text in edits:
        out.append(src[pos:a])
        out.append(text)
        pos = b
    out.append(src[pos:end])
    indent = start - (src.rfind("\n", 0, start) + 1)  # the sample's marker: the caller adds one
    text = _tidy(restyle_stars(re.sub(rf"\n[ \t]{{0,{indent}}}", "\n", "".join(out)), paper, conv))
    rest = text.replace(paper.title, " ")
    for part in (paper.label, *DATE_TEXT.findall(rest)):
        rest = rest.replace(part, " ") if part else rest
    rest = re.sub(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^()\s]*\)", " ", rest)
    if len(re.findall(r"[^\W\d_]{2,}", rest)) > 3:
        return None  # words of the sample's own (a summary, a category): not the new paper's
    return text


def _tidy(text: str) -> str:
    """Spaces and separators left over where parts were taken out; lines left empty go."""
    lines = []
    for line in text.split("\n"):
        tail = re.search(r"(\s*\\|  )$", line)  # a hard break stays
        body = line[:tail.start()] if tail else line
        lead = re.match(r"^\s*", body).group(0)
        inner = body[len(lead):]
        inner = re.sub(r"[ \t]{2,}", " ", inner)
        inner = re.sub(r"\s+([,.;])", r"\1", inner)
        inner = re.sub(r"([,;])(?:\s*[,;])+", r"\1", inner)
        inner = re.sub(r"^[,;.]\s*", "", inner).rstrip()
        inner = re.sub(r"[,;]$", "", inner)
        if not inner.strip(" .,;"):
            continue
        lines.append(lead + inner + (tail.group(0) if tail else ""))
    if lines:
        lines[-1] = re.sub(r"\s*\\?$", "", lines[-1]) if lines[-1].rstrip().endswith("\\") and \
            not lines[-1].rstrip().endswith("\\\\") else lines[-1].rstrip()  # no break at the end
    return "\n".join(lines)
