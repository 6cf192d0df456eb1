"""Stories on the Elasticsearch store: each article document carries its ``story_id`` and story keys (written
by the nlp stage's grouping) and ``story_key`` (its story, or itself before it is grouped: what trends count).
Stories are read with terms aggregations on ``story_id``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from elasticsearch import Elasticsearch

from newsmon.query import MatchAll, Node
from newsmon.store.base import SearchFilters
from newsmon.store.elastic.query import search_query
from newsmon.store.stories import StoryArticle, StoryDetail, StoryRow, StorySummary

_PAGE = 1000
_MAX_OUTLETS = 200
_REACH = {
    "outlets": {"cardinality": {"field": "source"}},
    "first": {"min": {"field": "published_at"}},
    "last": {"max": {"field": "published_at"}},
    "sources": {"terms": {"field": "source", "size": _MAX_OUTLETS, "order": [{"_count": "desc"}, {"_key": "asc"}]}},
}


def row_fields(row: StoryRow) -> dict[str, Any]:
    """The fields a story row sets on its article's document."""
    return {"story_id": row.story_id, "story_key": row.story_id, "story_day": row.day.isoformat(),
            "story_keys": list(row.keys)}


def rows_between(client: Elasticsearch, index: str, date_from: date | None, date_to: date | None
                 ) -> Iterator[StoryRow]:
    """Stored rows whose day is in the range (either end open), by day then article id."""
    bounds = {k: v.isoformat() for k, v in (("gte", date_from), ("lte", date_to)) if v}
    query = {"bool": {"filter": [{"exists": {"field": "story_id"}}, {"range": {"story_day": bounds}}]}}
    after = None
    while True:
        result = client.search(index=index, query=query, size=_PAGE, search_after=after,
                               sort=[{"story_day": "asc"}, {"id": "asc"}],
                               _source=["id", "story_day", "story_id", "story_keys"])
        hits = result["hits"]["hits"]
        for hit in hits:
            doc = hit["_source"]
            yield StoryRow.parse(doc["id"], doc["story_day"], doc["story_id"], doc.get("story_keys") or [])
        if len(hits) < _PAGE:
            return
        after = hits[-1]["sort"]


def ranked(client: Elasticsearch, index: str, query: Node, filters: SearchFilters, limit: int) -> list[StorySummary]:
    """The stories of the matching articles, by outlets among them, then articles, then the latest."""
    order = [{"outlets": "desc"}, {"_count": "desc"}, {"last": "desc"}, {"_key": "asc"}]
    # story_key: the story, or the article itself before it is grouped (a story of its own)
    aggs = {"stories": {"terms": {"field": "story_key", "size": limit, "order": order}, "aggs": _REACH}}
    matching = search_query(query, filters)
    result = client.search(index=index, query=matching, size=0, aggs=aggs)
    buckets = result["aggregations"]["stories"]["buckets"]
    return _summaries(client, index, buckets, "story_key", matching)


def summaries(client: Elasticsearch, index: str, story_ids: Sequence[str]) -> dict[str, StorySummary]:
    """Each of ``story_ids`` (that exists) with its whole reach."""
    if not story_ids:
        return {}
    aggs = {"stories": {"terms": {"field": "story_id", "size": len(story_ids)}, "aggs": _REACH}}
    result = client.search(index=index, query={"terms": {"story_id": list(story_ids)}}, size=0, aggs=aggs)
    return {s.id: s for s in _summaries(client, index, result["aggregations"]["stories"]["buckets"], "story_id")}


def detail(client: Elasticsearch, index: str, story_id: str) -> StoryDetail | None:
    """One story with every article, oldest first; None if no article belongs to it."""
    found = summaries(client, index, [story_id]).get(story_id)
    if found is None:
        return None
    result = client.search(
        index=index, query={"term": {"story_id": story_id}}, size=10_000,
        sort=[{"published_at": {"order": "asc", "missing": "_last"}}, {"crawled_at": "asc"}, {"id": "asc"}],
        _source=["id", "source", "title", "url", "canonical_url", "published_at", "duplicate_of"],
    )
    items = [StoryArticle(id=d["id"], source=d["source"], title=d["title"], url=d.get("canonical_url") or d["url"],
                          published_at=d.get("published_at"), duplicate_of=d.get("duplicate_of"))
             for d in (h["_source"] for h in result["hits"]["hits"])]
    return StoryDetail(**found.model_dump(), items=items)


