"""The embedded store: one SQLite file with an FTS5 index, no setup needed.

WAL mode, one writer (serialised by a lock), a read connection per thread. The FTS5
table indexes the accent-folded title, lead and text (``newsmon.text.fold``), so
"binh dang gioi" finds "bình đẳng giới"; snippets are cut from the original text.

A writer waits at most ``busy_timeout`` seconds for the lock (this process's, then SQLite's,
which another process may hold) and then raises ``StoreBusy``; a damaged file raises
``StoreDamaged`` when the store opens or when a read meets the damage (``guard``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from newsmon.errors import StoreBusy, StoreError
from newsmon.models import Article, Extraction
from newsmon.query import MatchAll, Node, positive_terms
from newsmon.store.base import (
    EntityCount,
    EntityKind,
    FigureFilters,
    FigurePage,
    Interval,
    SearchFilters,
    SearchPage,
    Series,
    SortOrder,
    SplitBy,
    Store,
    StoreStats,
    StoryDetail,
    StoryRow,
    StorySummary,
    TrendUnit,
    UpsertReport,
)
from newsmon.store.sqlite import articles as articles_sql
from newsmon.store.sqlite import bulk as bulk_settings
from newsmon.store.sqlite import figures as figures_sql
from newsmon.store.sqlite import hits as hits_sql
from newsmon.store.sqlite import rollups, text_figures, text_search
from newsmon.store.sqlite import search as search_sql
from newsmon.store.sqlite import sides as sides_sql
from newsmon.store.sqlite import stories as stories_sql
from newsmon.store.sqlite import trends as trends_sql
from newsmon.store.sqlite.articles import ARTICLE_COLUMNS, row_to_article
from newsmon.store.sqlite.guard import check_file, guarded, quick_check, translate
from newsmon.store.sqlite.impacts import refresh as refresh_impacts
from newsmon.store.sqlite.schema import migrate, register_fold
from newsmon.store.sqlite.subscriptions import SubscriptionsMixin
from newsmon.store.sqlite.text_index import TextIndex
from newsmon.store.sqlite.text_index import mark as mark_text
from newsmon.store.sqlite.text_store import WRITER_CACHE_KIB, TextIndexMixin

_MMAP_BYTES = 1 << 30
BUSY_TIMEOUT_S = 5.0  # how long a writer waits for the lock before StoreBusy (NEWSMON_STORE_BUSY_TIMEOUT)
QUICK_CHECK_MAX_BYTES = 64 << 20  # files up to this size also get PRAGMA quick_check when they open


@guarded
class SqliteStore(SubscriptionsMixin, TextIndexMixin, Store):
    """The default store. ``path`` is a file; its folder is created if needed.

    Opening it checks the file (``guard.check_file``; ``PRAGMA quick_check`` too when the file is at
    most ``QUICK_CHECK_MAX_BYTES``) and raises ``StoreDamaged`` saying what is wrong. With ``text_index``
    (the default) words, counts and aggregations are answered by the tantivy index beside the file
    (``text_index``) whenever it is current, and by FTS5 and SQL otherwise; without it, always by the latter
    (writes still queue the index's updates, for the processes that use it).
    """

    engine = "sqlite"

    def __init__(self, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_S, text_index: bool = True) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._text: TextIndex | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        check_file(self.path)
        small = self.path.exists() and self.path.stat().st_size <= QUICK_CHECK_MAX_BYTES
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._writer = self._connect()
        try:
            if small:
                quick_check(self._writer, self.path)
            # Writes touch only the pages of the rows and index entries they change: the writer keeps a smaller
            # cache than the readers and no memory map, so a long crawl does not map ever more of the file.
            self._writer.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
            self._writer.execute("PRAGMA mmap_size = 0")
            with self._write_lock:
                migrate(self._writer)
                rollups.repair(self._writer)
                bulk_settings.repair(self._writer)
                if text_index:
                    self._open_text_index()
        except sqlite3.Error as e:
            self._writer.close()
            raise translate(e, self.path, busy_timeout) or StoreError(f"cannot open {self.path}: {e}") from e
        except BaseException:
            self._writer.close()
            raise

    def _connect(self, isolation_level: str | None = "") -> sqlite3.Connection:
        conn = None
        try:
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=self.busy_timeout,
                                   isolation_level=isolation_level)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Reads touch the FTS index and the narrow side tables: map the file rather than copy pages
            # into each connection's cache, and keep the per-request temp tables in memory.
            conn.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
            conn.execute("PRAGMA cache_size = -32768")
            conn.execute("PRAGMA temp_store = MEMORY")
        except sqlite3.Error as e:
            if conn is not None:
                conn.close()
            raise translate(e, self.path, self.busy_timeout) or StoreError(
                f"cannot open SQLite database {self.path}: {e}") from e
        register_fold(conn)  # the version 3 migration calls nm_fold
        return conn

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """The writer inside one transaction, once this process's lock is ours (``StoreBusy`` after the wait)."""
        if not self._write_lock.acquire(timeout=self.busy_timeout):
            raise StoreBusy(f"{self.path}: another write of this process held the lock for {self.busy_timeout:g} s")
        try:
            with self._writer as conn:
                yield conn
        finally:
            self._write_lock.release()

    @property
    def _reader(self) -> sqlite3.Connection:
        """This thread's read connection, in autocommit mode: searches open their own snapshot."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect(isolation_level=None)
        return conn

    @property
    def _scanner(self) -> sqlite3.Connection:
        """This thread's connection for reads of every article (``iter_articles``): without a memory map, so a
        scan of the whole file does not map it into this process as it goes."""
        conn = getattr(self._local, "scan", None)
        if conn is None:
            conn = self._local.scan = self._connect(isolation_level=None)
            conn.execute("PRAGMA mmap_size = 0")
        return conn

    def close(self) -> None:
        """Close the writer and this thread's readers."""
        self._writer.close()
        for name in ("conn", "scan"):
            reader = getattr(self._local, name, None)
            if reader is not None:
                reader.close()
                setattr(self._local, name, None)

    # --- articles -------------------------------------------------------------------

    def upsert_articles(self, articles: Iterable[Article]) -> UpsertReport:
        """Insert new articles, update changed ones, leave re-crawled ones alone (see ``articles``).

        An id that belongs to another address is a ``ConflictError`` and the batch writes nothing.
        """
        with self._writing() as conn:
            report, written = articles_sql.upsert(conn, articles)
            # The impact lists catch up in refresh_ranking(), after the batch; until then they are not used.
            conn.executemany("INSERT OR IGNORE INTO fts_impact_pending VALUES (?)", [(rid,) for rid in written])
            mark_text(conn, written)
        self.refresh_text_index()
        return report

    def refresh_ranking(self) -> int:
        """Bring the text index up to date with the articles written since; how many it indexed. A store without
        the text index brings FTS5's relevance impact lists up to date instead (they rank its FTS5 searches; a
        store with the index never needs them, and leaves them pending: FTS5 then ranks with bm25() alone)."""
        if self._text is not None:
            return self.refresh_text_index(threads=2)
        with self._writing() as conn:
            pending = [rid for (rid,) in conn.execute("SELECT rid FROM fts_impact_pending ORDER BY rid")]
            refresh_impacts(conn, pending)
            conn.execute("DELETE FROM fts_impact_pending")
        return len(pending)

    def get_article(self, article_id: str) -> Article | None:
        """One article by id, or None."""
        row = self._reader.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row_to_article(row) if row else None

    def copies_of(self, article_ids: list[str]) -> dict[str, list[str]]:
        """The ids of the syndicated copies of each of ``article_ids`` that has any, in storage order."""
        return search_sql.copies_of(self._reader, article_ids) if article_ids else {}

    def iter_articles(self, since: datetime | None = None) -> Iterator[Article]:
        """Every article crawled at or after ``since``, oldest first, read in batches."""
        last = 0
        while True:
            rows = self._scanner.execute(
                f"SELECT rowid, {ARTICLE_COLUMNS} FROM articles WHERE rowid > ? AND crawled_at >= ? "
                "ORDER BY rowid LIMIT 500",
                (last, since.isoformat() if since else ""),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row_to_article(row)
            last = rows[-1]["rowid"]

    def count_articles(self) -> int:
        """How many articles are stored (syndicated copies included)."""
        return self._reader.execute("SELECT count(*) FROM articles").fetchone()[0]

    def stats(self) -> StoreStats:
        """Counts per source, extraction coverage and the date range."""
        conn = self._reader
        sources = dict(conn.execute("SELECT source, count(*) FROM articles GROUP BY source ORDER BY 2 DESC"))
        extracted = conn.execute("SELECT count(*) FROM extractions").fetchone()[0]
        figures = conn.execute("SELECT count(*) FROM figures").fetchone()[0]
        # The first and last day from the date index (undated articles have day ''): no scan.
        first = conn.execute("SELECT day FROM article_keys WHERE day > '' ORDER BY day LIMIT 1").fetchone()
        last = conn.execute("SELECT day FROM article_keys WHERE day > '' ORDER BY day DESC LIMIT 1").fetchone()
        return StoreStats(
            engine=self.engine, articles=sum(sources.values()), extracted=extracted, figures=figures,
            sources=sources, first_day=first and first[0], last_day=last and last[0],
        )

    # --- extractions ----------------------------------------------------------------

    def get_extraction(self, article_id: str) -> Extraction | None:
        """The stored extraction of one article, or None."""
        row = self._reader.execute("SELECT data FROM extractions WHERE article_id = ?", (article_id,)).fetchone()
        return Extraction.model_validate_json(row["data"]) if row else None

    def get_extractions(self, article_ids: list[str]) -> dict[str, Extraction]:
        """The stored extractions of ``article_ids`` by id, read 500 at a time (as a scan reads them)."""
        found = {}
        for start in range(0, len(article_ids), 500):
            batch = article_ids[start:start + 500]
            found.update((i, Extraction.model_validate_json(data)) for i, data in self._scanner.execute(
                f"SELECT article_id, data FROM extractions WHERE article_id IN ({','.join('?' * len(batch))})", batch))
        return found

    def pending_extraction(self, version: str) -> Iterator[Article]:
        """Articles never extracted, or extracted by another version of the extractor."""
        ids = [
            r[0] for r in self._reader.execute(
                "SELECT a.id FROM articles a LEFT JOIN extractions e ON e.article_id = a.id "
                "WHERE e.article_id IS NULL OR e.version != ? ORDER BY a.rowid",
                (version,),
            )
        ]
        for start in range(0, len(ids), 200):
            batch = ids[start:start + 200]
            rows = self._reader.execute(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(batch))})", batch
            ).fetchall()
            yield from (row_to_article(r) for r in rows)

    def count_pending(self, version: str) -> int:
        """How many articles ``pending_extraction(version)`` would yield."""
        return self._reader.execute(
            "SELECT count(*) FROM articles a LEFT JOIN extractions e ON e.article_id = a.id "
            "WHERE e.article_id IS NULL OR e.version != ?",
            (version,),
        ).fetchone()[0]

    def mark_pending(self, article_ids: Iterable[str]) -> list[str]:
        """Queue articles for re-extraction (their extraction's version becomes '', which no extractor has)."""
        ids = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        with self._writing() as conn:
            for start in range(0, len(ids), 500):
                batch = ids[start:start + 500]
                marks = ",".join("?" * len(batch))
                found.update(r[0] for r in conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", batch))
                conn.execute(f"UPDATE extractions SET version = '' WHERE article_id IN ({marks})", batch)
        return [i for i in ids if i not in found]

    def save_extractions(self, items: Iterable[tuple[str, Extraction]]) -> int:
        """Store extractions and the side tables that filters and facets read."""
        with self._writing() as conn:
            saved, rids = sides_sql.save(conn, items)
            mark_text(conn, rids)
        self.refresh_text_index()
        return saved

    # --- search ---------------------------------------------------------------------

    def search(
        self,
        query: Node = MatchAll(),
        filters: SearchFilters | None = None,
        sort: SortOrder = "relevance",
        cursor: str | None = None,
        limit: int = 20,
    ) -> SearchPage:
        """Ranked (BM25) or newest-first results with snippets, facets and a next cursor."""
        filters = filters or SearchFilters()
        plan = hits_sql.plan(query, filters)
        if (text := self._text_ready()) is not None:
            return text_search.search(self._reader, text, query, filters, plan.ranked, positive_terms(query),
                                      sort, cursor, limit)
        return search_sql.search(self._reader, plan, positive_terms(query), sort, cursor, limit)

    def trends(
        self,
        query: Node = MatchAll(),
        filters: SearchFilters | None = None,
        interval: Interval = "month",
        split_by: SplitBy | None = None,
        unit: TrendUnit = "articles",
    ) -> Series:
        """Matching articles per period, optionally split by source, province, topic or event type."""
        filters = filters or SearchFilters()
        if rollups.serves(query, filters, unit) and rollups.kept(self._reader):  # not during a bulk load
            return rollups.trends(self._reader, filters, interval, split_by)
        if unit == "articles" and (text := self._text_ready()) is not None:
            try:
                return text_search.trends(text, query, filters, interval, split_by)
            except ValueError:  # more buckets than an aggregation may make: counted from the articles
                pass
        return trends_sql.trends(self._reader, hits_sql.plan(query, filters), interval, split_by, unit)


    # --- stories ---------------------------------------------------------------------

    def save_story_rows(self, rows: Iterable[StoryRow]) -> int:
        """Store or replace articles' story rows (see ``stories``)."""
        with self._writing() as conn:
            return stories_sql.save_rows(conn, rows)

    def story_rows(self, date_from: date | None = None, date_to: date | None = None) -> Iterator[StoryRow]:
        """Stored story rows in the day range, by day then article id."""
        return stories_sql.rows_between(self._reader, date_from, date_to)

    def stories(self, query: Node = MatchAll(), filters: SearchFilters | None = None,
                limit: int = 20) -> list[StorySummary]:
        """The matching articles' stories, by reach among them."""
        everything = (filters or SearchFilters()).model_copy(update={"include_duplicates": True})
        return stories_sql.ranked(self._reader, hits_sql.plan(query, everything), limit)

    def story_summaries(self, story_ids: list[str]) -> dict[str, StorySummary]:
        """Stories by id, each with its whole reach."""
        return stories_sql.summaries(self._reader, list(dict.fromkeys(story_ids)))

    def get_story(self, story_id: str) -> StoryDetail | None:
        """One story whole."""
        return stories_sql.detail(self._reader, story_id)

    def figures(
        self,
        query: Node = MatchAll(),
        filters: SearchFilters | None = None,
        figure_filters: FigureFilters | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> FigurePage:
        """Extracted figures of the matching articles (see ``figures``)."""
        filters, figure_filters = filters or SearchFilters(), figure_filters or FigureFilters()
        if (text := self._text_ready()) is not None:
            return text_figures.figures(self._reader, text, query, filters, figure_filters, limit, offset)
        plan = hits_sql.plan(query, filters)
        return figures_sql.figures(self._reader, plan, figure_filters, limit, offset)

    def entities(
        self,
        kind: EntityKind,
        query: Node = MatchAll(),
        filters: SearchFilters | None = None,
        limit: int = 20,
    ) -> list[EntityCount]:
        """Top people, organisations or places of the matching articles (see ``figures``)."""
        filters = filters or SearchFilters()
        if (text := self._text_ready()) is not None:
            return text_search.entities(text, query, filters, kind, limit)
        plan = hits_sql.plan(query, filters)
        return figures_sql.entities(self._reader, plan, kind, limit)
