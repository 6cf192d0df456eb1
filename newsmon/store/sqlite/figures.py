"""The figures table and entity counts on the SQLite store.

Both read the articles a query and filters select (``hits.select_hits`` fills
``temp.nm_hits``) joined to the rowid-keyed ``figures`` and ``article_entities`` side tables.
Text filters compare against folded keys stored with each figure (``text_key``,
``unit_key``, ``province_key``, written by ``sides``), so no row is folded at query time.
"""

from __future__ import annotations

import sqlite3
import statistics

from newsmon.store.analytics import (
    RATE_UNITS,
    EntityCount,
    EntityKind,
    FigureAggregate,
    FigureFilters,
    FigurePage,
    FigureRow,
)
from newsmon.store.limits import AGGREGATE_LIMIT
from newsmon.store.sqlite.hits import Plan, scan_sql, select_hits, snapshot
from newsmon.text import fold

_BY_DATE = "article_keys k INDEXED BY article_keys_date CROSS JOIN figures f ON f.rid = k.rid"
_WALK_MIN = 200  # matching figure rows from which the page walks the date index (else: sort them)
# Figures of one year that count the same thing: ``text_key`` folds the subject and the unit together. A rate's
# values are listed for its median (rates are never summed).
_RATES = ", ".join(f"'{unit}'" for unit in sorted(RATE_UNITS))
_AGGREGATES = (
    "SELECT substr(k.day, 1, 4) AS year, min(f.unit) AS unit, min(f.subject) AS subject, count(*) AS n, "
    "count(DISTINCT k.source) AS sources, sum(f.value) AS total, min(f.value) AS lo, max(f.value) AS hi, "
    f"CASE WHEN min(f.unit) IN ({_RATES}) THEN group_concat(f.value) END AS rate_values "
    "{counted} GROUP BY year, f.text_key"
)
_ROW_COLUMNS = (
    "a.id AS article_id, f.position, f.value, f.unit, f.subject, f.text, f.sentence, f.province, f.start, "
    'f."end", a.url, a.title, a.source, a.published_at, k.day'
)


def _province_condition(names: list[str]) -> tuple[str, list[object]]:
    # A figure's own province (old or new name), else the provinces of its article.
    parts, params = [], []
    for name in names:
        key = fold(name)
        parts.append(
            "(f.province_key = ? OR f.province IN (SELECT province FROM article_provinces "
            "WHERE rid = f.rid AND province_new_key = ?) OR (f.province IS NULL AND "
            "f.rid IN (SELECT rid FROM article_provinces WHERE province_key = ? OR province_new_key = ?)))"
        )
        params += [key, key, key, key]
    return "(" + " OR ".join(parts) + ")", params


def figure_conditions(filters: FigureFilters) -> tuple[list[str], list[object]]:
    """SQL conditions over ``figures f`` joined to ``article_keys k``."""
    where: list[str] = []
    params: list[object] = []
    for word in fold(filters.text or "").split():
        where.append("instr(f.text_key, ?) > 0")
        params.append(word)
    if filters.unit:
        where.append("f.unit_key = ?")
        params.append(fold(filters.unit.strip()))
    if filters.years:  # day ranges, which the date index can seek (days are "YYYY-MM-DD")
        where.append("(" + " OR ".join(["k.day BETWEEN ? AND ?"] * len(filters.years)) + ")")
        params += [f"{y:04d}-{md}" for y in sorted(filters.years) for md in ("01-01", "12-31")]
    if filters.sources:
        where.append(f"k.source IN ({','.join('?' * len(filters.sources))})")
        params += [s.lower() for s in filters.sources]
    if filters.value_min is not None:
        where.append("f.value >= ?")
        params.append(filters.value_min)
    if filters.value_max is not None:
        where.append("f.value <= ?")
        params.append(filters.value_max)
    if filters.provinces:  # last: its subqueries run only for rows the cheaper tests kept
        sql, province_params = _province_condition(filters.provinces)
        where.append(sql)
        params += province_params
    return where, params


