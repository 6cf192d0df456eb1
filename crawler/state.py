"""The crawl state: what was fetched when, with which validators, what failed and when to retry it,
where an interrupted backfill stopped, and past crawl reports.

Its own SQLite file (default ``data/crawl_state.db``), separate from the article store,
so a crawl can be reset without touching articles. WAL mode and autocommit: the spider,
the pipeline's near-duplicate index and a reader can share the file.

A page that failed is not fetched again on every crawl: ``record_failure`` counts its
failures and sets ``retry_at`` with an exponential backoff (longer for permanent failures:
404, not HTML, too large), and every attempt on it is kept in ``attempts``. A page that
could not be read but whose feed item was stored (``feed_only``) is retried the same way,
so it is upgraded once it becomes readable.

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

__all__ = [
    "DEFAULT_STATE_PATH", "PERMANENT_FAILURES", "CrawlState", "PageState", "backoff_seconds", "connect",
    "write_in_order",
]

DEFAULT_STATE_PATH = Path("data/crawl_state.db")
FLUSH_EVERY = 200
FLUSH_SECONDS = 2.0
HOUR = 3600.0
#: Backoff after the n-th failure: base * 2**(n-1), at most cap (seconds). Permanent failures wait longer.
PERMANENT_FAILURES: frozenset[str] = frozenset({"http_404", "http_410", "not_html", "too_large"})
BACKOFF_PERMANENT = (24 * HOUR, 30 * 24 * HOUR)
BACKOFF_TRANSIENT = (1 * HOUR, 7 * 24 * HOUR)

_NOT_MODIFIED_SQL = "UPDATE pages SET fetched_at = ?, status = 304 WHERE url = ?"
_UPSERT_SQL = (
    "INSERT INTO pages (url, kind, source, status, etag, last_modified, fetched_at, article_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, "
    "source = excluded.source, status = excluded.status, etag = excluded.etag, "
    "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at, "
    "article_id = COALESCE(excluded.article_id, pages.article_id), failures = 0, retry_at = NULL, reason = NULL"
)
_FAILURE_SQL = (
    "INSERT INTO pages (url, kind, source, status, fetched_at, failures, retry_at, reason, feed, article_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET status = excluded.status, "
    "fetched_at = excluded.fetched_at, failures = excluded.failures, retry_at = excluded.retry_at, "
    "reason = excluded.reason, feed = COALESCE(excluded.feed, pages.feed), "
    "article_id = COALESCE(excluded.article_id, pages.article_id)"
)
_ATTEMPT_SQL = "INSERT INTO attempts (url, at, status, reason) VALUES (?, ?, ?, ?)"

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
CREATE TABLE IF NOT EXISTS attempts (  -- every fetch of a page that has failed, until it succeeds
    url TEXT NOT NULL,
    at REAL NOT NULL,
    status INTEGER,
    reason TEXT                   -- NULL: it worked
);
CREATE INDEX IF NOT EXISTS attempts_url ON attempts (url);
CREATE TABLE IF NOT EXISTS cursors (  -- where a backfill stopped: resumed by the next crawl
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    finished_at TEXT NOT NULL,
    report TEXT NOT NULL          -- CrawlReport as JSON
);
"""


#: Columns added to ``pages`` since its first version (added to older state files when opened).
_ADDED_COLUMNS: dict[str, str] = {
    "failures": "INTEGER NOT NULL DEFAULT 0",  # failures in a row
    "retry_at": "REAL",                         # not fetched again before this unix time
    "reason": "TEXT",                           # the last failure's reason
    "feed": "TEXT",                             # the feed item (JSON) that linked to the page
}


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating or upgrading) a state database in WAL, autocommit mode."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    present = {row[1] for row in conn.execute("PRAGMA table_info(pages)")}
    for column, declaration in _ADDED_COLUMNS.items():
        if column not in present:
            conn.execute(f"ALTER TABLE pages ADD COLUMN {column} {declaration}")
    conn.execute("CREATE INDEX IF NOT EXISTS pages_due ON pages (source, kind, fetched_at)")
    return conn


def backoff_seconds(reason: str, failures: int) -> float:
    """How long to wait before fetching a page again after its ``failures``-th failure in a row."""
    base, cap = BACKOFF_PERMANENT if reason in PERMANENT_FAILURES else BACKOFF_TRANSIENT
    return min(base * 2 ** max(failures - 1, 0), cap)


