"""`listkeeper init` and the conventions it learns: each written only when the list follows it."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from bot.config import Config, load_config
from bot.conventions import config as inferred_config
from bot.conventions import infer, render
from bot.engine import check_text
from bot.fixer import fix_text
from bot.parse import parse_document


def arxiv(n: int, year: int = 2024) -> str:
    return f"https://arxiv.org/abs/{year % 100:02d}{(n % 12) + 1:02d}.{10000 + n:05d}"


def tagged(n: int, label: str = "ArXiv", year: int = 2024, code: bool = False,
           badge: bool = False) -> str:
    line = f"- [[{label}]({arxiv(n, year)})] Paper Number {n} On Efficient Models"
    if code:
        line += f" [[code](https://github.com/lab{n}/repo{n})]"
    if badge:
        line += f" ![GitHub Repo stars](https://img.shields.io/github/stars/lab{n}/repo{n})"
    return line


def doc_of(text: str):
    return parse_document(text, "README.md")


def choices(text: str) -> dict:
    return infer(doc_of(text)).data()


def test_entry_style_is_written_with_its_evidence():
    text = "# L\n\n## 2024\n\n" + "\n".join(tagged(i) for i in range(12)) + "\n"
    data = choices(text)
    assert data["rules"]["entry-format"]["style"] == "venue-tag"
    assert "# entry style venue-tag ([[Venue](url)] Title): 12 of 12 paper entries" in \
        render(infer(doc_of(text)))


def test_a_mixed_list_gets_no_style():
    lines = [tagged(i) for i in range(6)] + [f"- [Tool {i}](https://example.org/t{i}) - a tool"
                                           for i in range(6)]
    data = choices("# L\n\n## Things\n\n" + "\n".join(lines) + "\n")
    assert "style" not in data.get("rules", {}).get("entry-format", {})


def test_the_lists_own_spelling_is_kept_and_the_odd_one_out_is_found():
    entries = [tagged(i, "arXiv") for i in range(10)] + [tagged(10, "Arxiv")]
    text = "# L\n\n## 2024\n\n" + "\n".join(entries) + "\n"
    config = inferred_config(doc_of(text))
    assert config.raw["venues"]["spelling"] == {"ArXiv": "arXiv"}
    found = [f for f in check_text(text, "README.md", config) if f.rule == "venue"]
    assert [(f.line, f.column, f.message) for f in found] == [
        (15, 5, "venue label 'Arxiv' is written 'arXiv' in this list")]
    # a label rename is a list-wide rewrite: fix applies it only when asked for
    assert fix_text(text, "README.md", config).text == text
    fixed = fix_text(text, "README.md", config, sweep=["venue"]).text
    assert fixed == text.replace("[[Arxiv]", "[[arXiv]")


def test_badges_adopted_in_2024_are_required_of_new_entries_and_info_on_older_ones():
    old = [tagged(i, year=2023, code=True) for i in range(10)]
    new = [tagged(20 + i, year=2024, code=True, badge=True) for i in range(10)]
    text = "# L\n\n## 2024\n\n" + "\n".join(new) + "\n\n## 2023\n\n" + "\n".join(old) + "\n"
    config = inferred_config(doc_of(text))
    badges = config.raw["rules"]["badge-format"]
    assert badges["require_stars_badge"] is True and badges["since"] == 2024
    found = [f for f in check_text(text, "README.md", config) if f.rule == "badge-format"]
    # the older entries were right for their time: one note names them all
    lines = [text.splitlines().index(e) + 1 for e in old]
    assert [(f.line, f.level, f.message, f.related) for f in found] == [
        (lines[0], "info", "10 entries from before 2024, when the list adopted stars badges, have "
                           "a code link and no badge (lines 18, 19, 20, 21, 22, 23, 24, 25, ...); "
                           "`listkeeper fix --rule badge-format` adds them", tuple(lines[1:]))]
    assert fix_text(text, "README.md", config).text == text  # a list-wide rewrite: when asked
    swept = fix_text(text, "README.md", config, sweep=["badge-format"]).text
    assert [f for f in check_text(swept, "README.md", config) if f.rule == "badge-format"] == []
    assert swept.count("![GitHub Repo stars]") == 20
    # a new 2024 entry without a badge, in diff-aware mode, is a warning with the badge as fix
    added = tagged(40, year=2024, code=True)
    head = text.replace(new[-1], new[-1] + "\n" + added)
    line = head.splitlines().index(added) + 1
    found = [f for f in check_text(head, "README.md", config, changed={line})
             if f.rule == "badge-format"]
    assert [(f.line, f.level, f.message) for f in found] == [
        (line, "warning", "code link to lab40/repo40 has no stars badge")]
    fixed = fix_text(head, "README.md", config, changed={line}).text
    assert added + " ![GitHub Repo stars](https://img.shields.io/github/stars/lab40/repo40)" in fixed


def test_badges_on_few_entries_are_not_required():
    entries = [tagged(i, code=True, badge=i < 3) for i in range(12)]
    text = "# L\n\n## 2024\n\n" + "\n".join(entries) + "\n"
    assert choices(text)["rules"]["badge-format"]["require_stars_badge"] is False
    assert "stars badge beside the code link: 3 of 12 entries: not required" in \
        render(infer(doc_of(text)))


def test_a_sort_order_is_written_only_for_the_section_that_keeps_it():
    def entry(n: int) -> str:
        return f"- [[ArXiv](https://arxiv.org/abs/2401.{10000 + n:05d})] Paper {n} On Efficient Models"

    ordered = [entry(i) for i in range(21)]
    ordered.insert(3, entry(40))  # one paper out of arXiv order in 22
    shuffled = [entry(i) for i in (25, 21, 29, 23, 27, 20, 28, 22, 26, 24)]
    text = ("# L\n\n## Sorted\n\n" + "\n".join(ordered) + "\n\n## Unsorted\n\n"
            + "\n".join(shuffled) + "\n")
    data = choices(text)
    assert data["sections"]["ordering"] == [{"match": ["Sorted"], "keys": ["arxiv"]}]
    found = [f for f in check_text(text, "README.md", inferred_config(doc_of(text)))
             if f.rule == "ordering"]
    assert [f.line for f in found] == [8]


def test_trailing_spaces_kept_on_many_lines_are_the_lists_style():
    entries = [tagged(i) + " " for i in range(25)]
    text = "# L\n\n## 2024\n\n" + "\n".join(entries) + "\n"
    config = inferred_config(doc_of(text))
    assert config.raw["rules"]["whitespace"]["trailing_spaces"] is False
    assert not [f for f in check_text(text, "README.md", config) if f.rule == "whitespace"]
    # two stray spaces in a list that has none are still found
    clean = "# L\n\n## 2024\n\n" + "\n".join(tagged(i) for i in range(25)) + " \n"
    found = [f for f in check_text(clean, "README.md", inferred_config(doc_of(clean)))
             if f.rule == "whitespace"]
    assert [(f.line, f.column, f.message) for f in found] == [(29, 82, "trailing whitespace")]


def test_toc_levels_are_the_levels_the_toc_lists():
    text = ("# L\n\n## Contents\n\n- [A](#a)\n  - [One](#one)\n- [B](#b)\n  - [Two](#two)\n\n"
            "## A\n\n### One\n\n" + tagged(1) + "\n\n## B\n\n### Two\n\n" + tagged(2) + "\n")
    assert choices(text)["rules"]["toc"]["levels"] == [2, 3]


def test_what_init_writes_loads_as_a_configuration(tmp_path):
    entries = [tagged(i, "arXiv", code=True) for i in range(12)]
    text = "# L\n\n## 2024\n\n" + "\n".join(entries) + "\n"
    written = render(infer(doc_of(text)))
    config = Config.from_text(written, "rules.yaml")
    assert yaml.safe_load(written)["extends"] == "default"
    assert config.rules["entry-format"].options["style"] == "venue-tag"


def _cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def test_init_writes_refuses_to_overwrite_and_diffs(tmp_path):
    entries = [tagged(i, "arXiv") for i in range(12)]
    (tmp_path / "README.md").write_text("# L\n\n## 2024\n\n" + "\n".join(entries) + "\n",
                                        encoding="utf-8")
    first = _cli("init", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = (tmp_path / "rules.yaml").read_text(encoding="utf-8")
    assert "style: venue-tag" in written
    load_config(str(tmp_path / "rules.yaml"))
    (tmp_path / "rules.yaml").write_text("extends: default\n", encoding="utf-8")
    again = _cli("init", cwd=tmp_path)
    assert again.returncode == 2 and "rules.yaml: exists; left alone" in again.stderr
    assert (tmp_path / "rules.yaml").read_text(encoding="utf-8") == "extends: default\n"
    diff = _cli("init", "--diff", cwd=tmp_path)
    assert diff.returncode == 0 and "+    style: venue-tag" in diff.stdout
    assert (tmp_path / "rules.yaml").read_text(encoding="utf-8") == "extends: default\n"
    forced = _cli("init", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert (tmp_path / "rules.yaml").read_text(encoding="utf-8") == written


def test_with_no_rules_yaml_check_judges_by_the_lists_conventions(tmp_path):
    entries = [tagged(i, "arXiv") for i in range(12)] + [tagged(12, "Arxiv")]
    (tmp_path / "README.md").write_text("# L\n\n## 2024\n\n" + "\n".join(entries) + "\n",
                                        encoding="utf-8")
    bare = _cli("check", "README.md", cwd=tmp_path)
    assert "venue label 'Arxiv' is written 'arXiv' in this list" in bare.stdout
    assert "'arXiv' is spelt" not in bare.stdout  # the list's majority is not renamed
    _cli("init", cwd=tmp_path)
    after = _cli("check", "README.md", cwd=tmp_path)
    assert after.stdout == bare.stdout


@pytest.mark.parametrize("bits", [8, 1 << 23])
def test_cross_listings_are_counted_exactly_whatever_the_key_hashes_share(bits, monkeypatch):
    """The count keys again only the papers whose key hashes are marked twice: with 8 bits
    every paper is such a candidate, and the count is the same."""
    from bot.rules import duplicate

    monkeypatch.setattr(duplicate.SharedKeys, "_BITS", bits)
    methods = [tagged(i) for i in range(12)]
    text = ("# L\n\n## Methods\n\n" + "\n".join(methods) + "\n\n## Genre\n\n"
            + "\n".join(tagged(i) for i in (1, 5, 40)) + "\n")
    assert "papers listed in more than one section: 4 of 15 (27%): a paper in two categories " \
        "is info" in render(infer(doc_of(text)))


def test_a_list_of_overlapping_views_does_not_ask_about_cross_listings():
    # A-suozhang/awesome-quantization-and-fixed-point-training: "Methods", then "Genre" and
    # "Ideas" views over the same papers (55 of 107 papers in more than one section)
    methods = [tagged(i) for i in range(12)]
    genre = [tagged(i) for i in range(6)]
    text = ("# L\n\n## Methods\n\n" + "\n".join(methods) + "\n\n## Genre\n\n" + "\n".join(genre)
            + "\n" + tagged(3) + "\n")
    assert choices(text)["rules"]["duplicate"]["cross_section_level"] == "off"
    assert "papers listed in more than one section: 13 of 19 (68%): the list files papers " \
        "under several views; cross-listings not reported" in render(infer(doc_of(text)))
    config = inferred_config(doc_of(text))
    found = [(f.line, f.level, f.message) for f in check_text(text, "README.md", config)
             if f.rule == "duplicate"]
    # the copy inside one section is still an error
    assert found == [(26, "error", "duplicate of line 23 in the same section (same arXiv ID: "
                                   f"{arxiv(3, 2024).rsplit('/', 1)[1]})")]
    # a list that cross-lists a few papers asks about each as info when a change adds it (line
    # 20), and a whole-list check does not list its cross-listings
    few = "# L\n\n## Methods\n\n" + "\n".join(methods) + "\n\n## Genre\n\n" + tagged(1) + "\n"
    assert "cross_section_level" not in choices(few)["rules"].get("duplicate", {})
    few_config = inferred_config(doc_of(few))
    assert [(f.line, f.level, f.message) for f in check_text(few, "README.md", few_config,
                                                             changed={20})
            if f.rule == "duplicate"] == [
        (20, "info", f"duplicate of line 6 in Methods (same arXiv ID: {arxiv(1, 2024).rsplit('/', 1)[1]})")]
    assert [f for f in check_text(few, "README.md", few_config) if f.rule == "duplicate"] == []
