"""The SQLite store: the shared contract plus schema migrations."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from newsmon.errors import ConfigError, MigrationError
from newsmon.models import Person
from newsmon.query import parse
from newsmon.store import open_store
from newsmon.store.analytics import FigureFilters
from newsmon.store.base import SearchFilters
from newsmon.store.sqlite import SqliteStore
from newsmon.store.sqlite.schema import MIGRATIONS, SCHEMA_VERSION, schema_version
from newsmon.text import fold
from tests.store_contract import BackendContract, extraction_for, make_article, sample_corpus
from tests.subscription_contract import SubscriptionContract


@pytest.fixture
def store(tmp_path: Path):
    with SqliteStore(tmp_path / "newsmon.db") as s:
        yield s


class TestSqliteStore(BackendContract, SubscriptionContract):
    """The contract on the embedded engine (words, counts and aggregations from its tantivy text index)."""


class TestSqliteStoreWithoutTextIndex(BackendContract):
    """The contract on the embedded engine answering from FTS5 and SQL alone, as it does while the text index
    catches up with writes."""

    @pytest.fixture
    def store(self, tmp_path: Path):
        with SqliteStore(tmp_path / "newsmon.db", text_index=False) as s:
            yield s


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


def test_version_2_side_tables_are_rekeyed_by_rowid(tmp_path: Path) -> None:
    """Version 3 moves provinces, events, topics, figures and entities to rowid keys, keeping every row."""
    path = tmp_path / "v2.db"
    article = make_article(1, "Đắk Lắk hỗ trợ phụ nữ", "Hội trao 50 suất vay vốn.", day=date(2024, 11, 20),
                           source="baodaklak.vn")
    extraction = extraction_for("Đắk Lắk", "Đắk Lắk", "support", 50)
    extraction.people = [Person(name="Y Mai", title="Chủ tịch")]
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "\nPRAGMA user_version = 2;")
    conn.execute(
        "INSERT INTO articles (id, canonical_url, url, source, title, text, published_at, crawled_at, content_hash,"
        " day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '2024-11-20')",
        (article.id, article.canonical_url, article.url, article.source, article.title, article.text,
         article.published_at.isoformat(), article.crawled_at.isoformat(), article.content_hash),
    )
    conn.execute("INSERT INTO articles_fts (rowid, title, lead, text) VALUES (1, ?, '', ?)",
                 (fold(article.title), fold(article.text)))
    conn.execute("INSERT INTO extractions VALUES (?, 'test', ?, 0)", (article.id, extraction.model_dump_json()))
    conn.execute("INSERT INTO article_provinces VALUES (?, 'Đắk Lắk', 'dak lak', 'Đắk Lắk', 'dak lak')",
                 (article.id,))
    conn.execute("INSERT INTO article_events VALUES (?, 'support')", (article.id,))
    conn.execute("INSERT INTO article_topics VALUES (?, 'bình đẳng giới')", (article.id,))
    conn.execute("INSERT INTO figures VALUES (?, 0, 50, 'phụ nữ', NULL, '50 phụ nữ', NULL, 'Đắk Lắk', NULL, NULL)",
                 (article.id,))
    conn.commit()
    conn.close()

    with SqliteStore(path) as s:
        assert schema_version(s._writer) == SCHEMA_VERSION
        page = s.search(parse("vay von"), SearchFilters(provinces=["dak lak"], event_types=["support"]))
        assert [h.id for h in page.hits] == [article.id] and page.hits[0].provinces == ["Đắk Lắk"]
        assert [(f.value, f.count) for f in page.facets["topic"]] == [("bình đẳng giới", 1)]
        figures = s.figures(figure_filters=FigureFilters(text="PHU NU", provinces=["Đắk Lắk"]))
        assert [(r.article_id, r.value) for r in figures.rows] == [(article.id, 50)]
        assert [(e.name, e.detail) for e in s.entities("people")] == [("Y Mai", "Chủ tịch")]
        assert s.trends(interval="week").points[0].period == "2024-11-18"  # the week backfilled on article_keys
        s.save_extractions([(article.id, extraction_for("Hà Giang", "Tuyên Quang", "forum"))])
        assert s.search(filters=SearchFilters(provinces=["Tuyên Quang"])).total == 1
        assert s.search(filters=SearchFilters(provinces=["Đắk Lắk"])).total == 0  # old side rows replaced


def test_reads_see_writes_made_after_them(tmp_path: Path) -> None:
    """Each read ends its snapshot: a search after a write sees it (no transaction left open)."""
    corpus = sample_corpus()
    with SqliteStore(tmp_path / "x.db") as s:
        s.upsert_articles(corpus[:2])
        assert s.search().total == 2 and s.trends().total == 2
        s.upsert_articles(corpus[2:])
        assert s.search().total == 4 and s.trends().total == 4 and s.figures().total == 0
        assert not s._reader.in_transaction


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


def test_stored_articles_are_read_as_they_are_without_normalising_again(tmp_path: Path, monkeypatch) -> None:
    corpus = sample_corpus()
    with SqliteStore(tmp_path / "n.db", text_index=False) as store:
        store.upsert_articles(corpus)

        def refuse(text: str) -> str:
            raise AssertionError("stored text was normalised again")

        monkeypatch.setattr("newsmon.models.normalize", refuse)
        assert [a.id for a in store.iter_articles()] == [a.id for a in corpus]
        assert store.get_article(corpus[0].id) == corpus[0]
        with pytest.raises(ValidationError, match="normalised again"):
            make_article(99, "Tiêu đề", "Nội dung mới.", day=date(2024, 5, 1))  # what comes in still is


def test_an_article_twice_in_one_batch_is_found_by_its_later_text(tmp_path: Path) -> None:
    """The full-text entries of a batch are written after its rows (``articles._FullText``): the last one wins."""
    def changed(article, text: str):
        return type(article).model_validate({**article.model_dump(exclude={"content_hash"}), "text": text})

    first = make_article(1, "Tin địa phương", "Phụ nữ vay vốn làm kinh tế.", day=date(2024, 5, 1))
    others = [make_article(n, f"Tin {n}", "Hội nghị tổng kết.", day=date(2024, 5, n)) for n in (2, 3, 4)]
    for text_index in (False, True):
        with SqliteStore(tmp_path / f"twice-{text_index}.db", text_index=text_index) as store:
            store.upsert_articles([first, others[0], changed(first, "Tập huấn cán bộ hội."), others[1]])
            assert [h.id for h in store.search(parse("tập huấn")).hits] == [first.id]
            assert store.search(parse("vay vốn")).total == 0
            store.upsert_articles([others[2], changed(first, "Bình đẳng giới ở cơ sở."), others[0]])
            assert [h.id for h in store.search(parse("bình đẳng")).hits] == [first.id]
            assert store.search(parse("tập huấn")).total == 0 and store.search(parse("hội nghị")).total == 3
