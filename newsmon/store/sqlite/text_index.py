"""The text index beside SQLite: tantivy (BM25 with block-max WAND, columnar fast fields) for words and counts.

SQLite keeps the records; the folder ``<db>-text/`` holds two tantivy indexes (``text_docs``): ``articles``,
one document per article (its folded title, lead and text, and as fast fields what filters, facets, trends and
entity counts read), and ``figures``, one per extracted figure. Everything in them is derived from SQLite, so
they are rebuildable at any time:

- Every write notes the articles whose document changes in ``text_pending`` (schema version 12), in the
  same SQLite transaction as the change. ``sync`` re-indexes the pending articles from SQLite, commits the
  index, and only then forgets them, by sequence number, so a change made meanwhile stays pending. A crash
  between the two leaves them pending, and the next sync indexes them again (a document is replaced by rid).
- A missing, unreadable or foreign index folder (its ``generation`` file differs from SQLite's) is created
  anew with every article pending (``ensure``).
- Searches use the index only when nothing is pending (``TextIndex.ready``); until then the FTS5 path answers.

Only one process at a time holds tantivy's writer: a sync that finds it taken leaves the rows pending for the
next one (any writer drains the whole queue).
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import tantivy

from newsmon.store.sqlite.text_docs import PAIRS_TOKENIZER, article_schema, documents, figure_schema, pair_analyzer

if TYPE_CHECKING:
    from newsmon.store.sqlite.text_worker import Worker

SCHEMA_VERSION = 6  # of the documents: a folder built by another version is rebuilt
BATCH = 2_000  # articles read from SQLite at a time
COMMIT_EVERY = 50_000  # articles per tantivy commit in a long sync (a crash re-indexes at most these)
WRITER_HEAP = 128 * 1024 * 1024  # each writer's indexing arena, all its threads together: memory stays bounded
# Schema version 12: the queue of articles whose documents must be (re)written, and the index's identity.
SCHEMA = """
CREATE TABLE text_pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, rid INTEGER NOT NULL UNIQUE);
CREATE TABLE text_index_state (generation TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0);
CREATE TRIGGER text_pending_delete AFTER DELETE ON articles BEGIN
    INSERT OR REPLACE INTO text_pending (rid) VALUES (old.rowid);
