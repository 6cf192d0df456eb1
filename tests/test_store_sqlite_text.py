"""The SQLite store's tantivy text index and daily roll-ups against the FTS5 and SQL paths on the same file.

One file is opened twice: with the text index (the default) and without it (``text_index=False``: FTS5 and SQL,
which answer while the index catches up). Whatever both can answer exactly must agree: totals, facets, date
pages, trends and entity counts. Relevance pages differ in scores (tantivy's BM25 is not FTS5's) but must be
the exact top of the text index's own ranking, ties by rid, page after page.
"""

from __future__ import annotations

import itertools
import random
import re
import shutil
import sqlite3
import sys
from contextlib import nullcontext
from datetime import date, timedelta
from pathlib import Path

import pytest

from newsmon.errors import InvalidCursor
from newsmon.models import Extraction, Figure, Organisation, Person
from newsmon.query import parse
from newsmon.store.analytics import FigureFilters
from newsmon.store.base import SearchFilters
from newsmon.store.cursor import encode_cursor
from newsmon.store.sqlite import SqliteStore, rollups, text_search
from newsmon.store.sqlite import hits as hits_sql
from newsmon.store.sqlite import trends as trends_sql
from newsmon.store.sqlite.text_docs import _pairs_text
from tests.old_schemas import UNDO_V12
from tests.store_contract import extraction_for, make_article

PROVINCES = [("Hà Giang", "Tuyên Quang"), ("Đà Nẵng", "Đà Nẵng"), ("Cần Thơ", "Cần Thơ"), ("Yên Bái", "Lào Cai")]
WORDS = ["bình đẳng giới", "phụ nữ", "bạo lực gia đình", "tập huấn", "vay vốn", "trẻ em gái", "cán bộ"]
QUERIES = ["", "bình đẳng giới", "binh dang", "phụ nữ OR tập huấn", '"bạo lực gia đình" -vay', "cán*",
           "title:phụ", "source:bao1.vn", "phụ nữ province:(Hà Giang OR Cần Thơ)", "-tập", "type:support OR vay",
           '"phụ nữ"', '"lực gia đình"', '"gia đình vay vốn cán bộ" OR "giới trẻ em"', '"vốn bình đẳng giới phụ"']


def _articles(n: int, seed: int) -> list:
    rng = random.Random(seed)
    found = []
    for i in range(n):
        text = ". ".join(" ".join(rng.sample(WORDS, rng.randint(1, 4))) for _ in range(rng.randint(1, 4)))
        day = date(2023, 1, 1) + timedelta(days=rng.randint(0, 700))
        found.append(make_article(i, f"Bài {i}: {rng.choice(WORDS)}", text, day=day, source=f"bao{i % 3}.vn"))
    return found


def _extraction(rng: random.Random, i: int) -> Extraction:
    province, new_name = PROVINCES[i % len(PROVINCES)]
    extraction = extraction_for(province, new_name, rng.choice(["support", "training", "model_setup"]),
                                *([rng.randint(1, 90)] if i % 2 else []))
    figures = [Figure(value=rng.choice([5, 12.5, 40, 75]), unit=rng.choice(["%", "phụ nữ", "hộ"]),
                      subject=rng.choice([None, "phụ nữ vay vốn", "hộ nghèo"]), text="số liệu",
                      province=rng.choice([None, province])) for _ in range(rng.randint(0, 3))]
    return extraction.model_copy(update={
        "figures": extraction.figures + figures,
        "on_topic": i % 3 != 0, "topics": rng.sample(["bình đẳng giới", "phụ nữ", "trẻ em gái"], rng.randint(1, 2)),
        "people": [Person(name=rng.choice(["Lê Thị Mai", "Trần Văn Nam"]), title=rng.choice([None, "Chủ tịch"]))],
        "organisations": [Organisation(name="Hội Liên hiệp Phụ nữ", abbreviation=rng.choice([None, "Hội LHPN"]))],
    })


@pytest.fixture
def stores(tmp_path: Path):
    """The same 80 articles (60 extracted, some copies) through both paths."""
    path = tmp_path / "text.db"
    rng = random.Random(5)
    articles = _articles(80, seed=5)
    for i in (7, 23, 41):
        articles[i] = articles[i].model_copy(update={"duplicate_of": articles[i - 1].id})
    with SqliteStore(path) as text, SqliteStore(path, text_index=False) as plain:
        text.upsert_articles(articles)
        text.save_extractions([(a.id, _extraction(rng, i)) for i, a in enumerate(articles[:60])])
        yield text, plain


