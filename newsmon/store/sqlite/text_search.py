"""Search, trends and entity counts answered by the text index (``text_index``), the records from SQLite.

tantivy finds and ranks the matches (BM25, block-max WAND for the top of an OR of words), counts them exactly
and aggregates their fast fields (facets, trend buckets, entity names) without reading an article; SQLite then
reads the page's articles. Pages are exact: a relevance page is the top of the whole ranking, ties by rid
(tantivy's own top-k breaks ties by document address, so a page is taken from a longer list whose last score is
below the page's); a date page is ordered by (day, time of day, rid) (``text_index.sort_key``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import tantivy

from newsmon.errors import InvalidCursor
from newsmon.query import Node, Phrase, Prefix, Term
from newsmon.store.accent_rank import rerank
from newsmon.store.base import (
    EntityCount,
    EntityKind,
    FacetCount,
    Interval,
    SearchFilters,
    SearchPage,
    Series,
    SortOrder,
    SplitBy,
)
from newsmon.store.cursor import decode_cursor, encode_cursor
from newsmon.store.limits import FACET_SIZE
from newsmon.store.periods import series_from_counts
from newsmon.store.sqlite.hits import snapshot
from newsmon.store.sqlite.search import _hits
from newsmon.store.sqlite.text_docs import DETAIL_SEPARATOR, MISSING, SAMPLE_BUCKETS, sort_key
from newsmon.store.sqlite.text_index import TextIndex
from newsmon.store.sqlite.text_query import compile_request

FACET_FIELDS = {"source": "source", "province": "province", "event_type": "event_type", "topic": "topic"}
_PERIOD_FIELDS = {"day": "day_key", "week": "week", "month": "month", "year": "year"}
_ALL_BUCKETS = 65_000  # tantivy's bucket limit: a request that needs more falls back to SQL (ValueError)
_OVERFETCH = 16  # extra hits fetched so ties at the end of a page can be ordered by rid
FACETS_EXACT_MAX = 200_000  # matches up to which facets are counted exactly (~20 ms per 100,000)
FACETS_SAMPLE = 50_000  # about how many matches estimated facets are counted on


def search(conn: sqlite3.Connection, index: TextIndex, node: Node, filters: SearchFilters, ranked: bool,
           terms: Sequence[Term | Phrase | Prefix], sort: SortOrder, cursor: str | None, limit: int) -> SearchPage:
    """One page of hits, the exact total, facets (``facets``) and the next cursor (see ``search.search``)."""
    by_relevance = sort == "relevance" and ranked
    sort_name = "relevance" if by_relevance else "date"
    after = _typed(decode_cursor(cursor, sort_name, 2 if by_relevance else 3), by_relevance) if cursor else None
    searcher = index.searcher()
    query = compile_request(index.schema, node, filters)
    if by_relevance:
        scored = compile_request(index.schema, node, filters, scored=True)
        rows, total = _relevance_rows(searcher, scored, after, limit + 1)
    else:
        rids, total = _date_rids(index, searcher, node, filters, after, limit + 1)
        rows = _date_keys(conn, rids)
    facet_counts, estimated = facets(index, searcher, query, total)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        keys = [last["score"], last["rid"]] if by_relevance else [last["day"], last["published"], last["rid"]]
        next_cursor = encode_cursor(sort_name, keys)
    with snapshot(conn):
        hits = _hits(conn, rows, terms)
    if sort == "relevance":
        hits = rerank(hits, terms)
    return SearchPage(hits=hits, total=total, facets=facet_counts, facets_estimated=estimated,
                      next_cursor=next_cursor)


def _typed(keys: list[object], by_relevance: bool) -> list[object]:
    """The cursor's keys when they have the types of this sort's keys (a score and a rid; a day, a time and a
    rid), else ``InvalidCursor``: a forged cursor is a 400, never an error comparing a number with null."""
    def number(key: object) -> bool:
        return isinstance(key, int | float) and not isinstance(key, bool)

    def text(key: object) -> bool:
        return key is None or isinstance(key, str)

    invalid = InvalidCursor("invalid cursor: pass next_cursor from a previous page")
    if by_relevance:
        if not (number(keys[0]) and isinstance(keys[1], int) and not isinstance(keys[1], bool)):
            raise invalid
        return keys
    if not (text(keys[0]) and text(keys[1]) and isinstance(keys[2], int) and not isinstance(keys[2], bool)):
        raise invalid
    try:  # the day and time must read as ``sort_key`` reads them
        sort_key(str(keys[0] or ""), str(keys[1] or ""), keys[2])
    except (ValueError, OverflowError) as e:
        raise invalid from e
    return keys


def _relevance_rows(searcher: tantivy.Searcher, query: tantivy.Query, after: list[object] | None,
                    n: int) -> tuple[list[dict[str, object]], int]:
    """The ``n`` best after the cursor, by (score descending, rid): ``score`` is negated, as bm25() gives it."""
    want = n + _OVERFETCH
    while True:
        found = searcher.search(query, want, count=True)
        scores = [s for s, _ in found.hits]
        rids = searcher.fast_field_values("rid", [a for _, a in found.hits])
        ranked = sorted((-s, r) for s, r in zip(scores, rids, strict=True))
        if after is not None:
            ranked = [x for x in ranked if x > (after[0], after[1])]
        complete = len(found.hits) < want  # every match was returned
        if complete or (len(ranked) > n and ranked[n - 1][0] < -min(scores)):
            return [{"rid": r, "score": s} for s, r in ranked[:n]], found.count
        want *= 4


def _date_rids(index: TextIndex, searcher: tantivy.Searcher, node: Node, filters: SearchFilters,
               after: list[object] | None, n: int) -> tuple[list[int], int]:
    """The ``n`` newest after the cursor (day, published, rid) and the total."""
    extra = []
    if after is not None:
        bound = sort_key(str(after[0] or ""), str(after[1] or ""), int(after[2]))  # type: ignore[call-overload]
        extra.append(tantivy.Query.range_query(index.schema, "sort", tantivy.FieldType.Unsigned, None, bound,
                                               include_upper=False))
    query = compile_request(index.schema, node, filters, extra)
    found = searcher.search(query, n, count=True, order_by_field="sort", order=tantivy.Order.Desc)
    rids = searcher.fast_field_values("rid", [a for _, a in found.hits])
    total = found.count
    if after is not None:
        total = searcher.search(compile_request(index.schema, node, filters), 1, count=True).count
    return rids, total


def _date_keys(conn: sqlite3.Connection, rids: list[int]) -> list[dict[str, object]]:
    """The page's rows in the order of ``rids``, with the keys of a date cursor."""
    if not rids:
        return []
    keys = {r[0]: r for r in conn.execute(
        f"SELECT rid, day, published FROM article_keys WHERE rid IN ({','.join('?' * len(rids))})", rids)}
    return [{"rid": rid, "score": 0.0, "day": keys[rid][1], "published": keys[rid][2]} for rid in rids]


