"""A local spool for writes Elasticsearch could not take: ingestion survives an outage.

While the cluster is unreachable, ``ElasticStore`` appends each write (a batch of articles or of
extractions) to a small SQLite file beside the local data; when the cluster answers again the
writes are replayed in the order they were made and only then deleted from the spool, so a crash
mid-replay replays a batch twice (writes are idempotent) but never loses one.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from newsmon.models import Article, Extraction

__all__ = ["Spool", "SpooledWrite"]

SpooledWrite = tuple[str, list[Article] | list[tuple[str, Extraction]]]


class Spool:
    """Writes waiting for the cluster, oldest first, in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        with self._conn:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS writes (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL)"
            )

    def add_articles(self, articles: list[Article]) -> None:
        """Keep a batch of articles for later."""
        self._add("articles", [a.model_dump(mode="json") for a in articles])

    def add_extractions(self, items: list[tuple[str, Extraction]]) -> None:
        """Keep a batch of extractions (by article id) for later."""
        self._add("extractions", [[article_id, x.model_dump(mode="json")] for article_id, x in items])

    def _add(self, kind: str, payload: list[object]) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT INTO writes (kind, payload) VALUES (?, ?)", (kind, json.dumps(payload, ensure_ascii=False))
            )

    def __len__(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM writes").fetchone()[0]

    def _pending(self) -> Iterator[tuple[int, SpooledWrite]]:
        with self._lock:
            rows = self._conn.execute("SELECT seq, kind, payload FROM writes ORDER BY seq").fetchall()
        for seq, kind, payload in rows:
            data = json.loads(payload)
            if kind == "articles":
                yield seq, (kind, [Article.model_validate(a) for a in data])
            else:
                yield seq, (kind, [(article_id, Extraction.model_validate(x)) for article_id, x in data])

    def replay(self, apply: Callable[[SpooledWrite], object]) -> int:
        """Apply every spooled write in order, deleting each once applied; return how many were replayed.

        ``apply`` raising (the cluster went away again) stops the replay; the rest stays spooled.
        """
        done = 0
        for seq, write in self._pending():
            apply(write)
            with self._lock, self._conn:
                self._conn.execute("DELETE FROM writes WHERE seq = ?", (seq,))
            done += 1
        return done

    def close(self) -> None:
        """Close the file."""
        self._conn.close()
