"""Pure helpers of the GitHub layer: patch parsing, escaping, fingerprints, settings, plans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.diff import changed_lines
from bot.errors import ConfigError, InputError
from bot.github import escape
from bot.github.diffmap import parse_patch
from bot.github.fingerprint import fingerprint, fingerprints, found_in, marker, posted_marker
from bot.github.plan import PlannedFinding, ReviewPlan
from bot.github.settings import ReviewSettings, validate_section
from tests.fakegithub import right_side_hunks, unified_patch

lines_strategy = st.lists(st.sampled_from(["a", "b", "c", "d", "", "- x", "- y"]), max_size=30)


@settings(max_examples=200, deadline=None)
@given(lines_strategy, lines_strategy)
def test_commentable_lines_match_the_patch_exactly(old, new):
    old_text, new_text = "\n".join(old) + "\n", "\n".join(new) + "\n"
    patch = unified_patch(old_text, new_text)
    diff = parse_patch("README.md", patch)
    assert list(diff.hunks) == [frozenset(h) for h in right_side_hunks(patch)]
    assert diff.added == frozenset(changed_lines(old_text, new_text)) or len(old) + len(new) > 0
    assert diff.added <= diff.commentable
    assert all(1 <= n <= max(len(new), 1) for n in diff.commentable)


def test_parse_patch_hunks_and_no_newline_marker():
    patch = "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n\\ No newline at end of file\n@@ -20,2 +21,2 @@\n x\n+y"
    diff = parse_patch("f", patch)
    assert diff.hunks == (frozenset({1, 2, 3, 4}), frozenset({21, 22}))
    assert diff.added == {2, 3, 22}
    assert diff.can_comment(2, 4) and not diff.can_comment(4, 21) and not diff.can_comment(5, 5)


def test_text_escape_defuses_mentions_html_and_markdown():
    out = escape.text("@org/team <img src=x onerror=alert(1)> ![x](http://t) `a` | b\nc")
    assert "@org" not in out and "@\u200dorg" in out
    assert "<img" not in out and "&lt;img" in out
    assert "\\!\\[x\\]" in out and "\\`a\\`" in out and "\\|" in out and "\n" not in out


def test_code_span_and_fence_outgrow_backtick_runs():
    assert escape.code("a ``` b") == "````a ``` b````"
    assert escape.code("`x`") == "`` `x` ``"
    block = escape.suggestion(["x ```` y"])
    assert block.startswith("`````suggestion\n") and block.endswith("\n`````")
    assert escape.suggestion([]) == "```suggestion\n```"


def test_stdout_escape_stops_workflow_commands():
    out = escape.stdout("ok\n::set-output name=a::b\n  ::error::x")
    assert all(not line.lstrip().startswith("::") for line in out.splitlines())


def test_cap_truncates_with_a_note_and_closes_details():
    body = "<details>\n" + "row\n" * 30000
    capped = escape.cap(body, 10000)
    assert len(capped) <= 10000 + 20 and "truncated" in capped and capped.count("</details>") == 1
    assert escape.cap("short") == "short"


def test_fingerprints_ignore_line_numbers_and_spacing():
    assert fingerprint("duplicate", "README.md", "- [a](b)  x") == fingerprint("duplicate", "README.md", " - [a](b) x")
    assert fingerprint("duplicate", "README.md", "x") != fingerprint("whitespace", "README.md", "x")
    fps = fingerprints([("r", "p", "same"), ("r", "p", "same")])
    assert fps[1] == fps[0] + "-2"
    body = marker(fps[0]) + "\ntext\n" + posted_marker([fps[1]])
    assert found_in(body) == set(fps)


def test_review_settings_validate():
    assert validate_section({"max_comments": 5, "autofix": "commit"}, "rules.yaml") == \
        ReviewSettings(max_comments=5, autofix="commit")
    with pytest.raises(ConfigError, match="review.approve"):
        validate_section({"approve": True}, "rules.yaml")
    with pytest.raises(ConfigError, match="one of"):
        validate_section({"request_changes_on": "APPROVE"}, "rules.yaml")
    with pytest.raises(ConfigError):
        validate_section({"max_comments": True}, "rules.yaml")


def test_plan_round_trips_and_rejects_junk():
    finding = PlannedFinding("duplicate", "error", "README.md", 3, 1, "dup", "0123456789abcdef",
                             suggestion={"first": 3, "last": 3, "lines": []})
    plan = ReviewPlan("lab/awesome", "a" * 40, [finding], pr=2)
    again = ReviewPlan.from_json(plan.to_json())
    assert again.findings == [finding] and again.pr == 2
    with pytest.raises(InputError):
        ReviewPlan.from_json(plan.to_json().replace('"duplicate"', '"dup licate"'))
    with pytest.raises(InputError):
        ReviewPlan.from_json("[]")


def test_a_pr_check_makes_a_bounded_number_of_calls(github):
    """300 entries or 3000: at most 8 reads and 1 review post (plus the summary comment)."""
    from bench.github_calls import READ_TARGET, measure

    for entries in (300, 1500):
        counts = measure(entries)
        assert counts["reads"] <= READ_TARGET
        assert counts["review_posts"] == 1
        assert counts["summary_writes"] == 1
