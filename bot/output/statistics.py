"""``check --statistics``: one line per rule, so a new user sees which rule to tune first."""

from __future__ import annotations

from ..model import Finding
from . import per_rule
from .sanitize import terminal


def render(findings: list[Finding], files: int, **_: object) -> str:
    if not findings:
        return f"no findings in {files} file(s)\n"
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    width = max(len(rule) for rule in by_rule)
    lines = [f"{'count':>6}  {'rule':<{width}}  {'level':<18}  {'fixable':>7}  example"]
    for rule in per_rule(findings):
        group = by_rule[rule]
        levels = sorted({f.level for f in group}, key=("error", "warning", "info").index)
        fixable = sum(f.fixable for f in group)
        first = group[0]
        example = terminal(f"{first.path}:{first.line}: {first.message}")
        if len(example) > 100:
            example = example[:97] + "..."
        lines.append(f"{len(group):>6}  {rule:<{width}}  {'/'.join(levels):<18}  {fixable:>7}  "
                     f"{example}")
    lines.append(f"{len(findings)} finding(s) in {files} file(s); tune a rule in rules.yaml, or "
                 "`listkeeper rules ID` for its options")
    return "\n".join(lines) + "\n"
