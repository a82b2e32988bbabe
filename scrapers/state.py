"""Crawl state: what was fetched when, with which validators, and what came of it (SQLite).

Kept apart from the warehouse so a crawl can resume after an interruption without refetching
what it has, and so analysts reading the DuckDB file never block the crawler.

Outcomes: fetched (archived, not yet loaded), loaded, duplicate, not_modified, skipped and failed
(download refused or failed: asked again next crawl), unreadable (the page's own fault: left alone),
error (failed on our side, e.g. an ImportError: re-read from the archive by the next crawl).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, portal TEXT, kind TEXT, outcome TEXT, reason TEXT, status INTEGER,
    etag TEXT, last_modified TEXT, content_sha256 TEXT, warc_file TEXT, warc_offset INTEGER, fetched_at TEXT
);
CREATE INDEX IF NOT EXISTS pages_sha ON pages(content_sha256);
"""

OUR_SIDE = re.compile(r": [A-Z]\w*(Error|Exception|Warning): ")  # "<url>: ImportError: ..." as crawl.py writes them


@dataclass
class PageState:
    url: str
    portal: str | None
    kind: str | None
    outcome: str
    reason: str | None
    status: int | None
    etag: str | None
    last_modified: str | None
    content_sha256: str | None
    warc_file: str | None
    warc_offset: int | None
    fetched_at: str | None


class CrawlState:
    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db.executescript(SCHEMA)
        self._lock = threading.Lock()
        self._reopen_our_failures()

    def _reopen_our_failures(self) -> None:
        """Older crawls marked a page `unreadable` for failures on our side too (e.g. trafilatura's
        ImportError); those reasons name a Python exception, a page's own fault (InputError) does not.
        They become `error`, which the next crawl re-reads from the archive."""
        rows = self.db.execute("SELECT url, reason FROM pages WHERE outcome = 'unreadable'").fetchall()
        ours = [(url,) for url, reason in rows if reason and OUR_SIDE.search(reason)]
        if ours:
            self.db.executemany("UPDATE pages SET outcome = 'error' WHERE url = ?", ours)

    def get(self, url: str) -> PageState | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM pages WHERE url = ?", [url]).fetchone()
        return PageState(*row) if row else None

    def record(self, url: str, *, portal: str | None, kind: str, outcome: str, reason: str | None = None,
               status: int | None = None, etag: str | None = None, last_modified: str | None = None,
               content_sha256: str | None = None, warc_file: str | None = None, warc_offset: int | None = None) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            self.db.execute("INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                            [url, portal, kind, outcome, reason, status, etag, last_modified, content_sha256,
                             warc_file, warc_offset, now])

    def touch(self, url: str, *, outcome: str, reason: str | None = None) -> None:
        """A new outcome for a page already recorded, keeping its validators and archive pointer."""
        with self._lock:
            self.db.execute("UPDATE pages SET outcome = ?, reason = ? WHERE url = ?", [outcome, reason, url])

    def outcomes(self) -> dict[str, int]:
        with self._lock:
            return dict(self.db.execute("SELECT outcome, count(*) FROM pages GROUP BY outcome").fetchall())

    def close(self) -> None:
        self.db.close()
