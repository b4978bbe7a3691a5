"""The review plan: what the engine found in a PR, as data that can travel as an artifact.

The plan holds findings, never Markdown: whoever posts it renders (and escapes) the bodies, so
a tampered artifact can at worst change which findings are listed, not what the bot says.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.errors import InputError

from .fingerprint import fingerprints

VERSION = 1
MAX_FINDINGS = 5000
_SHA = {"type": "string", "pattern": "^[0-9a-f]{40}$"}
_PATH = {"type": "string", "minLength": 1, "maxLength": 1024, "pattern": "^[^\\x00-\\x1f]+$"}
_LINE = {"type": "integer", "minimum": 1, "maximum": 10_000_000}
_FINDING = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rule", "level", "path", "line", "column", "message", "fingerprint"],
    "properties": {
        "rule": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"},
        "level": {"enum": ["error", "warning", "info"]},
        "path": _PATH,
        "line": _LINE,
        "end_line": {"anyOf": [_LINE, {"type": "null"}]},
        "column": {"type": "integer", "minimum": 0},
        "message": {"type": "string", "maxLength": 2000},
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}(-[0-9]+)?$"},
        "section": {"type": "string", "maxLength": 500},
        "suggestion": {"anyOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False,
            "required": ["first", "last", "lines"],
            "properties": {"first": _LINE, "last": _LINE,
                           "lines": {"type": "array", "maxItems": 200,
                                     "items": {"type": "string", "maxLength": 5000}}}}]},
        "move_below": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]},
        "fixable": {"type": "boolean"},
    },
}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "listkeeper review plan",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "repo", "head_sha", "findings"],
    "properties": {
        "version": {"const": VERSION},
        "repo": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"},
        "pr": {"type": "integer", "minimum": 1},
        "head_sha": _SHA,
        "base_sha": _SHA,
        "links_checked": {"type": "boolean"},
        "findings": {"type": "array", "maxItems": MAX_FINDINGS, "items": _FINDING},
        "preexisting": {"type": "array", "maxItems": MAX_FINDINGS, "items": _FINDING},
    },
}


@dataclass
class PlannedFinding:
    """One finding with what posting needs: its fingerprint, suggestion and move target."""

    rule: str
    level: str
    path: str
    line: int
    column: int
    message: str
    fingerprint: str
    end_line: int | None = None
    section: str = ""
    suggestion: dict | None = None  # {"first", "last", "lines"}: replaces whole lines
    move_below: int | None = None  # a fix that moves the entry: where it belongs
    fixable: bool = False


@dataclass
class ReviewPlan:
    repo: str
    head_sha: str
    findings: list[PlannedFinding]
    pr: int | None = None
    base_sha: str | None = None
    links_checked: bool = False
    preexisting: list[PlannedFinding] = field(default_factory=list)

    def to_json(self) -> str:
        data = {"version": VERSION, **asdict(self)}
        if data["pr"] is None:
            del data["pr"]
        if data["base_sha"] is None:
            del data["base_sha"]
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "plan") -> ReviewPlan:
        """Parse and validate a plan against SCHEMA; anything else raises InputError."""
        import jsonschema

        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError(f"not JSON: {exc}", source) from None
        try:
            jsonschema.validate(data, SCHEMA)
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "top level"
            raise InputError(f"invalid review plan at {where}: {exc.message[:200]}", source) from None
        findings = [PlannedFinding(**f) for f in data["findings"]]
        preexisting = [PlannedFinding(**f) for f in data.get("preexisting", [])]
        return cls(repo=data["repo"], head_sha=data["head_sha"], findings=findings,
                   pr=data.get("pr"), base_sha=data.get("base_sha"),
                   links_checked=data.get("links_checked", False), preexisting=preexisting)


def move_target(text: str, finding: Any) -> int | None:
    """For a fix that moves lines: the line (of the current text) the entry belongs below."""
    if finding.fix is None:
        return None
    inserts = [e for e in finding.fix.edits if e.replacement.strip()]
    if not inserts:
        return None
    return text.count("\n", 0, inserts[0].start)


def plan_findings(doc: Any, findings: list[Any]) -> list[PlannedFinding]:
    """PlannedFindings for engine findings on `doc` (the head version of a list file)."""
    from bot.fixer import fixed_lines

    text, path = doc.text, doc.path
    lines = text.splitlines()

    def line_text(n: int) -> str:
        return lines[n - 1] if 0 < n <= len(lines) else ""

    fps = fingerprints((f.rule, path, line_text(f.line)) for f in findings)
    planned = []
    for finding, fp in zip(findings, fps, strict=True):
        suggestion = None
        move_below = None
        if finding.fix is not None and finding.moves:
            move_below = move_target(text, finding)
        elif finding.fix is not None:
            fixed = fixed_lines(doc, finding)
            if fixed is not None:
                first, last, new_lines = fixed
                suggestion = {"first": first, "last": last, "lines": new_lines}
        section = doc.section_at(finding.line)
        planned.append(PlannedFinding(
            rule=finding.rule, level=finding.level, path=path, line=finding.line,
            column=finding.column, message=finding.message, fingerprint=fp,
            end_line=finding.end_line, section=section.path_str if section else "",
            suggestion=suggestion, move_below=move_below, fixable=finding.fix is not None))
    return planned


def touched_sections(doc: Any, changed: set[int]) -> set[tuple[str, ...]]:
    """Paths of the sections that hold a changed line."""
    touched = set()
    for line in changed:
        section = doc.section_at(line)
        if section is not None:
            touched.add(section.path)
    return touched


def in_sections(doc: Any, findings: list[Any], sections: set[tuple[str, ...]]) -> list[Any]:
    """The findings that sit in one of the `sections` (by section path)."""
    out = []
    for finding in findings:
        section = doc.section_at(finding.line)
        if section is not None and section.path in sections:
            out.append(finding)
    return out
