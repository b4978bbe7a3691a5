"""Read a list item as a paper entry: venue label, paper link, identifiers, title, code, badges."""

from __future__ import annotations

import re

from . import ids
from .model import Badge, Entry, Link

# ``[[Venue](url)]`` (the seed's style), or a plain ``[Venue]`` / ``**[Venue]**`` tag.
_VENUE_LINKED = re.compile(r"^\s*(?:\*\*)?\[\[([^\]\[]+)\]\(")
_VENUE_PLAIN = re.compile(r"^\s*(?:\*\*)?\[([^\]\[]{2,60})\](?:\*\*)?(?=\s|$)(?!\()")
_CODE_TEXT = re.compile(r"^\W*(code|github|project|repo|official|pytorch|implementation)\W*$", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_GENERIC_TEXT = re.compile(r"^\W*(paper|pdf|arxiv|link|abs|openreview|html|doi|code|project|"
                           r"github|page|website|slides|video|blog|demo)\W*$", re.I)


def interpret_entry(entry: Entry) -> None:
    """Fill the paper fields of ``entry`` from its raw text and links."""
    raw = entry.raw
    links = [link for link in entry.links if link.kind != "definition"]
    images = [link for link in links if link.kind == "image"]
    plain = [link for link in links if link.kind != "image"]
    base = entry.start

    m = _VENUE_LINKED.match(raw)
    title_from = 0
    if m:
        entry.venue = m.group(1).strip()
        entry.venue_span = (base + m.start(1), base + m.end(1))
        entry.venue_link = next((lk for lk in plain if lk.start > base + m.end(1)), None)
        if entry.venue_link is not None:
            close = raw.find("]", entry.venue_link.end - base)
            title_from = close + 1 if close != -1 else entry.venue_link.end - base
    else:
        m = _VENUE_PLAIN.match(raw)
        if m and not any(lk.start - base <= m.end() for lk in plain):
            entry.venue = m.group(1).strip()
            entry.venue_span = (base + m.start(1), base + m.end(1))
            title_from = m.end()

    # badges: images, with the link that wraps them (``[![alt](image)](link)``)
    wrappers: list[Link] = []
    for image in images:
        wrapper = next((lk for lk in plain if lk.kind in ("inline", "reference")
                        and lk.construct_start < image.construct_start
                        and image.construct_end <= lk.construct_end), None)
        outer = wrapper or image
        if wrapper is not None:
            wrappers.append(wrapper)
        entry.badges.append(Badge(alt=image.text, image_url=image.url,
                                  link_url=wrapper.url if wrapper else None, line=image.line,
                                  start=outer.construct_start, end=outer.construct_end))

    # code link: text says code/github, or the first GitHub repo link that is not the venue
    for link in plain:
        if link is entry.venue_link or any(link is w for w in wrappers):
            continue
        if _CODE_TEXT.match(link.text) or (
            ids.github_repo(link.url) and link.kind in ("inline", "reference", "bare", "autolink")
            and not ids.paper_key(link.url)
        ):
            entry.code_link = link
            break
    if entry.code_link is None:
        # a stars badge that links to its repository serves as the code link
        entry.code_link = next((w for w in wrappers if ids.github_repo(w.url)), None)
    if entry.code_link is not None:
        entry.code_url = entry.code_link.url
        entry.code_repo = ids.github_repo(entry.code_link.url)

    # paper link and identifiers
    candidates = [lk for lk in plain
                  if lk is not entry.code_link and not any(lk is w for w in wrappers)]
    if entry.venue_link is not None:
        entry.paper_url = entry.venue_link.url
    elif candidates:
        entry.paper_url = candidates[0].url
    for link in candidates:
        entry.arxiv_id = entry.arxiv_id or ids.arxiv_id(link.url)
        entry.doi = entry.doi or ids.doi(link.url)
        entry.openreview_id = entry.openreview_id or ids.openreview_id(link.url)

    entry.title = _title(entry, raw, title_from, candidates)


def _title(entry: Entry, raw: str, title_from: int, candidates: list[Link]) -> str:
    base = entry.start
    rest = raw[title_from:]
    # the plain text after the venue tag, up to the next link or badge
    cut = len(rest)
    for marker in (" [[", "[[", "![", " [", "(["):
        pos = rest.find(marker)
        if pos != -1:
            cut = min(cut, pos)
    text = _clean(rest[:cut])
    if len(text) >= 3:
        return text
    # otherwise the first link whose text is not generic ("paper", "code", ...)
    for link in candidates:
        if link.start - base >= title_from and link.kind in ("inline", "reference") \
                and not _GENERIC_TEXT.match(link.text) and not link.text.startswith(("!", "[")):
            return _clean(link.text)
    return _clean(re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", rest))


def _clean(text: str) -> str:
    text = _TAG.sub("", text)
    text = text.replace("**", "").replace("__", "")
    text = _SPACE.sub(" ", text)
    return text.strip(" -–—:|,.*\t")
