"""The figures table and entity counts on the SQLite store.

Both read the rows a query and filters select (``sqlite_search.plan``) and join them to
the ``figures`` side table or to the JSON of the stored extraction (``json_each``).
Accent-insensitive text filters call ``newsmon.text.fold`` through a SQL function,
``nm_fold``, registered on the connection.
"""

from __future__ import annotations

import sqlite3

from newsmon.store.analytics import (
    EntityCount,
    EntityKind,
    FigureAggregate,
    FigureFilters,
    FigurePage,
    FigureRow,
)
from newsmon.store.sqlite_search import Plan
from newsmon.text import fold

AGGREGATE_LIMIT = 500
_ENTITY_DETAIL = {"people": "$.title", "organisations": "$.abbreviation", "places": "$.level"}
_ROW_COLUMNS = (
    "f.article_id, f.position, f.value, f.unit, f.subject, f.text, f.sentence, f.province, f.start, "
    'f."end", a.url, a.title, a.source, a.published_at, a.day'
)


def register_fold(conn: sqlite3.Connection) -> None:
    """Make ``nm_fold(text)`` available in SQL on this connection."""
    conn.create_function("nm_fold", 1, lambda s: fold(s) if s else s, deterministic=True)


def _province_condition(names: list[str]) -> tuple[str, list[object]]:
    parts, params = [], []
    for name in names:
        key = fold(name)
        parts.append(
            "(nm_fold(f.province) = ? OR f.province IN (SELECT province FROM article_provinces "
            "WHERE article_id = f.article_id AND province_new_key = ?) OR (f.province IS NULL AND "
            "f.article_id IN (SELECT article_id FROM article_provinces WHERE province_key = ? "
            "OR province_new_key = ?)))"
        )
        params += [key, key, key, key]
    return "(" + " OR ".join(parts) + ")", params


def figure_conditions(filters: FigureFilters) -> tuple[list[str], list[object]]:
    """SQL conditions over ``figures f`` joined to ``articles a``."""
    where: list[str] = []
    params: list[object] = []
    for word in fold(filters.text or "").split():
        where.append("instr(nm_fold(coalesce(f.subject, '') || ' ' || f.unit), ?) > 0")
        params.append(word)
    if filters.unit:
        where.append("nm_fold(f.unit) = ?")
        params.append(fold(filters.unit.strip()))
    if filters.provinces:
        sql, province_params = _province_condition(filters.provinces)
        where.append(sql)
        params += province_params
    if filters.years:
        where.append(f"substr(a.day, 1, 4) IN ({','.join('?' * len(filters.years))})")
        params += [str(y) for y in filters.years]
    if filters.sources:
        where.append(f"a.source IN ({','.join('?' * len(filters.sources))})")
        params += [s.lower() for s in filters.sources]
    if filters.value_min is not None:
        where.append("f.value >= ?")
        params.append(filters.value_min)
    if filters.value_max is not None:
        where.append("f.value <= ?")
        params.append(filters.value_max)
    return where, params


def figures(
    conn: sqlite3.Connection, plan: Plan, filters: FigureFilters, limit: int, offset: int = 0,
) -> FigurePage:
    """Matching figure rows (newest articles first), their total and per-province/year/unit sums."""
    register_fold(conn)
    extra, extra_params = figure_conditions(filters)
    where = " AND ".join([plan.where_sql, *extra])
    params = [*plan.params, *extra_params]
    base = f"FROM {plan.from_sql} JOIN figures f ON f.article_id = a.id WHERE {where}"
    rows = conn.execute(
        f"SELECT {_ROW_COLUMNS} {base} ORDER BY a.day DESC, a.rowid DESC, f.position LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    total = conn.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    aggregates = conn.execute(
        "SELECT f.province AS province, substr(a.day, 1, 4) AS year, f.unit AS unit, count(*) AS n, "
        f"sum(f.value) AS total, min(f.value) AS lo, max(f.value) AS hi {base} "
        f"GROUP BY f.province, year, f.unit ORDER BY year DESC, n DESC LIMIT {AGGREGATE_LIMIT}",
        params,
    ).fetchall()
    return FigurePage(
        rows=[FigureRow.model_validate(dict(r)) for r in rows],
        total=total,
        aggregates=[
            FigureAggregate(
                province=r["province"], year=r["year"], unit=r["unit"], count=r["n"],
                total=r["total"], min=r["lo"], max=r["hi"],
            )
            for r in aggregates
        ],
    )


def entities(conn: sqlite3.Connection, plan: Plan, kind: EntityKind, limit: int) -> list[EntityCount]:
    """The names of ``kind`` that most matching articles mention, with a detail when known."""
    rows = conn.execute(
        "SELECT json_extract(j.value, '$.name') AS name, count(DISTINCT a.rowid) AS n, "
        f"max(json_extract(j.value, '{_ENTITY_DETAIL[kind]}')) AS detail "
        f"FROM {plan.from_sql} JOIN extractions x ON x.article_id = a.id, json_each(x.data, '$.{kind}') j "
        f"WHERE {plan.where_sql} GROUP BY name HAVING name IS NOT NULL ORDER BY n DESC, name LIMIT ?",
        (*plan.params, limit),
    ).fetchall()
    return [EntityCount(name=r["name"], count=r["n"], detail=r["detail"]) for r in rows]
