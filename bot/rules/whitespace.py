"""Trailing spaces, tabs, a missing final newline and runs of blank lines.

Code blocks are left alone. Every finding is fixable: trailing spaces are removed, a leading
tab becomes spaces to the next multiple of four (CommonMark's tab stop, so nesting is kept), an
inner tab becomes one space, extra blank lines are removed and a final newline is added.

Options:

- ``max_blank_lines`` (default ``1``): consecutive blank lines allowed; ``0``: not checked.
  Blank lines after an HTML line (``</div>``) space out HTML blocks and are not counted.
- ``allow_tabs`` (default ``false``).
- ``allow_hard_breaks`` (default ``true``): two or more trailing spaces before a non-blank
  line are a Markdown hard line break (removing them would join the lines on the rendered
  page), not stray whitespace.
- ``trailing_spaces`` (default ``true``): report trailing spaces; ``listkeeper init`` turns it
  off for a list that keeps them on many lines.

BAD (``·`` is a space, ``→`` a tab)::

    - [[ICLR](https://openreview.net/forum?id=3itjR9QxFw)] Analog Bits·
    →- nested



    ## Next

GOOD::

    - [[ICLR](https://openreview.net/forum?id=3itjR9QxFw)] Analog Bits
        - nested

    ## Next
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Document, Edit, Fix, Problem

ID = "whitespace"
LEVEL = "warning"
ENABLED = True
FIXABLE = True
ONLINE = False
OPTIONS = {
    "max_blank_lines": (int, 1),
    "allow_tabs": (bool, False),
    "allow_hard_breaks": (bool, True),
    "trailing_spaces": (bool, True),
}


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    text = doc.text
    blank_run = 0
    after_html = False  # the last non-blank line was HTML (``</div>``): spacing between blocks
    total = doc.line_count
    for number in range(1, total + 1):
        start, end = doc.line_span(number, number, with_newline=False)
        line = text[start:end]
        in_code = number in doc.code_lines
        if not line.strip():
            blank_run += 1
            if 0 < opts["max_blank_lines"] < blank_run and not in_code and not after_html:
                s, e = doc.line_span(number, number)
                yield Problem(number, 1, f"more than {opts['max_blank_lines']} blank line(s)",
                              Fix((Edit(s, e, ""),), "remove the extra blank line"))
                continue
        else:
            blank_run = 0
            after_html = not in_code and line.lstrip().startswith("<") \
                and line.rstrip().endswith(">") and not line.lstrip().startswith("<!--")
        if in_code:
            continue
        stripped = line.rstrip(" \t")
        hard_break = (opts["allow_hard_breaks"] and line.endswith("  ") and stripped
                      and number < total and doc.line_text(number + 1).strip() != "")
        if len(stripped) < len(line) and not hard_break and opts["trailing_spaces"]:
            yield Problem(number, len(stripped) + 1, "trailing whitespace",
                          Fix((Edit(start + len(stripped), end, ""),), "remove trailing spaces"))
            line = stripped
        if not opts["allow_tabs"] and "\t" in line:
            yield Problem(number, line.index("\t") + 1, "tab character",
                          Fix((Edit(start, start + len(line), _untab(line)),), "replace tabs"))
    if text and not text.endswith(("\n", "\r")):
        yield Problem(total, len(doc.line_text(total)) + 1, "missing final newline",
                      Fix((Edit(len(text), len(text), doc.newline),), "add a final newline"))


def _untab(line: str) -> str:
    """Leading tabs to the next tab stop of four; inner tabs to one space."""
    out = []
    column = 0
    leading = True
    for ch in line:
        if ch == "\t":
            if leading:
                width = 4 - column % 4
                out.append(" " * width)
                column += width
            else:
                out.append(" ")
                column += 1
        else:
            if ch != " ":
                leading = False
            out.append(ch)
            column += 1
    return "".join(out)
