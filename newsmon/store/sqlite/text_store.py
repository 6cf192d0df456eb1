"""How a SQLite store keeps its tantivy text index (mixed into ``SqliteStore``): opening or building it anew,
bringing it up to date, bulk loads (which also count the roll-ups once, at their end), and whether searches may
use it now (``text_index``)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from newsmon.errors import StoreBusy, StoreError
from newsmon.store.sqlite import bulk as bulk_settings
from newsmon.store.sqlite import rollups
from newsmon.store.sqlite.text_index import TextIndex

__all__ = ["OPEN_SYNC_MAX", "WRITER_CACHE_KIB", "TextIndexMixin"]

WRITER_CACHE_KIB = 8 * 1024  # the writer's page cache (KiB)
OPEN_SYNC_MAX = 20_000  # pending text-index documents a store indexes as it opens; more wait for refresh_ranking


class TextIndexMixin:
    """The text-index side of ``SqliteStore``; it provides the attributes annotated here."""

    path: Path
    busy_timeout: float
    _text: TextIndex | None
    _writer: sqlite3.Connection
    _write_lock: threading.Lock
    _reader: sqlite3.Connection
    _writing: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def _open_text_index(self) -> None:
        """Open (or create anew, every article pending) the text index; index what is pending if it is little."""
        text = TextIndex.beside(self.path)
        if not text.open(self._writer):
            self._writer.execute("BEGIN IMMEDIATE")  # one process at a time decides whether to build it anew
            try:
                text.ensure(self._writer)
                self._writer.execute("COMMIT")
            except BaseException:
                self._writer.rollback()
                raise
        self._text = text
        if self._writer.execute("SELECT count(*) FROM text_pending").fetchone()[0] <= OPEN_SYNC_MAX:
            text.sync(self._writer)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A bulk load (an import, a reindex): the writer set up for it (``bulk_settings``), and the text index's
        writers held by a second process, which indexes each write's articles while the next batch is written
        and commits every ``text_index.COMMIT_EVERY`` articles and when the block ends; the daily roll-ups are
        counted and the full-text index merged once, at the end, while that process indexes its last batches.
        Readers answer from FTS5 and SQL until then."""
        with self._locked():
            bulk_settings.begin(self._writer)
            rollups.drop_triggers(self._writer)
        finished = False
        try:
            with self._text.bulk(self._writer, threads=1) if self._text is not None else nullcontext():
                try:  # one indexing thread: on two cores, beside the writer
                    yield
                finally:
                    finished = True
                    self._finish_bulk()
        finally:
            if not finished:  # the indexing process could not even be set up
                self._finish_bulk()

    def _finish_bulk(self) -> None:
        """Count the roll-ups, merge the full-text index and put the writer's usual settings back."""
        with self._locked():
            rollups.recount(self._writer)
            bulk_settings.end(self._writer, WRITER_CACHE_KIB)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """This process's write lock (``StoreBusy`` after the wait), without a transaction."""
        if not self._write_lock.acquire(timeout=self.busy_timeout):
            raise StoreBusy(f"{self.path}: another write of this process held the lock for {self.busy_timeout:g} s")
        try:
            yield
        finally:
            self._write_lock.release()

    def refresh_text_index(self, threads: int = 1, on_progress: Callable[[int], None] | None = None) -> int:
        """Index the articles whose text-index document is pending (all of them after a migration); how many.

        Nothing when this store does not use the index, or another process holds its writer (that one
        catches up instead)."""
        if self._text is None:
            return 0
        with self._locked():
            return self._text.sync(self._writer, threads, on_progress) or 0

    def rebuild_text_index(self, on_progress: Callable[[int], None] | None = None) -> int:
        """Build the text index anew from the records (after damage, or to compact it); how many articles."""
        if self._text is None:
            raise StoreError(f"{self.path} was opened without its text index")
        with self._writing() as conn:
            self._text.reset(conn)
        return self.refresh_text_index(threads=2, on_progress=on_progress)

    def _text_ready(self) -> TextIndex | None:
        """The text index when searches may use it now (``TextIndex.ready``), else None."""
        return self._text if self._text is not None and self._text.ready(self._reader) else None