END;
"""


class TextIndex:
    """The tantivy indexes of one SQLite store (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.schema = article_schema()
        self.figure_schema = figure_schema()
        self.index: tantivy.Index | None = None
        self.figures: tantivy.Index | None = None
        self.generation = ""
        self._seen: tuple[str, int] | None = None  # the SQLite state this process's searchers reflect
        self._held: Worker | None = None  # the process indexing a bulk load (``bulk``)

    @classmethod
    def beside(cls, db_path: Path) -> TextIndex:
        """The index of the store at ``db_path``: the folder ``<name>-text`` next to it."""
        return cls(db_path.with_name(db_path.name + "-text"))

    def _marker(self) -> Path:
        return self.folder / "newsmon-generation"

    def _load(self, reuse: bool) -> None:
        self.index = tantivy.Index(self.schema, path=str(self.folder / "articles"), reuse=reuse)
        self.index.register_tokenizer(PAIRS_TOKENIZER, pair_analyzer())
        self.figures = tantivy.Index(self.figure_schema, path=str(self.folder / "figures"), reuse=reuse)

    def open(self, conn: sqlite3.Connection) -> bool:
        """Open the index when it is this store's (its marker names SQLite's generation); whether it could."""
        row = conn.execute("SELECT generation FROM text_index_state").fetchone()
        marker = self._marker()
        if row is None or not marker.exists() or marker.read_text().strip() != f"{SCHEMA_VERSION} {row[0]}":
            return False
        try:
            self._load(reuse=True)
        except (OSError, ValueError):
            return False  # unreadable
        self.generation = row[0]
        return True

    def ensure(self, conn: sqlite3.Connection) -> bool:
        """Open the index, or create it anew with every article pending when it is missing, unreadable or not
        this store's. Call inside a write transaction of ``conn``; True when it was (re)created."""
        if self.open(conn):
            return False
        self.reset(conn)
        return True

    def reset(self, conn: sqlite3.Connection) -> None:
        """Create the index anew, empty, with every article pending (inside a write transaction of ``conn``)."""
        generation = uuid.uuid4().hex
        shutil.rmtree(self.folder, ignore_errors=True)
        for part in ("articles", "figures"):
            (self.folder / part).mkdir(parents=True)
        self._load(reuse=False)
        self.generation = generation
        self._marker().write_text(f"{SCHEMA_VERSION} {generation}\n")
        conn.execute("DELETE FROM text_index_state")
        conn.execute("INSERT INTO text_index_state (generation) VALUES (?)", (generation,))
        conn.execute("DELETE FROM text_pending")
        conn.execute("INSERT INTO text_pending (rid) SELECT rid FROM article_keys ORDER BY rid")

    def searcher(self) -> tantivy.Searcher:
        """A searcher over the articles' last commit."""
        assert self.index is not None
        return self.index.searcher()

    def figure_searcher(self) -> tantivy.Searcher:
        """A searcher over the figures' last commit."""
        assert self.figures is not None
        return self.figures.searcher()

    def ready(self, conn: sqlite3.Connection) -> bool:
        """Whether searches may use the index now: nothing is pending, and this process reads the commit that
        SQLite's state says is the last (another process's commit is picked up here)."""
        row = conn.execute("SELECT generation, version, EXISTS (SELECT 1 FROM text_pending) "
                           "FROM text_index_state").fetchone()
        if row is None or row[2] or self.index is None or self.figures is None:
            return False
        if (row[0], row[1]) != self._seen:
            if row[0] != self.generation:  # another process built the index anew
                self._load(reuse=True)
                self.generation = row[0]
            self.index.reload()
            self.figures.reload()
            self._seen = (row[0], row[1])
        return True

    def _writers(self, threads: int) -> _Load | None:
        """Both indexes' writers, or None when another process holds them."""
        assert self.index is not None and self.figures is not None
        try:
            writers = (self.index.writer(WRITER_HEAP, threads), self.figures.writer(WRITER_HEAP // 2, 1))
        except ValueError as e:
            if "lock" in str(e).lower():
                return None
            raise
        return _Load(writers, empty=self.index.searcher().num_docs == 0)

    def sync(self, conn: sqlite3.Connection, threads: int = 1, on_progress: Callable[[int], None] | None = None,
             ) -> int | None:
        """Index every pending article, commit, and forget them; how many, or None if another process holds
        the index's writer (they stay pending). ``conn`` is the store's writer connection, not in a transaction.
        Inside ``bulk`` the bulk load's worker indexes them (``text_worker``), and this returns 0."""
        if self.index is None or conn.execute("SELECT 1 FROM text_pending LIMIT 1").fetchone() is None:
            return 0
        if self._held is not None:  # a bulk load: the worker indexes what earlier writes left, so the extraction
            self._held.send(conn)      # saved just after an article is in its first document (indexed once)
            return 0
        load = self._writers(threads)
        if load is None:
            return None
        with self._holding(conn, load):
            return self._drain(conn, load, on_progress)

    @contextmanager
    def bulk(self, conn: sqlite3.Connection, threads: int = 2) -> Iterator[None]:
        """Hold the writers while many articles are written: a second process (``text_worker``) indexes each
        write's documents while the next batch is written, and commits every ``COMMIT_EVERY`` articles and at
        the end; this one forgets the pending rows it committed. Nothing is indexed here when another process
        holds the writers; what a failed worker left is indexed here at the end."""
        from newsmon.store.sqlite.text_worker import Worker  # it imports this module

        worker = Worker.start(self, conn, threads) if self.index is not None else None
        if worker is None:  # another process indexes them
            yield
            return
        self._held = worker
        try:
            yield
            worker.finish(conn)
        finally:
            self._held = None
            worker.close()
            assert self.index is not None and self.figures is not None
            self.index.reload()
            self.figures.reload()
        if worker.failed:
            self.sync(conn, threads)

    @contextmanager
    def _holding(self, conn: sqlite3.Connection, load: _Load) -> Iterator[None]:
        """Commit what ``load`` indexed when the block ends (roll it back on an error), then release the writers."""
        assert self.index is not None and self.figures is not None
        try:
            yield
            self._commit(conn, load)
        except BaseException:
            for writer in load.writers:
                writer.rollback()
            raise
        finally:
            for writer in load.writers:
                writer.wait_merging_threads()
            self.index.reload()
            self.figures.reload()

    def _drain(self, conn: sqlite3.Connection, load: _Load, on_progress: Callable[[int], None] | None = None,
               upto: int | None = None, commit: Callable[[], None] | None = None) -> int:
        """Add the documents of every pending article after ``load.last_seq`` (up to ``upto``), calling ``commit``
        (by default ``_commit``) every ``COMMIT_EVERY``; how many."""
        done = 0
        while batch := conn.execute("SELECT seq, rid FROM text_pending WHERE seq > ? AND seq <= ? ORDER BY seq "
                                    "LIMIT ?", (load.last_seq, upto or 1 << 62, BATCH)).fetchall():
            load.last_seq = batch[-1][0]
            rids = [rid for _, rid in batch]
            replaced = [rid for rid in rids if load.indexed(rid)] if load.empty else rids
            if replaced:  # the documents are replaced (a removed article's are only deleted)
                for writer, schema in zip(load.writers, (self.schema, self.figure_schema), strict=True):
                    writer.delete_documents_by_query(tantivy.Query.term_set_query(schema, "rid", replaced))
            load.add(rids)
            for writer, docs in zip(load.writers, documents(conn, rids), strict=True):
                for document in docs:
                    writer.add_document(document)
            done += len(rids)
            load.uncommitted += len(rids)
            if load.uncommitted >= COMMIT_EVERY:
                commit() if commit else self._commit(conn, load)
            if on_progress:
                on_progress(len(rids))
        return done

    def _commit(self, conn: sqlite3.Connection, load: _Load) -> None:
        """Publish the documents added so far, then forget their rows (never before: a crash re-indexes them)."""
        for writer in load.writers:
            writer.commit()
        load.uncommitted = 0
        forget(conn, load.last_seq)


@dataclass
class _Load:
    """Writers held for a sync or a bulk load, and how far into ``text_pending`` they have indexed."""

    writers: tuple[tantivy.IndexWriter, tantivy.IndexWriter]
    empty: bool  # the index held nothing when they were taken: only what they added needs deleting
    last_seq: int = 0
    uncommitted: int = 0
    _added: bytearray = field(default_factory=bytearray)  # one bit per rid indexed by these writers

    def add(self, rids: list[int]) -> None:
        """Note that these articles' documents were added."""
        top = max(rids) // 8 + 1
        if top > len(self._added):
            self._added.extend(bytes(top - len(self._added) + (1 << 16)))
        for rid in rids:
            self._added[rid >> 3] |= 1 << (rid & 7)

    def indexed(self, rid: int) -> bool:
        """Whether these writers added a document of the article."""
        return rid >> 3 < len(self._added) and bool(self._added[rid >> 3] & (1 << (rid & 7)))


def forget(conn: sqlite3.Connection, seq: int) -> None:
    """Forget the pending rows up to ``seq``, whose documents are committed, and say the index changed."""
    with conn:
        conn.execute("DELETE FROM text_pending WHERE seq <= ?", (seq,))
        conn.execute("UPDATE text_index_state SET version = version + 1")


def mark(conn: sqlite3.Connection, rids: list[int]) -> None:
    """Note articles whose documents must be rewritten (inside the transaction that changes them)."""
    conn.executemany("INSERT OR REPLACE INTO text_pending (rid) VALUES (?)", [(rid,) for rid in rids])