def _everything(store: SqliteStore, query: str, filters: SearchFilters) -> list[tuple[float, str]]:
    page = store.search(parse(query), filters, limit=1000)
    return [(h.score, h.id) for h in page.hits]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("filters", [SearchFilters(), SearchFilters(on_topic_only=True, date_from=date(2023, 6, 1)),
                                     SearchFilters(provinces=["Lào Cai"], include_duplicates=True)])
def test_counts_facets_and_date_pages_agree_with_sql(stores, query: str, filters: SearchFilters) -> None:
    text, plain = stores
    for sort in ("relevance", "date"):
        ours, theirs = (s.search(parse(query), filters, sort=sort, limit=1000) for s in (text, plain))
        assert ours.total == theirs.total and not ours.total_is_estimate
        assert ours.facets == theirs.facets
        if sort == "date" or not hits_sql.plan(parse(query), filters).ranked:
            assert [h.id for h in ours.hits] == [h.id for h in theirs.hits]
        assert sorted(h.id for h in ours.hits) == sorted(h.id for h in theirs.hits)


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("query", ["binh dang gioi", "phu nu OR can bo", ""])  # no accents: no reordering
def test_pages_follow_one_another_exactly(stores, query: str, sort: str) -> None:
    text, _ = stores
    whole = text.search(parse(query), sort=sort, limit=1000).hits
    if sort == "relevance" and query:  # best first, equal scores by rid (the article's order of arrival)
        keys = [(-h.score, text._reader.execute("SELECT rowid FROM articles WHERE id = ?", (h.id,)).fetchone()[0])
                for h in whole]
        assert keys == sorted(keys) and len(set(h.score for h in whole)) < len(whole)  # ties were met
    walked, cursor = [], None
    while True:
        page = text.search(parse(query), sort=sort, cursor=cursor, limit=7)
        walked += page.hits
        if not (cursor := page.next_cursor):
            break
    assert [h.id for h in walked] == [h.id for h in whole]


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
@pytest.mark.parametrize("split_by", [None, "source", "province", "topic", "event_type"])
@pytest.mark.parametrize("query", ["", "phụ nữ", "bình đẳng giới -vay"])
def test_trends_agree_with_sql(stores, interval: str, split_by: str | None, query: str) -> None:
    text, plain = stores
    for filters in (SearchFilters(), SearchFilters(on_topic_only=True, sources=["bao1.vn"]),
                    SearchFilters(date_to=date(2024, 1, 1), include_duplicates=True)):
        assert text.trends(parse(query), filters, interval, split_by) == \
            plain.trends(parse(query), filters, interval, split_by)


@pytest.mark.parametrize("kind", ["people", "organisations", "places"])
def test_entities_agree_with_sql(stores, kind: str) -> None:
    text, plain = stores
    for query in ("", "phụ nữ", "bình đẳng giới"):
        assert text.entities(kind, parse(query), limit=5) == plain.entities(kind, parse(query), limit=5)


@pytest.mark.parametrize("figure_filters", [
    FigureFilters(), FigureFilters(text="phu nu"), FigureFilters(unit="Phụ nữ", years=[2023]),
    FigureFilters(provinces=["Lào Cai"], value_min=20, value_max=80), FigureFilters(sources=["bao2.vn"], text="nữ"),
])
@pytest.mark.parametrize("query", ["", "phụ nữ", "bình đẳng giới -vay", "topic:(phụ nữ)"])
def test_figures_agree_with_sql(stores, query: str, figure_filters: FigureFilters) -> None:
    text, plain = stores
    for filters, offset in ((SearchFilters(), 0), (SearchFilters(on_topic_only=True), 3)):
        assert text.figures(parse(query), filters, figure_filters, limit=5, offset=offset) == \
            plain.figures(parse(query), filters, figure_filters, limit=5, offset=offset)


def _sql_trends(store: SqliteStore, filters: SearchFilters, interval: str, split_by: str | None):
    return trends_sql.trends(store._reader, hits_sql.plan(parse(""), filters), interval, split_by)


