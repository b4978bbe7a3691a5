"""A preprint that has been published since: the sources name its venue (needs the network).

For every entry labelled with the list's preprint label (``venues: preprint``, the arXiv label
by default), the link checker asks what the sources know of the paper: arXiv's own
``journal_ref`` and ``doi`` (from the arXiv batch that checks the links), Semantic Scholar's
paper batch endpoint (500 papers a request, by arXiv id) and DBLP's publication search (by
title; its CoRR records are arXiv's own and do not count). A venue counts only when two
sources agree on it, or one of them is arXiv's ``journal_ref`` or gives a DOI of the published
version, and the title matches. The finding names the venue, the year and the sources
(``published at NeurIPS 2024: Semantic Scholar, DBLP``); its fix relabels the entry with this
list's label for the venue (its spelling from ``venues: spelling``, and a year only when the
list's labels carry one: never with the venue rule's ``allow_year: false``).

Answers are kept in the link history: a paper found published is not asked about again, one
not published yet is asked again after ``links: paper_max_age_days`` (28 by default). The rule
runs with ``listkeeper check --links``, in the weekly report (a section "Preprints now
published"; ``report --fix-pr`` applies the relabels) and in the PR review (new entries only).
``listkeeper fix`` never runs it. Set ``SEMANTIC_SCHOLAR_API_KEY`` to use an API key.

Options:

- ``proceedings_link`` (default ``false``): the fix also replaces the entry's arXiv link with
  the published version's (a DOI or the proceedings page), when a source gives one.
- ``year`` (default ``auto``): ``auto`` follows the list; ``always`` or ``never`` put a year in
  the new label or leave it out.

BAD::

    ### 2023
    - [[ArXiv](https://arxiv.org/abs/2305.14152)] Memory-Efficient Fine-Tuning of Compressed Large Language Models via sub-4-bit Integer Quantization

GOOD::

    ### 2023
    - [[NeurIPS](https://arxiv.org/abs/2305.14152)] Memory-Efficient Fine-Tuning of Compressed Large Language Models via sub-4-bit Integer Quantization
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Document, Edit, Fix, Problem
from ..vocabulary import Vocabulary

ID = "published"
LEVEL = "info"
ENABLED = True
FIXABLE = False
ONLINE = True
OPTIONS = {
    "proceedings_link": (bool, False),
    "year": (("auto", "always", "never"), "auto"),
}


def check(doc: Document, ctx) -> Iterator[Problem]:
    results = ctx.links  # looked up by the front-end (bot.links.service): the rule does no I/O
    papers = getattr(results, "papers", None) if results is not None else None
    if not papers:
        return
    from ..publication import decide, is_preprint_entry, labels_carry_year, paper_key  # online only

    vocab = Vocabulary.from_config(ctx.config)
    opts = ctx.options
    with_year = {"always": True, "never": False}.get(opts["year"])
    if with_year is None:
        with_year = labels_carry_year(doc, ctx.config, vocab)
    for entry in doc.entries:
        if not is_preprint_entry(entry, vocab):
            continue
        found = papers.get(paper_key(entry) or "")
        if found is None:
            continue
        publication = decide(entry.title, found.sightings, vocab, arxiv_id=entry.arxiv_id)
        if publication is None:
            continue
        label = publication.label(vocab, with_year)
        edits = [Edit(*entry.venue_span, label)]
        removed: tuple[str, ...] = ()
        link = entry.venue_link or entry.paper_link
        if opts["proceedings_link"] and publication.url and link is not None and entry.arxiv_id \
                and link.kind == "inline" and link.url != publication.url:
            edits.append(Edit(link.start, link.end, publication.url))
            removed = (link.url,)
        start = entry.venue_span[0]
        yield Problem(entry.line, doc.column_of(start), publication.describe(),
                      Fix(tuple(sorted(edits, key=lambda e: e.start)), f"label it {label}",
                          removes_links=removed))
