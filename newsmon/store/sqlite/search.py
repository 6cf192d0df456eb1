"""Search on the SQLite store: one page of hits, the total, facets and the next cursor.

Search first selects its articles once into ``temp.nm_hits`` (``hits``), counts its facets
there (on a sample, scaled, when very many articles match) and takes its page either from
there or, for a sample, straight from the indexes. Relevance pages come from the impact
lists (``rank``, ``rank_pass``) or from ``bm25()``; exact-accent matches then go first within
the page (``newsmon.store.accent_rank``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from newsmon.query import Phrase, Prefix, Term
from newsmon.store.accent_rank import rerank
from newsmon.store.base import (
    FacetCount,
    SearchHit,
    SearchPage,
    SortOrder,
)
from newsmon.store.cursor import decode_cursor, encode_cursor
from newsmon.store.highlight import mark, snippet, term_pattern
from newsmon.store.limits import FACET_SIZE
from newsmon.store.sqlite.bm25 import BM25_SQL
from newsmon.store.sqlite.hits import Plan, Selection, select_for_search, snapshot
from newsmon.store.sqlite.rank import top_k
from newsmon.store.sqlite.rank_pass import top_k_one_pass
from newsmon.store.sqlite.stories import story_ids

# Up to this many matches bm25() over all of them is cheap; above it the impact lists rank.
RANK_LISTS_MIN = 5_000
# Newest-first pages walk the date index when at least this many articles match (the first
# page is then found in a few hundred steps); fewer matches are sorted instead.
DATE_WALK_MIN = 2_000
# Checking one article against the FTS5 MATCH by rowid costs about as much as reading this
# many matches in a scan: the cheaper of the two decides how a date walk tests the words.
_SEEK_COST = 150
# CROSS JOIN keeps nm_hits as the outer loop: one primary-key lookup per hit.
FACET_JOINS = {
    "source": ("k.source", "CROSS JOIN article_keys k ON k.rid = h.rid"),
    "province": ("p.province", "CROSS JOIN article_provinces p ON p.rid = h.rid"),
    "event_type": ("e.type", "CROSS JOIN article_events e ON e.rid = h.rid"),
    "topic": ("t.topic", "CROSS JOIN article_topics t ON t.rid = h.rid"),
}
_DATE_ORDER = "ORDER BY k.day DESC, k.published DESC, k.rid DESC LIMIT ?"
_DATE_KEYSET = "AND (k.day, k.published, k.rid) < (?, ?, ?)"


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
    after = decode_cursor(cursor, sort_key, 2 if by_relevance else 3) if cursor else None
    with snapshot(conn):
        selection = select_for_search(conn, plan)
        fetch = _ranked_page if by_relevance else _date_page
        rows = fetch(conn, plan, selection, after, limit + 1)
        facet_counts = facets(conn, selection.scale)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            keys = ["score", "rid"] if by_relevance else ["day", "published", "rid"]
            next_cursor = encode_cursor(sort_key, [rows[-1][k] for k in keys])
        hits = _hits(conn, rows, terms)
    if sort == "relevance":
        hits = rerank(hits, terms)
    return SearchPage(
        hits=hits, total=selection.total, total_is_estimate=selection.total_is_estimate, facets=facet_counts,
        facets_estimated=selection.sampled, next_cursor=next_cursor,
    )


def _ranked_page(
    conn: sqlite3.Connection, plan: Plan, selection: Selection, after: list[object] | None, n: int
) -> list[sqlite3.Row] | list[dict[str, float | int]]:
    # Most of many matches pass the filters: the impact lists find the exact page without scoring
    # them all (``rank``). With few passing, bm25() over those few is cheaper.
    lists_current = conn.execute("SELECT 1 FROM fts_impact_pending LIMIT 1").fetchone() is None
    if lists_current and selection.fts_matches > RANK_LISTS_MIN and selection.total * 2 >= selection.fts_matches:
        page = top_k(conn, plan.match, plan.where_sql, plan.params, after, n, selection.fts_matches)
        if page is None:  # an OR, or an AND the threshold algorithm could not settle
            page = top_k_one_pass(conn, plan.match, plan.where_sql, plan.params, after, n)
        if page is not None:
            return page
    # Otherwise BM25 is computed for every selected article (~1.5 µs each). "+rowid" keeps the
    # nm_hits check a plain filter (as a rowid constraint FTS5 would re-run the MATCH once per hit).
    if selection.sampled:
        inner = (
            f"SELECT articles_fts.rowid AS rid, {BM25_SQL} AS score FROM articles_fts "
            f"CROSS JOIN article_keys k ON k.rid = articles_fts.rowid WHERE articles_fts MATCH ? AND {plan.where_sql}"
        )
        params = [plan.match, *plan.params]
    else:
        inner = (
            f"SELECT rowid AS rid, {BM25_SQL} AS score FROM articles_fts "
            "WHERE articles_fts MATCH ? AND +rowid IN temp.nm_hits"
        )
        params = [plan.match]
    keyset = "WHERE (score, rid) > (?, ?)" if after else ""
    return conn.execute(
        f"SELECT rid, score FROM ({inner}) {keyset} ORDER BY score, rid LIMIT ?", (*params, *(after or ()), n),
    ).fetchall()


def _date_page(
    conn: sqlite3.Connection, plan: Plan, selection: Selection, after: list[object] | None, n: int
) -> list[sqlite3.Row]:
    columns = "k.rid AS rid, 0.0 AS score, k.day AS day, k.published AS published"
    keyset = _DATE_KEYSET if after else ""
    params: list[object] = []
    if not selection.sampled and selection.total < DATE_WALK_MIN:
        source = "temp.nm_hits h CROSS JOIN article_keys k ON k.rid = h.rid WHERE 1"
    elif not selection.sampled:
        source = "article_keys k INDEXED BY article_keys_date WHERE k.rid IN temp.nm_hits"
    else:  # nm_hits is a sample: walk the date index and test each article
        source = f"article_keys k INDEXED BY article_keys_date WHERE {plan.where_sql}"
        params = list(plan.params)
        if plan.match:
            source += " AND " + _word_test(conn, selection, n)
            params.append(plan.match)
    return conn.execute(
        f"SELECT {columns} FROM {source} {keyset} {_DATE_ORDER}", (*params, *(after or ()), n)
    ).fetchall()


def _word_test(conn: sqlite3.Connection, selection: Selection, n: int) -> str:
    """The cheaper test of "matches the words" for a walk expected to read n / density articles."""
    articles = conn.execute("SELECT max(rid) FROM article_keys").fetchone()[0] or 1
    steps = n * articles / max(selection.total, 1)
    if steps * _SEEK_COST < selection.fts_matches:
        return "EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? AND rowid = k.rid)"
    return "k.rid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"


def copies_of(conn: sqlite3.Connection, ids: list[str]) -> dict[str, list[str]]:
    """The ids of the syndicated copies of each of ``ids`` that has any, in storage order."""
    copies: dict[str, list[str]] = {}
    marks = ",".join("?" * len(ids))
    for copy_id, original in conn.execute(
        f"SELECT id, duplicate_of FROM articles WHERE duplicate_of IN ({marks}) ORDER BY rowid", ids
    ):
        copies.setdefault(original, []).append(copy_id)
    return copies


def _hits(
    conn: sqlite3.Connection, rows: list[sqlite3.Row], terms: Sequence[Term | Phrase | Prefix]
) -> list[SearchHit]:
    if not rows:
        return []
    rowids = [r["rid"] for r in rows]
    marks = ",".join("?" * len(rowids))
    articles = {
        r["rowid"]: r for r in conn.execute(
            "SELECT rowid, id, coalesce(nullif(canonical_url, ''), url) AS url, source, title, lead, text, "
            f"published_at FROM articles WHERE rowid IN ({marks})",
            rowids,
        )
    }
    provinces: dict[int, list[str]] = {}
    for rid, province in conn.execute(
        f"SELECT rid, province FROM article_provinces WHERE rid IN ({marks})", rowids
    ):
        provinces.setdefault(rid, []).append(province)
    copies = copies_of(conn, [articles[rid]["id"] for rid in rowids])
    pattern = term_pattern(terms)
    stories = story_ids(conn, rowids)
    hits = []
    for row in rows:
        article = articles[row["rid"]]
        body = f"{article['lead']}\n{article['text']}" if article["lead"] else article["text"]
        hits.append(SearchHit(
            id=article["id"], url=article["url"], source=article["source"], title=article["title"],
            published_at=article["published_at"], score=-row["score"] if row["score"] else 0.0,
            title_html=mark(article["title"], pattern), snippet_html=snippet(body, pattern),
            provinces=sorted(provinces.get(row["rid"], [])), duplicates=copies.get(article["id"], []),
            story_id=stories.get(row["rid"]),
        ))
    return hits


def facets(conn: sqlite3.Connection, scale: float = 1.0) -> dict[str, list[FacetCount]]:
    """The top values of each facet among ``temp.nm_hits``, counts multiplied by ``scale``."""
    result = {}
    for name, (column, join) in FACET_JOINS.items():
        rows = conn.execute(
            f"SELECT {column} AS value, count(*) AS n FROM temp.nm_hits h {join} "
            f"GROUP BY value ORDER BY n DESC, value LIMIT {FACET_SIZE}"
        ).fetchall()
        result[name] = [FacetCount(value=r["value"], count=round(r["n"] * scale)) for r in rows]
    return result
