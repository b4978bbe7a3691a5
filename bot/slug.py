"""GitHub's heading anchors (github-slugger): lower-case, punctuation dropped, spaces to ``-``."""

from __future__ import annotations

import re
import unicodedata

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)")


def heading_text(markdown: str) -> str:
    """The text GitHub renders for a heading's inline Markdown."""
    text = _IMAGE.sub("", markdown)
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return text.strip()


def _keep(ch: str) -> bool:
    if ch in " -_":
        return True
    category = unicodedata.category(ch)
    return category[0] in "LNM"


def slugify(heading: str) -> str:
    """The anchor for one heading, before de-duplication."""
    text = heading_text(heading).lower()
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