def _summaries(client: Elasticsearch, index: str, buckets: list[dict[str, Any]], field: str,
               within: dict[str, Any] | None = None) -> list[StorySummary]:
    leads = _leads(client, index, [b["key"] for b in buckets], field, within)
    return [
        StorySummary(
            id=b["key"], title=leads[b["key"]]["title"], url=leads[b["key"]]["url"], articles=b["doc_count"],
            outlets=[s["key"] for s in b["sources"]["buckets"]], first_published=_when(b["first"]),
            last_published=_when(b["last"]),
        )
        for b in buckets if b["key"] in leads
    ]


def _leads(client: Elasticsearch, index: str, story_ids: list[str], field: str,
           within: dict[str, Any] | None) -> dict[str, dict[str, str]]:
    """Each story's lead article (among ``within``'s matches): its opener when there, else its earliest."""
    if not story_ids:
        return {}
    members: dict[str, Any] = {"terms": {field: story_ids}}
    query = {"bool": {"filter": [members, within]}} if within else members
    top = {"top_hits": {"size": 1, "_source": ["id", "title", "url", "canonical_url"],
                        "sort": [{"published_at": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]}}
    result = client.search(index=index, query=query, size=0, aggs={
        "stories": {"terms": {"field": field, "size": len(story_ids)}, "aggs": {
            "opener": {"filter": {"terms": {"id": story_ids}}, "aggs": {"doc": top}}, "earliest": top}}})
    leads = {}
    for bucket in result["aggregations"]["stories"]["buckets"]:
        openers = [h for h in bucket["opener"]["doc"]["hits"]["hits"] if h["_source"]["id"] == bucket["key"]]
        doc = (openers or bucket["earliest"]["hits"]["hits"])[0]["_source"]
        leads[bucket["key"]] = {"title": doc["title"], "url": doc.get("canonical_url") or doc["url"]}
    return leads


def _when(metric: dict[str, Any]) -> datetime | None:
    value = metric.get("value_as_string") if metric.get("value") is not None else None
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


class StoriesMixin:
    """The ``Store`` story methods of ``ElasticStore`` (which provides ``_call``, ``_bulk``, ``_sources``)."""

    def save_story_rows(self, rows: Iterable[StoryRow]) -> int:
        """Set each stored article's story fields; rows of articles not stored are skipped."""
        batch = list(rows)
        known = self._call(lambda: self._sources([r.article_id for r in batch], ["id"]))  # type: ignore[attr-defined]
        updates = [{"_op_type": "update", "_id": r.article_id, "doc": row_fields(r)}
                   for r in batch if r.article_id in known]
        self._call(lambda: self._bulk(updates), write=True)  # type: ignore[attr-defined]
        return len(updates)

    def story_rows(self, date_from: date | None = None, date_to: date | None = None) -> Iterator[StoryRow]:
        """Stored story rows in the day range, by day then article id."""
        rows = self._call(lambda: list(rows_between(self.client, self._index, date_from, date_to)))  # type: ignore[attr-defined]
        return iter(rows)

    def stories(self, query: Node = MatchAll(), filters: SearchFilters | None = None,
                limit: int = 20) -> list[StorySummary]:
        """The matching articles' stories (syndicated copies included), by reach among them."""
        everything = (filters or SearchFilters()).model_copy(update={"include_duplicates": True})
        return self._call(lambda: ranked(self.client, self._index, query, everything, limit))  # type: ignore[attr-defined]

    def story_summaries(self, story_ids: list[str]) -> dict[str, StorySummary]:
        """Stories by id, each with its whole reach."""
        wanted = list(dict.fromkeys(story_ids))
        return self._call(lambda: summaries(self.client, self._index, wanted))  # type: ignore[attr-defined]

    def get_story(self, story_id: str) -> StoryDetail | None:
        """One story whole."""
        return self._call(lambda: detail(self.client, self._index, story_id))  # type: ignore[attr-defined]
