"""The SQLite store: the shared contract plus schema migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsmon.errors import ConfigError, MigrationError
from newsmon.query import parse
from newsmon.store import open_store
from newsmon.store.sqlite import SqliteStore
from newsmon.store.sqlite_schema import MIGRATIONS, SCHEMA_VERSION, schema_version
from tests.store_contract import BackendContract


@pytest.fixture
def store(tmp_path: Path):
    with SqliteStore(tmp_path / "newsmon.db") as s:
        yield s


class TestSqliteStore(BackendContract):
    """The contract on the embedded engine."""


def test_database_uses_wal(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "x.db") as s:
        assert s._writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_older_database_is_migrated_with_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
    conn.execute(
        "INSERT INTO articles (id, canonical_url, url, source, title, text, published_at, crawled_at, content_hash) "
        "VALUES ('a1', 'https://x.vn/1', 'https://x.vn/1', 'x.vn', 'Bình đẳng giới', 'Nội dung',"
        " '2022-11-15T08:00:00+07:00', '2022-11-15T09:00:00+07:00', 'h')"
    )
    conn.execute("INSERT INTO articles_fts (rowid, title, lead, text) VALUES (1, 'binh dang gioi', '', 'noi dung')")
    conn.commit()
    conn.close()

    with SqliteStore(path) as s:
        assert schema_version(s._writer) == SCHEMA_VERSION
        page = s.search(parse("bình đẳng"))
        assert [h.id for h in page.hits] == ["a1"]
        assert s.trends(interval="year").points[0].period == "2022"  # day backfilled by the migration
        assert s.get_article("a1").duplicate_of is None


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(MigrationError, match="newer than this newsmon"):
        SqliteStore(path)


@pytest.mark.parametrize("url", ["sqlite://", "postgres://x", "sqlite:///"])
def test_bad_store_urls_say_what_to_use(url: str) -> None:
    with pytest.raises(ConfigError, match="sqlite:///"):
        open_store(url)


def test_open_store_relative_and_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///data/rel.db") as s:
        assert s.path == Path("data/rel.db")
    with open_store(f"sqlite:///{tmp_path}/abs.db") as s:
        assert s.path == tmp_path / "abs.db"
