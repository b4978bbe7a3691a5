"""GitHub's heading anchors (github-slugger): lower-case, punctuation dropped, spaces to ``-``.

GitHub slugs the heading's *rendered* text: images and emoji vanish (leaving their spaces,
hence ``features-`` for ``Features 🚀``), links keep their text, HTML entities are decoded,
emphasis markers go but an underscore inside a word stays.
"""

from __future__ import annotations

import html
import re
import unicodedata

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_TAG = re.compile(r"<[^>]+>")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")
_EM_UNDER = re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])")
_STRIKE = re.compile(r"~~(.+?)~~")
_SHORTCODE = re.compile(r":[a-z0-9_+\-]+:")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _rendered(markdown: str) -> str:
    """The heading's text content as GitHub renders it (not stripped)."""
    codes: list[str] = []

    def keep_code(m: re.Match) -> str:
        codes.append(m.group(2).strip() if m.group(2).strip() else m.group(2))
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep_code, markdown)
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


def heading_text(markdown: str) -> str:
    """The text GitHub renders for a heading's inline Markdown."""
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
