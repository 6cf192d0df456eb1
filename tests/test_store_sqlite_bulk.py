"""What a bulk load changes on the SQLite writer (``newsmon.store.sqlite.bulk``) and puts back, even when it fails
or its process dies; the full-text index merged once at its end still answers as the text index does."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest

from newsmon.query import parse
from newsmon.store.sqlite import SqliteStore, rollups
from newsmon.store.sqlite import bulk as bulk_settings
from tests.store_contract import make_article

WORDS = ["bình đẳng giới", "phụ nữ", "bạo lực gia đình", "tập huấn", "vay vốn"]


def _merging(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT k, v FROM articles_fts_config WHERE k IN ('automerge', 'crisismerge')"))


def _synchronous(store: SqliteStore) -> int:
    return store._writer.execute("PRAGMA synchronous").fetchone()[0]


def _load(store: SqliteStore, n: int) -> None:
    for start in range(0, n, 10):  # one transaction per batch, as newsmon reindex writes
        store.upsert_articles([make_article(i, f"Bài {i}", f"{WORDS[i % 5]} và {WORDS[(i * 3) % 5]}.",
                                            day=date(2024, 11, 1 + i % 28)) for i in range(start, min(n, start + 10))])


def test_a_load_does_not_merge_full_text_as_it_goes_and_puts_everything_back(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "b.db") as store:
        usual = _synchronous(store)
        with store.bulk():
            assert _merging(store._writer) == {"automerge": 0, "crisismerge": 2000}
            assert _synchronous(store) == 0  # OFF
            _load(store, 60)
            segments_while_loading = _segments(store._writer)
        assert segments_while_loading >= 6  # a segment per batch, none merged
        assert _merging(store._writer) == {"automerge": 4, "crisismerge": 16}
        assert _synchronous(store) == usual == 1  # NORMAL
        assert _segments(store._writer) == 1  # merged once, at the end
        store._writer.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        with SqliteStore(tmp_path / "b.db", text_index=False) as plain:
            for query in ("phụ nữ", '"bao luc gia dinh"', "vay -tập"):
                ours, theirs = (s.search(parse(query), limit=100) for s in (store, plain))
                assert ours.total == theirs.total > 0
                assert sorted(h.id for h in ours.hits) == sorted(h.id for h in theirs.hits)


def test_a_failed_load_puts_the_usual_settings_back(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "f.db") as store:
        with pytest.raises(RuntimeError), store.bulk():
            _load(store, 20)
            raise RuntimeError("the source went away")
        assert _merging(store._writer) == {"automerge": 4, "crisismerge": 16}
        assert _synchronous(store) == 1
        assert store.search(parse("phụ nữ")).total > 0


def test_a_load_whose_process_died_has_merging_put_back_when_the_store_opens(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "d.db") as store:
        _load(store, 20)
        bulk_settings.begin(store._writer)  # the load's start, and no end: its process was killed
        assert _merging(store._writer)["automerge"] == 0
    with SqliteStore(tmp_path / "d.db") as store:
        assert _merging(store._writer) == {"automerge": 4, "crisismerge": 16}
        assert _synchronous(store) == 1  # a connection setting: every opening starts from NORMAL


def _segments(conn: sqlite3.Connection) -> int:
    """How many segments FTS5's index has: a segment's pages are rows of ``articles_fts_data`` with ids
    (segment id << 37) + page (FTS5's ``fts5_dri``); ids below 1 << 37 are the index's own records."""
    return len({i >> 37 for (i,) in conn.execute("SELECT id FROM articles_fts_data WHERE id >= 1 << 37")})


def test_a_load_whose_indexing_cannot_be_set_up_puts_everything_back(tmp_path: Path, monkeypatch) -> None:
    with SqliteStore(tmp_path / "s.db") as store:
        def refuse(*args, **kwargs):
            raise OSError("no more processes")

        monkeypatch.setattr(subprocess, "Popen", refuse)  # the text index's process cannot start
        with pytest.raises(OSError), store.bulk():
            pass
        assert _merging(store._writer) == {"automerge": 4, "crisismerge": 16}
        assert _synchronous(store) == 1
        assert rollups.kept(store._writer)  # the roll-ups' triggers are back