def facets(index: TextIndex, searcher: tantivy.Searcher, query: tantivy.Query, total: int,
           ) -> tuple[dict[str, list[FacetCount]], bool]:
    """The top values of each facet among the matches, ties by value, and whether they are estimates: above
    ``FACETS_EXACT_MAX`` matches they are counted on the sample buckets that hold about ``FACETS_SAMPLE`` of
    them, and scaled (as the FTS5 path estimates from its sample)."""
    scale = 1.0
    if total > FACETS_EXACT_MAX:
        buckets = max(1, -(-SAMPLE_BUCKETS * FACETS_SAMPLE // total))
        scale = SAMPLE_BUCKETS / buckets
        sampled = tantivy.Query.range_query(index.schema, "sample", tantivy.FieldType.Unsigned, 0, buckets - 1)
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, sampled)])
    result = searcher.aggregate(query, {
        name: {"terms": {"field": field, "size": _ALL_BUCKETS, "segment_size": _ALL_BUCKETS}}
        for name, field in FACET_FIELDS.items()
    })
    return {
        name: [FacetCount(value=b["key"], count=round(b["doc_count"] * scale))
               for b in sorted(result[name]["buckets"], key=lambda b: (-b["doc_count"], b["key"]))[:FACET_SIZE]]
        for name in FACET_FIELDS
    }, scale != 1.0


def trends(index: TextIndex, node: Node, filters: SearchFilters, interval: Interval,
           split_by: SplitBy | None) -> Series:
    """Matching articles per period, optionally per split value (``Store.trends``, unit articles)."""
    searcher = index.searcher()
    query = compile_request(index.schema, node, filters)
    terms = {"terms": {"field": _PERIOD_FIELDS[interval], "size": _ALL_BUCKETS, "segment_size": _ALL_BUCKETS,
                       "missing": MISSING}}
    if split_by is not None:
        field = FACET_FIELDS[split_by]
        terms["aggs"] = {"split": {"terms": {"field": field, "size": _ALL_BUCKETS, "segment_size": _ALL_BUCKETS}}}
    buckets = searcher.aggregate(query, {"period": terms})["period"]["buckets"]
    counts: dict[tuple[str, str | None], int] = {}
    undated = 0
    for bucket in buckets:
        if bucket["key"] == MISSING:
            undated = bucket["doc_count"]
            continue
        if split_by is None:
            counts[(bucket["key"], None)] = bucket["doc_count"]
        for split in bucket.get("split", {}).get("buckets", []):
            counts[(bucket["key"], split["key"])] = split["doc_count"]
    total = sum(b["doc_count"] for b in buckets)  # one period per article, the undated ones in MISSING
    return series_from_counts(counts, interval, total, undated)


def entities(index: TextIndex, node: Node, filters: SearchFilters, kind: EntityKind, limit: int,
             ) -> list[EntityCount]:
    """The names of ``kind`` that most matching articles mention (ties by name), each with its greatest detail
    among those articles."""
    searcher = index.searcher()
    query = compile_request(index.schema, node, filters)
    buckets = searcher.aggregate(query, {"names": {"terms": {
        "field": kind, "size": _ALL_BUCKETS, "segment_size": _ALL_BUCKETS}}})["names"]["buckets"]
    top = sorted(((b["doc_count"], b["key"]) for b in buckets), key=lambda x: (-x[0], x[1]))[:limit]
    if not top:
        return []
    names = [name for _, name in top]
    named = compile_request(index.schema, node, filters,
                            [tantivy.Query.term_set_query(index.schema, kind, names)])
    details: dict[str, str] = {}
    for bucket in searcher.aggregate(named, {"d": {"terms": {
        "field": f"{kind}_detail", "size": _ALL_BUCKETS, "segment_size": _ALL_BUCKETS}}})["d"]["buckets"]:
        name, _, detail = bucket["key"].partition(DETAIL_SEPARATOR)
        if name in details and details[name] >= detail:
            continue
        details[name] = detail
    return [EntityCount(name=name, count=n, detail=details.get(name)) for n, name in top]
