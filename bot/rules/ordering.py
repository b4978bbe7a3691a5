"""An entry out of the order its section's sort policy asks for.

The sort policy of a section is chosen by section path glob in ``rules.yaml``
(``sections: ordering:``, the first matching policy wins; the rule's ``keys`` option is the
policy for every other section). Keys can be combined:

- ``venue``: the rank of the venue in the vocabulary (``venues: canonical``, the preprint
  label last);
- ``published``: venue papers before preprints (``venues: preprint``, default the arXiv label);
- ``arxiv`` / ``-arxiv``: arXiv ID ascending / descending;
- ``date`` / ``-date``: the date written in the entry (``16 Oct 2023``, ``2024.08``); an entry
  out of place only because its date contradicts its arXiv ID's month (``30 Dec 2021`` on
  2111.15640), and in place by that month, or in its month but with a day that its arXiv ID,
  in order between its neighbours' IDs, contradicts, gets a warning about the date instead of
  a move (none when the day is off by two days or less: a submission and an announcement
  date);
- ``year`` / ``-year``: the paper's year (label, venue link, then arXiv ID);
- ``title``: case-insensitive, leading punctuation ignored.

Entries with no value for a key sort ``first`` or ``last`` (``missing``); a policy's
``pinned: N`` leaves the first N entries of a section where the maintainers put them. Only the entries
outside a longest ordered subsequence are reported, each with the line it belongs after, so one
misplaced entry gives one finding, not a cascade. The fix is a stable reorder of the section
that moves whole entries (nested items included) and keeps everything else in place. In
diff-aware mode only entries the change added or moved are reported.

Off in the built-in defaults (generic lists have no order); the seed's ``rules.yaml`` turns it on
for the sections whose order the maintainers follow.

Options:

- ``keys`` (default ``[]``): the policy for sections no ``sections: ordering:`` glob matches.
- ``missing`` (default ``last``): where entries without a value go, for that policy.

BAD (``keys: [published, arxiv]``)::

    - [[ArXiv](https://arxiv.org/abs/2402.15319)] GPTVQ
    - [[ICLR](https://arxiv.org/abs/2402.00858)] AffineQuant
    - [[ArXiv](https://arxiv.org/abs/2402.02446)] LQER

GOOD::

    - [[ICLR](https://arxiv.org/abs/2402.00858)] AffineQuant
    - [[ArXiv](https://arxiv.org/abs/2402.02446)] LQER
    - [[ArXiv](https://arxiv.org/abs/2402.15319)] GPTVQ
"""

from __future__ import annotations

import bisect
import datetime
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import ids, years
from ..model import Document, Edit, Entry, Fix, Problem, Section
from ..vocabulary import SORT_KEYS, SortPolicy, Vocabulary, policy_for, sort_policies

ID = "ordering"
LEVEL = "warning"
ENABLED = False
FIXABLE = True
ONLINE = False
OPTIONS = {
    "keys": (list, []),
    "missing": (("first", "last"), "last"),
}


@dataclass(slots=True)
class Block:
    """A top-level entry with its nested items: the unit that moves."""

    entry: Entry
    first: int
    last: int

    def span(self, doc: Document) -> tuple[int, int]:
        return doc.line_span(self.first, self.last, with_newline=False)


def blocks(doc: Document, section: Section) -> list[list[Block]]:
    """The section's top-level entries grouped in runs of adjacent blocks (blank lines allowed)."""
    entries = section.entries
    if not entries:
        return []
    top = min(e.depth for e in entries)
    found: list[Block] = []
    for entry in entries:
        if entry.depth == top:
            found.append(Block(entry, entry.line, entry.end_line))
        elif found:
            found[-1].last = max(found[-1].last, entry.end_line)
    runs: list[list[Block]] = []
    for block in found:
        if runs and _adjacent(doc, runs[-1][-1], block):
            runs[-1].append(block)
        else:
            runs.append([block])
    return runs


def _adjacent(doc: Document, a: Block, b: Block) -> bool:
    if b.first == a.last + 1:
        return True  # the next line: no blank lines to look at
    return all(not doc.line_text(n).strip() for n in range(a.last + 1, b.first)) \
        and b.first > a.last


def arxiv_number(identifier: str | None) -> tuple[int, int] | None:
    if not identifier:
        return None
    yymm = ids.arxiv_yymm(identifier)
    if not yymm:
        return None
    tail = re.sub(r"\D", "", identifier.rsplit(".", 1)[-1].rsplit("/", 1)[-1])
    return (yymm[0] * 100 + yymm[1], int(tail[-5:] or 0))


