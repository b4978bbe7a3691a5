"""arXiv links checked through the arXiv API in batches, with title comparison."""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode

from bot import ids
from bot.links.http import LinkError, host_key
from bot.links.jobs import RetryingJob
from bot.links.results import LinkResult, LinkTarget, Sighting
from bot.links.settings import HostLimit

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"  # journal_ref, doi: the published version's, if any
NEW_ID = r"\d{4}\.\d{4,5}(?:v\d+)?"
OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Za-z\-]{2,})?/\d{7}(?:v\d+)?"
ID_RE = re.compile(rf"^(?:{NEW_ID}|{OLD_ID})$")
VERSION = re.compile(r"v\d+$")


@dataclass
class PaperResult:
    verdict: str
    error: str | None = None
    title: str | None = None
    meta: dict | None = None  # journal_ref, doi, published (the first version's date)


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


def parse_feed(text: bytes) -> tuple[dict[str, tuple[str, str, dict]], list[str]]:
    """Entries of an API answer as {base id: (id, title, meta)} and the ids the API called
    malformed; meta holds the entry's `arxiv:journal_ref` and `arxiv:doi` (the published
    version, when the authors said) and the date of its first version (`published`)."""
    root = ET.fromstring(text)
    found: dict[str, tuple[str, str, dict]] = {}
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
            meta = {}
            for key, tag in (("journal_ref", f"{ARXIV}journal_ref"), ("doi", f"{ARXIV}doi"),
                             ("published", f"{ATOM}published")):
                value = " ".join((entry.findtext(tag) or "").split())
                if value:
                    meta[key] = value[:10] if key == "published" else value[:500]
            found[base_id(match.group(1))] = (match.group(1), title, meta)
    return found, malformed


NAME = "arxiv"


def claim(url: str, run) -> str | None:
    return arxiv_id(url)


def key(ident: str, run) -> str:
    return host_key(run.settings.arxiv_api)


def cost(count: int, key: str, run) -> float:
    s = run.settings
    return -(-count // max(1, s.arxiv_batch)) * (s.arxiv_interval + s.arxiv_margin)


def jobs(groups: dict[str, list[LinkTarget]], run) -> list:
    """Batches of up to `arxiv_batch` ids, one request at a time, the interval plus a margin apart
    (arXiv's limiter measures arrivals: requests sent 3.000 s apart arrived 2.999 s apart)."""
    s = run.settings
    run.politeness.tighten(key("", run), HostLimit(1, s.arxiv_interval + s.arxiv_margin))
    out: list[ArxivJob] = []
    pending = []
    for ident, targets in groups.items():
        if ID_RE.match(ident):
            pending.append(ident)
        else:
            _put(run, targets, PaperResult("broken", "malformed arXiv identifier"))
    size = max(1, s.arxiv_batch)
    for start in range(0, len(pending), size):
        batch = pending[start:start + size]
        out.append(ArxivJob(run, batch, {i: groups[i] for i in batch}))
    return out


def meta_of(title: str | None, extra: dict | None) -> dict:
    """What a result tells of the paper (`LinkResult.meta`): its title and the feed's meta."""
    out = {k: v for k, v in (extra or {}).items() if k in ("journal_ref", "doi", "published")}
    if title:
        out["title"] = title
    return out


def sighting(meta: dict) -> Sighting | None:
    """arXiv's own word on a paper (`LinkResult.meta`): its title and first version's date, and
    the venue its authors gave (`journal_ref`) and the published version's DOI, if any."""
    if not meta.get("title"):
        return None
    ref = meta.get("journal_ref") or ""
    year = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", ref)
    doi = (meta.get("doi") or "").split()[0].lower() if meta.get("doi") else None
    return Sighting("arxiv", venue=ref, year=int(year[-1]) if year else None, title=meta["title"],
                    doi=doi, url=f"https://doi.org/{doi}" if doi else None,
                    kind="journal_ref" if ref or doi else "", date=meta.get("published"))


def _put(run, targets: list[LinkTarget], paper: PaperResult) -> None:
    extra = {"api_title": paper.title, **(paper.meta or {})} if paper.title else None
    for target in targets:
        run.put(target, LinkResult(target.url, target.lines, paper.verdict, None, None, paper.error,
                                   title_mismatch=title_mismatch(target.title, paper.title),
                                   meta=meta_of(paper.title, paper.meta)),
                extra)


class ArxivJob(RetryingJob):
    """One batch of ids; an error feed (HTTP 400) names a malformed id: it is broken, and the
    rest of the batch is asked again."""

    def __init__(self, run, ids: list[str], targets: dict[str, list[LinkTarget]]) -> None:
        super().__init__(run, key("", run))
        self.ids = ids
        self.targets = targets

    def _finish(self, results: dict[str, PaperResult]) -> bool:
        for ident in self.ids:
            _put(self.run, self.targets[ident], results[ident])
        return True

    def give_up(self, reason: str) -> None:
        self._finish({i: PaperResult("unverifiable", f"arXiv API: {reason}") for i in self.ids})

    def step(self, slot) -> bool:
        s = self.run.settings
        query = urlencode({"id_list": ",".join(self.ids), "max_results": len(self.ids)}, safe=",/")
        self.run.count_api("arxiv")
        try:
            answer = self.run.fetcher.attempt("GET", f"{s.arxiv_api}?{query}", slot, cap=32 << 20)
        except LinkError as exc:
            if self.retry(error=exc):
                return False
            return self._finish({i: PaperResult("unverifiable", f"arXiv API: {exc.error}") for i in self.ids})
        if self.retry(answer=answer):
            return False
        if answer.status not in (200, 400):
            return self._finish({i: PaperResult("unverifiable", f"arXiv API: HTTP {answer.status}")
                                 for i in self.ids})
        try:
            found, malformed = parse_feed(answer.body)
        except (ET.ParseError, ValueError) as exc:
            return self._finish({i: PaperResult("unverifiable", f"arXiv API: {exc}") for i in self.ids})
        bad = [i for i in self.ids if i in malformed]
        if bad:
            for ident in bad:
                _put(self.run, self.targets[ident], PaperResult("broken", "malformed arXiv identifier"))
            self.ids = [i for i in self.ids if i not in malformed]
            self.attempts = 0
            return not self.ids  # the rest of the batch is asked again
        if answer.status != 200 or malformed:
            return self._finish({i: PaperResult("unverifiable", f"arXiv API: HTTP {answer.status}")
                                 for i in self.ids})
        out = {}
        for ident in self.ids:
            hit = found.get(base_id(ident))
            out[ident] = PaperResult("ok", None, hit[1], hit[2]) if hit else \
                PaperResult("broken", "arXiv identifier not found")
        return self._finish(out)
