"""Run a rule on an inline snippet or a fixture file and compare exact findings.

Fixture files (tests/fixtures/<rule-id>/*.md) carry their expectations inside themselves:

    <!-- config: {"rules": {"entry-format": {"pattern": "^\\[\\["}}} -->   (optional, first line)
    <!-- expect: 12:5 entry continues -->                        (line:column, message part)

A ``pass-*.md`` fixture must produce no finding of its rule; a ``fail-*.md`` fixture must
produce exactly the expected findings of its rule, no more, each at its line and column. A
failing fixture whose findings have a fix has its exact fixed text beside it,
``fail-*.fixed.md``: the fixture fixed by its rule alone (list-wide rewrites included), so a
fix that is stable but wrong fails. ``LISTKEEPER_WRITE_FIXED=1`` rewrites those files (then
read every diff by hand before committing it).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import yaml

from bot.config import Config
from bot.engine import check_text
from bot.fixer import fix_text
from bot.parse import parse_document

_CONFIG = re.compile(r"<!--\s*config:\s*(.*?)\s*-->", re.S)
_EXPECT = re.compile(r"<!--\s*expect:\s*(\d+)(?::(\d+))?\s+(.*?)\s*-->")


def config_for(extra: dict | None = None) -> Config:
    data = {"extends": "default"}
    if extra:
        data.update(extra)
    return Config.from_text(yaml.safe_dump(data), "test-rules.yaml")


def findings(text: str, rule: str, extra: dict | None = None, **kwargs):
    return [f for f in check_text(text, "list.md", config_for(extra), **kwargs) if f.rule == rule]


def fixture_config(text: str) -> dict | None:
    m = _CONFIG.search(text)
    return json.loads(m.group(1)) if m else None


def expectations(text: str) -> list[tuple[int, int | None, str]]:
    """(line, column or None, message part) of each ``expect:`` comment."""
    return [(int(m.group(1)), int(m.group(2)) if m.group(2) else None, m.group(3))
            for m in _EXPECT.finditer(text)]


def fixture_files(rule: str) -> list[Path]:
    """The fixtures of ``rule`` (not their ``.fixed.md`` expected texts)."""
    directory = Path(__file__).parent / "fixtures" / rule
    return sorted(p for p in directory.glob("*.md") if not p.name.endswith(".fixed.md"))


def fixed_path(path: Path) -> Path:
    return path.with_name(path.stem + ".fixed.md")


def assert_fixture(path: Path, rule: str) -> None:
    text = path.read_text(encoding="utf-8")
    found = findings(text, rule, fixture_config(text))
    got = sorted((f.line, f.column, f.message) for f in found)
    if path.name.startswith("pass"):
        assert got == [], f"{path.name}: expected no findings, got {got}"
        return
    expected = sorted(expectations(text))
    assert expected, f"{path.name}: a failing fixture must state its expectations"
    unplaced = [e for e in expected if e[1] is None]
    assert not unplaced, f"{path.name}: state the column too (expect: LINE:COLUMN ...): {unplaced}"
    assert len(got) == len(expected), f"{path.name}: expected {expected}, got {got}"
    for (line, column, part), (got_line, got_column, message) in zip(expected, got, strict=True):
        assert (line, column) == (got_line, got_column) and part in message, \
            f"{path.name}: expected {expected}, got {got}"


def assert_fixed_text(path: Path, rule: str) -> None:
    """A failing fixture with a fix: its rule's fix gives exactly ``fail-*.fixed.md``."""
    import os

    from bot.rules import RULES

    text = path.read_text(encoding="utf-8")
    extra = fixture_config(text)
    expected_path = fixed_path(path)
    fixable = [f for f in findings(text, rule, extra) if f.fix is not None]
    if path.name.startswith("pass") or not fixable:
        assert not expected_path.exists(), f"{expected_path.name}: {path.name} has no fix"
        return
    fixed = fix_text(text, "list.md", config_for(extra), select=[rule],
                     sweep=list(RULES)).text
    if os.environ.get("LISTKEEPER_WRITE_FIXED"):
        expected_path.write_text(fixed, encoding="utf-8", newline="")
    assert expected_path.exists(), f"{path.name} has a fix: write its text to {expected_path.name}"
    assert fixed == expected_path.read_bytes().decode("utf-8"), \
        f"{path.name}: the fix does not give {expected_path.name}"
    assert fixed != text, f"{path.name}: the fix changes nothing"


def link_key(url: str) -> str:
    """URLs a fix may legitimately rewrite (whitespace, http→https, arXiv hosts) compare equal."""
    url = "".join(url.split())
    url = re.sub(r"^https?://(?:(?:browse|export|www)\.)?arxiv\.org/", "arxiv.org/", url)
    return re.sub(r"^https?://", "", url)


def inventory(text: str) -> Counter:
    doc = parse_document(text, "list.md")
    return Counter(link_key(link.url) for link in doc.links)


def assert_fix_safe(text: str, extra: dict | None = None) -> str:
    """Fix ``text``: idempotent, no fixable finding left, links kept except removed duplicates."""
    config = config_for(extra)
    from bot.rules import RULES

    once = fix_text(text, "list.md", config, sweep=RULES)  # list-wide rewrites too
    twice = fix_text(once.text, "list.md", config, sweep=RULES)
    assert twice.text == once.text, "fix is not idempotent"
    assert not [f for f in once.remaining if f.fixable], "fixable findings left after fix"
    removed = Counter()
    for finding in once.applied:
        removed.update(link_key(u) for u in finding.fix.removes_links)
    before, after = inventory(text), inventory(once.text)
    for url, count in before.items():
        assert after[url] >= count - removed[url], f"fix lost link {url}"
    return once.text
