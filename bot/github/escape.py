"""Make untrusted text (PR titles, URLs, messages quoting them) safe to post or print.

Posted Markdown must not ping anyone (@user, @org/team), render HTML or images, or break out
of a code span or suggestion block; printed text must not start a workflow command.
"""

from __future__ import annotations

import re

ZWJ = "\u200d"
# GitHub refuses (422) issue, pull request, comment and review bodies over 65,536 characters.
MAX_BODY = 65_536
# What we aim for: room for GitHub counting UTF-16 code units and for our own small additions.
BUDGET = 65_000
TRUNCATED_NOTE = ("\n\n_… truncated: GitHub allows 65,536 characters in one comment; run "
                  "`listkeeper check` locally for everything._\n")

_MENTION = re.compile(r"@(?=[A-Za-z0-9_-])")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~!#])")
_BACKTICK_RUN = re.compile(r"`+")
_WORKFLOW_COMMAND = re.compile(r"^(\s*):(?=:)", re.MULTILINE)


def no_mentions(text: str) -> str:
    """Put a zero-width joiner after every @ that could start a mention."""
    return _MENTION.sub("@" + ZWJ, text)


def html(text: str) -> str:
    """Escape &, < and > so no raw HTML (tags, comments, entities) survives."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text(value: str) -> str:
    """Untrusted text as inert Markdown on one line: no HTML, mentions, links or code spans."""
    value = " ".join(value.split())
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    return no_mentions(html(value))


def longest_backtick_run(value: str) -> int:
    return max((len(m.group(0)) for m in _BACKTICK_RUN.finditer(value)), default=0)


def code(value: str) -> str:
    """Untrusted text as one inline code span that it cannot close early."""
    value = " ".join(value.split())
    ticks = "`" * (longest_backtick_run(value) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value.strip() else ""
    return f"{ticks}{pad}{value}{pad}{ticks}"


def cell_code(value: str) -> str:
    """Untrusted text as a code span inside a table cell: a `|` cannot end the cell.

    GitHub splits table rows at every `|` not escaped as `\\|`, also inside code spans, so
    each `|` is escaped, and a backslash right before one is kept apart from it.
    """
    span = code(value).replace("\\|", "\\\u200b|")
    return span.replace("|", "\\|")


def fence(value: str, minimum: int = 3) -> str:
    """A backtick fence longer than any backtick run in `value`."""
    return "`" * max(minimum, longest_backtick_run(value) + 1)


def suggestion(lines: list[str]) -> str:
    """A ```suggestion block replacing the commented lines with `lines` (may be empty)."""
    content = "\n".join(lines)
    ticks = fence(content)
    inner = content + "\n" if lines else ""
    return f"{ticks}suggestion\n{inner}{ticks}"


def stdout(value: str) -> str:
    """Text for the job log: a line starting with `::` is no workflow command."""
    return _WORKFLOW_COMMAND.sub("\\1:" + "\u200b", value)


def size(value: str) -> int:
    """Length as GitHub may count it: UTF-16 code units (never less than code points)."""
    return len(value) + sum(1 for ch in value if ord(ch) > 0xFFFF)


def cap(body: str, limit: int = BUDGET) -> str:
    """Truncate a body to `limit`, with a note saying so; never inside a code block.

    A body that holds a fenced block (a ```suggestion) is cut before the block starts: a cut
    suggestion would be committed with the note in it.
    """
    if size(body) <= limit:
        return body
    cut = body
    while cut and size(cut) > limit - size(TRUNCATED_NOTE):
        cut = cut[: max(len(cut) - (size(cut) - limit + size(TRUNCATED_NOTE)), 0)]
    fence_at = _open_fence(cut)
    if fence_at is not None:
        cut = cut[:fence_at]
    newline = cut.rfind("\n")
    if newline > len(cut) // 2:
        cut = cut[:newline]
    if cut.count("<details>") > cut.count("</details>"):
        cut += "\n</details>"
    return cut + TRUNCATED_NOTE


def _open_fence(text: str) -> int | None:
    """Offset of a fenced code block that `text` opens but does not close, if any."""
    opened: tuple[int, str] | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        ticks = len(stripped) - len(stripped.lstrip("`"))
        if ticks >= 3:
            if opened is None:
                opened = (offset, "`" * ticks)
            elif stripped == "`" * len(stripped) and ticks >= len(opened[1]):
                opened = None
        offset += len(line)
    return opened[0] if opened else None


def take(items: list[str], room: int, note: str) -> tuple[list[str], int]:
    """As many of `items` (lines) as fit in `room` characters, leaving room for `note`.

    Returns the lines to show and how many were left out; the caller says what they were.
    """
    shown: list[str] = []
    used = 0
    for index, item in enumerate(items):
        cost = size(item) + 1
        rest = len(items) - index - 1
        if used + cost + (size(note) + 16 if rest else 0) > room:
            return shown, len(items) - index
        shown.append(item)
        used += cost
    return shown, 0
