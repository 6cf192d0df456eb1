"""Large result sets on the SQLite store: facets on a sample, estimated totals, exact pages.

``EXACT_LIMIT`` and ``SAMPLE_SIZE`` are lowered to 8 so a 60-article corpus takes the paths 100,000
articles take;
every page is compared with the same search run exactly (the limit raised above the corpus).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from newsmon.query import parse
from newsmon.store.base import SearchFilters
from newsmon.store.sqlite import SqliteStore, hits, search
from tests.store_contract import extraction_for, make_article

PROVINCES = [("Hà Giang", "Tuyên Quang"), ("Đà Nẵng", "Đà Nẵng"), ("Cần Thơ", "Cần Thơ")]


@pytest.fixture
def store(tmp_path: Path):
    articles = [
        make_article(
            n, f"Bài {n} về bình đẳng giới" if n % 3 else f"Bài {n} về phụ nữ",
            "Bình đẳng giới và phụ nữ. " * (1 + n % 5) + ("Tập huấn cán bộ." if n % 4 == 0 else ""),
            day=date(2023, 1, 1) + timedelta(days=7 * n), source=f"bao{n % 4}.vn",
        )
        for n in range(60)
    ]
    with SqliteStore(tmp_path / "big.db", text_index=False) as s:
        s.upsert_articles(articles)
        s.save_extractions(
            (a.id, extraction_for(*PROVINCES[i % 3], "forum" if i % 2 else "support")) for i, a in enumerate(articles)
        )
        yield s


def run_both(store: SqliteStore, monkeypatch: pytest.MonkeyPatch, **kwargs):
    """The search with sampling forced (limit 8) and run exactly (limit above the corpus)."""
    monkeypatch.setattr(hits, "EXACT_LIMIT", 8)
    monkeypatch.setattr(hits, "SAMPLE_SIZE", 8)
    sampled = store.search(**kwargs)
    monkeypatch.setattr(hits, "EXACT_LIMIT", 10_000)
    return sampled, store.search(**kwargs)


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_words_matching_many_give_exact_pages_and_estimated_counts(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    sampled, exact = run_both(store, monkeypatch, query=parse("binh dang"), sort=sort, limit=7)
    assert [h.id for h in sampled.hits] == [h.id for h in exact.hits]
    assert sampled.next_cursor == exact.next_cursor
    assert exact.total == 60 and not exact.total_is_estimate and not exact.facets_estimated
    assert sampled.total_is_estimate and sampled.facets_estimated
    assert 30 <= sampled.total <= 90  # a hash sample of 8-odd of 60: rough, but never wild
    assert {f.value for f in sampled.facets["province"]} <= {p for p, _ in PROVINCES}


@pytest.mark.parametrize("seek_cost", [0, 10**9])  # date walks test the words by rowid seek, or by one scan
def test_sampled_cursor_pages_visit_every_hit_once(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch, seek_cost: int
) -> None:
    monkeypatch.setattr(hits, "EXACT_LIMIT", 8)
    monkeypatch.setattr(hits, "SAMPLE_SIZE", 8)
    monkeypatch.setattr(search, "_SEEK_COST", seek_cost)
    for sort in ("relevance", "date"):
        seen, cursor = [], None
        while True:
            page = store.search(parse("binh dang"), sort=sort, cursor=cursor, limit=9)
            seen += [h.id for h in page.hits]
            if (cursor := page.next_cursor) is None:
                break
        assert len(seen) == len(set(seen)) == 60, sort
    dated = store.search(parse("binh dang"), sort="date", limit=60).hits
    assert [h.published_at for h in dated] == sorted((h.published_at for h in dated), reverse=True)


def test_filters_apply_to_sampled_pages(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    filters = SearchFilters(provinces=["Tuyên Quang"], sources=["bao0.vn", "bao1.vn"])
    sampled, exact = run_both(store, monkeypatch, query=parse("phu nu"), filters=filters, sort="date")
    assert [h.id for h in sampled.hits] == [h.id for h in exact.hits]
    assert exact.total == 10
    assert all(h.provinces == ["Hà Giang"] and h.source in {"bao0.vn", "bao1.vn"} for h in sampled.hits)


def test_few_passing_filters_are_counted_exactly(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    filters = SearchFilters(date_from=date(2024, 1, 1), date_to=date(2024, 2, 1))
    sampled, exact = run_both(store, monkeypatch, query=parse("binh dang"), filters=filters)
    assert sampled == exact and not sampled.total_is_estimate and sampled.total == 4


def test_match_all_keeps_an_exact_total_and_samples_facets(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sampled, exact = run_both(store, monkeypatch, sort="date", limit=5)
    assert [h.id for h in sampled.hits] == [h.id for h in exact.hits]
    assert sampled.total == exact.total == 60 and not sampled.total_is_estimate
    assert sampled.facets_estimated and not exact.facets_estimated
    assert sum(f.count for f in exact.facets["source"]) == 60
    assert 40 <= sum(f.count for f in sampled.facets["source"]) <= 80


def test_api_and_ui_say_when_counts_are_estimates(api_client, monkeypatch: pytest.MonkeyPatch) -> None:
    exact = api_client.get("/search", params={"q": "binh dang gioi"}).json()
    assert not exact["total_is_estimate"] and not exact["facets_estimated"]
    assert "khoảng" not in api_client.get("/", params={"q": "binh dang gioi"}).text
    monkeypatch.setattr(hits, "EXACT_LIMIT", 1)
    monkeypatch.setattr(hits, "SAMPLE_SIZE", 2)
    monkeypatch.setattr(SqliteStore, "_text_ready", lambda self: None)  # the text index counts exactly
    body = api_client.get("/search", params={"q": "binh dang gioi"}).json()
    assert body["total_is_estimate"] and body["facets_estimated"]
    assert [h["id"] for h in body["hits"]] == [h["id"] for h in exact["hits"]]
    html = api_client.get("/", params={"q": "binh dang gioi"}).text
    assert "khoảng " in html and "ước tính" in html


def test_words_most_articles_have_are_sampled_in_one_pass(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hits, "EXACT_LIMIT", 8)
    monkeypatch.setattr(hits, "SAMPLE_SIZE", 8)
    page, reads = _with_match_reads(store, parse("binh dang"))
    assert page.total_is_estimate
    assert len(reads) == 1, reads  # the sample alone: no separate count of the matches


def _with_match_reads(store: SqliteStore, query) -> tuple:
    """A date-ordered search and the statements that read all the FTS5 matches to count or sample them."""
    statements: list[str] = []
    store._reader.set_trace_callback(statements.append)
    try:
        page = store.search(query, sort="date", limit=20)
    finally:
        store._reader.set_trace_callback(None)
    return page, [s for s in statements if "nm_scan SELECT" in s or "count(*) FROM articles_fts" in s]


def test_words_a_minority_has_are_sampled_at_their_own_rate(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "tập huấn" is in 15 of the 60 articles: a first sample sized for all 60 holds about two of them,
    # too few to estimate from, so a second one is drawn at the rate that keeps about 8 of the 15.
    monkeypatch.setattr(hits, "EXACT_LIMIT", 4)
    monkeypatch.setattr(hits, "SAMPLE_SIZE", 8)
    sampled, reads = _with_match_reads(store, parse("tập huấn"))
    assert len(reads) == 2, reads
    monkeypatch.setattr(hits, "EXACT_LIMIT", 10_000)
    exact = store.search(parse("tập huấn"), sort="date", limit=20)
    assert exact.total == 15 and not exact.total_is_estimate
    assert sampled.total_is_estimate and 8 <= sampled.total <= 25
    assert 4 <= sum(f.count for f in sampled.facets["source"]) <= 25
    assert [h.id for h in sampled.hits] == [h.id for h in exact.hits]
