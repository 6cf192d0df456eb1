"""The figures table and entity counts on the Elasticsearch store.

Figures are nested documents of their article. Rows come from the matching articles, newest first,
each with its matching figures as inner hits; aggregates are a composite aggregation over the
nested figures (province, year, unit) with their stats. Entities are nested documents too, counted
per name with a ``reverse_nested`` aggregation so an article that names someone twice counts once.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from newsmon.query import Node
from newsmon.store.analytics import (
    RATE_UNITS,
    EntityCount,
    EntityKind,
    FigureAggregate,
    FigureFilters,
    FigurePage,
    FigureRow,
)
from newsmon.store.base import SearchFilters
from newsmon.store.elastic.query import search_query
from newsmon.store.limits import AGGREGATE_LIMIT
from newsmon.text import fold

__all__ = ["entities", "figures"]

_ARTICLE_BATCH = 200
_ARTICLE = ("url", "title", "source", "published_at", "day")
_FIGURE_FIELDS = set(FigureRow.model_fields) - {"article_id", *_ARTICLE}


def figure_query(filters: FigureFilters) -> dict[str, Any]:
    """Clauses over ``figures.*`` for the figure filters (inside a nested query or aggregation)."""
    clauses: list[dict[str, Any]] = [
        {"wildcard": {"figures.search_key": {"value": f"*{word}*"}}} for word in fold(filters.text or "").split()
    ]
    if filters.unit:
        clauses.append({"term": {"figures.unit_key": fold(filters.unit.strip())}})
    if filters.provinces:
        clauses.append({"terms": {"figures.province_keys": [fold(p) for p in filters.provinces]}})
    if filters.years:
        clauses.append({"terms": {"figures.year": [str(y) for y in filters.years]}})
    if filters.sources:
        clauses.append({"terms": {"figures.source": [s.lower() for s in filters.sources]}})
    if filters.value_min is not None or filters.value_max is not None:
        bounds = {"gte": filters.value_min, "lte": filters.value_max}
        clauses.append({"range": {"figures.value": {k: v for k, v in bounds.items() if v is not None}}})
    return {"bool": {"filter": clauses}}


def figures(
    client: Elasticsearch, index: str, query: Node, filters: SearchFilters | None, figure_filters: FigureFilters,
    limit: int, offset: int,
) -> FigurePage:
    """Matching figure rows (newest articles first), their total and the aggregates (``FigureAggregate``)."""
    nested = figure_query(figure_filters)
    articles = search_query(query, filters)
    articles["bool"]["filter"].append({"nested": {"path": "figures", "query": nested}})
    result = client.search(index=index, query=articles, size=0, aggs=_aggregations(nested))
    stats = result["aggregations"]["figures"]["matching"]
    return FigurePage(
        rows=_rows(client, index, articles, nested, limit, offset) if limit > 0 else [],
        total=stats["doc_count"], aggregates=_aggregates(client, index, articles, nested, stats),
    )


def _aggregations(nested: dict[str, Any], after: dict[str, Any] | None = None) -> dict[str, Any]:
    # Figures of one year that count the same thing: ``search_key`` folds the subject and the unit together.
    composite: dict[str, Any] = {"size": 1000, "sources": [
        {"year": {"terms": {"field": "figures.year"}}},
        {"key": {"terms": {"field": "figures.search_key"}}},
    ]}
    if after:
        composite["after"] = after
    first = {"order": {"_key": "asc"}, "size": 1}  # the smallest spelling, as min() on SQLite
    return {"figures": {"nested": {"path": "figures"}, "aggs": {"matching": {"filter": nested, "aggs": {
        "groups": {"composite": composite, "aggs": {
            "stats": {"stats": {"field": "figures.value"}},
            "sources": {"cardinality": {"field": "figures.source"}},
            "unit": {"terms": {"field": "figures.unit", **first}},
            "subject": {"terms": {"field": "figures.subject", **first}},
            "median": {"percentiles": {"field": "figures.value", "percents": [50]}},
        }},
    }}}}}


def _aggregates(
    client: Elasticsearch, index: str, articles: dict[str, Any], nested: dict[str, Any], first: dict[str, Any],
) -> list[FigureAggregate]:
    groups, page = [], first["groups"]
    while True:
        groups += [_aggregate(bucket) for bucket in page["buckets"]]
        if not page["buckets"] or "after_key" not in page:
            break
        result = client.search(index=index, query=articles, size=0, aggs=_aggregations(nested, page["after_key"]))
        page = result["aggregations"]["figures"]["matching"]["groups"]
    groups.sort(key=lambda g: (-int(g.year or 0), -g.count))
    return groups[:AGGREGATE_LIMIT]


def _aggregate(bucket: dict[str, Any]) -> FigureAggregate:
    unit = bucket["unit"]["buckets"][0]["key"]
    subjects = bucket["subject"]["buckets"]
    is_rate = unit in RATE_UNITS
    return FigureAggregate(
        year=bucket["key"]["year"], unit=unit, subject=subjects[0]["key"] if subjects else None,
        count=bucket["doc_count"], sources=bucket["sources"]["value"], is_rate=is_rate,
        total=None if is_rate else bucket["stats"]["sum"],
        median=bucket["median"]["values"]["50.0"] if is_rate else None,
        min=bucket["stats"]["min"], max=bucket["stats"]["max"],
    )


def _rows(
    client: Elasticsearch, index: str, articles: dict[str, Any], nested: dict[str, Any], limit: int, offset: int,
) -> list[FigureRow]:
    """Walk the matching articles newest first, skipping ``offset`` figures, until ``limit`` rows."""
    inner = {"nested": {"path": "figures", "query": nested, "inner_hits": {
        "size": 1000, "sort": [{"figures.position": "asc"}], "_source": True,
    }}}
    query = {"bool": {"filter": [articles, inner]}}
    rows: list[FigureRow] = []
    after = None
    while len(rows) < limit:
        result = client.search(
            index=index, query=query, size=_ARTICLE_BATCH, sort=[{"day": "desc"}, {"id": "desc"}],
            _source=["id", *_ARTICLE], search_after=after,
        )
        hits = result["hits"]["hits"]
        for hit in hits:
            figures_hits = hit["inner_hits"]["figures"]["hits"]["hits"]
            if offset >= len(figures_hits):
                offset -= len(figures_hits)
                continue
            article = hit["_source"]
            for figure_hit in figures_hits[offset:]:
                figure = {k: v for k, v in figure_hit["_source"].items() if k in _FIGURE_FIELDS}
                rows.append(FigureRow(article_id=article["id"], **figure, **{k: article.get(k) for k in _ARTICLE}))
            offset = 0
        if len(hits) < _ARTICLE_BATCH:
            break
        after = hits[-1]["sort"]
    return rows[:limit]


def entities(
    client: Elasticsearch, index: str, kind: EntityKind, query: Node, filters: SearchFilters | None, limit: int,
) -> list[EntityCount]:
    """The names of ``kind`` that most matching articles mention, with a detail when known."""
    aggs = {"entities": {"nested": {"path": "entities"}, "aggs": {"kind": {
        "filter": {"term": {"entities.kind": kind}},
        "aggs": {"names": {
            "terms": {"field": "entities.name", "size": limit, "order": [{"articles": "desc"}, {"_key": "asc"}]},
            "aggs": {
                "articles": {"reverse_nested": {}},
                "detail": {"terms": {"field": "entities.detail", "size": 1, "order": {"_key": "desc"}}},
            },
        }},
    }}}}
    result = client.search(index=index, query=search_query(query, filters), size=0, aggs=aggs)
    return [
        EntityCount(
            name=b["key"], count=b["articles"]["doc_count"],
            detail=b["detail"]["buckets"][0]["key"] if b["detail"]["buckets"] else None,
        )
        for b in result["aggregations"]["entities"]["kind"]["names"]["buckets"]
    ]
