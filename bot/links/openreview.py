"""OpenReview's notes API: the title, date and venue of a paper known by its OpenReview id.

`GET {openreview_api}?id=<id>` (API v2, https://docs.openreview.net/reference/api-v2/entities/note)
answers `{"notes": [{"id", "forum", "content": {"title": {"value"}, "venue": {"value":
"ICLR 2024 poster"}, "venueid": {"value": "ICLR.cc/2024/Conference"}}, "pdate", "cdate"}]}`
(API v1 notes hold plain strings instead of `{"value": ...}`). A note "Submitted to" a venue,
withdrawn or rejected gives its title and date but no venue. One request per paper, one at a
time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlencode

from bot.links.http import LinkError, host_key
from bot.links.jobs import RetryingJob
from bot.links.results import PaperTarget, Sighting
from bot.links.settings import HostLimit

NAME = "openreview"
NOT_PUBLISHED = re.compile(r"submitted to|withdrawn|rejected|under review|/submission\b", re.I)


def claim(paper: PaperTarget, run) -> str | None:
    return paper.openreview_id or None


def key(ident: str, run) -> str:
    return host_key(run.settings.openreview_api)


def cost(count: int, key: str, run) -> float:
    return count * 1.0


def jobs(groups: dict[str, list[PaperTarget]], run) -> list:
    run.politeness.tighten(key("", run), HostLimit(1, 0.5))
    return [NoteJob(run, ident, papers) for ident, papers in groups.items()]


def _value(content: dict, name: str) -> str:
    value = content.get(name)
    if isinstance(value, dict):
        value = value.get("value")
    return " ".join(value.split()) if isinstance(value, str) else ""


def sighting(note: dict) -> Sighting:
    content = note.get("content") if isinstance(note.get("content"), dict) else {}
    venue, venue_id = _value(content, "venue"), _value(content, "venueid")
    if NOT_PUBLISHED.search(venue) or NOT_PUBLISHED.search(venue_id):
        venue = ""
    year = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", venue or venue_id) if venue else None
    stamp = note.get("pdate") or note.get("cdate") or note.get("tcdate")
    date = None
    if isinstance(stamp, int | float) and stamp > 0:
        date = dt.datetime.fromtimestamp(stamp / 1000, dt.UTC).date().isoformat()
    forum = note.get("forum") or note.get("id")
    return Sighting(NAME, venue=venue, names=[venue_id.split(".", 1)[0]] if venue and venue_id else [],
                    year=int(year.group(0)) if year else None, title=_value(content, "title") or None,
                    url=f"https://openreview.net/forum?id={forum}" if venue and forum else None,
                    kind="conference" if venue else "", date=date)


def parse_answer(body: bytes) -> list[Sighting] | None:
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, list):
        return None
    return [sighting(n) for n in notes[:1] if isinstance(n, dict)]


class NoteJob(RetryingJob):
    def __init__(self, run, ident: str, papers: list[PaperTarget]) -> None:
        super().__init__(run, key(ident, run))
        self.ident = ident
        self.papers = papers

    def _finish(self, found: list[Sighting] | None, error: str | None = None) -> bool:
        for paper in self.papers:
            self.run.put_paper(paper, NAME, found, error)
        return True

    def give_up(self, reason: str) -> None:
        self._finish(None, f"OpenReview: {reason}")

    def step(self, slot) -> bool:
        url = f"{self.run.settings.openreview_api}?{urlencode({'id': self.ident})}"
        self.run.count_api(NAME)
        try:
            answer = self.run.fetcher.attempt("GET", url, slot, cap=4 << 20)
        except LinkError as exc:
            if self.retry(error=exc):
                return False
            return self._finish(None, f"OpenReview: {exc.error}")
        if self.retry(answer=answer):
            return False
        if answer.status == 404:
            return self._finish([])
        if answer.status != 200:
            return self._finish(None, f"OpenReview: HTTP {answer.status}")
        found = parse_answer(answer.body)
        if found is None:
            return self._finish(None, "OpenReview: an answer that is not a list of notes")
        return self._finish(found)
