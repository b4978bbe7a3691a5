"""Link-check targets of a parsed document: every http(s) URL, its lines and its entry's title."""

from __future__ import annotations

from bot.links.results import LinkTarget
from bot.model import Document


def link_targets(doc: Document, changed: set[int] | None = None) -> list[LinkTarget]:
    """One target per distinct URL (only those on ``changed`` lines when given)."""
    titles: dict[str, str] = {}
    for entry in doc.entries:
        for link in entry.links:
            titles.setdefault(link.url, entry.title)
    merged: dict[str, LinkTarget] = {}
    for link in doc.links:
        if not link.url.lower().startswith(("http://", "https://")):
            continue
        if changed is not None and link.line not in changed:
            continue
        target = merged.get(link.url)
        if target is None:
            merged[link.url] = LinkTarget(link.url, [link.line], titles.get(link.url))
        elif link.line not in target.lines:
            target.lines.append(link.line)
    return list(merged.values())
