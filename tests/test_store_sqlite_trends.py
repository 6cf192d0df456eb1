"""Trends by week and province on the SQLite store (the (week, province) index of schema version 6),
and figures by year (read from the date index).

Every count read from the index is compared with the sorting plan and with a plain join on each
article's own week, on a real store, after articles change their day and their provinces, and
across the migration.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from newsmon.models import Extraction, Figure
from newsmon.query import MatchAll, parse
from newsmon.store.base import FigureFilters, SearchFilters, Series
from newsmon.store.sqlite import SqliteStore, trends
from newsmon.store.sqlite.hits import plan, scan_sql
from newsmon.store.sqlite.schema import SCHEMA_VERSION
from tests.old_schemas import UNDO_V10_AND_LATER
from tests.store_contract import make_article

PROVINCES = ["Hà Giang", "Tuyên Quang", "Đắk Lắk", "Đà Nẵng", "Hà Nội"]
WORDS = ["bình đẳng giới", "phụ nữ vay vốn", "bạo lực gia đình", "tập huấn cán bộ", "giá lúa"]
REQUESTS = [
    ("", SearchFilters()),
    ("bình đẳng giới", SearchFilters()),
    ("phụ nữ -vay", SearchFilters()),
    ("bình đẳng giới", SearchFilters(sources=["baomau.vn"])),
    ("", SearchFilters(provinces=["Hà Giang"])),
]


def _articles(n: int, seed: int, start: date = date(2024, 1, 1)):
    rng = random.Random(seed)
    return [
        make_article(i, f"Bài {i} về {rng.choice(WORDS)}", f"{rng.choice(WORDS)}. {rng.choice(WORDS)}.",
                     day=start + timedelta(days=rng.randrange(120)), source=rng.choice(["baomau.vn", "baohg.vn"]))
        for i in range(n)
    ]


def _extract(store: SqliteStore, articles, seed: int) -> None:
    rng = random.Random(seed)
    store.save_extractions([
        (a.id, Extraction(version="test", provinces=rng.sample(PROVINCES, rng.randint(0, 3)))) for a in articles
    ])


def _both_ways(store: SqliteStore, monkeypatch: pytest.MonkeyPatch, text: str, filters: SearchFilters) -> Series:
    """The week-by-province series read from the index; asserts the sorting plan gives the same, and both
    the counts of a plain join on each article's own week (``article_keys.week``, not the province rows')."""
    query = parse(text) if text else MatchAll()
    monkeypatch.setattr(trends, "WEEK_INDEX_SHARE", 0.0)  # always the index
    indexed = store.trends(query, filters, interval="week", split_by="province")
    monkeypatch.setattr(trends, "WEEK_INDEX_SHARE", 2.0)  # never: the matches' rows, then a sort
    sorted_ = store.trends(query, filters, interval="week", split_by="province")
    assert indexed == sorted_, (text, filters)
    scan, params = scan_sql(plan(query, filters), "CROSS JOIN article_provinces p ON p.rid = k.rid")
    reference = {
        (week, province): n for week, province, n in store._reader.execute(
            f"SELECT k.week, p.province, count(*) {scan} GROUP BY k.week, p.province", params)
    }
    assert {(t.period, t.split): t.count for t in indexed.points if t.count} == reference, (text, filters)
    return indexed


def _province_weeks_match_articles(conn: sqlite3.Connection) -> None:
    wrong = conn.execute(
        "SELECT count(*) FROM article_provinces p JOIN article_keys k ON k.rid = p.rid WHERE p.week != k.week"
    ).fetchone()[0]
    assert wrong == 0


def test_week_by_province_counts_follow_changed_days_and_provinces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with SqliteStore(tmp_path / "w.db") as s:
        articles = _articles(60, seed=1)
        s.upsert_articles(articles)
        _extract(s, articles, seed=2)
        before = [_both_ways(s, monkeypatch, text, f) for text, f in REQUESTS]
        assert before[0].total == 60 and any(p.count > 1 for p in before[0].points)

        moved = [  # re-crawled, changed, with a new publication day a year later: new weeks
            make_article(i, a.title, a.text + " Cập nhật.", day=a.published_at.date().replace(year=2025),
                         source=a.source)
            for i, a in enumerate(articles[:15])
        ]
        assert len(s.upsert_articles(moved).updated) == 15
        _extract(s, articles[10:20], seed=3)  # and some re-extracted with other provinces
        _province_weeks_match_articles(s._reader)
        after = [_both_ways(s, monkeypatch, text, f) for text, f in REQUESTS]
        assert max(p.period for p in after[0].points) > max(p.period for p in before[0].points)
        assert after[0].total == 60


def test_version_5_database_gets_province_weeks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v5.db"
    with SqliteStore(path) as s:
        articles = _articles(40, seed=4)
        s.upsert_articles(articles)
        _extract(s, articles, seed=5)
        rows = s._reader.execute("SELECT rid, province, province_key FROM article_provinces ORDER BY 1, 2").fetchall()
    conn = sqlite3.connect(path)  # back to version 5: province rows had no week
    conn.executescript(
        UNDO_V10_AND_LATER + "DROP TRIGGER article_keys_week; DROP INDEX article_provinces_week; "
        "DROP TABLE fts_impact_pending; "  # and version 7's table
        "ALTER TABLE article_provinces DROP COLUMN week; PRAGMA user_version = 5;"
    )
    conn.close()
    with SqliteStore(path) as s:
        conn = s._reader
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute(
            "SELECT rid, province, province_key FROM article_provinces ORDER BY 1, 2"
        ).fetchall() == rows
        _province_weeks_match_articles(conn)
        series = _both_ways(s, monkeypatch, "", SearchFilters())
        assert sum(p.count for p in series.points) == len(rows)


@pytest.mark.parametrize("years", [[2024], [2023, 2025], [2025, 2023, 2024], [1999]])
@pytest.mark.parametrize("text", ["", "bình đẳng giới"])
def test_figures_of_some_years_are_those_of_their_articles(tmp_path: Path, years: list[int], text: str) -> None:
    rng = random.Random(6)
    articles = _articles(60, seed=6, start=date(2023, 10, 1))  # 2023 to 2024: both years, and their edge
    articles += _articles(20, seed=7, start=date(2025, 9, 30))
    with SqliteStore(tmp_path / "f.db") as s:
        s.upsert_articles(articles)
        s.save_extractions([
            (a.id, Extraction(version="test", provinces=rng.sample(PROVINCES, 1),
                              figures=[Figure(value=v, unit="phụ nữ", text=f"{v} phụ nữ") for v in range(1, n + 1)]))
            for a, n in ((a, rng.randint(0, 3)) for a in articles)
        ])
        query = parse(text) if text else MatchAll()
        everything = s.figures(query, limit=1000)
        assert everything.total > 50
        page = s.figures(query, figure_filters=FigureFilters(years=years), limit=1000)
        expected = [r for r in everything.rows if int(r.day[:4]) in years]
        assert [(r.article_id, r.position) for r in page.rows] == [(r.article_id, r.position) for r in expected]
        assert page.total == len(expected) == sum(a.count for a in page.aggregates)
        assert {a.year for a in page.aggregates} == {r.day[:4] for r in expected}
        by_province = s.figures(query, figure_filters=FigureFilters(years=years, provinces=["Hà Giang"]), limit=1000)
        assert by_province.total <= page.total
