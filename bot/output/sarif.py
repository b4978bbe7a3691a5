"""SARIF 2.1.0 for GitHub code scanning."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from urllib.parse import quote

from .. import __version__
from ..github.fingerprint import fingerprints
from ..model import Finding
from ..rules import RULES, summary

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def artifact_uri(path: str) -> str:
    """The path as a SARIF artifact URI relative to the repository root (the current
    directory): ``./.github/README.md`` is ``.github/README.md``, not ``github/README.md``."""
    if path == "<stdin>":
        return "stdin"
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        if relative.startswith(".."):
            return "file://" + quote(path.replace(os.sep, "/"))
        path = relative
    parts = [p for p in path.replace(os.sep, "/").split("/") if p not in ("", ".")]
    return quote("/".join(parts)) or quote(path)


def render(findings: list[Finding], files: int, *,
           sources: Mapping[str, str] | None = None, **_: object) -> str:
    """``sources`` maps a path to its text: fingerprints come from the flagged line's content
    (as the PR reviewer's do), so an alert keeps its identity when lines above it move."""
    rules = [{"id": rule_id, "name": rule_id.replace("-", "_"),
              "shortDescription": {"text": summary(module)},
              "fullDescription": {"text": (module.__doc__ or "").strip()},
              "defaultConfiguration": {"level": _LEVEL[module.LEVEL]},
              "helpUri": f"https://github.com/listkeeper/listkeeper#rule-{rule_id}"}
             for rule_id, module in RULES.items()]
    index = {rule_id: i for i, rule_id in enumerate(RULES)}
    lines: dict[str, list[str]] = {}

    def line_text(path: str, line: int) -> str:
        if path not in lines:
            lines[path] = (sources or {}).get(path, "").splitlines()
        found = lines[path]
        return found[line - 1] if 0 < line <= len(found) else ""

    uris = {f.path: artifact_uri(f.path) for f in findings}
    fps = fingerprints((f.rule, uris[f.path], line_text(f.path, f.line)) for f in findings)
    results = []
    for f, fp in zip(findings, fps, strict=True):
        results.append(_ENCODE({
            "ruleId": f.rule, "ruleIndex": index.get(f.rule, 0), "level": _LEVEL[f.level],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uris[f.path]},
                "region": {"startLine": f.line, "startColumn": f.column,
                           "endLine": f.end_line or f.line}}}],
            "partialFingerprints": {"listkeeper/v1": fp},
        }))
    tool = {"driver": {"name": "listkeeper", "version": __version__,
                       "informationUri": "https://github.com/listkeeper/listkeeper",
                       "rules": rules}}
    head = json.dumps({"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                       "version": "2.1.0"}, indent=2)[:-2]
    body = ",\n        ".join(results)
    return (f'{head},\n  "runs": [\n    {{\n      "tool": {json.dumps(tool)},\n'
            f'      "results": [{f"{chr(10)}        {body}{chr(10)}      " if body else ""}]\n'
            f'    }}\n  ]\n}}\n')
