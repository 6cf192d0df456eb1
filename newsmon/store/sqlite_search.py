"""Search and trend queries on the SQLite store (the read side of ``SqliteStore``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from newsmon.query import Node, Phrase, Prefix, Term
from newsmon.store.base import (
    FacetCount,
    Interval,
    SearchFilters,
    SearchHit,
    SearchPage,
    Series,
    SortOrder,
    SplitBy,
    TrendPoint,
)
from newsmon.store.cursor import decode_cursor, encode_cursor
from newsmon.store.highlight import mark, snippet, term_pattern
from newsmon.store.sqlite_query import compile_query, filter_conditions

# Title matches weigh most, then the lead (sapo), then the body.
_BM25 = "bm25(articles_fts, 10.0, 4.0, 1.0)"
FACET_SIZE = 20
_PERIOD = {
    "day": "a.day",
    "week": "date(a.day, 'weekday 0', '-6 days')",
    "month": "substr(a.day, 1, 7)",
    "year": "substr(a.day, 1, 4)",
}
_FACETS = {
    "source": ("a.source", ""),
    "province": ("p.province", "JOIN article_provinces p ON p.article_id = a.id"),
    "event_type": ("e.type", "JOIN article_events e ON e.article_id = a.id"),
    "topic": ("t.topic", "JOIN article_topics t ON t.article_id = a.id"),
}


@dataclass
class Plan:
    """FROM and WHERE for the articles a query and filters select."""

    ranked: bool
    from_sql: str
    where_sql: str
    params: list[object]


def plan(query: Node, filters: SearchFilters) -> Plan:
    """Compile a query tree and filters to one FROM ... WHERE ... over ``articles a``."""
    compiled = compile_query(query)
    where, params = list(compiled.where), list(compiled.params)
    filter_where, filter_params = filter_conditions(filters)
    where += filter_where
    params += filter_params
    if compiled.match:
        from_sql = "articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
        where.insert(0, "articles_fts MATCH ?")
        params.insert(0, compiled.match)
    else:
        from_sql = "articles a"
    return Plan(bool(compiled.match), from_sql, " AND ".join(where) or "1", params)


def search(
    conn: sqlite3.Connection,
    plan: Plan,
    terms: Sequence[Term | Phrase | Prefix],
    sort: SortOrder,
    cursor: str | None,
    limit: int,
) -> SearchPage:
    """One page of hits, the total, facets and the cursor of the next page."""
    by_relevance = sort == "relevance" and plan.ranked
    sort_key = "relevance" if by_relevance else "date"
    score = _BM25 if plan.ranked else "0.0"
    inner = (
        f"SELECT a.rowid AS rid, {score} AS score, coalesce(a.day, '') AS day, "
        f"coalesce(a.published_at, '') AS published FROM {plan.from_sql} WHERE {plan.where_sql}"
    )
    params = list(plan.params)
    if by_relevance:
        keyset, order = "(score, rid) > (?, ?)", "score, rid"
    else:
        keyset, order = "(day, published, rid) < (?, ?, ?)", "day DESC, published DESC, rid DESC"
    outer_where = ""
    if cursor:
        params += decode_cursor(cursor, sort_key, 2 if by_relevance else 3)
        outer_where = f"WHERE {keyset}"
    rows = conn.execute(
        f"SELECT rid, score, day, published FROM ({inner}) {outer_where} ORDER BY {order} LIMIT ?",
        (*params, limit + 1),
    ).fetchall()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        keys = [last["score"], last["rid"]] if by_relevance else [last["day"], last["published"], last["rid"]]
        next_cursor = encode_cursor(sort_key, keys)
    total = conn.execute(f"SELECT count(*) FROM {plan.from_sql} WHERE {plan.where_sql}", plan.params).fetchone()[0]
    return SearchPage(
        hits=_hits(conn, rows, terms), total=total, facets=facets(conn, plan), next_cursor=next_cursor,
    )


def _hits(
    conn: sqlite3.Connection, rows: list[sqlite3.Row], terms: Sequence[Term | Phrase | Prefix]
) -> list[SearchHit]:
    if not rows:
        return []
    rowids = [r["rid"] for r in rows]
    marks = ",".join("?" * len(rowids))
    articles = {
        r["rowid"]: r for r in conn.execute(
            f"SELECT rowid, id, url, source, title, lead, text, published_at FROM articles WHERE rowid IN ({marks})",
            rowids,
        )
    }
    ids = [articles[rid]["id"] for rid in rowids]
    id_marks = ",".join("?" * len(ids))
    provinces: dict[str, list[str]] = {}
    for article_id, province in conn.execute(
        f"SELECT article_id, province FROM article_provinces WHERE article_id IN ({id_marks})", ids
    ):
        provinces.setdefault(article_id, []).append(province)
    copies: dict[str, list[str]] = {}
    for copy_id, original in conn.execute(
        f"SELECT id, duplicate_of FROM articles WHERE duplicate_of IN ({id_marks})", ids
    ):
        copies.setdefault(original, []).append(copy_id)
    pattern = term_pattern(terms)
    hits = []
    for row in rows:
        article = articles[row["rid"]]
        body = f"{article['lead']}\n{article['text']}" if article["lead"] else article["text"]
        hits.append(SearchHit(
            id=article["id"], url=article["url"], source=article["source"], title=article["title"],
            published_at=article["published_at"], score=-row["score"] if row["score"] else 0.0,
            title_html=mark(article["title"], pattern), snippet_html=snippet(body, pattern),
            provinces=sorted(provinces.get(article["id"], [])), duplicates=copies.get(article["id"], []),
        ))
    return hits


def facets(conn: sqlite3.Connection, plan: Plan) -> dict[str, list[FacetCount]]:
    """The top values of each facet among the matching articles."""
    result = {}
    for name, (column, join) in _FACETS.items():
        rows = conn.execute(
            f"SELECT {column} AS value, count(DISTINCT a.rowid) AS n FROM {plan.from_sql} {join} "
            f"WHERE {plan.where_sql} GROUP BY {column} ORDER BY n DESC, value LIMIT {FACET_SIZE}",
            plan.params,
        ).fetchall()
        result[name] = [FacetCount(value=r["value"], count=r["n"]) for r in rows]
    return result


def trends(conn: sqlite3.Connection, plan: Plan, interval: Interval, split_by: SplitBy | None) -> Series:
    """Matching articles per period (gaps filled with zeros), optionally per split value."""
    period = _PERIOD[interval]
    column, join = _FACETS[split_by] if split_by else ("NULL", "")
    rows = conn.execute(
        f"SELECT {period} AS period, {column} AS split, count(DISTINCT a.rowid) AS n "
        f"FROM {plan.from_sql} {join} WHERE {plan.where_sql} AND a.day IS NOT NULL "
        "GROUP BY period, split ORDER BY period, split",
        plan.params,
    ).fetchall()
    counts = {(r["period"], r["split"]): r["n"] for r in rows}
    total = conn.execute(f"SELECT count(*) FROM {plan.from_sql} WHERE {plan.where_sql}", plan.params).fetchone()[0]
    if not counts:
        return Series(interval=interval, points=[], total=total)
    periods = fill_periods(min(p for p, _ in counts), max(p for p, _ in counts), interval)
    splits = sorted({s for _, s in counts}, key=lambda s: (s is None, s))
    points = [
        TrendPoint(period=p, split=s, count=counts.get((p, s), 0)) for s in splits for p in periods
    ]
    return Series(interval=interval, points=points, total=total)


def fill_periods(first: str, last: str, interval: Interval) -> list[str]:
    """Every period key from ``first`` to ``last`` inclusive, in the interval's format."""
    if interval == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    if interval == "month":
        y, m = map(int, first.split("-"))
        end = tuple(map(int, last.split("-")))
        keys = []
        while (y, m) <= end:
            keys.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return keys
    step = timedelta(days=7 if interval == "week" else 1)
    day, end_day = date.fromisoformat(first), date.fromisoformat(last)
    keys = []
    while day <= end_day:
        keys.append(day.isoformat())
        day += step
    return keys
