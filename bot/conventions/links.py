"""Link forms: versioned or unversioned arXiv links."""

from __future__ import annotations

from .. import ids
from . import Choice
from ._facts import FOLLOW, MIN_SAMPLES, Facts, count_of, share

ORDER = 60


def infer(facts: Facts) -> list[Choice]:
    arxiv = [link for link in facts.doc.links if ids.arxiv_id(link.url)]
    if len(arxiv) < MIN_SAMPLES:
        return []
    versioned = sum(1 for link in arxiv
                    if ids.arxiv_id(link.url, keep_version=True) != ids.arxiv_id(link.url))
    key = ("rules", "link-format", "arxiv_versions")
    if share(versioned, len(arxiv)) <= 1 - FOLLOW:
        return [Choice(key, False, f"versioned arXiv links (v2): {count_of(versioned, len(arxiv))}: "
                                   "the list links the latest version")]
    return [Choice(key, True, f"versioned arXiv links (v2): {count_of(versioned, len(arxiv))}: allowed")]
