"""Make untrusted text (PR titles, URLs, messages quoting them) safe to post or print.

Posted Markdown must not ping anyone (@user, @org/team), render HTML or images, or break out
of a code span or suggestion block; printed text must not start a workflow command.
"""

from __future__ import annotations

import re

ZWJ = "\u200d"
# GitHub rejects issue and comment bodies over 65,536 characters; stay well below.
MAX_BODY = 65_000
TRUNCATED_NOTE = "\n\n_… truncated: the full list is too long for one comment; run `listkeeper check` locally._\n"

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


def cap(body: str, limit: int = MAX_BODY) -> str:
    """Truncate a comment body to `limit` characters, with a note saying so."""
    if len(body) <= limit:
        return body
    cut = body[: limit - len(TRUNCATED_NOTE)]
    newline = cut.rfind("\n")
    if newline > limit // 2:
        cut = cut[:newline]
    if cut.count("<details>") > cut.count("</details>"):
        cut += "\n</details>"
    return cut + TRUNCATED_NOTE