_LEADING_NON_WORD = re.compile(r"^[\W_]+")


def entry_year(entry: Entry) -> int | None:
    found = years.venue_year(entry)
    return found[0] if found else years.arxiv_year(entry.arxiv_id)


def _value(entry: Entry, key: str, vocab: Vocabulary) -> Any:
    if key in ("venue", "published"):
        if not entry.venue:
            return None
        base = vocab.parse(entry.venue).base
        if key == "published":
            return None if base is None else int(vocab.is_preprint(base))
        return vocab.rank(base)
    if key in ("arxiv", "-arxiv"):
        number = arxiv_number(entry.arxiv_id)
        if number is None:
            return None
        return number if key == "arxiv" else (-number[0], -number[1])
    if key in ("date", "-date"):
        date = entry.date
        if date is None:
            return None
        return date if key == "date" else (-date[0], -date[1], -date[2])
    if key in ("year", "-year"):
        year = entry_year(entry)
        return None if year is None else (year if key == "year" else -year)
    title = entry.title
    # a title that starts with a letter or digit has nothing to strip: str.isalnum is the
    # \w of re less "_"
    title = (title if title[:1].isalnum() else _LEADING_NON_WORD.sub("", title)).lower()
    return title or None


def sort_key(entry: Entry, policy: SortPolicy, vocab: Vocabulary) -> tuple:
    missing = (0, 0) if policy.missing == "first" else (2, 0)
    return tuple((1, v) if (v := _value(entry, k, vocab)) is not None else missing
                 for k in policy.keys)


class _Policies:
    """The sort policy of each section path: ``sections: ordering:`` globs, else this rule's own
    ``keys`` option (whichever rule asks: section-placement places moved entries by it)."""

    def __init__(self, config) -> None:
        self.policies = sort_policies(config)
        options = config.rules[ID].options
        keys = tuple(k for k in options.get("keys") or () if k in SORT_KEYS)
        self.fallback = SortPolicy(("*",), keys, options.get("missing", "last")) if keys else None
        self.by_path: dict[tuple[str, ...], SortPolicy | None] = {}

    def of(self, path: tuple[str, ...]) -> SortPolicy | None:
        try:
            return self.by_path[path]
        except KeyError:
            policy = self.by_path[path] = policy_for(self.policies, path) or self.fallback
            return policy


def policy_of(ctx, section: Section) -> SortPolicy | None:
    """The sort policy of ``section`` (built once per configuration and section path)."""
    return ctx.config.memo("ordering.policies", lambda: _Policies(ctx.config)).of(section.path)


def insertion_point(doc: Document, ctx, section: Section, entry: Entry,
                    ) -> tuple[Block | None, Block | None]:
    """Where ``entry`` goes in ``section`` by its sort policy: (the block it goes after, None),
    (None, the block it goes before), or (None, None) when the section has no entries. Without
    a policy it goes last; pinned entries stay first."""
    runs = blocks(doc, section)
    if not runs:
        return None, None
    policy = policy_of(ctx, section)
    if policy is None or not policy.keys:
        return runs[-1][-1], None
    vocab = Vocabulary.from_config(ctx.config)
    mine = sort_key(entry, policy, vocab)
    pinned = {id(b) for b in runs[0][:policy.pinned]}
    run = next((r for r in runs if any(sort_key(b.entry, policy, vocab) > mine and id(b) not in pinned
                                       for b in r)), runs[-1])
    before = [b for b in run if id(b) in pinned or sort_key(b.entry, policy, vocab) <= mine]
    return (before[-1], None) if before else (None, run[0])


def kept_indices(keys: list[tuple], weights: list[int] | None = None) -> set[int]:
    """Indices of a longest non-decreasing subsequence (heaviest, when weighted)."""
    n = len(keys)
    if weights is None:
        tails: list[tuple] = []
        tail_idx: list[int] = []
        prev = [-1] * n
        for i, key in enumerate(keys):
            pos = bisect.bisect_right(tails, key)
            prev[i] = tail_idx[pos - 1] if pos else -1
            if pos == len(tails):
                tails.append(key)
                tail_idx.append(i)
            else:
                tails[pos] = key
                tail_idx[pos] = i
        i = tail_idx[-1] if tail_idx else -1
    else:
        # heaviest chain: a Fenwick tree over the key ranks holds the best (weight, -index)
        # ending at a key <= the current one, so each entry costs O(log n), not O(n)
        rank = {key: r for r, key in enumerate(sorted(set(keys)), 1)}
        tree: list[tuple[int, int]] = [(0, 1)] * (len(rank) + 1)  # (0, 1): no chain yet
        best = [0] * n
        prev = [-1] * n
        for i, key in enumerate(keys):
            r = rank[key]
            found = (0, 1)
            while r:
                if tree[r] > found:
                    found = tree[r]
                r -= r & -r
            best[i] = found[0] + weights[i]
            prev[i] = -found[1] if found[1] <= 0 else -1
            r = rank[key]
            while r < len(tree):
                if (best[i], -i) > tree[r]:
                    tree[r] = (best[i], -i)
                r += r & -r
        i = max(range(n), key=lambda k: best[k]) if n else -1
    out: set[int] = set()
    while i != -1:
        out.add(i)
        i = prev[i]
    return out


