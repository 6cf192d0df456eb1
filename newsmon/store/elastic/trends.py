"""Trends on the Elasticsearch store: a composite aggregation read page by page, so every period and
split value is counted."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from newsmon.query import Node
from newsmon.store.base import Interval, SearchFilters, Series, SplitBy, TrendUnit
from newsmon.store.elastic.query import search_query
from newsmon.store.elastic.search import FACET_FIELDS
from newsmon.store.periods import series_from_counts

_PERIOD_FORMAT = {"day": "yyyy-MM-dd", "week": "yyyy-MM-dd", "month": "yyyy-MM", "year": "yyyy"}


def trends(
    client: Elasticsearch, index: str, query: Node, filters: SearchFilters | None, interval: Interval,
    split_by: SplitBy | None, unit: TrendUnit = "articles",
) -> Series:
    """Matching articles (or stories: distinct ``story_key``, an article's story or, ungrouped, itself) per
    period (gaps filled with zeros), optionally per split value."""
    stories = unit == "stories"
    distinct = {"stories": {"cardinality": {"field": "story_key"}}} if stories else {}
    sources: list[dict[str, Any]] = [{"period": {"date_histogram": {
        "field": "day", "calendar_interval": interval, "format": _PERIOD_FORMAT[interval],
    }}}]
    if split_by:
        sources.append({"split": {"terms": {"field": FACET_FIELDS[split_by]}}})
    composite: dict[str, Any] = {"sources": sources, "size": 1000}
    counts: dict[tuple[str, str | None], int] = {}
    while True:
        sub = {"aggs": distinct} if stories else {}
        aggs = {"periods": {"composite": composite, **sub}, "undated": {"missing": {"field": "day"}, **sub},
                **distinct}
        result = client.search(index=index, query=search_query(query, filters), size=0, track_total_hits=True,
                               aggs=aggs)
        found = result["aggregations"]
        undated = _count(found["undated"], stories)  # the composite skips documents without a day
        for bucket in found["periods"]["buckets"]:
            counts[(bucket["key"]["period"], bucket["key"].get("split"))] = _count(bucket, stories)
        if not found["periods"]["buckets"] or "after_key" not in found["periods"]:
            break
        composite["after"] = found["periods"]["after_key"]
    total = found["stories"]["value"] if stories else result["hits"]["total"]["value"]
    return series_from_counts(counts, interval, total, undated)


def _count(bucket: dict[str, Any], stories: bool) -> int:
    return bucket["stories"]["value"] if stories else bucket["doc_count"]
