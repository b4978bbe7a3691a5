"""Read a list item as a paper entry: its style, venue label, paper link, identifiers, title,
code link and badges.

The entry style (``bot/styles``) decides what the title, the venue and the primary paper link
are; everything that does not depend on the style (badges, the code link, identifiers of the
paper links) is read here.
"""

from __future__ import annotations

import re

from . import ids
from .model import Badge, Entry, Link
from .styles import reader_for
from .styles._common import date_in_markdown, link_role, paper_links, text_role

# a Chinese or Japanese character written against a link: the link is a word of a sentence
# ("比如[PACT](url)", "[PACT](url)学习了...") that cites the paper, not an entry that lists it
_IN_SENTENCE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_GITHUB_REPO_TEXT = re.compile(r"^[\w.\-]+/[\w.\-]+$")


def interpret_entry(entry: Entry) -> None:
    """Fill the paper fields of ``entry`` from its raw text and links."""
    images: list[Link] = []
    plain: list[Link] = []
    for link in entry.links:
        if link.kind == "image":
            images.append(link)
        elif link.kind != "definition":
            plain.append(link)

    # badges: images, with the link that wraps them (``[![alt](image)](link)``)
    wrappers: list[Link] = []
    badges = []
    for image in images:
        wrapper = next((lk for lk in plain if lk.kind in ("inline", "reference")
                        and lk.construct_start < image.construct_start
                        and image.construct_end <= lk.construct_end), None)
        outer = wrapper or image
        if wrapper is not None:
            wrappers.append(wrapper)
        badges.append(Badge(alt=image.text, image_url=image.url,
                            link_url=wrapper.url if wrapper else None, line=image.line,
                            start=outer.construct_start, end=outer.construct_end))
    if badges:
        entry.badges = tuple(badges)

    style = reader_for(entry)
    entry.style = style.ID
    style.read(entry)
    primary = entry.paper_link
    if primary is not None and wrappers and any(primary is w for w in wrappers):
        primary = entry.paper_link = None
    if primary is not None and entry.style in ("title-first", "link-title") \
            and primary.construct_start >= entry.start:
        source = entry.source
        around = source[max(entry.start, primary.construct_start - 1):primary.construct_start] \
            + source[primary.construct_end:primary.construct_end + 1]
        if _IN_SENTENCE.search(around):
            entry.note = True

    # code link: text says code/github, or the first GitHub repository link that is neither
    # the venue nor the title link
    for link in plain:
        if link is entry.venue_link or link is primary or (
                wrappers and any(link is w for w in wrappers)):
            continue
        if text_role(link.text) == "code" or (
            ids.github_repo(link.url) and link.kind in ("inline", "reference", "bare", "autolink")
            and not ids.names_paper(link.url) and link_role(link) != "other"
        ):
            entry.code_link = link
            break
    if entry.code_link is None and primary is not None and ids.github_repo(primary.url) \
            and entry.style != "link-title":
        entry.code_link = primary  # a paper entry whose only link is its repository
    if entry.code_link is None and wrappers:
        # a stars badge that links to its repository serves as the code link
        entry.code_link = next((w for w in wrappers if ids.github_repo(w.url)), None)
    code = entry.code_link
    if code is not None:
        entry.code_url = code.url
        entry.code_repo = ids.github_repo(code.url)

    # the paper links and their identifiers (a link in a description is no identity)
    found = paper_links(entry, primary, others=entry.style not in ("link-title", "table-row"),
                        candidates=plain)
    if code is not None:
        found = [lk for lk in found if lk is not code or lk is primary]
    if entry.paper_links:  # a style's own paper links, after the ones found here
        found += [lk for lk in entry.paper_links if lk not in found]
    entry.paper_links = found
    if primary is not None:
        entry.paper_url = primary.url
    entry.date = date_in_markdown(entry.raw)
    for link in entry.paper_links:
        entry.arxiv_id = entry.arxiv_id or ids.arxiv_id(link.url)
        entry.doi = entry.doi or ids.doi(link.url)
        entry.openreview_id = entry.openreview_id or ids.openreview_id(link.url)
