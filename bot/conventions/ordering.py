"""Sort order: a policy is written for a section only when its current order follows it."""

from __future__ import annotations

from collections import defaultdict

from ..rules.ordering import blocks, kept_indices, sort_key
from ..vocabulary import SortPolicy
from . import Choice
from ._facts import Facts

ORDER = 40
MIN_RUN = 6  # a section needs this many entries before its order says anything
MIN_STEPS = 5  # ... and this many neighbours whose keys differ
FOLLOW = 0.95  # an order is a convention only when it is (nearly) always kept
MAX_PINNED = 3  # papers a maintainer keeps at the top of a section
PINNED_FOLLOW = 0.97  # exempting the top entries must leave a (nearly) perfect order
CANDIDATES: tuple[tuple[str, ...], ...] = (
    ("-date",), ("date",), ("arxiv",), ("-arxiv",), ("year",), ("-year",), ("published", "arxiv"),
    ("published", "-arxiv"), ("venue",), ("title",),
)
NAMES = {"date": "by date", "-date": "newest date first", "arxiv": "arXiv order", "-arxiv": "newest arXiv first", "year": "by year",
         "-year": "newest year first", "published": "venue papers first", "venue": "by venue rank",
         "title": "by title"}


def _fit(keys: list[tuple], pinned: int) -> tuple[int, int, int, int] | None:
    """(kept, total, agreeing steps, steps) of ``keys`` after the first ``pinned``."""
    keys = keys[pinned:]
    steps = [(a, b) for a, b in zip(keys, keys[1:], strict=False) if a != b]
    if len(keys) < MIN_RUN or len(steps) < MIN_STEPS:
        return None
    agree = sum(1 for a, b in steps if a < b)
    return len(kept_indices(keys)), len(keys), agree, len(steps)


def _describe(keys: tuple[str, ...]) -> str:
    return ", then ".join(NAMES[k] for k in keys)


def infer(facts: Facts) -> list[Choice]:
    doc = facts.doc
    chosen: dict[tuple[tuple[str, ...], int], list[tuple[str, str]]] = defaultdict(list)
    for section in doc.sections:
        every = [run for run in blocks(doc, section) if len(run) >= 2]
        runs = [run for run in every if len(run) >= MIN_RUN]
        if not runs:
            continue
        found = _policy_for(runs, facts, every)
        if found is not None:
            keys, pinned, why = found
            chosen[(keys, pinned)].append((section.path_str, why))
    if not chosen:
        return [Choice(("rules", "ordering", "level"), None,
                       "sort order: no section follows one (95% of its entries in order); off")]
    policies = []
    notes = []
    for (keys, pinned), sections in chosen.items():
        item = {"match": [_glob(path) for path, _ in sections], "keys": list(keys)}
        if pinned:
            item["pinned"] = pinned
        policies.append(item)
        notes += [f"{path}: {why}" for path, why in sections]
    out = [Choice(("rules", "ordering", "level"), "warning",
                  "sort order: followed by the sections below")]
    out += [Choice(("sections", "ordering"), None, note) for note in notes[:40]]
    if len(notes) > 40:
        out.append(Choice(("sections", "ordering"), None, f"... and {len(notes) - 40} more"))
    out.append(Choice(("sections", "ordering"), policies))
    return out


def _in_order(keys: list[tuple]) -> bool:
    return all(a <= b for a, b in zip(keys, keys[1:], strict=False))


def _keys_if_followable(runs, policy: SortPolicy, vocab) -> list[list[tuple]] | None:
    """The sort keys of each run, or None as soon as the candidate cannot be the section's
    order: more than 5% of the entries have no value for it, or more neighbours are out of
    order than any pinning could leave (pinning p entries drops at most p of them). A section
    in no order is given up on after a few dozen entries, not read whole for every candidate."""
    total = sum(map(len, runs))
    allowed_out = (1 - FOLLOW) * (total - len(runs)) + MAX_PINNED + 1
    missing = out = 0
    values = []
    for run in runs:
        keys: list[tuple] = []
        for b in run:
            key = sort_key(b.entry, policy, vocab)
            if key[0][0] != 1:
                missing += 1
                if total - missing < FOLLOW * total:
                    return None  # most entries have no value for this key
            if keys and key < keys[-1]:
                out += 1
                if out > allowed_out:
                    return None
            keys.append(key)
        values.append(keys)
    return values


def _policy_for(runs, facts: Facts, every) -> tuple[tuple[str, ...], int, str] | None:
    """The first candidate the section's long runs keep (95%) while its short runs (too short
    to judge, but checked by the rule all the same: a featured group at the top, say) are
    wholly in order."""
    vocab = facts.vocab
    entries = [b.entry for run in every for b in run]
    dated = sum(1 for e in entries if e.date is not None) >= 0.5 * len(entries)
    for keys in CANDIDATES:
        if dated and any(k.endswith("arxiv") for k in keys):
            continue  # entries that show a date are ordered by it, not by their arXiv IDs
        policy = SortPolicy(("*",), keys, "last")
        values = _keys_if_followable(runs, policy, vocab)
        if values is None:
            continue
        # the rule pins the top of the section's first run: only that run can have pins
        for pinned in range(0, MAX_PINNED + 1 if runs[0] is every[0] else 1):
            fits = [_fit(run_keys, pinned if i == 0 else 0) for i, run_keys in enumerate(values)]
            if any(f is None for f in fits):
                break
            kept = sum(f[0] for f in fits)
            total = sum(f[1] for f in fits)
            agree = sum(f[2] for f in fits)
            steps = sum(f[3] for f in fits)
            need = FOLLOW if not pinned else PINNED_FOLLOW
            short = [[sort_key(b.entry, policy, vocab) for b in run[pinned if run is every[0]
                                                                     else 0:]]
                     for run in every if len(run) < MIN_RUN]
            if kept >= need * total and agree >= need * steps and all(map(_in_order, short)):
                pins = f", the first {pinned} pinned" if pinned else ""
                return keys, pinned, f"{_describe(keys)}, {kept} of {total} entries in order{pins}"
    return None


def _glob(path: str) -> str:
    """A section path as an fnmatch pattern that matches only itself."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in path)
