"""Stars badges: whether code links carry one (maybe only since some year), and how."""

from __future__ import annotations

from collections import Counter

from .. import years
from ..rules.badge_format import is_stars, section_year_of
from . import Choice
from ._facts import FOLLOW, MIN_SAMPLES, Facts, count_of, share

ORDER = 30


def _entry_year(facts: Facts, entry) -> int | None:
    return section_year_of(entry) or years.paper_year(entry)


def infer(facts: Facts) -> list[Choice]:
    coded = [e for e in facts.papers if e.code_repo and e.code_link is not None
             and e.code_link is not e.paper_link and e.kind != "row"]
    key = ("rules", "badge-format", "require_stars_badge")
    if len(coded) < MIN_SAMPLES:
        return [Choice(key, False, f"entries with a code link: {len(coded)}: too few to tell; "
                                   "badges not required")]
    badged = [e for e in coded if any(is_stars(b) for b in e.badges)]
    out: list[Choice] = []
    if share(len(badged), len(coded)) >= FOLLOW:
        out.append(Choice(key, True, f"stars badge beside the code link: "
                                     f"{count_of(len(badged), len(coded))} entries: required"))
    else:
        since = _adopted_since(facts, coded)
        if since is None:
            return [Choice(key, False, f"stars badge beside the code link: "
                                       f"{count_of(len(badged), len(coded))} entries: not required")]
        year, newer, newer_badged, older, older_badged = since
        out.append(Choice(key, True, f"stars badge beside the code link since {year}: "
                                     f"{count_of(newer_badged, newer)} entries from {year} on "
                                     f"({count_of(older_badged, older)} before): required for new "
                                     "entries, older ones are info"))
        out.append(Choice(("rules", "badge-format", "since"), year))
    separators = Counter()
    alts = Counter()
    queries = 0
    for entry in badged:
        badge = next(b for b in entry.badges if is_stars(b))
        end = entry.code_link.construct_end
        if 0 <= end <= badge.start:
            gap = entry.source[end:badge.start]
            if gap.startswith("]"):
                gap = gap[1:]
            if len(gap) <= 3 and not gap.strip(" ,|"):
                separators[gap] += 1
        alts[badge.alt] += 1
        queries += "?" in badge.image_url
    if separators:
        sep, n = separators.most_common(1)[0]
        out.append(Choice(("rules", "badge-format", "separator"), sep,
                          f"between code link and badge: {sep!r} {count_of(n, sum(separators.values()))}"))
    if alts:
        alt, n = alts.most_common(1)[0]
        out.append(Choice(("rules", "badge-format", "alt"), alt,
                          f"badge alt text {alt!r}: {count_of(n, sum(alts.values()))}"))
    return out


def _adopted_since(facts: Facts, coded: list) -> tuple[int, int, int, int, int] | None:
    """The first year from which (nearly) every entry has a badge, while older ones do not."""
    dated = [(y, any(is_stars(b) for b in e.badges)) for e in coded
             if (y := _entry_year(facts, e)) is not None]
    for year in sorted({y for y, _ in dated})[1:]:
        newer = [b for y, b in dated if y >= year]
        older = [b for y, b in dated if y < year]
        if len(newer) >= MIN_SAMPLES and share(sum(newer), len(newer)) >= FOLLOW \
                and share(sum(older), len(older)) < 0.5:
            return year, len(newer), sum(newer), len(older), sum(older)
    return None
