"""Hostile shapes of Markdown (issue 11), for the growth tests and the hypothesis generators.

Each shape is a function of a size ``n``: deep nesting of lists and block quotes, long lines
and long runs of spaces, many brackets, images, backticks, comment and anchor openers, headings,
duplicates, huge URLs, many suppression directives, long CRLF paragraphs. The same shapes feed
``tests/test_bounds.py`` (time grows linearly in the size of the input) and the property tests
(``tests/test_robustness.py``, ``test_fix_property.py``, ``test_paper_rules_property.py``), so a
shape that once hung a scanner is in every generator.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

ENTRY = "- [[ICLR](https://arxiv.org/abs/2402.{i:05d})] Paper {i}\n"

SHAPES: dict[str, Callable[[int], str]] = {
    "nested lists": lambda n: "".join("  " * i + f"- item {i}\n" for i in range(n)),
    "list markers on one line": lambda n: "- " * n + "x\n",
    "nested block quotes": lambda n: "".join("> " * i + f"quote {i}\n\n" for i in range(n)),
    "quote markers on one line": lambda n: "> " * n + "x\n",
    "quotes and lists interleaved": lambda n: "> - " * n + "x\n",
    "a long entry line": lambda n: "- [[ArXiv](https://arxiv.org/abs/2402.04291)] "
                                   + "word " * n + "\n",
    "spaces in a heading": lambda n: "## a" + " " * n + "b\n",
    "spaces in a plain-title entry": lambda n: "- Title" + " " * n + "x -\n",
    "spaces before a line break": lambda n: "- [[ArXiv](https://arxiv.org/abs/2402.04291)] T"
                                            + " " * n + "x\n  more\n",
    "brackets": lambda n: "- " + "[" * n + "\n",
    "images": lambda n: "- " + "![" * n + "\n",
    "backticks": lambda n: "- " + "`a ``b " * n + "\n",
    "comment openers": lambda n: "<!-- " * n + "\n",
    "anchor openers": lambda n: "<a href=x " * n + "\n",
    "angle destinations": lambda n: "- " + "[a](<" * n + ">\n",
    "headings": lambda n: "# L\n\n" + "".join(f"## H{i}\n\n[x](#h{i})\n\n" for i in range(n)),
    "duplicates": lambda n: "## 2024\n\n" + ENTRY.format(i=1) * n,
    "a huge URL": lambda n: "- [[ArXiv](https://arxiv.org/abs/2402.04291" + "a" * n + ")] T\n",
    "disables": lambda n: "".join(f"<!-- listkeeper-disable r{i} -->\n- x  \n" for i in range(n)),
    "a long CRLF paragraph": lambda n: "# L\r\n\r\n" + "word [a](https://e.org/x) word\r\n" * n,
}

# a size at which each shape is about as long as a big line or a big list section
HYPOTHESIS_MAX = {"nested lists": 60, "nested block quotes": 60, "headings": 60, "duplicates": 60,
                  "disables": 60, "a long CRLF paragraph": 200}


def hostile_blocks(max_size: int = 400, *, without: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """One hostile shape at a drawn size, as a Markdown block (ends with a newline); ``without``
    leaves out shapes a property cannot account for."""
    return st.sampled_from(sorted(set(SHAPES) - set(without))).flatmap(
        lambda name: st.integers(1, min(max_size, HYPOTHESIS_MAX.get(name, max_size)))
        .map(SHAPES[name]))


# pieces that stay inside one entry's title: what a hostile contributor can put in a PR line
TITLE_PIECES = st.sampled_from(["[", "![", "`", "``", "<!-- ", "<a href=", "[a](<", "  ", "\t",
                                "#", "*", "_", "\\", "](", "<", ">", "|"])


def hostile_titles(max_repeat: int = 200) -> st.SearchStrategy[str]:
    """A title-like run of one hostile piece, repeated."""
    return st.tuples(TITLE_PIECES, st.integers(1, max_repeat)).map(lambda t: t[0] * t[1])
