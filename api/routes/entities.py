"""``GET /entities``: the people, organisations and places most matching articles mention."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from api.deps import get_store, parsed_query, search_filters
from api.routes import problems
from api.schemas import EntitiesResponse
from newsmon.query import Node
from newsmon.store import Store
from newsmon.store.base import SearchFilters

router = APIRouter(tags=["entities"])


def top_entities(store: Store, q: str, query: Node, filters: SearchFilters, limit: int) -> EntitiesResponse:
    """People, organisations and places, each ranked by the number of articles."""
    return EntitiesResponse(
        query=q,
        people=store.entities("people", query, filters, limit),
        organisations=store.entities("organisations", query, filters, limit),
        places=store.entities("places", query, filters, limit),
    )


@router.get("/entities", response_model=EntitiesResponse, responses=problems(400, 422, 503), summary="Top entities")
def entities(
    q: str = Query("", description="Query text", examples=["bạo lực gia đình"]),
    query: Node = Depends(parsed_query),
    filters: SearchFilters = Depends(search_filters),
    limit: int = Query(20, ge=1, le=100, description="How many of each kind"),
    store: Store = Depends(get_store),
) -> EntitiesResponse:
    """Who and where the coverage matching ``q`` and the period (date_from/date_to) is about."""
    return top_entities(store, q, query, filters, limit)
