"""What the foundation must show on the seed list (skipped when ../shared/seed is absent)."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.config import load_config
from bot.engine import check_text
from bot.fixer import fix_text
from bot.parse import parse_document
from tests.conftest import ROOT, SEED, needs_seed
from tests.ruletest import link_key

pytestmark = needs_seed


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def config():
    return load_config(str(ROOT / "rules.yaml"))


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[occurrence - 1]


def test_seed_findings(seed_text, config):
    findings = check_text(seed_text, "README.md", config)
    by_rule = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    dup_lines = {f.line for f in by_rule["duplicate"] if f.level == "error"}
    # both exact duplicate pairs, reported on the second copy
    assert _line_of(seed_text, "Any-Precision LLM", 2) in dup_lines
    assert _line_of(seed_text, "2310.08659", 2) in dup_lines
    fmt = {f.line: f.message for f in by_rule["link-format"]}
    # the link broken over two lines renders (CommonMark allows a line break around the
    # target), but the entry is one-line: entry-format joins it (see test_fix_seed_...)
    wrapped = _line_of(seed_text, "abs/2304.08467")
    assert wrapped not in fmt
    assert [f.message for f in by_rule["entry-format"] if f.line == wrapped] == [
        f"entry continues on line {wrapped + 1}; keep an entry on one line"]
    assert "placeholder" in fmt[_line_of(seed_text, "(https://github.com/)")]
    for occurrence in (1, 2):
        assert "browse.arxiv.org" in fmt[_line_of(seed_text, "browse.arxiv.org", occurrence)]
    continuation = _line_of(seed_text, "Distillation Doesn't Need a Teacher")
    assert any(f.line == continuation for f in by_rule["entry-format"])
    trailing = [i for i, line in enumerate(seed_text.splitlines(), 1) if line.endswith(" ")]
    assert {f.line for f in by_rule["whitespace"] if "trailing" in f.message} == set(trailing)


def test_no_duplicate_for_a_shared_code_repo(seed_text, config):
    # GPTQ and the Lazy Neuron paper share github.com/IST-DASLab/gptq; DeepSpeed hosts others
    findings = check_text(seed_text, "README.md", config, select=["duplicate"])
    lazy = _line_of(seed_text, "The Lazy Neuron Phenomenon")
    assert not [f for f in findings if f.line == lazy and "duplicate of" in f.message]
    # ...but the Lazy Neuron paper's code link is GPTQ's repository: copied from that entry
    gptq = _line_of(seed_text, "GPTQ: Accurate Post-Training Quantization")
    copied = [f for f in findings if "is the repository of" in f.message]
    assert [(f.line, f.related) for f in copied] == [(lazy, (gptq,))]
    neural = [_line_of(seed_text, "intel/neural-compressor", n) for n in (1, 2, 3)]
    assert not [f for f in findings if f.line in neural]


def test_fix_seed_is_idempotent_and_loses_only_duplicate_lines(seed_text, config):
    once = fix_text(seed_text, "README.md", config)
    twice = fix_text(once.text, "README.md", config)
    assert twice.text == once.text
    assert not [f for f in once.remaining if f.fixable and not f.fix.sweeping]
    before = Counter(link_key(link.url) for link in parse_document(seed_text).links)
    after = Counter(link_key(link.url) for link in parse_document(once.text).links)
    lost = before - after
    # exactly the links of the two removed duplicate lines, and two links rewritten in place:
    # a tracking parameter, a '.git' suffix and two arXiv versions dropped (the list links the
    # latest version)
    journal = ("www.sciencedirect.com/science/article/abs/pii/S1383762123001698?casa_token="
               "1Hdz_VnQpOIAAAAA:7OGh6gYWawUHYKBZ3biSHaq-F7UaT8-7O2XFbOvK5YTkAuofrm-Fj8KNyHoe3G5wGE"
               "JTMWEA4Pnt")
    assert lost == Counter({"arxiv.org/abs/2402.10517": 1, "arxiv.org/abs/2310.08659": 1,
                            "github.com/yxli2123/LoftQ": 1, journal: 1,
                            "github.com/VITA-Group/Junk_DNA_Hypothesis.git": 1,
                            "arxiv.org/abs/1906.00532v2": 1, "arxiv.org/abs/1909.11687v1": 1})
    gained = after - before
    assert gained == Counter({"www.sciencedirect.com/science/article/abs/pii/S1383762123001698": 1,
                              "github.com/VITA-Group/Junk_DNA_Hypothesis": 1,
                              "arxiv.org/abs/1906.00532": 1, "arxiv.org/abs/1909.11687": 1})
    assert len(parse_document(once.text).entries) == len(parse_document(seed_text).entries) - 2
