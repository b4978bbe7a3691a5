"""DOI links checked as registered handles at the DOI handle API, never via the publisher."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from bot.links.http import Fetcher, LinkError

HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


@dataclass
class DoiResult:
    verdict: str
    status: int | None = None
    error: str | None = None


def doi_from_url(url: str) -> str | None:
    """The DOI of a doi.org URL ("10.1145/3290605"), else None."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in HOSTS:
        return None
    doi = unquote(parts.path.lstrip("/"))
    return doi if DOI_RE.match(doi) else None


def check_doi(fetcher: Fetcher, doi: str, api: str) -> DoiResult:
    """responseCode 1 (or 200, handle without values) is ok; 100 is not registered."""
    try:
        answer = fetcher.request("GET", api + quote(doi, safe="/"), cap=1 << 20)
    except LinkError as exc:
        return DoiResult(exc.verdict if exc.verdict != "broken" else "unverifiable", exc.status,
                         f"DOI API: {exc.error}")
    try:
        code = json.loads(answer.body.decode("utf-8", "replace")).get("responseCode")
    except (ValueError, AttributeError):
        code = None
    if code in (1, 200):
        return DoiResult("ok", answer.status)
    if code == 100 or (answer.status == 404 and code is None):
        return DoiResult("broken", answer.status, "DOI not registered")
    return DoiResult("unverifiable", answer.status, f"DOI API: HTTP {answer.status}, responseCode {code}")
