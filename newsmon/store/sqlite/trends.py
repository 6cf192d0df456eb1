"""Trends on the SQLite store: matching articles per period, optionally split.

Trends group every matching article in one pass (``scan_sql``); by week and province they count
the province rows of the articles written to ``temp.nm_hits``.
"""

from __future__ import annotations

import sqlite3

from newsmon.store.base import Interval, Series, SplitBy, TrendUnit
from newsmon.store.periods import series_from_counts
from newsmon.store.sqlite.hits import Plan, scan_sql, select_hits, snapshot
from newsmon.store.sqlite.search import FACET_JOINS

_PERIOD = {
    "day": "k.day",
    "week": "k.week",
    "month": "substr(k.day, 1, 7)",
    "year": "substr(k.day, 1, 4)",
}

# Trends by week and province read the (week, province) index when the matches are at least this
# share of all articles: at 100,000 (CPU ms, index / sort) 98% of the articles 120 / 289, 57% 153 / 191,
# 35% 100 / 157, 17% 119 / 64. Fewer matches are cheaper to sort.
WEEK_INDEX_SHARE = 0.25


def trends(conn: sqlite3.Connection, plan: Plan, interval: Interval, split_by: SplitBy | None,
           unit: TrendUnit = "articles") -> Series:
    """Matching articles (or stories) per period (gaps filled with zeros), optionally per split value."""
    with snapshot(conn):
        if unit == "stories":
            rows, total, undated = _scan_stories(conn, plan, interval, split_by)
        elif interval == "week" and split_by == "province":
            total = select_hits(conn, plan)  # the total, and the articles whose province rows are counted
            rows = conn.execute(_week_and_province_sql(conn, total)).fetchall()
            undated = conn.execute(  # few, found through the date index
                "SELECT count(*) FROM article_keys k WHERE k.day = '' AND k.rid IN temp.nm_hits").fetchone()[0]
        else:
            rows, total, undated = _scan_trends(conn, plan, interval, split_by)
    counts = {(r["period"], r["split"]): r["n"] for r in rows if r["period"]}  # no period: no date known
    return series_from_counts(counts, interval, total, undated)


def _scan_stories(
    conn: sqlite3.Connection, plan: Plan, interval: Interval, split_by: SplitBy | None,
) -> tuple[list[sqlite3.Row], int, int]:
    """Like ``_scan_trends``, counting stories: a story counts once in each period (and split) where it has a
    matching article, and once in the total; an article not grouped yet is a story of its own."""
    column, join = ("NULL", "") if split_by is None else FACET_JOINS[split_by]
    if split_by == "source":
        join = ""
    join = join.replace("h.rid", "k.rid") + " LEFT JOIN article_stories st ON st.rid = k.rid"
    story = "coalesce(st.story, k.rid)"
    scan, params = scan_sql(plan, join)
    rows = conn.execute(
        f"SELECT {_PERIOD[interval]} AS period, {column} AS split, count(DISTINCT {story}) AS n {scan} "
        "GROUP BY period, split", params,
    ).fetchall()
    total_sql, total_params = scan_sql(plan, " LEFT JOIN article_stories st ON st.rid = k.rid")
    total, undated = conn.execute(
        f"SELECT count(DISTINCT {story}), count(DISTINCT CASE WHEN k.day = '' THEN {story} END) {total_sql}",
        total_params).fetchone()
    return rows, total, undated


def _scan_trends(
    conn: sqlite3.Connection, plan: Plan, interval: Interval, split_by: SplitBy | None,
) -> tuple[list[sqlite3.Row], int, int]:
    """The (period, split, n) rows of one pass over the matching articles, their total and how many are undated."""
    column, join = ("NULL", "") if split_by is None else FACET_JOINS[split_by]
    if split_by == "source":
        join = ""  # the source is on article_keys already
    scan, params = scan_sql(plan, join.replace("h.rid", "k.rid"))
    rows = conn.execute(
        f"SELECT {_PERIOD[interval]} AS period, {column} AS split, count(*) AS n {scan} GROUP BY period, split",
        params,
    ).fetchall()
    if split_by is None:
        return rows, sum(r["n"] for r in rows), sum(r["n"] for r in rows if not r["period"])
    total_sql, total_params = scan_sql(plan)
    total, undated = conn.execute(f"SELECT count(*), total(k.day = '') {total_sql}", total_params).fetchone()
    return rows, total, int(undated)


def _week_and_province_sql(conn: sqlite3.Connection, total: int) -> str:
    """Province rows per (week, province) of the articles in ``temp.nm_hits`` (schema version 6: ``p.week``
    equals the article's week).

    When most articles are in nm_hits, every province row is read in (week, province) index order and kept
    if its article is there, so GROUP BY needs no sort; otherwise the rows of those articles are sorted.
    """
    articles = conn.execute("SELECT count(*) FROM article_keys").fetchone()[0]
    if total >= articles * WEEK_INDEX_SHARE:
        return (
            "SELECT p.week AS period, p.province AS split, count(*) AS n FROM article_provinces p "
            "INDEXED BY article_provinces_week WHERE p.rid IN temp.nm_hits GROUP BY p.week, p.province"
        )
    return (
        "SELECT p.week AS period, p.province AS split, count(*) AS n FROM temp.nm_hits h "
        "CROSS JOIN article_provinces p ON p.rid = h.rid GROUP BY period, split"
    )
