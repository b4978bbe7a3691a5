"""Year sections: whether the list files papers under their year, and with what tolerance."""

from __future__ import annotations

from ..rules.section_placement import expected_years
from . import Choice
from ._facts import FOLLOW, MIN_SAMPLES, Facts, count_of, share

ORDER = 50
TIGHT = 0.99  # a tolerance tighter than the default only where (nearly) every entry keeps it


def infer(facts: Facts) -> list[Choice]:
    key = ("rules", "section-placement")
    if not facts.year_pattern:
        return [Choice(key + ("level",), "off", "year headings: none; section placement not checked")]
    placed = [(e, facts.year_of_section(e.section)) for e in facts.papers]
    placed = [(e, y) for e, y in placed if y is not None]
    if len(placed) < MIN_SAMPLES:
        return [Choice(key + ("level",), "off",
                       f"entries under year headings: {len(placed)}: too few to tell")]
    out: list[Choice] = []
    if facts.year_pattern != r"^\d{4}$":
        out.append(Choice(key + ("year_pattern",), facts.year_pattern,
                          "year headings carry words around the year"))
    best = None
    for tolerance in (1, 2, 3):
        verdicts = [(y, expected_years(e, facts.vocab, tolerance)) for e, y in placed]
        judged = [(y, found) for y, found in verdicts if found is not None]
        fitting = sum(1 for y, found in judged if y in found[0])
        best = (tolerance, fitting, len(judged))
        if judged and share(fitting, len(judged)) >= TIGHT:
            break
    tolerance, fitting, judged = best
    if judged < MIN_SAMPLES or share(fitting, judged) < FOLLOW:
        return out + [Choice(key + ("level",), "off", f"entries in the year their links and labels give: "
                                         f"{count_of(fitting, judged)}: the year headings are not "
                                         "the papers' years; not checked")]
    out.append(Choice(key + ("tolerance",), tolerance,
                      f"entries in the year their links and labels give: {count_of(fitting, judged)} "
                      f"(up to {tolerance} year(s) after the arXiv year)"))
    return out

