"""Human-readable output, coloured only on a terminal."""

from __future__ import annotations

from ..model import Finding
from . import per_rule, summary
from .sanitize import terminal

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_RESET = "\x1b[0m"


def render(findings: list[Finding], files: int, *, color: bool = False, **_: object) -> str:
    lines = []
    for f in findings:
        level = f"{_COLORS[f.level]}{f.level}{_RESET}" if color else f.level
        fixable = " [fixable]" if f.fixable else ""
        lines.append(f"{terminal(f.path)}:{f.line}:{f.column}: {level} "
                     f"{terminal(f.message)} ({f.rule}){fixable}")
    s = summary(findings, files)
    rules = ", ".join(f"{rule} {count}" for rule, count in per_rule(findings).items())
    lines.append(f"{s['findings']} finding(s) in {s['files']} file(s): {s['error']} error(s), "
                 f"{s['warning']} warning(s), {s['info']} info, {s['fixable']} fixable"
                 + (f" ({rules})" if rules else ""))
    return "\n".join(lines) + "\n"
