"""Replay real list histories: each step is a PR (base = previous version, head = next).

No rule may crash, and in diff-aware mode no finding may sit on a line the step did not touch
(as `git diff` sees it: what GitHub shows a PR and `check --base` uses).
"""

from __future__ import annotations

from collections import Counter

import pytest

from bot import conventions
from bot.diff import git_changed_lines
from bot.engine import check_text
from bot.parse import parse_document
from tests.conftest import corpus_histories, needs_corpus


def replay(directory) -> Counter:
    """Each step checked with the conventions init learns from the history's first version."""
    versions = sorted(directory.glob("*.md"))
    first = versions[0].read_text(encoding="utf-8")
    config = conventions.config(parse_document(first, "README.md"))
    counts: Counter = Counter()
    for base_path, head_path in zip(versions, versions[1:], strict=False):
        base = base_path.read_text(encoding="utf-8")
        head = head_path.read_text(encoding="utf-8")
        changed = git_changed_lines(base, head)  # as GitHub and `check --base` see a step
        found = check_text(head, head_path.name, config, changed=changed)
        for finding in found:
            lines = range(finding.line, (finding.end_line or finding.line) + 1)
            assert any(n in changed for n in lines), (
                f"{head_path.name}:{finding.line}: {finding.rule} reported an untouched line")
            counts[finding.rule] += 1
        counts["steps"] += 1
    return counts


@needs_corpus
@pytest.mark.parametrize("directory", corpus_histories(), ids=lambda p: p.name)
def test_history_replay_reports_only_touched_lines(directory):
    counts = replay(directory)
    print(directory.name, dict(counts))
    assert counts["steps"] > 0
