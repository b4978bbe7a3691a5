"""The fixer's edit selection: the first fix wins, conflicting later fixes wait for the next round."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.fixer import apply_edits
from bot.model import Edit, Finding, Fix


def _conflict(a: Edit, b: Edit) -> bool:
    """The rule, pair by pair: overlap, two insertions at one point, or an insertion at the
    boundary of a replaced span."""
    if a.start < b.end and b.start < a.end:
        return True
    if a.start == a.end == b.start == b.end:
        return True
    if a.start == a.end and b.start < b.end and b.start <= a.start <= b.end:
        return True
    return b.start == b.end and a.start < a.end and a.start <= b.start <= a.end


def _reference(text: str, findings: list[Finding]) -> list[int]:
    taken: list[Edit] = []
    chosen = []
    for n, finding in enumerate(findings):
        edits = finding.fix.edits
        if any(_conflict(e, t) for e in edits for t in taken):
            continue
        taken.extend(edits)
        chosen.append(n)
    return chosen


EDIT = st.tuples(st.integers(0, 40), st.integers(0, 4), st.sampled_from(["", "x", "yy"]))
FIX = st.lists(EDIT, min_size=1, max_size=3)


def _finding(n: int, edits: list[tuple[int, int, str]]) -> Finding:
    # the edits of one fix never overlap each other: spread them apart
    spread = [Edit(start + 50 * k, start + 50 * k + length, rep)
              for k, (start, length, rep) in enumerate(edits)]
    return Finding("list.md", n + 1, 1, "whitespace", "warning", f"f{n}", Fix(tuple(spread)))


@settings(max_examples=300, deadline=None)
@given(st.lists(FIX, max_size=25))
def test_selection_matches_the_pairwise_rule(fixes):
    text = "".join(chr(ord("a") + i % 26) for i in range(200))
    findings = [_finding(n, edits) for n, edits in enumerate(fixes)]
    new_text, applied = apply_edits(text, findings)
    expected = [findings[n] for n in _reference(text, findings)]
    assert applied == expected
    # the text is the chosen edits applied from the end backwards
    out = text
    for e in sorted((e for f in expected for e in f.fix.edits), key=lambda e: (e.start, e.end),
                    reverse=True):
        out = out[:e.start] + e.replacement + out[e.end:]
    assert new_text == out


def test_a_fix_with_overlapping_edits_of_its_own_is_skipped():
    bad = Finding("list.md", 1, 1, "whitespace", "warning", "bad",
                  Fix((Edit(0, 4, "x"), Edit(2, 6, "y"))))
    good = Finding("list.md", 2, 1, "whitespace", "warning", "good", Fix((Edit(8, 9, "z"),)))
    text, applied = apply_edits("0123456789", [bad, good])
    assert applied == [good] and text == "01234567z9"