def test_roll_ups_follow_every_kind_of_write(stores) -> None:
    text, _ = stores
    articles = _articles(80, seed=5)
    moved = [a.model_copy(update={"published_at": a.published_at + timedelta(days=40), "text": a.text + " Mới."})
             for a in articles[10:30]]
    text.upsert_articles(moved)  # new dates and text: their extractions are dropped
    rng = random.Random(9)
    text.save_extractions([(a.id, _extraction(rng, i + 1)) for i, a in enumerate(articles[25:70])])
    text._writer.execute("DELETE FROM articles WHERE rowid IN (3, 4)")
    text._writer.commit()
    for split_by in (None, "source", "province", "topic", "event_type"):
        for filters in (SearchFilters(), SearchFilters(on_topic_only=True, date_from=date(2023, 3, 1))):
            assert text.trends(filters=filters, interval="week", split_by=split_by) == \
                _sql_trends(text, filters, "week", split_by)


def _roll_ups(store: SqliteStore) -> set[tuple]:
    return {tuple(row) for row in store._reader.execute("SELECT * FROM rollup_days WHERE n != 0")}


def test_a_bulk_load_counts_the_roll_ups_at_its_end_and_a_dead_one_at_the_next_opening(tmp_path: Path) -> None:
    articles, extractions = _articles(60, seed=8), [_extraction(random.Random(i), i) for i in range(60)]
    with SqliteStore(tmp_path / "kept.db") as kept, SqliteStore(tmp_path / "bulk.db") as store:
        for target in (kept, store):
            with store.bulk() if target is store else nullcontext():
                target.upsert_articles(articles[:40])
                target.save_extractions([(a.id, x) for a, x in zip(articles[:30], extractions, strict=False)])
                if target is store:  # meanwhile trends are counted from the articles
                    assert not rollups.kept(store._reader)
                    assert store.trends(interval="week", split_by="province") == \
                        _sql_trends(store, SearchFilters(), "week", "province")
        assert rollups.kept(store._reader) and _roll_ups(store) == _roll_ups(kept)
        rollups.drop_triggers(store._writer)  # a bulk load that dies before its end
        store.upsert_articles(articles[40:])
    with SqliteStore(tmp_path / "bulk.db") as store:
        assert rollups.kept(store._reader)
        for split_by in (None, "source", "province", "topic", "event_type"):
            assert store.trends(interval="week", split_by=split_by) == \
                _sql_trends(store, SearchFilters(), "week", split_by)


def test_an_index_lost_or_behind_is_rebuilt_from_sqlite(stores, tmp_path: Path) -> None:
    text, plain = stores
    query = parse("phụ nữ")
    before = text.search(query, limit=50)
    text.close()
    shutil.rmtree(tmp_path / "text.db-text")
    with SqliteStore(tmp_path / "text.db") as reopened:  # rebuilt as it opens (a small store)
        again = reopened.search(query, limit=50)  # scores may move: replaced documents no longer count in idf
        assert (again.total, again.facets) == (before.total, before.facets)
        assert sorted(h.id for h in again.hits) == sorted(h.id for h in before.hits)
    plain.upsert_articles([make_article(500, "Phụ nữ khởi nghiệp", "Phụ nữ.", day=date(2024, 2, 2))])
    with SqliteStore(tmp_path / "text.db") as reader:  # a write by a store without the index left it pending
        reader._writer.execute("INSERT OR REPLACE INTO text_pending (rid) SELECT rid FROM article_keys")
        reader._writer.commit()  # as a crash between a write and its sync would
        assert reader._text_ready() is None and reader.search(query).total == before.total + 1  # FTS5 answers
        reader.refresh_ranking()
        assert reader._text_ready() is not None and reader.search(query).total == before.total + 1


def test_a_reader_sees_another_writers_commits(stores, tmp_path: Path) -> None:
    text, _ = stores
    with SqliteStore(tmp_path / "text.db") as reader:
        assert reader.search(parse("khởi nghiệp")).total == 0
        text.upsert_articles([make_article(501, "Phụ nữ khởi nghiệp", "Vốn vay.", day=date(2024, 3, 3))])
        assert reader.search(parse("khởi nghiệp")).total == 1
        assert reader.trends(parse("khởi nghiệp"), interval="year").total == 1


