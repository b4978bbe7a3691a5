"""Output formats: small functions over the same list of findings."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TextIO

from ..model import Finding

FORMATS = ("text", "json", "github", "sarif")


def write(name: str, out: TextIO, findings: list[Finding], files: int, **options: object) -> None:
    """Render ``findings`` in format ``name`` to ``out``, in pieces where the format has them
    (a ``stream`` function beside its ``render``)."""
    module = _module(name)
    if name in _STREAMED:
        out.writelines(module.stream(findings, files, **options))
    else:
        out.write(module.render(findings, files, **options))


_STREAMED = frozenset({"json"})  # formats whose module has ``stream``


def formatter(name: str) -> Callable[..., str]:
    """The render function for a format name."""
    return _module(name).render


def _module(name: str) -> ModuleType:
    if name == "json":
        from . import json_format as module
    elif name == "github":
        from . import github_format as module
    elif name == "sarif":
        from . import sarif as module
    elif name == "statistics":
        from . import statistics as module
    else:
        from . import text as module
    return module


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