def _selected(conn: sqlite3.Connection, plan: Plan) -> tuple[str, list[object]]:
    """A condition on ``k`` for the plan's articles: words go through ``temp.nm_hits`` first."""
    if plan.match:
        select_hits(conn, plan)
        return "k.rid IN temp.nm_hits", []
    return plan.where_sql, list(plan.params)


def figures(
    conn: sqlite3.Connection, plan: Plan, filters: FigureFilters, limit: int, offset: int = 0,
) -> FigurePage:
    """Matching figure rows (newest articles first), their total and the aggregates (``FigureAggregate``)."""
    extra, extra_params = figure_conditions(filters)
    with snapshot(conn):
        selected, params = _selected(conn, plan)
        where = " AND ".join([selected, *extra])
        params += extra_params
        # One scan of the narrow figures_keys index gives the sums and the total (for some years, only
        # their articles' figures, found from the date index); the page walks the date index when
        # enough rows match to fill it soon, and sorts the few matching rows otherwise.
        counted = f"FROM figures f CROSS JOIN article_keys k ON k.rid = f.rid WHERE {where}"
        if filters.years:
            counted = f"FROM {_BY_DATE} WHERE {where}"
        groups = conn.execute(_AGGREGATES.format(counted=counted), params).fetchall()
        total = sum(g["n"] for g in groups)
        source = counted
        if total >= _WALK_MIN:
            source = f"FROM {_BY_DATE} WHERE {where}"
        page = conn.execute(
            f"SELECT f.rid, f.position {source} ORDER BY k.day DESC, k.rid DESC, f.position LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        rows = _figure_rows(conn, [(r["rid"], r["position"]) for r in page])
    # Newest year first, then the most figures (two stable sorts; ties keep the GROUP BY order).
    aggregates = sorted(groups, key=lambda g: g["n"], reverse=True)
    aggregates = sorted(aggregates, key=lambda g: g["year"] or "", reverse=True)[:AGGREGATE_LIMIT]
    return FigurePage(rows=rows, total=total, aggregates=[_aggregate(g) for g in aggregates])


def _aggregate(group: sqlite3.Row) -> FigureAggregate:
    is_rate = group["unit"] in RATE_UNITS
    values = [float(v) for v in group["rate_values"].split(",")] if is_rate and group["rate_values"] else []
    return FigureAggregate(
        year=group["year"], unit=group["unit"], subject=group["subject"], count=group["n"],
        sources=group["sources"], is_rate=is_rate, total=None if is_rate else group["total"],
        median=statistics.median(values) if values else None, min=group["lo"], max=group["hi"],
    )


def _figure_rows(conn: sqlite3.Connection, keys: list[tuple[int, int]]) -> list[FigureRow]:
    """The page's figures with their articles, in the order of ``keys``."""
    if not keys:
        return []
    rids = sorted({rid for rid, _ in keys})  # by rid (a row-value IN list is not searched by the primary key)
    wanted = set(keys)
    found = {
        (r["rid"], r["position"]): r for r in conn.execute(
            f"SELECT f.rid AS rid, {_ROW_COLUMNS} FROM figures f JOIN articles a ON a.rowid = f.rid "
            f"JOIN article_keys k ON k.rid = f.rid WHERE f.rid IN ({','.join('?' * len(rids))})", rids,
        ) if (r["rid"], r["position"]) in wanted
    }
    return [FigureRow.model_validate({k: v for k, v in dict(found[key]).items() if k != "rid"}) for key in keys]


def entities(conn: sqlite3.Connection, plan: Plan, kind: EntityKind, limit: int) -> list[EntityCount]:
    """The names of ``kind`` that most matching articles mention, with a detail when known."""
    scan, params = scan_sql(plan, "CROSS JOIN article_entities e ON e.rid = k.rid AND e.kind = ?")
    with snapshot(conn):
        rows = conn.execute(
            f"SELECT e.name AS name, count(*) AS n, max(e.detail) AS detail {scan} "
            "GROUP BY e.name ORDER BY n DESC, name LIMIT ?",
            (kind, *params, limit),  # the join's kind comes before the MATCH and filters in the SQL
        ).fetchall()
    return [EntityCount(name=r["name"], count=r["n"], detail=r["detail"]) for r in rows]