def test_version_11_database_migrates_with_roll_ups_and_index(stores, tmp_path: Path) -> None:
    text, _ = stores
    expected = {split: text.trends(interval="month", split_by=split) for split in (None, "province", "topic")}
    page = text.search(parse("bình đẳng giới"), limit=30)
    text.close()
    conn = sqlite3.connect(tmp_path / "text.db")
    conn.executescript(UNDO_V12 + "PRAGMA user_version = 11;")
    conn.close()
    shutil.rmtree(tmp_path / "text.db-text")
    with SqliteStore(tmp_path / "text.db") as migrated:
        assert migrated._reader.execute("PRAGMA user_version").fetchone()[0] == 12
        assert {split: migrated.trends(interval="month", split_by=split) for split in expected} == expected
        again = migrated.search(parse("bình đẳng giới"), limit=30)
        assert (again.total, again.facets, sorted(h.id for h in again.hits)) == \
            (page.total, page.facets, sorted(h.id for h in page.hits))


def test_a_bulk_load_indexes_each_article_once(tmp_path: Path) -> None:
    articles, rng = _articles(70, seed=3), random.Random(3)
    with SqliteStore(tmp_path / "bulk.db") as store, SqliteStore(tmp_path / "bulk.db", text_index=False) as plain:
        with store.bulk():
            for start in range(0, 70, 25):
                batch = articles[start:start + 25]
                store.upsert_articles(batch)
                store.save_extractions([(a.id, _extraction(rng, start + i)) for i, a in enumerate(batch)])
            assert store._text_ready() is None  # nothing committed yet: FTS5 and SQL answer meanwhile
            store.upsert_articles([articles[5].model_copy(update={"text": "Phụ nữ vay vốn."})])  # again, changed
        assert store._text.searcher().num_docs == 70
        figures = plain._reader.execute("SELECT count(*) FROM figures").fetchone()[0]
        assert store._text.figure_searcher().num_docs == figures
        for query in QUERIES:
            ours, theirs = (s.search(parse(query), limit=100) for s in (store, plain))
            assert (ours.total, ours.facets) == (theirs.total, theirs.facets)


def _load_killing_the_worker(store: SqliteStore, articles: list, rng: random.Random) -> None:
    """Write ``articles`` in a bulk load whose indexing process is killed after the second of three batches."""
    for start in range(0, len(articles), 25):
        batch = articles[start:start + 25]
        store.upsert_articles(batch)
        store.save_extractions([(a.id, _extraction(rng, start + i)) for i, a in enumerate(batch)])
        if start == 25:
            store._text._held.process.kill()
            store._text._held.process.wait()


def test_a_killed_index_worker_is_caught_up_at_the_end_of_the_load(tmp_path: Path) -> None:
    articles, rng = _articles(70, seed=4), random.Random(4)
    with SqliteStore(tmp_path / "k.db") as store, SqliteStore(tmp_path / "k.db", text_index=False) as plain:
        with store.bulk():
            _load_killing_the_worker(store, articles, rng)
        assert store._text_ready() is not None and store._text.searcher().num_docs == 70
        for query in QUERIES:
            ours, theirs = (s.search(parse(query), limit=100) for s in (store, plain))
            assert (ours.total, ours.facets) == (theirs.total, theirs.facets)


def test_a_load_whose_index_worker_cannot_start_is_indexed_at_its_end(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "executable", shutil.which("false"))  # the worker exits at once
    articles, rng = _articles(40, seed=2), random.Random(2)
    with SqliteStore(tmp_path / "n.db") as store, SqliteStore(tmp_path / "n.db", text_index=False) as plain:
        with store.bulk():
            store.upsert_articles(articles)
            store.save_extractions([(a.id, _extraction(rng, i)) for i, a in enumerate(articles)])
        assert store._text_ready() is not None and store._text.searcher().num_docs == 40
        for query in QUERIES:
            ours, theirs = (s.search(parse(query), limit=100) for s in (store, plain))
            assert (ours.total, ours.facets) == (theirs.total, theirs.facets)


