"""``GET /search``: ranked or newest-first results with highlights, facets and a cursor."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from api.deps import SortParam, get_store, page_limit, parsed_query, search_filters
from api.routes import problems
from api.schemas import SearchResponse
from newsmon.query import Node
from newsmon.store import Store
from newsmon.store.base import SearchFilters

router = APIRouter(tags=["search"])


@router.get(
    "/search", response_model=SearchResponse, responses=problems(400, 422, 503),
    summary="Search articles",
)
def search(
    q: str = Query("", description="Query text (see the q parameter of the query language)",
                   examples=["binh dang gioi", '"bạo lực gia đình" -"trẻ em"']),
    query: Node = Depends(parsed_query),
    filters: SearchFilters = Depends(search_filters),
    sort: SortParam = Query("relevance", description="relevance (BM25, exact accents first) or date"),
    cursor: str | None = Query(None, description="next_cursor of the previous page"),
    limit: int = Depends(page_limit),
    store: Store = Depends(get_store),
) -> SearchResponse:
    """Articles matching ``q`` and the filters.

    Titles and snippets come HTML-escaped with matches in ``<mark>``; syndicated copies are
    listed under their original in ``duplicates``; ``facets`` count the matching articles per
    source, province, event type and topic.
    """
    page = store.search(query, filters, sort=sort, cursor=cursor or None, limit=limit)
    return SearchResponse(
        query=q, sort=sort, total=page.total, total_is_estimate=page.total_is_estimate, hits=page.hits,
        facets=page.facets, facets_estimated=page.facets_estimated, next_cursor=page.next_cursor,
    )
