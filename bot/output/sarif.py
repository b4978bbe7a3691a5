"""SARIF 2.1.0 for GitHub code scanning."""

from __future__ import annotations

import json

from .. import __version__
from ..model import Finding
from ..rules import RULES, summary

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(findings: list[Finding], files: int, **_: object) -> str:
    rules = [{"id": rule_id, "name": rule_id.replace("-", "_"),
              "shortDescription": {"text": summary(module)},
              "fullDescription": {"text": (module.__doc__ or "").strip()},
              "defaultConfiguration": {"level": _LEVEL[module.LEVEL]},
              "helpUri": f"https://github.com/listkeeper/listkeeper#rule-{rule_id}"}
             for rule_id, module in RULES.items()]
    index = {rule_id: i for i, rule_id in enumerate(RULES)}
    results = []
    for f in findings:
        results.append({
            "ruleId": f.rule, "ruleIndex": index.get(f.rule, 0), "level": _LEVEL[f.level],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": f.path.lstrip("./") or f.path},
                "region": {"startLine": f.line, "startColumn": f.column,
                           "endLine": f.end_line or f.line}}}],
            "partialFingerprints": {"listkeeper/v1": f"{f.rule}:{f.path}:{f.line}"},
        })
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "listkeeper", "version": __version__,
                                         "informationUri": "https://github.com/listkeeper/listkeeper",
                                         "rules": rules}},
                     "results": results}]}
    return json.dumps(doc, indent=2) + "\n"