def test_a_failed_load_leaves_what_was_not_indexed_pending_and_a_reopen_catches_up(tmp_path: Path) -> None:
    articles, rng = _articles(70, seed=6), random.Random(6)
    with SqliteStore(tmp_path / "f.db") as store:
        with pytest.raises(RuntimeError), store.bulk():
            _load_killing_the_worker(store, articles, rng)
            raise RuntimeError("the source went away")
        assert store._text_ready() is None  # FTS5 and SQL answer meanwhile
        assert store._writer.execute("SELECT count(*) FROM text_pending").fetchone()[0] > 0
    with SqliteStore(tmp_path / "f.db") as store, SqliteStore(tmp_path / "f.db", text_index=False) as plain:
        assert store._text_ready() is not None and store._text.searcher().num_docs == 70
        for query in QUERIES:
            ours, theirs = (s.search(parse(query), limit=100) for s in (store, plain))
            assert (ours.total, ours.facets) == (theirs.total, theirs.facets)


def test_a_phrase_never_joins_the_end_of_one_field_to_the_next(tmp_path: Path) -> None:
    across = make_article(1, "Chung tay phòng chống bạo lực", "Gia đình hạnh phúc. Bạo lực là tội ác.",
                          day=date(2024, 5, 5), lead="gia đình là tổ ấm")
    within = make_article(2, "Nói không với bạo lực gia đình", "Tập huấn kỹ năng.", day=date(2024, 5, 6))
    with SqliteStore(tmp_path / "p.db") as text, SqliteStore(tmp_path / "p.db", text_index=False) as plain:
        text.upsert_articles([across, within])
        for query in ('"bạo lực gia đình"', '"phòng chống bạo lực gia"', '"tổ ấm gia đình"'):
            ours, theirs = (s.search(parse(query)) for s in (text, plain))
            assert [h.id for h in ours.hits] == [h.id for h in theirs.hits]
        assert [h.id for h in text.search(parse('"bạo lực gia đình"')).hits] == [within.id]


def test_facets_of_very_many_matches_are_estimated_from_a_fixed_sample(stores, monkeypatch) -> None:
    text, plain = stores
    monkeypatch.setattr(text_search, "FACETS_EXACT_MAX", 10)
    monkeypatch.setattr(text_search, "FACETS_SAMPLE", 20)
    exact, estimated = plain.search(parse("binh dang gioi"), limit=5), text.search(parse("binh dang gioi"), limit=5)
    assert exact.total > 20 and estimated.total == exact.total and not estimated.total_is_estimate
    assert estimated.facets_estimated and [h.id for h in estimated.hits] == [h.id for h in text.search(
        parse("binh dang gioi"), limit=5).hits]
    assert estimated.facets != exact.facets  # counted on a sample, scaled: close, not equal
    assert abs(sum(f.count for f in estimated.facets["source"]) - exact.total) < exact.total / 2
    assert text.search(parse("title:khởi"), limit=5).facets_estimated is False  # few matches: exact


@pytest.mark.parametrize("folded", [
    "", "phu nu", "Phu Nu “vay von” – 12,5%…", "a" * 41 + " binh dang", "gioi_tre em", "ca phe café",
    "tre em ١٢ gai", "x\u00a0y\tz\nw", "«mot» hai—ba", "K\u212a lon",
])
def test_word_pairs_follow_the_default_tokenizer(folded: str) -> None:
    words = [w if len(w.encode()) <= 40 else "~" for w in re.findall(r"[^\W_]+", folded.lower())]
    expected = ["~" if "~" in (a, b) else f"{a}_{b}" for a, b in itertools.pairwise(words)] + ["~"]
    assert _pairs_text(folded).split(" ") == expected


@pytest.mark.parametrize(("sort", "keys"), [
    ("relevance", [None, 3]), ("relevance", [1.5, None]), ("relevance", ["x", 3]), ("relevance", [1.5, True]),
    ("date", [1, None, 2]), ("date", ["9999-99-99", None, 1]), ("date", [None, "giờ này ngày nọ, lúc ấy", 2]),
])
def test_a_forged_cursor_of_the_wrong_types_is_refused(stores, sort: str, keys: list) -> None:
    text, _ = stores
    with pytest.raises(InvalidCursor):
        text.search(parse("phụ nữ"), sort=sort, cursor=encode_cursor(sort, keys))
