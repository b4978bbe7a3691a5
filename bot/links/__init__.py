"""Link checking (issue 4): polite HTTP checks, arXiv/GitHub/DOI identifiers, SQLite history."""

from __future__ import annotations

from bot.links.checker import check_links
from bot.links.results import LinkResult, LinkTarget
from bot.links.settings import HostLimit, LinksSettings

__all__ = ["HostLimit", "LinkResult", "LinkTarget", "LinksSettings", "check_links"]
