"""``GET /search``: ranked or newest-first results with highlights, facets and a cursor; or every match as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import SortParam, get_store, page_limit, parsed_query, search_filters
from api.exports import csv_response
from api.routes import problems
from api.schemas import SearchResponse
from newsmon.query import Node
from newsmon.store import Store
from newsmon.store.base import SearchFilters

router = APIRouter(tags=["search"])
EXPORT_PAGE = 500  # hits read per store page while streaming an export
EXPORT_COLUMNS = ("id", "published_at", "source", "title", "url", "provinces", "copies", "score")


def every_hit(store: Store, query: Node, filters: SearchFilters, sort: SortParam) -> Iterator[tuple[object, ...]]:
    """Every matching article as a CSV row, page after page, in the order of the search."""
    cursor = None
    while True:
        page = store.search(query, filters, sort=sort, cursor=cursor, limit=EXPORT_PAGE)
        for hit in page.hits:
            day = hit.published_at.isoformat() if hit.published_at else ""
            yield (hit.id, day, hit.source, hit.title, hit.url, "; ".join(hit.provinces), len(hit.duplicates),
                   round(hit.score, 4))
        if not page.next_cursor:
            return
        cursor = page.next_cursor


@router.get(
    "/search", response_model=SearchResponse,
    responses={**problems(400, 422, 503), 200: {"content": {"text/csv": {}}, "description": "JSON or CSV"}},
    summary="Search articles (JSON, or every match as CSV)",
)
def search(
    q: str = Query("", description="Query text (see the q parameter of the query language)",
                   examples=["binh dang gioi", '"bạo lực gia đình" -"trẻ em"']),
    query: Node = Depends(parsed_query),
    filters: SearchFilters = Depends(search_filters),
    sort: SortParam = Query("relevance", description="relevance (BM25, exact accents first) or date"),
    cursor: str | None = Query(None, description="next_cursor of the previous page"),
    limit: int = Depends(page_limit),
    format: Literal["json", "csv"] = Query("json", description="csv: every match (not one page), streamed"),
    store: Store = Depends(get_store),
) -> SearchResponse | Response:
    """Articles matching ``q`` and the filters.

    Titles and snippets come HTML-escaped with matches in ``<mark>``; syndicated copies are
    listed under their original in ``duplicates``; ``facets`` count the matching articles per
    source, province, event type and topic. ``format=csv`` streams every match, one row per article.
    """
    if format == "csv":
        return csv_response(EXPORT_COLUMNS, every_hit(store, query, filters, sort), "newsmon-search.csv")
    page = store.search(query, filters, sort=sort, cursor=cursor or None, limit=limit)
    return SearchResponse(
        query=q, sort=sort, total=page.total, total_is_estimate=page.total_is_estimate, hits=page.hits,
        facets=page.facets, facets_estimated=page.facets_estimated, next_cursor=page.next_cursor,
    )
