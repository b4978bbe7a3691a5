"""An entry under a year heading that is not its year, or in a category its title does not fit.

A heading that matches ``year_pattern`` (default ``^\\d{4}$``) sets the year of everything
below it. An entry's year comes from, in order of trust: a year in its venue label, a year in
its venue link (``aclanthology.org/2023.…``, ``nips.cc/virtual/2023/…``,
``openaccess.thecvf.com/content/CVPR2023/…``, ``proceedings.mlr.press/v139/``, ``ijcai.org/
Proceedings/2020/``, ...), then its arXiv ID (``2402.xxxxx`` is 2024).

- A preprint (the ArXiv label) belongs in its arXiv year or up to ``tolerance`` years later
  (it may have been published since: the label would be stale, not the place); never before.
- A venue paper with a known venue year belongs in that year, or between its arXiv year and
  its venue year.
- A venue paper known only by its arXiv ID is not judged: its venue's year is unknown (a
  preprint is posted before or after the venue, and reviews take any time).

Only strong evidence (a year in the label or a proceedings link, or a preprint's arXiv ID) gets
a fix that moves the entry, and never into a section that already lists the paper or out of a
section it would leave empty.

The message names the section the entry belongs in. When that section exists (same category
under the right year) the fix moves the entry there, placed by the ordering policy or at the
end. With ``category_hints`` an entry whose title matches only another category's keywords
(``sections: categories:`` in ``rules.yaml``, e.g. ``Quantization: [quantiz]``) gets an
``info`` finding.

Options:

- ``year_pattern`` (default ``^\\d{4}$``).
- ``tolerance`` (default ``3``): years after its arXiv year a paper may sit (reviews and
  journals take time); ``listkeeper init`` tightens it where the list does.
- ``category_hints`` (default ``false``).

BAD::

    ### 2022
    - [[ACL](https://aclanthology.org/2023.acl-demo.54/)] Petals

GOOD::

    ### 2023
    - [[ACL](https://aclanthology.org/2023.acl-demo.54/)] Petals
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import ids, years
from ..config import Regex
from ..model import Document, Edit, Entry, Fix, Problem, Section
from ..vocabulary import Vocabulary, categories
from .ordering import blocks, insertion_point

ID = "section-placement"
LEVEL = "warning"
ENABLED = True
FIXABLE = True
ONLINE = False
OPTIONS = {
    "year_pattern": (Regex, r"^\d{4}$"),
    "tolerance": (int, 3),
    "category_hints": (bool, False),
}


_YEAR_DIGITS = re.compile(r"(19|20)\d{2}")


def section_year(section: Section | None, pattern: re.Pattern) -> tuple[Section, int] | None:
    """The nearest enclosing year section and its year."""
    while section is not None:
        if section.level <= 6:
            m = pattern.search(section.path[-1] if section.path else section.title)
            if m:
                digits = _YEAR_DIGITS.search(m.group(0))
                if digits:
                    return section, int(digits.group(0))
        section = section.parent
    return None


def expected_years(entry: Entry, vocab: Vocabulary, tolerance: int) -> tuple[set[int], str] | None:
    """The years an entry may sit in, and why; None when nothing tells."""
    found = judge(entry, vocab, tolerance)
    return (found[0], found[1]) if found else None


def judge(entry: Entry, vocab: Vocabulary,
          tolerance: int) -> tuple[set[int], str, bool] | None:
    """(allowed years, why, strong): strong evidence is a year in the label or a proceedings
    link, or the arXiv ID of a preprint; only strong evidence moves an entry."""
    arxiv = years.arxiv_year(entry.arxiv_id)
    label = vocab.parse(entry.venue) if entry.venue else None
    base = label.base if label else None
    if vocab.is_preprint(base):
        # a preprint cannot sit before its arXiv year; a later year may mean it was published
        # since and the label is stale, so a later year is judged as for a venue paper
        if not arxiv:
            return None
        return set(range(arxiv, arxiv + tolerance + 1)), f"arXiv {entry.arxiv_id}", False
    found = years.venue_year(entry)
    if found:
        year, source = found
        if arxiv and arxiv <= year:
            return (set(range(arxiv, year + 1)), f"{entry.venue} {year}, arXiv {entry.arxiv_id}",
                    True)
        why = (f"{entry.venue_link.url}" if source == "link" and entry.venue_link
               else f"label '{entry.venue}'")
        # a version posted to arXiv after the venue still belongs to the venue's year
        return ({year} | ({arxiv} if arxiv and arxiv == year + 1 else set()), why, True)
    if not arxiv:
        return None
    # a venue paper known only by its arXiv ID: the venue's year is unknown (posted before or
    # after the venue, published after a review of any length), so its place is not judged
    return None


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    pattern = re.compile(opts["year_pattern"])  # bot.config checked that it compiles
    vocab = Vocabulary.from_config(ctx.config)
    by_path = {s.path: s for s in doc.sections}
    placed_in: dict[int, tuple[Section, int] | None] = {}  # id(section) -> its year section
    for entry in doc.entries:
        if entry.depth:
            continue
        key = id(entry.section)
        if key in placed_in:
            placed = placed_in[key]
        else:
            placed = placed_in[key] = section_year(entry.section, pattern)
        if placed is not None:
            yield from _check_year(doc, ctx, entry, placed, vocab, by_path, pattern)
    if opts["category_hints"]:
        yield from _category_hints(doc, ctx)


def _check_year(doc: Document, ctx, entry: Entry, placed: tuple[Section, int],
                vocab: Vocabulary, by_path: dict, pattern: re.Pattern) -> Iterator[Problem]:
    year_section, year = placed
    expected = judge(entry, vocab, ctx.options["tolerance"])
    if expected is None or year in expected[0]:
        return
    allowed, why, strong = expected
    strong = strong or year < min(allowed)  # nothing is published before it is posted
    # the year the entry belongs in: the nearest allowed year that has a section, else the first
    depth = len(year_section.path) - 1
    target_paths = []
    for want in sorted(allowed, key=lambda y: (abs(y - year), y)):
        path = list(entry.section_path)
        path[depth] = re.sub(str(year), str(want), path[depth], count=1)
        target_paths.append((want, tuple(path)))
    want, target = next(((w, p) for w, p in target_paths if p in by_path), target_paths[0])
    target_section = by_path.get(target)
    name = " › ".join(target)
    fix = None
    if strong and target_section is not None and target_section is not entry.section \
            and not _holds_paper(target_section, entry) and _leaves_entries(entry):
        fix = _move_fix(doc, ctx, entry, target_section)
    exists = "" if target_section is not None else " (no such section yet)"
    yield Problem(entry.line, 1, f"entry of {_span(allowed)} ({why}) is under {year}; it "
                                 f"belongs in {name}{exists}", fix, end_line=entry.end_line,
                  moves=fix is not None)


def _span(allowed: set[int]) -> str:
    low, high = min(allowed), max(allowed)
    return str(low) if low == high else f"{low}-{high}"


def _holds_paper(section: Section, entry: Entry) -> bool:
    """The target already lists this paper: moving it there would make a duplicate."""
    mine = {k for k in (entry.arxiv_id, entry.doi, entry.openreview_id) if k}
    title = ids.normalize_title(entry.title)
    return any(mine & {e.arxiv_id, e.doi, e.openreview_id} or
               (title and ids.normalize_title(e.title) == title) for e in section.entries)


def _leaves_entries(entry: Entry) -> bool:
    """Moving the entry leaves its section with other entries (no empty heading behind)."""
    section = entry.section
    return section is not None and any(e is not entry and e.depth == 0 and e.parent is None
                                       for e in section.entries)


def _block_of(doc: Document, entry: Entry):
    for run in blocks(doc, entry.section):
        for block in run:
            if block.entry is entry:
                return block
    return None


def _move_fix(doc: Document, ctx, entry: Entry, target: Section) -> Fix | None:
    block = _block_of(doc, entry)
    after, first = insertion_point(doc, ctx, target, entry)
    if block is None or after is None and first is None:
        return None
    if after is None:
        start, _ = doc.line_span(first.first, first.first)
        text = doc.text[slice(*block.span(doc))] + doc.newline
        return Fix((_removal(doc, block), Edit(start, start, text)),
                   f"move the entry to {target.path_str}", sweeping=True)
    _, end = after.span(doc)
    text = doc.newline + doc.text[slice(*block.span(doc))]
    return Fix((_removal(doc, block), Edit(end, end, text)), f"move the entry to {target.path_str}",
               sweeping=True)


def _removal(doc: Document, block) -> Edit:
    start, end = doc.line_span(block.first, block.last, with_newline=True)
    if end == len(doc.text) and start > 0:  # the last line: take the newline before it instead
        start, _ = doc.line_span(block.first, block.last, with_newline=False)
        start -= len(doc.newline) if doc.text[start - 1:start] == "\n" else 0
        end = doc.line_span(block.first, block.last, with_newline=False)[1]
    return Edit(start, end, "")


def _category_hints(doc: Document, ctx) -> Iterator[Problem]:
    cats = categories(ctx.config)
    if not cats:
        return
    for entry in doc.entries:
        if entry.section is None or not entry.title:
            continue
        current = entry.section.path[-1] if entry.section.path else ""
        if current not in cats:
            continue
        title = entry.title.lower()
        if any(word in title for word in cats[current]):
            continue
        others = [name for name, words in cats.items()
                  if name != current and any(word in title for word in words)]
        if len(others) == 1:
            yield Problem(entry.line, 1, f"title matches category '{others[0]}', not "
                                         f"'{current}'", level="info")
