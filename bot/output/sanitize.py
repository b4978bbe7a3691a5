"""Neutralise untrusted text (titles, URLs from a pull request) before it is printed or posted."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x1b]")


def terminal(text: str) -> str:
    """No control characters or escape sequences, and no workflow command at a line start."""
    text = _CONTROL.sub("?", text.replace("\r\n", "\n").replace("\r", "\n"))
    return re.sub(r"(?m)^(\s*)::", "\\1:\u200b:", text)
