"""The JSON Schema of ``rules.yaml``, generated from the rules' own ``OPTIONS`` so it cannot drift.

``bot/schema.json`` is the output of ``build_schema()``; a test keeps the two equal. Regenerate
it with ``python -m bot.schema``. Editors (VS Code's YAML extension, for one) use it to complete
and check a ``rules.yaml`` that starts with::

    # yaml-language-server: $schema=https://raw.githubusercontent.com/listkeeper/listkeeper/main/bot/schema.json

The sections validated by other modules (``venues``, ``sections``, ``links``, ``review``) are
described only as mappings: their validators are the authority and give better messages.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from .config import (
    TOP_LEVEL_KEYS,
    Regex,  # noqa: E402
)
from .model import LEVELS
from .validate import MAX_FLOAT, MAX_INT

SCHEMA_PATH = Path(__file__).with_name("schema.json")
SCHEMA_ID = "https://raw.githubusercontent.com/listkeeper/listkeeper/main/bot/schema.json"
_SECTIONS = {
    "venues": "Venue vocabulary: canonical labels in rank order, aliases, suffixes.",
    "sections": "Section policies: ordering by section path glob, category keywords.",
    "links": "Link checking settings (validated by `listkeeper links`).",
    "review": "Pull-request review settings (validated by `listkeeper review`).",
}
_OPTION_DOC = re.compile(r"^\s*-\s+``(\w+)``\s*(.*)$")


def _option_type(kind: Any) -> dict[str, Any]:
    """The schema of one option type, as ``bot.config`` checks it."""
    if kind is Regex:
        return {"type": "string", "format": "regex"}
    if isinstance(kind, tuple):  # YAML 1.1 reads a bare ``off`` as false; bot.config accepts it
        return {"enum": list(kind) + ([False] if "off" in kind else [])}
    return {bool: {"type": "boolean"},
            int: {"type": "integer", "minimum": 0, "maximum": MAX_INT},
            float: {"type": "number", "minimum": 0, "maximum": MAX_FLOAT},
            str: {"type": "string"}, list: {"type": "array"},
            dict: {"type": "object"}}.get(kind, {})


def _option_docs(module: Any) -> dict[str, str]:
    """``name -> description`` from the ``Options:`` bullets of a rule's docstring."""
    docs: dict[str, str] = {}
    current = None
    for line in (module.__doc__ or "").splitlines():
        m = _OPTION_DOC.match(line)
        if m:
            current = m.group(1)
            docs[current] = m.group(2).strip()
        elif current and line.startswith("  ") and line.strip():
            docs[current] += " " + line.strip()
        else:
            current = None
    return {name: " ".join(text.replace("``", "`").split()) for name, text in docs.items()}


def rule_schema(module: Any) -> dict[str, Any]:
    """``off``/``on``/a level, or a mapping of ``level``, ``ignore`` and the rule's options."""
    docs = _option_docs(module)
    properties: dict[str, Any] = {
        "level": {"enum": ["off", False, *LEVELS], "default": module.LEVEL},
        "ignore": {"type": "array", "items": {"type": "string"},
                   "description": "Section path globs where the rule does not apply."},
    }
    for name, (kind, default) in module.OPTIONS.items():
        option = dict(_option_type(kind))
        option["default"] = default
        if docs.get(name):
            option["description"] = docs[name]
        properties[name] = option
    summary = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
    return {
        "description": summary,
        "anyOf": [
            {"enum": ["off", "on", *LEVELS]},
            {"type": ["boolean", "null"]},
            {"type": "object", "properties": properties, "additionalProperties": False},
        ],
    }


def build_schema() -> dict[str, Any]:
    """The whole schema (draft 2020-12)."""
    from .rules import RULES

    properties: dict[str, Any] = {
        "extends": {"enum": ["default", None],
                    "description": "Build on the built-in defaults (bot/defaults.yaml)."},
        "files": {"type": ["array", "null"], "items": {"type": "string"},
                  "description": "The list files to check when no path is given."},
        "fix": {"type": ["array", "null"], "items": {"enum": sorted(RULES)},
                "description": "Rules whose list-wide rewrites (badge insertion, label renames, "
                               "reordering, moves) `fix` applies to the whole list."},
        "rules": {"type": ["object", "null"], "additionalProperties": False,
                  "properties": {rule_id: rule_schema(module)
                                 for rule_id, module in sorted(RULES.items())}},
    }
    for name, description in _SECTIONS.items():
        properties[name] = {"type": "object", "description": description}
    unknown = set(TOP_LEVEL_KEYS) - set(properties)
    for name in sorted(unknown):  # a section added to bot.config before it has a description
        properties[name] = {"type": "object"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "listkeeper configuration (rules.yaml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {key: properties[key] for key in TOP_LEVEL_KEYS if key in properties},
    }


def render() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
