"""arXiv links checked through the arXiv API in batches, with title comparison."""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode

from bot import ids
from bot.links.http import Fetcher, LinkError, host_key
from bot.links.settings import HostLimit, LinksSettings

ATOM = "{http://www.w3.org/2005/Atom}"
NEW_ID = r"\d{4}\.\d{4,5}(?:v\d+)?"
OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Za-z\-]{2,})?/\d{7}(?:v\d+)?"
ID_RE = re.compile(rf"^(?:{NEW_ID}|{OLD_ID})$")
VERSION = re.compile(r"v\d+$")


@dataclass
class PaperResult:
    verdict: str
    error: str | None = None
    title: str | None = None


def arxiv_id(url: str) -> str | None:
    """The arXiv identifier (with version when given) of an abs/pdf/html URL, else None."""
    return ids.arxiv_id(url, keep_version=True)


def base_id(identifier: str) -> str:
    return VERSION.sub("", identifier)


def title_mismatch(entry_title: str | None, api_title: str | None) -> str | None:
    """The API title when it clearly differs from the entry's title, else None."""
    if not entry_title or not api_title:
        return None
    a, b = ids.normalize_title(entry_title), ids.normalize_title(api_title)
    if not a or not b or a == b or a.startswith(b) or b.startswith(a):
        return None
    if difflib.SequenceMatcher(None, a, b).ratio() >= 0.6:
        return None
    return " ".join(api_title.split())


def parse_feed(text: bytes) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Entries of an API answer as {base id: (id, title)} and the ids the API called malformed."""
    root = ET.fromstring(text)
    found: dict[str, tuple[str, str]] = {}
    malformed: list[str] = []
    for entry in root.iter(f"{ATOM}entry"):
        ident = (entry.findtext(f"{ATOM}id") or "").strip()
        title = " ".join((entry.findtext(f"{ATOM}title") or "").split())
        if "/api/errors" in ident:
            bad = ident.split("#incorrect_id_format_for_", 1)
            if len(bad) == 2:
                malformed.append(bad[1])
            else:
                raise ValueError(f"arXiv API error: {title}")
            continue
        match = re.search(r"/abs/(.+)$", ident)
        if match and title:
            found[base_id(match.group(1))] = (match.group(1), title)
    return found, malformed


class ArxivClient:
    """Looks identifiers up, up to `arxiv_batch` per request, one request at a time."""

    def __init__(self, fetcher: Fetcher, settings: LinksSettings) -> None:
        self.fetcher = fetcher
        self.settings = settings
        self.requests = 0
        fetcher.politeness.tighten(host_key(settings.arxiv_api), HostLimit(1, settings.arxiv_interval))

    def check(self, identifiers: list[str]) -> dict[str, PaperResult]:
        results: dict[str, PaperResult] = {}
        pending = []
        for ident in dict.fromkeys(identifiers):
            if ID_RE.match(ident):
                pending.append(ident)
            else:
                results[ident] = PaperResult("broken", "malformed arXiv identifier")
        size = max(1, self.settings.arxiv_batch)
        for start in range(0, len(pending), size):
            results.update(self._batch(pending[start:start + size], retry_malformed=True))
        return results

    def _batch(self, batch: list[str], retry_malformed: bool) -> dict[str, PaperResult]:
        query = urlencode({"id_list": ",".join(batch), "max_results": len(batch)}, safe=",/")
        self.requests += 1
        try:
            answer = self.fetcher.request("GET", f"{self.settings.arxiv_api}?{query}", cap=32 << 20)
        except LinkError as exc:
            return {i: PaperResult("unverifiable", f"arXiv API: {exc.error}") for i in batch}
        if answer.status != 200:
            return {i: PaperResult("unverifiable", f"arXiv API: HTTP {answer.status}") for i in batch}
        try:
            found, malformed = parse_feed(answer.body)
        except (ET.ParseError, ValueError) as exc:
            return {i: PaperResult("unverifiable", f"arXiv API: {exc}") for i in batch}
        if malformed:
            out = {i: PaperResult("broken", "malformed arXiv identifier") for i in batch if i in malformed}
            rest = [i for i in batch if i not in malformed]
            if retry_malformed and rest:
                out.update(self._batch(rest, retry_malformed=False))
            else:
                out.update({i: PaperResult("unverifiable", "arXiv API rejected the batch") for i in rest})
            return out
        out = {}
        for ident in batch:
            hit = found.get(base_id(ident))
            if hit is None:
                out[ident] = PaperResult("broken", "arXiv identifier not found")
            else:
                out[ident] = PaperResult("ok", None, hit[1])
        return out
