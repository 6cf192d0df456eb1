"""Trends on the Elasticsearch store: a composite aggregation read page by page, so every period and
split value is counted."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from newsmon.query import Node
from newsmon.store.base import Interval, SearchFilters, Series, SplitBy
from newsmon.store.elastic.query import search_query
from newsmon.store.elastic.search import FACET_FIELDS
from newsmon.store.periods import series_from_counts

_PERIOD_FORMAT = {"day": "yyyy-MM-dd", "week": "yyyy-MM-dd", "month": "yyyy-MM", "year": "yyyy"}


def trends(
    client: Elasticsearch, index: str, query: Node, filters: SearchFilters | None, interval: Interval,
    split_by: SplitBy | None,
) -> Series:
    """Matching articles per period (gaps filled with zeros), optionally per split value."""
    sources: list[dict[str, Any]] = [{"period": {"date_histogram": {
        "field": "day", "calendar_interval": interval, "format": _PERIOD_FORMAT[interval],
    }}}]
    if split_by:
        sources.append({"split": {"terms": {"field": FACET_FIELDS[split_by]}}})
    composite: dict[str, Any] = {"sources": sources, "size": 1000}
    counts: dict[tuple[str, str | None], int] = {}
    undated = 0
    while True:
        result = client.search(
            index=index, query=search_query(query, filters), size=0, track_total_hits=True,
            aggs={"periods": {"composite": composite}, "undated": {"missing": {"field": "day"}}},
        )
        undated = result["aggregations"]["undated"]["doc_count"]  # the composite skips documents without a day
        agg = result["aggregations"]["periods"]
        for bucket in agg["buckets"]:
            counts[(bucket["key"]["period"], bucket["key"].get("split"))] = bucket["doc_count"]
        if not agg["buckets"] or "after_key" not in agg:
            break
        composite["after"] = agg["after_key"]
    return series_from_counts(counts, interval, result["hits"]["total"]["value"], undated)
