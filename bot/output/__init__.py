"""Output formats: small functions over the same list of findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from ..model import Finding

FORMATS = ("text", "json", "github", "sarif")


def write(name: str, out: TextIO, findings: list[Finding], files: int, **options: object) -> None:
    """Render ``findings`` in format ``name`` to ``out``, in pieces where the format has them."""
    stream = _STREAMS.get(name)
    if stream is not None:
        out.writelines(stream()(findings, files, **options))
    else:
        out.write(formatter(name)(findings, files, **options))


def _json_stream() -> Callable[..., Iterable[str]]:
    from .json_format import stream
    return stream


_STREAMS = {"json": _json_stream}


def formatter(name: str) -> Callable[..., str]:
    """The render function for a format name."""
    if name == "json":
        from .json_format import render
    elif name == "github":
        from .github_format import render
    elif name == "sarif":
        from .sarif import render
    elif name == "statistics":
        from .statistics import render
    else:
        from .text import render
    return render


def summary(findings: list[Finding], files: int) -> dict[str, int]:
    counts = {"files": files, "findings": len(findings), "error": 0, "warning": 0, "info": 0,
              "fixable": 0}
    for finding in findings:
        counts[finding.level] += 1
        counts["fixable"] += finding.fixable
    return counts


def per_rule(findings: list[Finding]) -> dict[str, int]:
    """Findings per rule, most first."""
    tally: dict[str, int] = {}
    for finding in findings:
        tally[finding.rule] = tally.get(finding.rule, 0) + 1
    return dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))
