"""The review plan: what the engine found in a PR, as data that can travel as an artifact.

The plan holds findings, never Markdown: whoever posts it renders (and escapes) the bodies, so
a tampered artifact can at worst change which findings are listed, not what the bot says.
It is validated against SCHEMA by a small validator of its own (`validate`), so posting needs
nothing beyond the runtime dependencies that `pip install .` brings.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.errors import InputError

from .fingerprint import fingerprints

VERSION = 1
MAX_FINDINGS = 5000
MAX_MESSAGE = 2000
MAX_SECTION = 500
MAX_SUGGESTION_LINE = 5000
MAX_SUGGESTION_LINES = 200
_SHA = {"type": "string", "pattern": "^[0-9a-f]{40}$"}
_PATH = {"type": "string", "minLength": 1, "maxLength": 1024, "pattern": "^[^\\x00-\\x1f]+$"}
_LINE = {"type": "integer", "minimum": 1, "maximum": 10_000_000}
_RULE = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"}
_FINDING = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rule", "level", "path", "line", "column", "message", "fingerprint"],
    "properties": {
        "rule": _RULE,
        "level": {"enum": ["error", "warning", "info"]},
        "path": _PATH,
        "line": _LINE,
        "end_line": {"anyOf": [_LINE, {"type": "null"}]},
        "column": {"type": "integer", "minimum": 0},
        "message": {"type": "string", "maxLength": MAX_MESSAGE},
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}(-[0-9]+)?$"},
        "section": {"type": "string", "maxLength": MAX_SECTION},
        "suggestion": {"anyOf": [{"type": "null"}, {
            "type": "object", "additionalProperties": False,
            "required": ["first", "last", "lines"],
            "properties": {"first": _LINE, "last": _LINE,
                           "lines": {"type": "array", "maxItems": MAX_SUGGESTION_LINES,
                                     "items": {"type": "string", "maxLength": MAX_SUGGESTION_LINE}},
                           "fixes": {"type": "array", "maxItems": 64, "items": _RULE}}}]},
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
        "omitted": {"type": "integer", "minimum": 0},
        "findings": {"type": "array", "maxItems": MAX_FINDINGS, "items": _FINDING},
        "preexisting": {"type": "array", "maxItems": MAX_FINDINGS, "items": _FINDING},
    },
}


class SchemaError(ValueError):
    def __init__(self, where: list, message: str) -> None:
        super().__init__(message)
        self.where = where


_TYPES: dict[str, Any] = {"object": dict, "array": list, "string": str, "boolean": bool,
                          "null": type(None)}
_PATTERNS: dict[str, re.Pattern] = {}


def _pattern(source: str) -> re.Pattern:
    """A schema pattern; a final `$` means the very end (Python's `$` allows a newline)."""
    if source not in _PATTERNS:
        _PATTERNS[source] = re.compile(source[:-1] + r"\Z" if source.endswith("$") else source)
    return _PATTERNS[source]


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def validate(value: Any, schema: dict[str, Any], where: list | None = None) -> None:
    """Check `value` against the subset of JSON Schema that SCHEMA uses; raise SchemaError.

    Keywords: type, enum, const, anyOf, pattern, minLength, maxLength, minimum, maximum,
    required, properties, additionalProperties (false), items, maxItems.
    """
    where = where or []
    if "anyOf" in schema:
        if not any(_valid(value, option, where) for option in schema["anyOf"]):
            raise SchemaError(where, f"{_short(value)} is not valid under any of the given schemas")
        return
    if "const" in schema and value != schema["const"]:
        raise SchemaError(where, f"{schema['const']!r} was expected")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(where, f"{_short(value)} is not one of {schema['enum']!r}")
    kind = schema.get("type")
    if kind is not None and not _is_type(value, kind):
        raise SchemaError(where, f"{_short(value)} is not of type {kind!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise SchemaError(where, f"{_short(value)} is too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise SchemaError(where, f"{_short(value)} is too long")
        if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
            raise SchemaError(where, f"{_short(value)} does not match {schema['pattern']!r}")
    if _is_type(value, "integer"):
        if "minimum" in schema and value < schema["minimum"]:
            raise SchemaError(where, f"{value} is less than the minimum of {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise SchemaError(where, f"{value} is greater than the maximum of {schema['maximum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                raise SchemaError(where, f"{key!r} is a required property")
        for key, item in value.items():
            if key in properties:
                validate(item, properties[key], where + [key])
            elif schema.get("additionalProperties", True) is False:
                raise SchemaError(where, f"Additional properties are not allowed ({_short(key)} was unexpected)")
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise SchemaError(where, f"the array is too long (more than {schema['maxItems']} items)")
        if "items" in schema:
            for index, item in enumerate(value):
                validate(item, schema["items"], where + [index])


def _valid(value: Any, schema: dict[str, Any], where: list) -> bool:
    try:
        validate(value, schema, where)
    except SchemaError:
        return False
    return True


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
    suggestion: dict | None = None  # {"first", "last", "lines", "fixes"}: replaces whole lines
    move_below: int | None = None  # a fix that moves the entry: where it belongs
    fixable: bool = False


LEVEL_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class ReviewPlan:
    repo: str
    head_sha: str
    findings: list[PlannedFinding]
    pr: int | None = None
    base_sha: str | None = None
    links_checked: bool = False
    preexisting: list[PlannedFinding] = field(default_factory=list)
    omitted: int = 0  # findings left out of the plan (more than MAX_FINDINGS)

    def to_json(self) -> str:
        """The plan as JSON, always valid against SCHEMA (over-long lists are cut, and counted)."""
        findings, cut = _bounded(self.findings)
        preexisting, cut_pre = _bounded(self.preexisting)
        data = {"version": VERSION, **asdict(self)}
        data["findings"] = [asdict(f) for f in findings]
        data["preexisting"] = [asdict(f) for f in preexisting]
        data["omitted"] = self.omitted + cut + cut_pre
        for key in ("pr", "base_sha"):
            if data[key] is None:
                del data[key]
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "plan") -> ReviewPlan:
        """Parse and validate a plan against SCHEMA; anything else raises InputError."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError(f"not JSON: {exc}", source) from None
        try:
            validate(data, SCHEMA)
        except SchemaError as exc:
            where = "/".join(str(p) for p in exc.where) or "top level"
            raise InputError(f"invalid review plan at {where}: {str(exc)[:200]}", source) from None
        findings = [PlannedFinding(**f) for f in data["findings"]]
        preexisting = [PlannedFinding(**f) for f in data.get("preexisting", [])]
        return cls(repo=data["repo"], head_sha=data["head_sha"], findings=findings,
                   pr=data.get("pr"), base_sha=data.get("base_sha"),
                   links_checked=data.get("links_checked", False), preexisting=preexisting,
                   omitted=data.get("omitted", 0))


def _bounded(findings: list[PlannedFinding]) -> tuple[list[PlannedFinding], int]:
    """At most MAX_FINDINGS findings, the most severe first kept; and how many were cut."""
    if len(findings) <= MAX_FINDINGS:
        return findings, 0
    kept = sorted(findings, key=lambda f: (LEVEL_RANK.get(f.level, 3), f.path, f.line))[:MAX_FINDINGS]
    return kept, len(findings) - MAX_FINDINGS


def move_target(doc: Any, finding: Any) -> int | None:
    """For a fix that moves an entry: the line (of the current text) it belongs below.

    A rule may say so itself (`related[0]` of a moving finding, as `ordering` does, so its
    message and the hint name the same line); otherwise it is the line the fix inserts the
    entry after, a line of the section the entry moves to.
    """
    if finding.fix is None:
        return None
    if finding.related:
        return finding.related[0]
    inserts = [e for e in finding.fix.edits if e.replacement.strip()]
    if not inserts:
        return None
    insert = inserts[0]
    if insert.replacement.startswith(("\n", "\r\n")):  # appended after the line `start` is on
        return doc.line_of(insert.start) if insert.start else 0
    return doc.text.count("\n", 0, insert.start)  # inserted at the start of a line


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fits(lines: list[str]) -> bool:
    return len(lines) <= MAX_SUGGESTION_LINES and all(len(x) <= MAX_SUGGESTION_LINE for x in lines)


def _overlaps(a: Any, b: Any) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions collide at the same point or inside
        return a.start <= b.start < a.end or b.start <= a.start < b.end or a.start == b.start
    return a.start < b.end and b.start < a.end


def merged_suggestions(doc: Any, findings: list[Any]) -> dict[int, dict]:
    """One suggestion per line range: index of a finding -> the suggestion that fixes it.

    The certain fixes of findings whose lines overlap are merged into one replacement of the
    union of their lines (an entry with a venue and a badge problem gets one suggestion that
    fixes both); a fix that collides with one already taken is left out of the suggestion.
    Each suggestion lists the rules it fixes in `fixes`.
    """
    from bot.fixer import fixed_lines
    from bot.model import Finding, Fix

    spans = []
    for index, finding in enumerate(findings):
        if finding.fix is None or finding.moves:
            continue
        fixed = fixed_lines(doc, finding)
        if fixed is not None:
            spans.append((fixed[0], fixed[1], index))
    spans.sort()
    groups: list[list[tuple[int, int, int]]] = []
    for span in spans:
        if groups and span[0] <= max(s[1] for s in groups[-1]):
            groups[-1].append(span)
        else:
            groups.append([span])
    out: dict[int, dict] = {}
    for group in groups:
        members = sorted((i for _, _, i in group),
                         key=lambda i: (LEVEL_RANK.get(findings[i].level, 3), findings[i].line, i))
        taken: list[Any] = []
        fixed_by: list[int] = []
        for index in members:
            edits = findings[index].fix.edits
            if any(_overlaps(e, t) for e in edits for t in taken):
                continue
            taken += edits
            fixed_by.append(index)
        combined = Finding(path=doc.path, line=findings[fixed_by[0]].line, column=1, rule="merged",
                           level="info", message="", fix=Fix(tuple(sorted(taken, key=lambda e: e.start))))
        fixed = fixed_lines(doc, combined)
        if fixed is None or not _fits(fixed[2]):
            continue  # a suggestion GitHub would have to cut is no suggestion: never post it
        first, last, new_lines = fixed
        suggestion = {"first": first, "last": last, "lines": new_lines,
                      "fixes": sorted({findings[i].rule for i in fixed_by})}
        for index in fixed_by:
            out[index] = suggestion
    return out


def plan_findings(doc: Any, findings: list[Any]) -> list[PlannedFinding]:
    """PlannedFindings for engine findings on `doc` (the head version of a list file).

    When an entry must move, one instruction: a section-placement move wins over an ordering
    move of the same entry (the order within the wrong section does not matter).
    """
    text, path = doc.text, doc.path
    lines = text.splitlines()
    placement_moves = {f.line for f in findings if f.rule == "section-placement" and f.moves}
    findings = [f for f in findings
                if not (f.rule == "ordering" and f.moves and f.line in placement_moves)]

    def line_text(n: int) -> str:
        return lines[n - 1] if 0 < n <= len(lines) else ""

    fps = fingerprints((f.rule, path, line_text(f.line)) for f in findings)
    suggestions = merged_suggestions(doc, findings)
    planned = []
    for index, (finding, fp) in enumerate(zip(findings, fps, strict=True)):
        move_below = move_target(doc, finding) if finding.fix is not None and finding.moves else None
        section = doc.section_at(finding.line)
        planned.append(PlannedFinding(
            rule=finding.rule, level=finding.level, path=path, line=finding.line,
            column=finding.column, message=_clip(finding.message, MAX_MESSAGE), fingerprint=fp,
            end_line=finding.end_line,
            section=_clip(section.path_str, MAX_SECTION) if section else "",
            suggestion=suggestions.get(index), move_below=move_below,
            fixable=finding.fix is not None))
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
