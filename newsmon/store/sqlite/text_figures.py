"""The figures table from the text index's ``figures`` documents (``text_docs``), the rows from SQLite.

The same answer as ``figures.figures``: the matching figures newest first, their total, and per year the groups
that count the same thing (``text_key``) with their count, outlets, sum, range and, for a rate, the median.
The figure filters and the article filters are terms, ranges and (for the text filter's substrings) regular
expressions over the figure documents, counted and aggregated in tantivy. A query with words is resolved to
articles first: the smaller of "articles whose figures pass the figure filters" and "articles with figures
that match the query" is listed, and the other side is restricted to it.
"""

from __future__ import annotations

import sqlite3
import statistics

import tantivy

from newsmon.query import MatchAll, Node
from newsmon.store.analytics import RATE_UNITS, FigureAggregate, FigureFilters, FigurePage
from newsmon.store.base import SearchFilters
from newsmon.store.limits import AGGREGATE_LIMIT
from newsmon.store.sqlite.figures import _figure_rows
from newsmon.store.sqlite.text_docs import GROUP_SEPARATOR
from newsmon.store.sqlite.text_index import TextIndex
from newsmon.store.sqlite.text_query import compile_request, filter_queries
from newsmon.text import fold

Q = tantivy.Query
_MUST, _NOT = tantivy.Occur.Must, tantivy.Occur.MustNot
_RUST_META = set("\\.+*?()|[]{}^$#&-~")
_ALL = 65_000
_RATE_KEYS = [fold(unit) for unit in sorted(RATE_UNITS)]


def _escape(word: str) -> str:
    return "".join("\\" + c if c in _RUST_META else c for c in word)


def figure_queries(schema: tantivy.Schema, filters: FigureFilters) -> list[tantivy.Query]:
    """The figure filters as conditions on figure documents (as ``figures.figure_conditions`` in SQL)."""
    conditions = [Q.regex_query(schema, "text_key", f".*{_escape(word)}.*")
                  for word in fold(filters.text or "").split()]
    if filters.unit:
        conditions.append(Q.term_query(schema, "unit_key", fold(filters.unit.strip())))
    if filters.years:
        conditions.append(Q.term_set_query(schema, "year", [f"{y:04d}" for y in filters.years]))
    if filters.sources:
        conditions.append(Q.term_set_query(schema, "source", [s.lower() for s in filters.sources]))
    if filters.value_min is not None or filters.value_max is not None:
        conditions.append(Q.range_query(schema, "value", tantivy.FieldType.Float, filters.value_min,
                                        filters.value_max))
    if filters.provinces:
        conditions.append(Q.term_set_query(schema, "figure_province", [fold(p) for p in filters.provinces]))
    return conditions


def _all_of(conditions: list[tantivy.Query]) -> tantivy.Query:
    if not conditions:
        return Q.all_query()
    return conditions[0] if len(conditions) == 1 else Q.boolean_query([(_MUST, c) for c in conditions])


def _rids(searcher: tantivy.Searcher, query: tantivy.Query, count: int) -> list[int]:
    """Every rid the query matches (the documents' rids, each once)."""
    if not count:
        return []
    found = searcher.search(query, count, count=False)
    return list(dict.fromkeys(searcher.fast_field_values("rid", [a for _, a in found.hits])))


def _articles_condition(index: TextIndex, node: Node, filters: SearchFilters,
                        figure_conditions: list[tantivy.Query]) -> tantivy.Query | None:
    """For a query with words: the figure documents of the articles it matches, as a condition on rids."""
    if isinstance(node, MatchAll):
        return None
    articles, figures = index.searcher(), index.figure_searcher()
    with_figures = filters.model_copy(update={"has_figures": True})
    matching = compile_request(index.schema, node, with_figures)
    passing = _all_of([*figure_conditions, *filter_queries(index.figure_schema, filters)])
    n_matching = articles.search(matching, 1, count=True).count
    n_passing = figures.search(passing, 1, count=True).count
    if n_passing < n_matching:  # list the figures' articles, and keep those the query matches
        candidates = _rids(figures, passing, n_passing)
        matching = compile_request(index.schema, node, with_figures,
                                   [Q.term_set_query(index.schema, "rid", candidates)])
        n_matching = articles.search(matching, 1, count=True).count
    return Q.term_set_query(index.figure_schema, "rid", _rids(articles, matching, n_matching))


def figures(conn: sqlite3.Connection, index: TextIndex, node: Node, filters: SearchFilters,
            figure_filters: FigureFilters, limit: int, offset: int) -> FigurePage:
    """Matching figure rows (newest articles first), their total and the aggregates (``Store.figures``)."""
    schema = index.figure_schema
    conditions = figure_queries(schema, figure_filters)
    articles = _articles_condition(index, node, filters, conditions)
    query = _all_of([*conditions, *filter_queries(schema, filters), *([articles] if articles else [])])
    searcher = index.figure_searcher()
    found = searcher.search(query, limit + offset, count=True, order_by_field="sort", order=tantivy.Order.Desc)
    addresses = [a for _, a in found.hits][offset:]
    keys = list(zip(searcher.fast_field_values("rid", addresses),
                    searcher.fast_field_values("position", addresses), strict=True))
    rows = _figure_rows(conn, keys)
    return FigurePage(rows=rows, total=found.count, aggregates=_aggregates(searcher, schema, query))


def _aggregates(searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query) -> list[FigureAggregate]:
    """Newest year first, then the most figures, then the key; at most ``AGGREGATE_LIMIT``.

    The groups are counted first; their units, subjects, outlets and rates' values only for those listed."""
    groups = searcher.aggregate(query, {"g": {"terms": {"field": "group", "size": _ALL, "segment_size": _ALL},
                                              "aggs": {"v": {"stats": {"field": "value"}}}}})["g"]["buckets"]
    chosen = sorted(groups, key=lambda b: (-b["doc_count"], _split(b["key"])[1]))
    chosen = sorted(chosen, key=lambda b: _split(b["key"])[0], reverse=True)[:AGGREGATE_LIMIT]  # stable
    if not chosen:
        return []
    listed = Q.boolean_query([(_MUST, query), (_MUST, Q.term_set_query(schema, "group", [b["key"] for b in chosen]))])
    parts = searcher.aggregate(listed, {name: {"terms": {"field": f"group_{name}", "size": _ALL,
                                                         "segment_size": _ALL}}
                                        for name in ("unit", "subject", "source", "value")})
    found: dict[str, dict[str, list[str]]] = {}
    for name, result in parts.items():
        for bucket in result["buckets"]:
            group, _, part = bucket["key"].rpartition(GROUP_SEPARATOR)
            found.setdefault(name, {}).setdefault(group, []).extend(
                [part] * (bucket["doc_count"] if name == "value" else 1))
    return [_aggregate(b, {name: found.get(name, {}).get(b["key"], []) for name in parts}) for b in chosen]


def _split(group: str) -> tuple[str, str]:
    year, _, key = group.partition(GROUP_SEPARATOR)
    return year, key


def _aggregate(bucket: dict, parts: dict[str, list[str]]) -> FigureAggregate:
    unit = min(parts["unit"])
    is_rate = unit in RATE_UNITS
    values = [float(v) for v in parts["value"]]
    return FigureAggregate(
        year=_split(bucket["key"])[0], unit=unit, subject=min(parts["subject"]) if parts["subject"] else None,
        count=bucket["doc_count"], sources=len(parts["source"]), is_rate=is_rate,
        total=None if is_rate else bucket["v"]["sum"], median=statistics.median(values) if is_rate and values else None,
        min=bucket["v"]["min"], max=bucket["v"]["max"],
    )
