"""One JSON object: the findings and a summary."""

from __future__ import annotations

import json

from ..model import Finding
from . import summary


def as_dict(f: Finding) -> dict:
    return {"rule": f.rule, "level": f.level, "path": f.path, "line": f.line,
            "column": f.column, "end_line": f.end_line or f.line, "message": f.message,
            "fixable": f.fixable}


def render(findings: list[Finding], files: int, **_: object) -> str:
    return json.dumps({"findings": [as_dict(f) for f in findings],
                       "summary": summary(findings, files)}, indent=2, ensure_ascii=False) + "\n"
