"""``GET /stories`` (the stories of the matching articles, by how many outlets carried them; or CSV, one row per
story) and ``GET /stories/{id}`` (one story with every article)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from api.deps import get_store, parsed_query, search_filters
from api.errors import Problem
from api.exports import csv_response
from api.routes import problems
from api.schemas import StoriesResponse
from newsmon.query import Node
from newsmon.store import Store
from newsmon.store.base import SearchFilters
from newsmon.store.stories import StoryDetail

router = APIRouter(tags=["stories"])
MAX_STORIES = 1_000
CSV_COLUMNS = ("id", "title", "url", "articles", "outlets", "first_published", "last_published")


@router.get(
    "/stories", response_model=StoriesResponse,
    responses={**problems(400, 422, 503), 200: {"content": {"text/csv": {}}, "description": "JSON or CSV"}},
    summary="Stories: the same news across outlets (JSON or CSV)",
)
def stories(
    q: str = Query("", description="Query text", examples=["mua bán người"]),
    query: Node = Depends(parsed_query),
    filters: SearchFilters = Depends(search_filters),
    limit: int = Query(20, ge=1, le=MAX_STORIES, description="How many stories"),
    format: Literal["json", "csv"] = Query("json", description="csv: one row per story"),
    store: Store = Depends(get_store),
) -> StoriesResponse | Response:
    """The stories of the articles matching ``q`` and the filters (syndicated copies included), most outlets
    first: "how many outlets picked it up, and which?". Counts are over the matching articles."""
    found = store.stories(query, filters, limit=limit)
    if format == "csv":
        rows = ((s.id, s.title, s.url, s.articles, "; ".join(s.outlets), s.first_published or "",
                 s.last_published or "") for s in found)
        return csv_response(CSV_COLUMNS, rows, "newsmon-stories.csv")
    return StoriesResponse(query=q, stories=found)


@router.get("/stories/{story_id}", response_model=StoryDetail, responses=problems(404, 503),
            summary="One story with every article")
def story(
    story_id: str = Path(description="The story id (the id of the article that opened it)"),
    store: Store = Depends(get_store),
) -> StoryDetail:
    """Every article of the story, oldest first, with its outlet, time and headline."""
    found = store.get_story(story_id)
    if found is None:
        raise Problem(404, "story-not-found", "Story not found", f"No story has id {story_id!r}.")
    return found
