"""GitHub's heading anchors (github-slugger): lower-case, punctuation dropped, spaces to ``-``.

GitHub slugs the heading's *rendered* text: images and emoji vanish (leaving their spaces,
hence ``features-`` for ``Features 🚀``), links keep their text, HTML entities are decoded,
emphasis markers go but an underscore inside a word stays.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from .inline import code_span_mask

# Every pattern stops at the next opener of its own kind: a heading of many unclosed openers
# (``![``, ``<``, ``**``) costs one pass, not one pass per opener.
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)|!\[([^\[\]]*)\]\[[^\[\]]*\]")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)|\[([^\[\]]*)\]\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
_TAG = re.compile(r"<[^<>]+>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")
_EM_STAR = re.compile(r"\*(?=\S)([^*]+?)(?<=\S)\*")
_EM_UNDER = re.compile(r"(?<![\w])_(?=\S)((?:(?!_(?!\w)).)+?)(?<=\S)_(?![\w])")
_STRIKE = re.compile(r"~~((?:(?!~~).)+?)~~")
_SHORTCODE = re.compile(r":[a-z0-9_+\-]+:")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


_ATX_OPEN = re.compile(r"(#{1,6})(?![^ \t])")
# block quote and list markers before a heading, possessive: a whitespace run is never split
_CONTAINERS = re.compile(r"(?:[ \t]*+(?:>|[-*+]|\d++[.)])[ \t]*+)*+")


def atx_heading(line: str, *, in_containers: bool = False) -> tuple[int, str] | None:
    """Level and title of an ATX heading line (``## Title ##``), or None.

    ``in_containers`` also finds one behind block quote and list markers (``> - ## Title``,
    spaces allowed around each marker); otherwise up to three spaces of indentation. The closing ``#`` run (after a space)
    and the spaces around the title are dropped. No regular expression covers the title: the
    lazy ``(.*?)(?:[ \t]+#+)?[ \t]*$`` retried the closing pattern at every character, which
    is quadratic in a long run of spaces.
    """
    if in_containers:
        pos = _CONTAINERS.match(line).end()
    else:
        pos = len(line) - len(line.lstrip(" "))
        if pos > 3:
            return None
    m = _ATX_OPEN.match(line, pos)
    if m is None:
        return None
    rest = line[m.end():]
    body = rest.strip(" \t")
    head = body.rstrip("#")
    if head != body and head[-1:] in (" ", "\t"):
        body = head  # a closing sequence: a title, a space, then a run of '#'
    title = body.strip(" \t")
    if in_containers and not title:
        title = rest.strip(" \t")  # the title may itself be a run of '#'
        if not title and len(rest) < 2:
            return None  # a space after the opening run, then at least one character
    return len(m.group(1)), title


def _rendered(markdown: str) -> str:
    """The heading's text content as GitHub renders it (not stripped)."""
    codes: list[str] = []
    pieces: list[str] = []
    pos = 0
    for start, end in code_span_mask(markdown):
        run = start
        while markdown[run] == "`":
            run += 1
        run -= start
        inner = markdown[start + run:end - run]
        if not inner:
            continue
        codes.append(inner.strip() if inner.strip() else inner)
        pieces += [markdown[pos:start], f"\x00{len(codes) - 1}\x00"]
        pos = end
    text = "".join(pieces) + markdown[pos:] if codes else markdown
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _SHORTCODE.sub("", text)
    for pattern in (_STRONG, _STRIKE):
        text = pattern.sub(lambda m: m.group(m.lastindex), text)
    text = _EM_STAR.sub(r"\1", text)
    text = _EM_UNDER.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    text = html.unescape(text)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], text)


@lru_cache(maxsize=4096)
def heading_text(markdown: str) -> str:
    """The text GitHub renders for a heading's inline Markdown (cached: rules ask again for the
    same few hundred section titles once per entry)."""
    return _rendered(markdown).strip()


def _keep(ch: str) -> bool:
    if ch in " -_":
        return True
    category = unicodedata.category(ch)
    return category[0] in "LNM"


def slugify(heading: str) -> str:
    """The anchor for one heading, before de-duplication."""
    text = _rendered(heading.strip()).lower()
    return "".join(ch for ch in text if _keep(ch)).replace(" ", "-")


class Slugger:
    """Assigns anchors in document order, adding ``-1``, ``-2`` for repeats like GitHub."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def slug(self, heading: str) -> str:
        base = slugify(heading)
        slug = base
        while slug in self.seen:
            self.seen[base] += 1
            slug = f"{base}-{self.seen[base]}"
        self.seen[slug] = 0
        return slug