@lru_cache(maxsize=256)
def _by_arxiv(keys: tuple[str, ...]) -> bool:
    return any(k.endswith("arxiv") for k in keys)


def describe(entry: Entry, policy: SortPolicy) -> str:
    name = entry.title.split(":")[0].strip() or entry.title
    if len(name) > 50:
        name = name[:47] + "..."
    if entry.arxiv_id and _by_arxiv(policy.keys):
        return f"{name} ({entry.arxiv_id})"
    if entry.venue:
        return f"{name} ({entry.venue})"
    return name


def _reorder(doc: Document, firsts: array, lasts: array, order: array) -> Iterator[Edit]:
    text = doc.text
    for slot, source in enumerate(order):
        if source != slot:
            start, end = doc.line_span(firsts[slot], lasts[slot], with_newline=False)
            src_start, src_end = doc.line_span(firsts[source], lasts[source], with_newline=False)
            yield Edit(start, end, text[src_start:src_end])


def reorder_fix(doc: Document, run: list[Block], order: list[int], description: str) -> Fix:
    """The reorder as a fix whose edits are built only when a fixer applies it. It keeps the
    blocks' lines and the order as machine ints (a fix shared by 50,000 findings held a span
    tuple and an int object per entry: 12 MB on 100k entries)."""
    firsts = array("q", (b.first for b in run))
    lasts = array("q", (b.last for b in run))
    new_order = array("q", order)
    return Fix.later(lambda: _reorder(doc, firsts, lasts, new_order), description, sweeping=True)


def check(doc: Document, ctx) -> Iterator[Problem]:
    vocab = Vocabulary.from_config(ctx.config)
    for section in doc.sections:
        policy = policy_of(ctx, section)
        if policy is None or not policy.keys:
            continue
        for index, run in enumerate(blocks(doc, section)):
            if index == 0 and policy.pinned:
                run = run[policy.pinned:]  # the papers kept at the top on purpose
            if len(run) > 1:
                yield from _check_run(doc, ctx, run, policy, vocab)


_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date_typos(run: list[Block], keys: list[tuple], policy: SortPolicy,
                vocab: Vocabulary) -> list[int]:
    """Entries out of place by their written date only because it contradicts their arXiv ID's
    month (``30 Dec 2021`` on 2111.15640): by the ID's month they sit between their neighbours.
    Their keys become the ID's month, so no fix moves them (the date is what is wrong)."""
    found = []
    for i, block in enumerate(run):
        entry = block.entry
        before = keys[i - 1] if i else None
        after = keys[i + 1] if i + 1 < len(keys) else None
        if (before is None or before <= keys[i]) and (after is None or keys[i] <= after):
            continue  # in place by its written date
        yymm = ids.arxiv_yymm(entry.arxiv_id) if entry.arxiv_id and entry.date else None
        if yymm is None:
            continue
        if yymm == tuple(entry.date[:2]):
            continue  # the right month: the day is looked at below, once months are fixed
        date = (yymm[0], yymm[1], entry.date[2])
        value = date if policy.keys[0] == "date" else (-date[0], -date[1], -date[2])
        fixed = ((1, value),) + keys[i][1:]
        if (before is None or before <= fixed) and (after is None or fixed <= after):
            keys[i] = fixed
            found.append(i)
    # the right month, a wrong day: the entry alone is out of place between two neighbours
    # that are in order with each other, and by its arXiv ID it sits between theirs
    for i in range(1, len(run) - 1):
        entry = run[i].entry
        before, after = keys[i - 1], keys[i + 1]
        if before <= keys[i] <= after or not before <= after or not entry.date:
            continue
        if ids.arxiv_yymm(entry.arxiv_id or "") == tuple(entry.date[:2]) \
                and _in_arxiv_order(run, i, policy.keys[0] == "date"):
            keys[i] = before
            if _days_off(run, i) > 2:
                found.append(i)  # (a day or two: submission and announcement dates differ)
    return sorted(found)


