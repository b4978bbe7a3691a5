"""GitHub Actions workflow-command annotations (``::error file=...::message``)."""

from __future__ import annotations

import re

from ..model import Finding

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_data(text: str) -> str:
    # other control characters (an ANSI escape in a title) would reach the log raw
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROL.sub("?", text)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Finding], files: int, **_: object) -> str:
    out = []
    for f in findings:
        props = [f"file={escape_property(f.path)}", f"line={f.line}", f"col={f.column}"]
        if f.end_line and f.end_line != f.line:
            props.append(f"endLine={f.end_line}")
        props.append(f"title={escape_property('listkeeper ' + f.rule)}")
        out.append(f"::{_COMMAND[f.level]} {','.join(props)}::{escape_data(f.message)}")
    return "\n".join(out) + ("\n" if out else "")
