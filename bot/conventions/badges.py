"""Stars badges: whether code links carry one (maybe only since some year), and how."""

from __future__ import annotations

from collections import Counter

from .. import ids, years
from ..rules.badge_format import badge_markup, has_star_count, is_stars, section_year_of
from . import Choice
from ._facts import FOLLOW, MIN_SAMPLES, Facts, count_of, share, spread

ORDER = 30


def _entry_year(facts: Facts, entry) -> int | None:
    return section_year_of(entry) or years.paper_year(entry)


def infer(facts: Facts) -> list[Choice]:
    return _form(facts) + _required(facts)


def _form(facts: Facts) -> list[Choice]:
    """How the list writes a stars badge, whatever entries carry one."""
    stars = [(e, b) for e in facts.doc.entries for b in e.badges if is_stars(b)]
    if not stars:
        return []
    out: list[Choice] = []
    alts = Counter(b.alt for _, b in stars)
    alt, n = alts.most_common(1)[0]
    if share(n, len(stars)) >= FOLLOW:
        out.append(Choice(("rules", "badge-format", "alt"), alt,
                          f"badge alt text {alt!r}: {count_of(n, len(stars))}"))
    wrapped = sum(1 for _, b in stars if b.link_url is not None)
    if share(wrapped, len(stars)) >= FOLLOW:
        out.append(Choice(("rules", "badge-format", "link"), True,
                          f"badges wrapped in a link to the repository: "
                          f"{count_of(wrapped, len(stars))}"))
    queries = Counter(b.image_url.partition("?")[2] for _, b in stars)
    query, n = queries.most_common(1)[0]
    if query and share(n, len(stars)) >= FOLLOW:
        out.append(Choice(("rules", "badge-format", "query"), "?" + query,
                          f"badge options ?{query}: {count_of(n, len(stars))}"))
    form = {"alt": alt, "link": share(wrapped, len(stars)) >= FOLLOW,
            "query": "?" + query if query and share(n, len(stars)) >= FOLLOW else ""}
    canonical = sum(1 for e, b in stars if e.source[b.start:b.end] ==
                    badge_markup(ids.shields_repo(b.image_url) or "", form))
    if share(canonical, len(stars)) < FOLLOW:
        out.append(Choice(("rules", "badge-format", "normalize"), False,
                          f"badges written as {badge_markup('o/r', form)}: "
                          f"{count_of(canonical, len(stars))}: left as written"))
    return out


def _required(facts: Facts) -> list[Choice]:
    coded = [e for e in facts.papers if e.code_repo and e.code_link is not None
             and e.code_link is not e.paper_link and e.kind != "row"]
    key = ("rules", "badge-format", "require_stars_badge")
    if len(coded) < MIN_SAMPLES:
        return [Choice(key, False, f"entries with a code link: {len(coded)}: too few to tell; "
                                   "badges not required")]
    badged = [e for e in coded if has_star_count(e)]
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
    for entry in badged:
        badge = next((b for b in entry.badges if is_stars(b)), None)
        if badge is None:
            continue  # a star count written by hand
        end = entry.code_link.construct_end
        if 0 <= end <= badge.start:
            gap = entry.source[end:badge.start]
            if gap.startswith("]"):
                gap = gap[1:]
            if len(gap) <= 3 and not gap.strip(" ,|"):
                separators[gap] += 1
    if separators:
        sep, n = separators.most_common(1)[0]
        total = sum(separators.values())
        if share(n, total) >= FOLLOW:
            out.append(Choice(("rules", "badge-format", "separator"), sep,
                              f"between code link and badge: {sep!r} {count_of(n, total)}"))
        else:
            out.append(Choice(("rules", "badge-format", "any_separator"), True,
                              f"between code link and badge: {spread(separators)}: not checked"))
    return out


def _adopted_since(facts: Facts, coded: list) -> tuple[int, int, int, int, int] | None:
    """The first year from which (nearly) every entry has a badge, while older ones do not."""
    dated = [(y, has_star_count(e)) for e in coded
             if (y := _entry_year(facts, e)) is not None]
    for year in sorted({y for y, _ in dated})[1:]:
        newer = [b for y, b in dated if y >= year]
        older = [b for y, b in dated if y < year]
        if len(newer) >= MIN_SAMPLES and share(sum(newer), len(newer)) >= FOLLOW \
                and share(sum(older), len(older)) < 0.5:
            return year, len(newer), sum(newer), len(older), sum(older)
    return None
