"""Link checking (issue 4): polite HTTP checks, arXiv/GitHub/DOI identifiers, SQLite history.

The names below are imported on first use, so that importing a light submodule (settings,
targets) does not import requests.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "check_links": "bot.links.checker",
    "LinkResult": "bot.links.results",
    "LinkTarget": "bot.links.results",
    "HostLimit": "bot.links.settings",
    "LinksSettings": "bot.links.settings",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bot.links' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)