def write_in_order(conn: sqlite3.Connection, writes: list[tuple[str, tuple[object, ...]]]) -> None:
    """Run ``(statement, parameters)`` writes in order, in one transaction, on an autocommit connection."""
    with conn:  # commits, or rolls back on an error
        conn.execute("BEGIN")
        start = 0
        for end in range(1, len(writes) + 1):  # consecutive writes of one statement go in one executemany
            if end == len(writes) or writes[end][0] != writes[start][0]:
                conn.executemany(writes[start][0], [params for _, params in writes[start:end]])
                start = end


_PAGE_COLUMNS = "url, kind, status, etag, last_modified, fetched_at, article_id, failures, retry_at, reason, feed"


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
    failures: int = 0
    retry_at: float | None = None
    reason: str | None = None
    feed: str | None = None

    def waiting(self, now: float | None = None) -> bool:
        """True while a failed page's backoff runs."""
        return self.retry_at is not None and (now or time.time()) < self.retry_at

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
        self._failing: set[str] = set(r[0] for r in self._conn.execute("SELECT url FROM pages WHERE failures > 0"))
        self._flushed_at = time.monotonic()

    def get(self, url: str) -> PageState | None:
        """The state of ``url``, or None when never fetched."""
        if url in self._pending_urls:
            self.flush()
        row = self._conn.execute(f"SELECT {_PAGE_COLUMNS} FROM pages WHERE url = ?", (url,)).fetchone()
        return PageState(*row) if row else None

    def record(self, url: str, *, kind: str, source: str, status: int, etag: str | None = None,
               last_modified: str | None = None, article_id: str | None = None) -> None:
        """Remember a fetch (written with the next flush); a 304 keeps the stored validators and article id."""
        now = time.time()
        if url in self._failing:  # it failed before: this attempt is recorded too, and ends its backoff
            self._failing.discard(url)
            self._pending.append((_ATTEMPT_SQL, (url, now, status, None)))
        if status == 304:
            self._pending.append((_NOT_MODIFIED_SQL, (now, url)))
        else:
            self._pending.append((_UPSERT_SQL, (url, kind, source, status, etag, last_modified, now, article_id)))
        self._queued(url)

    def record_failure(self, url: str, *, kind: str, source: str, reason: str, status: int | None = None,
                       feed: str | None = None, article_id: str | None = None) -> float:
        """Remember a failed fetch and its attempt; return the unix time before which it is not retried.

        ``feed``: the feed item (JSON) kept for the page; ``article_id``: its feed-only article.
        """
        known = self.get(url)
        failures = (known.failures if known else 0) + 1
        now = time.time()
        retry_at = now + backoff_seconds(reason, failures)
        self._pending.append((_FAILURE_SQL, (url, kind, source, status, now, failures, retry_at, reason, feed,
                                             article_id)))
        self._pending.append((_ATTEMPT_SQL, (url, now, status, reason)))
        self._failing.add(url)
        self._queued(url)
        return retry_at

    def _queued(self, url: str) -> None:
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

    def attempts(self, url: str) -> list[tuple[float, int | None, str | None]]:
        """Every recorded attempt on ``url`` (time, status, failure reason or None), oldest first."""
        self.flush()
        return self._conn.execute("SELECT at, status, reason FROM attempts WHERE url = ? ORDER BY rowid",
                                  (url,)).fetchall()

    def due(self, source: str, *, older_than: float, limit: int, now: float | None = None) -> list[PageState]:
        """Article pages of ``source`` to fetch again now: read ones last fetched before ``older_than``
        (unix time), and failed ones whose backoff is over; oldest first, at most ``limit``."""
        self.flush()
        rows = self._conn.execute(
            f"SELECT {_PAGE_COLUMNS} FROM pages WHERE source = ? AND kind = 'article' AND "
            "((failures = 0 AND fetched_at < ?) OR (failures > 0 AND retry_at <= ?)) ORDER BY fetched_at LIMIT ?",
            (source, older_than, now or time.time(), limit),
        ).fetchall()
        return [PageState(*row) for row in rows]

    def cursor(self, key: str) -> str | None:
        """Where the backfill named ``key`` stopped, or None."""
        row = self._conn.execute("SELECT value FROM cursors WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_cursor(self, key: str, value: str | None) -> None:
        """Remember where the backfill ``key`` is (None: it is done)."""
        if value is None:
            self._conn.execute("DELETE FROM cursors WHERE key = ?", (key,))
        else:
            self._conn.execute("INSERT INTO cursors (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                               "value = excluded.value", (key, value))

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
