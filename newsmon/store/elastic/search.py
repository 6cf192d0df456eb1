"""Search and facets on the Elasticsearch store (the read side of ``ElasticStore``).

Pagination is ``search_after`` on the sort keys of the last hit, wrapped in the same opaque cursor
the SQLite engine issues (``newsmon.store.cursor``). Titles and snippets are marked with
``newsmon.store.highlight`` on the original text rather than with Elasticsearch's highlighter, which
would mark the accent-folded copy the words matched in; both engines thus return the same marks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from elasticsearch import Elasticsearch

from newsmon.query import Node, Phrase, Prefix, Term, positive_terms
from newsmon.store.accent_rank import rerank
from newsmon.store.base import (
    FacetCount,
    SearchFilters,
    SearchHit,
    SearchPage,
    SortOrder,
)
from newsmon.store.cursor import decode_cursor, encode_cursor
from newsmon.store.elastic.query import search_query
from newsmon.store.highlight import mark, snippet, term_pattern
from newsmon.store.limits import FACET_SIZE

__all__ = ["copies", "count", "search"]

FACET_FIELDS = {"source": "source", "province": "provinces", "event_type": "event_types", "topic": "topics"}
_SORTS: dict[str, list[dict[str, Any]]] = {
    "relevance": [{"_score": "desc"}, {"id": "asc"}],
    "date": [{"day": "desc"}, {"published_at": {"order": "desc", "missing": "_last"}}, {"id": "desc"}],
}
_HIT_SOURCE = ["id", "url", "canonical_url", "source", "title", "lead", "text", "published_at", "provinces",
               "story_id"]


def search(
    client: Elasticsearch, index: str, query: Node, filters: SearchFilters | None, sort: SortOrder,
    cursor: str | None, limit: int,
) -> SearchPage:
    """One page of hits, the total, facets and the cursor of the next page."""
    terms = positive_terms(query)
    sort_key = "relevance" if sort == "relevance" and terms else "date"
    body: dict[str, Any] = {
        "query": search_query(query, filters), "sort": _SORTS[sort_key], "size": limit + 1,
        "track_total_hits": True, "_source": _HIT_SOURCE,
        "aggs": {name: {"terms": {"field": field, "size": FACET_SIZE, "order": [{"_count": "desc"}, {"_key": "asc"}]}}
                 for name, field in FACET_FIELDS.items()},
    }
    if cursor:
        body["search_after"] = decode_cursor(cursor, sort_key, len(_SORTS[sort_key]))
    result = client.search(index=index, **body)
    rows = result["hits"]["hits"]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(sort_key, rows[-1]["sort"])
    facets = {
        name: [FacetCount(value=b["key"], count=b["doc_count"]) for b in result["aggregations"][name]["buckets"]]
        for name in FACET_FIELDS
    }
    hits = _hits(client, index, rows, terms)
    if sort_key == "relevance":  # exact accents first within the page, as on SQLite
        hits = rerank(hits, terms)
    return SearchPage(
        hits=hits, total=result["hits"]["total"]["value"], facets=facets,
        next_cursor=next_cursor,
    )


def copies(client: Elasticsearch, index: str, ids: list[str]) -> dict[str, list[str]]:
    """Syndicated copies of each of ``ids`` (articles whose ``duplicate_of`` names it)."""
    if not ids:
        return {}
    result = client.search(
        index=index, query={"terms": {"duplicate_of": ids}}, _source=["id", "duplicate_of"], size=10_000,
        sort=[{"id": "asc"}],
    )
    found: dict[str, list[str]] = {}
    for hit in result["hits"]["hits"]:
        found.setdefault(hit["_source"]["duplicate_of"], []).append(hit["_source"]["id"])
    return found


def _hits(
    client: Elasticsearch, index: str, rows: list[dict[str, Any]], terms: Sequence[Term | Phrase | Prefix],
) -> list[SearchHit]:
    copied = copies(client, index, [row["_id"] for row in rows])
    pattern = term_pattern(terms)
    hits = []
    for row in rows:
        doc = row["_source"]
        body = f"{doc['lead']}\n{doc['text']}" if doc.get("lead") else doc["text"]
        hits.append(SearchHit(
            id=doc["id"], url=doc.get("canonical_url") or doc["url"], source=doc["source"], title=doc["title"],
            published_at=doc.get("published_at"), score=row["_score"] or 0.0,
            title_html=mark(doc["title"], pattern), snippet_html=snippet(body, pattern),
            provinces=sorted(doc.get("provinces") or []), duplicates=copied.get(doc["id"], []),
            story_id=doc.get("story_id"),
        ))
    return hits


def count(client: Elasticsearch, index: str, query: Node, filters: SearchFilters | None) -> int:
    """How many articles match."""
    return client.count(index=index, query=search_query(query, filters))["count"]
