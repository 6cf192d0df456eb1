"""``newsmon reindex`` between two SQLite stores (Elasticsearch both ways: tests/test_store_elastic.py)."""

from __future__ import annotations

import gc
import weakref
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsmon.cli import app
from newsmon.cli import reindex as reindex_module
from newsmon.cli.reindex import _copy, reindex, resolve_store_url
from newsmon.errors import ConfigError, StoreError
from newsmon.models import VN_TZ, Subscription
from newsmon.query import parse
from newsmon.settings import get_settings
from newsmon.store.sqlite import SqliteStore
from tests.store_contract import extraction_for, rich_extraction, sample_corpus

NOW = datetime(2024, 11, 25, 7, 0, tzinfo=VN_TZ)


def fill(path: Path) -> None:
    """Four articles, two extractions, two subscriptions and a send log with a retried delivery."""
    corpus = sample_corpus()
    with SqliteStore(path) as store:
        store.upsert_articles(corpus)
        store.save_extractions([(corpus[0].id, rich_extraction()),
                                (corpus[1].id, extraction_for("Đắk Lắk", "Đắk Lắk", "support", 50))])
        first = store.add_subscription(Subscription(email="lan@example.vn", query="bình đẳng giới"))
        store.add_subscription(Subscription(email="mai@example.vn", active=False))
        week = date(2024, 11, 18)
        store.claim_delivery(first.id, week, date(2024, 11, 25), "<m@x>", now=NOW, lease=timedelta(minutes=5))
        store.finish_delivery(first.id, week, "retry", now=NOW, error="451 busy")
        store.claim_delivery(first.id, week, date(2024, 11, 25), "<m@x>", now=NOW, lease=timedelta(minutes=5))
        store.finish_delivery(first.id, week, "sent", now=NOW + timedelta(minutes=1))


def test_reindex_copies_everything_and_verifies(tmp_path: Path) -> None:
    fill(tmp_path / "a.db")
    report = reindex(f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}")
    assert (report.articles, report.extractions, report.subscriptions, report.deliveries) == (4, 2, 2, 1)
    with SqliteStore(tmp_path / "a.db") as a, SqliteStore(tmp_path / "b.db") as b:
        assert list(a.iter_articles()) == list(b.iter_articles())
        ids = [x.id for x in a.iter_articles()]
        assert [a.get_extraction(i) for i in ids] == [b.get_extraction(i) for i in ids]
        assert a.list_subscriptions() == b.list_subscriptions()
        assert a.list_deliveries() == b.list_deliveries()  # state, attempts, last error and time kept
        assert b.list_deliveries()[0].attempts == 2


def test_reindex_refuses_a_target_that_holds_articles(tmp_path: Path) -> None:
    fill(tmp_path / "a.db")
    fill(tmp_path / "b.db")
    with pytest.raises(StoreError, match="already holds 4 articles"):
        reindex(f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}")
    with pytest.raises(ConfigError, match="same store"):
        reindex(f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'a.db'}")


def test_shorthands_resolve_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSMON_ELASTICSEARCH_URL", "http://es.internal:9200")
    get_settings.cache_clear()
    try:
        assert resolve_store_url("elasticsearch") == "http://es.internal:9200"
        assert resolve_store_url("SQLite") == get_settings().sqlite_url
        assert resolve_store_url("sqlite:///x.db") == "sqlite:///x.db"
    finally:
        get_settings.cache_clear()


def test_cli_reindex_reports_the_verified_counts(tmp_path: Path) -> None:
    fill(tmp_path / "a.db")
    result = CliRunner().invoke(
        app, ["reindex", "--store", f"sqlite:///{tmp_path / 'a.db'}", "--to", f"sqlite:///{tmp_path / 'c.db'}"],
    )
    assert result.exit_code == 0, result.output
    assert "copied 4 article(s), 2 extraction(s), 2 subscription(s), 1 send-log record(s)" in result.output
    assert "finishing (merging the indexes, verifying the counts)" in result.output  # the bar says what it waits for
    again = CliRunner().invoke(
        app, ["reindex", "--store", f"sqlite:///{tmp_path / 'a.db'}", "--to", f"sqlite:///{tmp_path / 'c.db'}"],
    )
    assert again.exit_code == 2 and "already holds" in again.output


def test_reindex_text_index_builds_it_anew_from_the_records(tmp_path: Path) -> None:
    fill(tmp_path / "a.db")
    with SqliteStore(tmp_path / "a.db") as store:
        before = store.search(parse("phụ nữ"))
        generation = store._text.generation
    (tmp_path / "a.db-text" / "articles" / "meta.json").write_text("{not json", encoding="utf-8")  # damaged
    result = CliRunner().invoke(app, ["reindex", "--text-index", "--store", f"sqlite:///{tmp_path / 'a.db'}"])
    assert result.exit_code == 0, result.output
    assert "indexed 4 article(s)" in result.output
    assert "finishing (committing the text index)" in result.output
    with SqliteStore(tmp_path / "a.db") as store:
        assert store._text.generation != generation and store._text_ready() is not None
        again = store.search(parse("phụ nữ"))
        assert (again.total, [h.id for h in again.hits]) == (before.total, [h.id for h in before.hits])
    assert CliRunner().invoke(app, ["reindex"]).exit_code == 2  # neither --to nor --text-index


class _Cycle:
    """An object that refers to itself: only the cyclic garbage collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_a_copy_collects_garbage_between_batches_and_gives_collection_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill(tmp_path / "a.db")
    monkeypatch.setattr(reindex_module, "BATCH", 2)  # the four articles in two batches
    seen: list[tuple[bool, bool]] = []  # per batch: automatic collection on, the last batch's cycle still alive
    cycles: list[weakref.ref] = []
    with SqliteStore(tmp_path / "a.db") as source, SqliteStore(tmp_path / "b.db") as target:
        write = target.upsert_articles

        def upsert_noting_the_collector(articles):
            seen.append((gc.isenabled(), bool(cycles) and cycles[-1]() is not None))
            cycles.append(weakref.ref(_Cycle()))  # garbage only the collector can free, made during the batch
            return write(articles)

        target.upsert_articles = upsert_noting_the_collector
        _copy(source, target, "a", "b", lambda n: None)
    assert seen == [(False, False), (False, False)]  # paused, and the first batch's cycle freed after it
    assert gc.isenabled()


def test_a_failed_copy_gives_automatic_collection_back(tmp_path: Path) -> None:
    fill(tmp_path / "a.db")
    with SqliteStore(tmp_path / "a.db") as source, SqliteStore(tmp_path / "b.db") as target:
        def failing(articles):
            raise OSError("disk full")

        target.upsert_articles = failing
        with pytest.raises(OSError):
            _copy(source, target, "a", "b", lambda n: None)
    assert gc.isenabled()
