"""The crawl state: what was fetched when, with which validators, and past crawl reports.

Its own SQLite file (default ``data/crawl_state.db``), separate from the article store,
so a crawl can be reset without touching articles. WAL mode and autocommit: the spider,
the pipeline's near-duplicate index and a reader can share the file.

``CrawlState.record`` keeps its writes in memory and writes them in one transaction per
``FLUSH_EVERY`` records or ``FLUSH_SECONDS`` (and before a read that needs them, and on
close): a transaction per page cost more than the write itself. No lock is held between
flushes, so the other connections to the file never wait on it. A crash loses at most
the last unflushed fetches, whose pages the next crawl fetches again.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_STATE_PATH", "CrawlState", "PageState", "connect", "write_in_order"]

DEFAULT_STATE_PATH = Path("data/crawl_state.db")
FLUSH_EVERY = 200
FLUSH_SECONDS = 2.0

_NOT_MODIFIED_SQL = "UPDATE pages SET fetched_at = ?, status = 304 WHERE url = ?"
_UPSERT_SQL = (
    "INSERT INTO pages (url, kind, source, status, etag, last_modified, fetched_at, article_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, "
    "source = excluded.source, status = excluded.status, etag = excluded.etag, "
    "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at, "
    "article_id = COALESCE(excluded.article_id, pages.article_id)"
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,           -- article, feed, sitemap, listing, search
    source TEXT NOT NULL,
    status INTEGER,
    etag TEXT,
    last_modified TEXT,
    fetched_at REAL NOT NULL,     -- unix time of the last fetch (200 or 304)
    article_id TEXT
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    finished_at TEXT NOT NULL,
    report TEXT NOT NULL          -- CrawlReport as JSON
);
"""


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating) a state database in WAL, autocommit mode."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    return conn


def write_in_order(conn: sqlite3.Connection, writes: list[tuple[str, tuple[object, ...]]]) -> None:
    """Run ``(statement, parameters)`` writes in order, in one transaction, on an autocommit connection."""
    with conn:  # commits, or rolls back on an error
        conn.execute("BEGIN")
        start = 0
        for end in range(1, len(writes) + 1):  # consecutive writes of one statement go in one executemany
            if end == len(writes) or writes[end][0] != writes[start][0]:
                conn.executemany(writes[start][0], [params for _, params in writes[start:end]])
                start = end


@dataclass(frozen=True)
class PageState:
    """What is known about one URL from earlier crawls."""

    url: str
    kind: str
    status: int | None
    etag: str | None
    last_modified: str | None
    fetched_at: float
    article_id: str | None

    def age_seconds(self, now: float | None = None) -> float:
        """Seconds since this URL was last fetched."""
        return (now or time.time()) - self.fetched_at

    def conditional_headers(self) -> dict[str, str]:
        """``If-None-Match``/``If-Modified-Since`` for a revalidating request."""
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class CrawlState:
    """Seen URLs with their validators, and stored crawl reports."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn = connect(self.path)
        self._pending: list[tuple[str, tuple[object, ...]]] = []  # (statement, parameters), in order
        self._pending_urls: set[str] = set()
        self._flushed_at = time.monotonic()

    def get(self, url: str) -> PageState | None:
        """The state of ``url``, or None when never fetched."""
        if url in self._pending_urls:
            self.flush()
        row = self._conn.execute(
            "SELECT url, kind, status, etag, last_modified, fetched_at, article_id FROM pages WHERE url = ?",
            (url,),
        ).fetchone()
        return PageState(*row) if row else None

    def record(self, url: str, *, kind: str, source: str, status: int, etag: str | None = None,
               last_modified: str | None = None, article_id: str | None = None) -> None:
        """Remember a fetch (written with the next flush); a 304 keeps the stored validators and article id."""
        now = time.time()
        if status == 304:
            self._pending.append((_NOT_MODIFIED_SQL, (now, url)))
        else:
            self._pending.append((_UPSERT_SQL, (url, kind, source, status, etag, last_modified, now, article_id)))
        self._pending_urls.add(url)
        if len(self._pending) >= FLUSH_EVERY or time.monotonic() - self._flushed_at >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the recorded fetches, in order, in one transaction."""
        self._flushed_at = time.monotonic()
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        try:
            write_in_order(self._conn, pending)
        except sqlite3.Error:
            self._pending = pending + self._pending  # kept for the next flush, not lost
            raise
        self._pending_urls.clear()

    def count(self, kind: str | None = None) -> int:
        """How many URLs are known (of one kind)."""
        self.flush()
        if kind:
            return self._conn.execute("SELECT count(*) FROM pages WHERE kind = ?", (kind,)).fetchone()[0]
        return self._conn.execute("SELECT count(*) FROM pages").fetchone()[0]

    def save_report(self, finished_at: str, report_json: str) -> None:
        """Store one crawl report (JSON)."""
        self._conn.execute("INSERT INTO reports (finished_at, report) VALUES (?, ?)", (finished_at, report_json))

    def reports(self, limit: int = 10) -> list[dict[str, object]]:
        """The latest crawl reports, newest first, as dicts."""
        rows = self._conn.execute("SELECT report FROM reports ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def close(self) -> None:
        """Write what is pending and close the connection."""
        self.flush()
        self._conn.close()
