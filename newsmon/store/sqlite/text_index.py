"""The text index beside SQLite: tantivy (BM25 with block-max WAND, columnar fast fields) for words and counts.

SQLite keeps the records; the folder ``<db>-text/`` holds one tantivy document per article: its folded title,
lead and text (as ``articles_fts``) and, as fast fields, what filters, facets, trends and entity counts read
(day, week, month, year, a date-order key, source, copy and on-topic flags, provinces, events, topics, whether
it has figures, people, organisations and places). Everything in it is derived from SQLite, so it is
rebuildable at any time:

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

import re
import shutil
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import tantivy

from newsmon.text import fold

SCHEMA_VERSION = 1  # of the documents: a folder built by another version is rebuilt
BATCH = 2_000  # articles read from SQLite at a time
COMMIT_EVERY = 50_000  # documents per tantivy commit in a long sync (a crash re-indexes at most these)
WRITER_HEAP = 128 * 1024 * 1024  # the writer's indexing arena, all threads together: memory stays bounded
MISSING = "~"  # the bucket of documents without a value (an undated article's period)
TEXT_FIELDS = ("title", "lead", "text")
KEYWORD_FIELDS = ("source", "province", "province_key", "event_type", "topic", "people", "organisations",
                  "places", "people_detail", "organisations_detail", "places_detail",
                  "day_key", "week", "month", "year")
FLAG_FIELDS = ("is_copy", "on_topic", "has_figures")
ENTITY_KINDS = ("people", "organisations", "places")
DETAIL_SEPARATOR = "\x1f"
# Schema version 12: the queue of articles whose document must be (re)written, and the index's identity.
SCHEMA = """
CREATE TABLE text_pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, rid INTEGER NOT NULL UNIQUE);
CREATE TABLE text_index_state (generation TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0);
CREATE TRIGGER text_pending_delete AFTER DELETE ON articles BEGIN
    INSERT OR REPLACE INTO text_pending (rid) VALUES (old.rowid);
END;
"""
_TOKEN = re.compile(r"[^\W_]+")  # tantivy's default tokenizer: runs of alphanumeric characters
_MAX_TOKEN_BYTES = 40  # ... of which longer ones are dropped (RemoveLongFilter)
# Date order, day then time of day then rid, in one 64-bit key: 20 bits of day ordinal, 17 of seconds, 27 of rid.
_SECONDS_SHIFT, _DAY_SHIFT, _RID_MASK = 27, 44, (1 << 27) - 1


def tokens(folded: str) -> list[str]:
    """The tokens tantivy's default tokenizer makes of folded text (lower case already)."""
    return [t for t in _TOKEN.findall(folded.lower()) if len(t.encode()) <= _MAX_TOKEN_BYTES]


def sort_key(day: str, published: str, rid: int) -> int:
    """The date-order key: ``(day, time of day to the second, rid)``; an undated article's day is 0."""
    ordinal = date.fromisoformat(day).toordinal() if day else 0
    seconds = 0
    if len(published) >= 19:
        seconds = int(published[11:13]) * 3600 + int(published[14:16]) * 60 + int(published[17:19])
    return (ordinal << _DAY_SHIFT) | (seconds << _SECONDS_SHIFT) | (rid & _RID_MASK)


def day_number(day: str) -> int:
    """The day as a number for range filters: its ordinal, 0 for an undated article (as '' sorts first)."""
    return date.fromisoformat(day).toordinal() if day else 0


def build_schema() -> tantivy.Schema:
    """The document: folded text with positions (phrases), and fast fields for filters and counts."""
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("rid", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="default", index_option="position")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in FLAG_FIELDS:
        builder.add_unsigned_field(name, indexed=True, fast=True)
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("sort", fast=True)
    return builder.build()


