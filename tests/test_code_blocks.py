"""Code blocks (fenced or indented, at any depth) and <pre> blocks: found where markdown-it-py
finds them, and left alone by every rule and every fix."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from bot.fixer import fix_text
from bot.parse import parse_document
from tests.conftest import corpus_lists
from tests.ruletest import config_for

FIXTURE_LIKE = (
    "# L\n\n- item\n\n      code in an item   \n      \n      \n      more\tcode\n\n"
    "- item\n  ```\n  fenced in an item   \n\n\n  ```\n  > - quoted\n  >   ```\n  >   deep   \n"
    "  >   ```\n\n<pre>\npre text   \n\n\n</pre>\n\n1. ordered\n\n       code in an ordered item\n\n"
    "## End\n\n    top-level code   \n"
)


def _markdown_it_code_lines(text: str) -> set[int]:
    lines: set[int] = set()
    for token in MarkdownIt("commonmark").parse(text):
        if token.map is None:
            continue
        verbatim = token.type == "html_block" and token.content.lstrip(" ").lower().startswith(
            ("<pre", "<script", "<style", "<textarea"))
        if token.type in ("fence", "code_block") or verbatim:
            first, end = token.map
            block = range(first + 1, end + 1)
            # markdown-it's code_block map takes the blank lines after the code: drop them
            src = text.splitlines()
            last = max((n for n in block if n <= len(src) and src[n - 1].strip()), default=first)
            lines.update(range(first + 1, last + 1) if token.type == "code_block" else block)
    return lines


def _ours(text: str) -> set[int]:
    doc = parse_document(text, "list.md")
    ours = {n for n in doc.code_lines if doc.line_text(n).strip()}
    return ours


@pytest.mark.parametrize("text", [FIXTURE_LIKE], ids=["nested"])
def test_code_lines_agree_with_markdown_it(text):
    theirs = {n for n in _markdown_it_code_lines(text) if text.splitlines()[n - 1].strip()}
    assert _ours(text) == theirs


@pytest.mark.parametrize("path", corpus_lists(), ids=lambda p: p.name)
def test_code_lines_agree_with_markdown_it_on_real_lists(path):
    text = path.read_text(encoding="utf-8")
    theirs = {n for n in _markdown_it_code_lines(text) if text.splitlines()[n - 1].strip()}
    assert _ours(text) == theirs


def test_fix_leaves_code_and_pre_byte_for_byte():
    fixed = fix_text(FIXTURE_LIKE + "\n\n\nafter   \n", "list.md", config_for()).text
    assert fixed == FIXTURE_LIKE + "\nafter\n"
