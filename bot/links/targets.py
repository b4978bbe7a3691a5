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


def paper_targets(doc: Document, vocab, changed: set[int] | None = None) -> list:
    """One paper target per preprint entry of the list (the list's preprint label), on
    ``changed`` lines only when given: what the published rule looks up."""
    from bot.links.results import PaperTarget
    from bot.publication import is_preprint_entry, paper_key

    out: dict[str, PaperTarget] = {}
    for entry in doc.entries:
        if changed is not None and not any(line in changed for line in entry.lines):
            continue
        if not is_preprint_entry(entry, vocab):
            continue
        key = paper_key(entry)
        if key is None:
            continue
        target = out.get(key)
        if target is None:
            out[key] = PaperTarget(key, entry.title, [entry.line], entry.arxiv_id, entry.doi,
                                   entry.openreview_id, [lk.url for lk in entry.paper_links])
        else:
            target.lines.append(entry.line)
    return list(out.values())