class TextIndex:
    """The tantivy index of one SQLite store (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.schema = build_schema()
        self.index: tantivy.Index | None = None
        self.generation = ""
        self._seen: tuple[str, int] | None = None  # the SQLite state this process's searchers reflect

    @classmethod
    def beside(cls, db_path: Path) -> TextIndex:
        """The index of the store at ``db_path``: the folder ``<name>-text`` next to it."""
        return cls(db_path.with_name(db_path.name + "-text"))

    def _marker(self) -> Path:
        return self.folder / "newsmon-generation"

    def ensure(self, conn: sqlite3.Connection) -> bool:
        """Open the index, or create it anew with every article pending when it is missing, unreadable or not
        this store's. Call inside a write transaction of ``conn``; True when it was (re)created."""
        row = conn.execute("SELECT generation FROM text_index_state").fetchone()
        expected = f"{SCHEMA_VERSION} {row[0]}" if row else None
        marker = self._marker()
        if expected and marker.exists() and marker.read_text().strip() == expected:
            try:
                self.index = tantivy.Index(self.schema, path=str(self.folder), reuse=True)
                self.generation = row[0]
                return False
            except (OSError, ValueError):
                pass  # unreadable: rebuilt below
        generation = uuid.uuid4().hex
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.index = tantivy.Index(self.schema, path=str(self.folder), reuse=False)
        self.generation = generation
        marker.write_text(f"{SCHEMA_VERSION} {generation}\n")
        conn.execute("DELETE FROM text_index_state")
        conn.execute("INSERT INTO text_index_state (generation) VALUES (?)", (generation,))
        conn.execute("DELETE FROM text_pending")
        conn.execute("INSERT INTO text_pending (rid) SELECT rid FROM article_keys ORDER BY rid")
        return True

    def searcher(self) -> tantivy.Searcher:
        """A searcher over the last commit."""
        assert self.index is not None
        return self.index.searcher()

    def ready(self, conn: sqlite3.Connection) -> bool:
        """Whether searches may use the index now: nothing is pending, and this process reads the commit that
        SQLite's state says is the last (another process's commit is picked up here)."""
        row = conn.execute("SELECT generation, version, EXISTS (SELECT 1 FROM text_pending) "
                           "FROM text_index_state").fetchone()
        if row is None or row[2] or self.index is None:
            return False
        if (row[0], row[1]) != self._seen:
            if row[0] != self.generation:  # another process built the index anew
                self.index = tantivy.Index(self.schema, path=str(self.folder), reuse=True)
                self.generation = row[0]
            self.index.reload()
            self._seen = (row[0], row[1])
        return True

    def sync(self, conn: sqlite3.Connection, threads: int = 1, on_progress: Callable[[int], None] | None = None,
             ) -> int | None:
        """Index every pending article, commit, and forget them; how many, or None if another process holds
        the index's writer (they stay pending). ``conn`` is the store's writer connection, not in a transaction."""
        if self.index is None or conn.execute("SELECT 1 FROM text_pending LIMIT 1").fetchone() is None:
            return 0
        try:
            writer = self.index.writer(WRITER_HEAP, threads)
        except ValueError as e:
            if "lock" in str(e).lower():
                return None
            raise
        empty = self.index.searcher().num_docs == 0
        done, last_seq, uncommitted = 0, 0, 0
        try:
            while batch := conn.execute("SELECT seq, rid FROM text_pending WHERE seq > ? ORDER BY seq LIMIT ?",
                                        (last_seq, BATCH)).fetchall():
                last_seq = batch[-1][0]
                rids = [rid for _, rid in batch]
                if not empty:  # the documents are replaced (a removed article's is only deleted)
                    writer.delete_documents_by_query(tantivy.Query.term_set_query(self.schema, "rid", rids))
                for document in documents(conn, rids):
                    writer.add_document(document)
                done += len(rids)
                uncommitted += len(rids)
                if uncommitted >= COMMIT_EVERY:
                    self._commit(conn, writer, last_seq)
                    uncommitted = 0
                if on_progress:
                    on_progress(len(rids))
            self._commit(conn, writer, last_seq)
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self.index.reload()
        return done

    def _commit(self, conn: sqlite3.Connection, writer: tantivy.IndexWriter, last_seq: int) -> None:
        """Publish the documents added so far, then forget their rows (never before: a crash re-indexes)."""
        writer.commit()
        with conn:
            conn.execute("DELETE FROM text_pending WHERE seq <= ?", (last_seq,))
            conn.execute("UPDATE text_index_state SET version = version + 1")


def mark(conn: sqlite3.Connection, rids: list[int]) -> None:
    """Note articles whose document must be rewritten (inside the transaction that changes them)."""
    conn.executemany("INSERT OR REPLACE INTO text_pending (rid) VALUES (?)", [(rid,) for rid in rids])


def documents(conn: sqlite3.Connection, rids: list[int]) -> Iterator[tantivy.Document]:
    """The documents of the articles among ``rids`` that exist, read from SQLite."""
    marks = ",".join("?" * len(rids))
    sides = _side_values(conn, rids, marks)
    rows = conn.execute(
        "SELECT k.rid, k.day, k.week, k.published, k.source, k.is_copy, k.on_topic, a.title, a.lead, a.text "
        f"FROM article_keys k CROSS JOIN articles a ON a.rowid = k.rid WHERE k.rid IN ({marks})", rids)
    for rid, day, week, published, source, is_copy, on_topic, title, lead, text in rows:
        document = tantivy.Document()
        document.add_unsigned("rid", rid)
        for name, value in (("title", title), ("lead", lead), ("text", text)):
            if value:
                document.add_text(name, fold(value))
        document.add_text("source", source)
        if day:
            for name, value in (("day_key", day), ("week", week), ("month", day[:7]), ("year", day[:4])):
                document.add_text(name, value)
        document.add_integer("day", day_number(day))
        document.add_unsigned("sort", sort_key(day, published, rid))
        document.add_unsigned("is_copy", int(is_copy))
        document.add_unsigned("on_topic", int(on_topic))
        document.add_unsigned("has_figures", int(rid in sides["has_figures"]))
        for name, values in sides.items():
            if name != "has_figures":
                for value in values.get(rid, ()):
                    document.add_text(name, value)
        yield document


def _side_values(conn: sqlite3.Connection, rids: list[int], marks: str) -> dict[str, dict[int, list[str]]]:
    """Per side field, each article's values (distinct), read from the side tables."""
    values: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for rid, province, key, new_key in conn.execute(
        f"SELECT rid, province, province_key, province_new_key FROM article_provinces WHERE rid IN ({marks})", rids,
    ):
        values["province"][rid].append(province)
        values["province_key"][rid].extend(k for k in {key, new_key} if k)
    for name, sql in (("event_type", "SELECT rid, type FROM article_events"),
                      ("topic", "SELECT rid, topic FROM article_topics")):
        for rid, value in conn.execute(f"{sql} WHERE rid IN ({marks})", rids):
            values[name][rid].append(value)
    for rid, kind, name, detail in conn.execute(
        f"SELECT rid, kind, name, detail FROM article_entities WHERE rid IN ({marks})", rids,
    ):
        values[kind][rid].append(name)
        if detail is not None:
            values[f"{kind}_detail"][rid].append(f"{name}{DETAIL_SEPARATOR}{detail}")
    values["has_figures"] = {rid: [] for (rid,) in conn.execute(
        f"SELECT DISTINCT rid FROM figures WHERE rid IN ({marks})", rids)}
    return values
