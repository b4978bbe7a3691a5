"""An entry that does not follow the list's entry pattern, spans lines, or has double spaces.

A paper entry should match ``pattern`` (a regular expression over the entry's text, without
the list marker; the default accepts the seed's layout: a venue tag that links to the paper,
the title, then an optional code link and stars badge). It should sit on one line (a deliberate hard
break, two trailing spaces, ``\\`` or ``<br>``, is a multi-line style and allowed), and use
single spaces. A line inside an item that starts ``-[`` (no space after the marker) is no item
of its own: it renders joined to the item above, and the fix adds the space. The fix joins a continuation line onto the entry and collapses runs of spaces
(outside code spans); a pattern mismatch has no fix.

Options:

- ``pattern`` (string, default empty: no pattern check). The seed's ``rules.yaml`` sets
  ``^\\[\\[[^\\]]+\\]\\([^)\\s]+\\)\\] \\S.*$``.
- ``style`` (default empty: any style): the list's entry style (``bot/styles``; ``listkeeper
  init`` finds it), e.g. ``venue-tag``. A paper entry (one with an arXiv, DOI or OpenReview
  link) written in another entry style, in a section whose other entries follow the list's
  style, is reported, with the style's shape; free text around a link (a note) is not.
- ``one_line`` (default ``true``) and ``single_spaces`` (default ``true``). Styles that span
  lines by design (``bold-title``), table rows and paragraphs are never joined.

BAD::

    - [[ArXiv](https://arxiv.org/abs/2305.14864)] Large Language Model Distillation Doesn't Need a Teacher
     [[code](https://github.com/ananyahjha93/llm-distill)]
    - [[ArXiv](https://arxiv.org/abs/2305.15717)]  The False  Promise of Imitating Proprietary LLMs

GOOD::

    - [[ArXiv](https://arxiv.org/abs/2305.14864)] Large Language Model Distillation Doesn't Need a Teacher [[code](https://github.com/ananyahjha93/llm-distill)]
    - [[ArXiv](https://arxiv.org/abs/2305.15717)] The False Promise of Imitating Proprietary LLMs
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..config import Regex
from ..inline import code_span_mask
from ..model import Document, Edit, Fix, Problem
from ..styles import example
from ..styles import get as get_style
from ._common import is_paper

ID = "entry-format"
LEVEL = "warning"
ENABLED = True
FIXABLE = True
ONLINE = False
OPTIONS = {
    "style": (str, ""),
    "pattern": (Regex, ""),
    "one_line": (bool, True),
    "single_spaces": (bool, True),
}

# a run of spaces is tried from its first character only ("(?<![ \t])"): tried from every
# character of a long run that no line break ends, "[ \t]*\n" rescans the run (quadratic)
_BREAK = re.compile(r"(?:(?<![ \t])[ \t]+)?(?:\r\n|\r|\n)[ \t]*")
_HARD_BREAK = re.compile(r"(?:(?<! )  +|\\|<br\s*/?>[ \t]*)(?:\r\n|\r|\n)", re.I)


def _has_soft_break(raw: str) -> bool:
    """True when some line break inside the entry is accidental, not a deliberate hard break
    (two trailing spaces, a backslash or ``<br>``), which multi-line list styles use."""
    hard = len(_HARD_BREAK.findall(raw))
    return len(re.findall(r"\r\n|\r|\n", raw)) > hard
_SPACES = re.compile(r"(?<=\S)(?<!<!--)  +(?=\S)(?!\\?$)(?!\\\n)(?!-->)")  # not around a comment mark


# a next line that is no wrap: an item with a broken marker (``-[x](..)``, ``-* [x]``), or a
# navigation line stuck to the last item (``**[⬆ back to top](#contents)**``)
_OWN_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:[-*+](?=[\[*])|[-*+][-*+]\s|\**\[?\s*[⬆↑^]|"
                       r"\**\[?\s*(?:back to top|top)\b)", re.I)


_NO_MARKER_SPACE = re.compile(r"(?:\r\n|\r|\n)[ \t]*([-+])(?=\[[^\]\n]+\]\()")


def _not_a_wrap(raw: str) -> bool:
    return bool(_OWN_LINE.search(raw))


def check(doc: Document, ctx) -> Iterator[Problem]:
    opts = ctx.options
    pattern = re.compile(opts["pattern"]) if opts["pattern"] else None
    style = opts["style"]
    in_style: dict[int, int] = {}
    if style:
        for entry in doc.entries:
            if entry.style == style:
                in_style[id(entry.section)] = in_style.get(id(entry.section), 0) + 1
    for entry in doc.entries:
        if not is_paper(entry) or entry.details:
            continue
        if style and entry.style not in (style, "title-first") and entry.depth == 0 \
                and (entry.arxiv_id or entry.doi or entry.openreview_id) \
                and in_style.get(id(entry.section), 0) >= 2:
            yield Problem(entry.line, 1, f"entry is not written in this list's style "
                                         f"({style}: {example(style)})")
        raw = entry.raw
        if entry.kind == "item" and ("\n" in raw or "\r" in raw):  # the pattern needs a break
            for m in _NO_MARKER_SPACE.finditer(raw):
                at = entry.start + m.end(1)
                line = doc.line_of(at)
                if line in doc.code_lines:
                    continue
                yield Problem(line, doc.column_of(at) - 1,
                              f"no space after the list marker '{m.group(1)}': this line is "
                              f"not an item of its own, it renders as part of line {entry.line}",
                              Fix((Edit(at, at, " "),), "add the space after the list marker"))
        multiline = entry.kind != "item" or get_style(entry.style).MULTILINE
        if opts["one_line"] and not multiline and entry.end_line > entry.line \
                and _has_soft_break(raw) and not _not_a_wrap(raw):
            edits = []
            for m in _BREAK.finditer(raw):
                before = raw[m.start() - 1:m.start()]
                after = raw[m.end():m.end() + 1]
                closing = after in "\"”" and raw[m.end() + 1:m.end() + 2] in ",.;:)"
                joiner = "" if before in "(<" or after in ")>" or closing else " "
                edits.append(Edit(entry.start + m.start(), entry.start + m.end(), joiner))
            yield Problem(entry.line, 1,
                          f"entry continues on line {entry.line + 1}; keep an entry on one line",
                          Fix(tuple(edits), "join the entry onto one line"),
                          end_line=entry.end_line)
            continue
        if opts["single_spaces"] and entry.kind != "row" and "  " in raw:
            code = code_span_mask(raw)
            # spaces inside a link target are link-format's (the URL itself is broken)
            targets = [(lk.target_start - entry.start, lk.target_end - entry.start)
                       for lk in entry.links if lk.target_start >= 0]
            edits = [Edit(entry.start + m.start(), entry.start + m.end(), " ")
                     for m in _SPACES.finditer(raw)
                     if not any(a <= m.start() < b for a, b in code + targets)]
            if edits:
                first = edits[0].start
                yield Problem(doc.line_of(first), doc.column_of(first),
                              "use single spaces in an entry",
                              Fix(tuple(edits), "collapse runs of spaces"))
        if pattern is not None and entry.depth == 0 and not pattern.search(" ".join(raw.split())):
            yield Problem(entry.line, 1, f"entry does not match the list's pattern "
                                         f"(venue tag linking to the paper, then the title): "
                                         f"{pattern.pattern}")
