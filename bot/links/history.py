"""Link history in SQLite: one row per URL, one per paper and source asked, one per run.

All writes of a run happen in one transaction, so a crash leaves the previous state. A file
that is not a usable database is moved aside and rebuilt, with a warning. A database that is
locked (another process in a transaction, or WAL with exclusive locking) is healthy: it is
waited for up to a timeout, then `HistoryUnavailable` says so, and the file is left alone.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from dataclasses import dataclass
from typing import TextIO

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    verdict TEXT NOT NULL,
    status INTEGER,
    final_url TEXT,
    error TEXT,
    etag TEXT,
    last_modified TEXT,
    first_broken REAL,
    failures INTEGER NOT NULL DEFAULT 0,
    last_checked REAL NOT NULL,
    extra TEXT
);
CREATE TABLE IF NOT EXISTS papers (
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    answer TEXT NOT NULL,
    last_checked REAL NOT NULL,
    PRIMARY KEY (key, source)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_time REAL NOT NULL,
    ok INTEGER NOT NULL,
    broken INTEGER NOT NULL,
    unverifiable INTEGER NOT NULL,
    redirect INTEGER NOT NULL
);
"""


@dataclass
class UrlRecord:
    url: str
    verdict: str
    status: int | None
    final_url: str | None
    error: str | None
    etag: str | None
    last_modified: str | None
    first_broken: float | None
    failures: int
    last_checked: float
    extra: dict


@dataclass
class PaperRecord:
    """One source's answer about one paper: its sightings (as dicts), and when it was asked."""

    key: str
    source: str
    answer: list[dict]
    last_checked: float


@dataclass
class RunRecord:
    run_time: float
    ok: int
    broken: int
    unverifiable: int
    redirect: int


class HistoryUnavailable(Exception):
    """The database is locked by someone else (or cannot be opened): run without it."""


def _locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class History:
    """The SQLite cache of link verdicts."""

    def __init__(self, path: str, warn: TextIO | None = None, *, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.OperationalError as exc:
            if _locked(exc):
                raise HistoryUnavailable(f"link cache {path} stayed locked for {timeout:g} s ({exc})") from None
            raise HistoryUnavailable(f"cannot open link cache {path} ({exc})") from None
        except sqlite3.DatabaseError as exc:
            aside = f"{path}.corrupt-{int(time.time())}"
            os.replace(path, aside)
            for suffix in ("-wal", "-shm", "-journal"):
                if os.path.exists(path + suffix):
                    os.replace(path + suffix, aside + suffix)
            print(f"listkeeper: warning: link cache {path} is unreadable ({exc}); "
                  f"moved it to {aside} and started a new one", file=warn or sys.stderr)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=self.timeout)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            check = db.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
            db.executescript(SCHEMA)
            db.execute("SELECT url, verdict, status, final_url, error, etag, last_modified, first_broken,"
                       " failures, last_checked, extra FROM urls LIMIT 1").fetchall()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    def get_many(self, urls: list[str]) -> dict[str, UrlRecord]:
        out: dict[str, UrlRecord] = {}
        urls = list(urls)
        for start in range(0, len(urls), 500):
            chunk = urls[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                "SELECT url, verdict, status, final_url, error, etag, last_modified, first_broken,"
                f" failures, last_checked, extra FROM urls WHERE url IN ({marks})", chunk)
            for row in rows:
                extra = json.loads(row[10]) if row[10] else {}
                out[row[0]] = UrlRecord(*row[:10], extra=extra)
        return out

    def get_papers(self, keys: list[str]) -> dict[str, dict[str, PaperRecord]]:
        """{paper key: {source: its last answer}}."""
        out: dict[str, dict[str, PaperRecord]] = {}
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute("SELECT key, source, answer, last_checked FROM papers"
                                   f" WHERE key IN ({marks})", chunk)
            for key, source, answer, last_checked in rows:
                try:
                    data = json.loads(answer)
                except ValueError:
                    continue  # an unreadable answer is asked again
                if isinstance(data, list):
                    out.setdefault(key, {})[source] = PaperRecord(key, source, data, last_checked)
        return out

    def save_run(self, records: list[UrlRecord], run: RunRecord,
                 papers: list[PaperRecord] | None = None) -> None:
        """Write every URL row, every paper answer and the run row in one transaction."""
        with self.db:
            self.db.execute("BEGIN")
            if papers:
                self.db.executemany(
                    "INSERT OR REPLACE INTO papers (key, source, answer, last_checked)"
                    " VALUES (?,?,?,?)",
                    [(p.key, p.source, json.dumps(p.answer), p.last_checked) for p in papers])
            self.db.executemany(
                "INSERT OR REPLACE INTO urls (url, verdict, status, final_url, error, etag, last_modified,"
                " first_broken, failures, last_checked, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(r.url, r.verdict, r.status, r.final_url, r.error, r.etag, r.last_modified,
                  r.first_broken, r.failures, r.last_checked, json.dumps(r.extra) if r.extra else None)
                 for r in records])
            self.db.execute("INSERT INTO runs (run_time, ok, broken, unverifiable, redirect)"
                            " VALUES (?,?,?,?,?)", (run.run_time, run.ok, run.broken, run.unverifiable,
                                                   run.redirect))

    def recent_runs(self, n: int = 12) -> list[RunRecord]:
        """The last `n` runs, oldest first (for the weekly report's chart)."""
        rows = self.db.execute("SELECT run_time, ok, broken, unverifiable, redirect FROM runs"
                               " ORDER BY run_time DESC, id DESC LIMIT ?", (n,)).fetchall()
        return [RunRecord(*row) for row in reversed(rows)]