def _days_off(run: list[Block], i: int) -> int:
    """How many days the entry's date lies beyond the nearest of its neighbours' dates."""

    def day(entry) -> datetime.date | None:
        y, m, d = entry.date or (0, 0, 0)
        try:
            return datetime.date(y, m, max(d, 1))
        except ValueError:
            return None

    mine = day(run[i].entry)
    around = [day(run[j].entry) for j in (i - 1, i + 1)]
    if mine is None or None in around:
        return 0
    low, high = min(around), max(around)
    return max((low - mine).days, (mine - high).days, 0)


def _in_arxiv_order(run: list[Block], i: int, ascending: bool) -> bool:
    """The entry and the two entries on each side of it are in arXiv order in the section's
    direction (so the entry's place is right and its written date is what is wrong)."""
    window = [ids.arxiv_order(run[j].entry.arxiv_id) for j in range(max(0, i - 2), min(len(run), i + 3))]
    if len(window) < 3 or None in window:
        return False
    if not ascending:
        window.reverse()
    return all(a <= b for a, b in zip(window, window[1:], strict=False))


def _check_run(doc: Document, ctx, run: list[Block], policy: SortPolicy,
               vocab: Vocabulary) -> Iterator[Problem]:
    if all(k in ("venue", "published") for k in policy.keys):
        # keys of the label alone: one per label (a list writes a few dozen labels)
        by_label: dict[str | None, tuple] = {}
        keys = []
        for b in run:
            key = by_label.get(b.entry.venue)
            if key is None:
                key = by_label[b.entry.venue] = sort_key(b.entry, policy, vocab)
            keys.append(key)
    else:
        keys = [sort_key(b.entry, policy, vocab) for b in run]
    if all(keys[i] <= keys[i + 1] for i in range(len(keys) - 1)):
        return
    if policy.keys[0] in ("date", "-date"):
        for i in _date_typos(run, keys, policy, vocab):
            entry = run[i].entry
            y, m, d = entry.date
            if ids.arxiv_yymm(entry.arxiv_id) == (y, m):
                message = (f"the date {d} {_MONTH_NAMES[m - 1]} {y} is out of order, but arXiv "
                           f"{entry.arxiv_id} is in order between its neighbours: a typo in "
                           f"the day?")
            else:
                message = (f"the date {d} {_MONTH_NAMES[m - 1]} {y} is not the month of arXiv "
                           f"{entry.arxiv_id}: a typo? (by its arXiv month the entry is in order)")
            yield Problem(run[i].first, 1, message, end_line=run[i].last, level="warning")
        if all(keys[i] <= keys[i + 1] for i in range(len(keys) - 1)):
            return
    weights = None
    if ctx.changed is not None:
        big = len(run) + 1
        weights = [1 if ctx.touched(b.first, b.last) else big for b in run]
    kept = kept_indices(keys, weights)
    order = sorted(range(len(run)), key=lambda i: (keys[i], i))
    fix = reorder_fix(doc, run, order, f"sort the section by {', '.join(policy.keys)}")
    # the kept entries are in order, by index and by (key, index) alike: one bisect finds the
    # last kept entry an out-of-order entry belongs after
    kept_sorted = sorted(kept)
    kept_keys = [(keys[k], k) for k in kept_sorted]
    texts = [" ".join(b.entry.raw.split()) for b in run]
    first_of = {}
    for i, text in enumerate(texts):
        first_of.setdefault(text, i)
    for i, block in enumerate(run):
        if i in kept or first_of[texts[i]] != i:
            continue  # (an exact copy of an entry above: duplicate removes it)
        pos = bisect.bisect_left(kept_keys, (keys[i], i))
        # related[0]: the line the entry belongs below, the same line the message names
        if pos:
            other = run[kept_sorted[pos - 1]]
            below = other.last
            where = f"belongs after line {below}, {describe(other.entry, policy)}"
        else:
            other = run[kept_sorted[0]]
            below = other.first - 1
            where = f"belongs before line {other.first}, {describe(other.entry, policy)}"
        yield Problem(block.first, 1,
                      f"out of order (by {', '.join(policy.keys)}): "
                      f"{describe(block.entry, policy)} {where}",
                      fix, end_line=block.last, moves=True, related=(below,))
