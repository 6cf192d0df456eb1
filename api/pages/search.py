"""``/``: the search page: the box, filters, highlighted results, facets, pagination both ways, exports."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import SortParam, get_store, search_filters
from api.pages.query import parse_box
from api.ui import render
from newsmon.models import EVENT_TYPES
from newsmon.store import Store
from newsmon.store.base import SearchFilters, SearchHit, SearchPage
from newsmon.store.stories import StorySummary

router = APIRouter()
PAGE_SIZE = 20
FIRST_PAGE = "-"  # in ``back``: the first page, which has no cursor
MAX_BACK = 40  # cursors of earlier pages carried in the URL (about 2.5 KB)
OUTLETS_NAMED = 3  # outlets a result's story label names; "…" stands for the others


@dataclass
class Pager:
    """Where a page of results is: its number, its first and last position, and the links around it."""

    number: int
    first: int
    last: int
    previous: dict[str, object] | None
    following: dict[str, object] | None


def pager(page: SearchPage, number: int, cursor: str | None, back: list[str]) -> Pager:
    """Previous and next links as query replacements (``cursor``, ``back``, ``page``)."""
    first = (number - 1) * PAGE_SIZE + 1
    previous = None
    if number > 1 and back:
        earlier = back[-1]
        previous = {"cursor": None if earlier == FIRST_PAGE else earlier, "back": back[:-1], "page": number - 1}
    elif number > 1:  # beyond MAX_BACK pages: back to the start
        previous = {"cursor": None, "back": [], "page": None}
    following = None
    if page.next_cursor:
        trail = [*back, cursor or FIRST_PAGE][-MAX_BACK:]
        following = {"cursor": page.next_cursor, "back": trail, "page": number + 1}
    return Pager(number, first, first + len(page.hits) - 1, previous, following)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = "",
    sort: SortParam = "relevance",
    cursor: str | None = None,
    back: list[str] = Query([]),
    page: int = Query(1, ge=1, le=100_000),
    by_story: bool = Query(False, description="One result per story on the page"),
    filters: SearchFilters = Depends(search_filters),
    store: Store = Depends(get_store),
) -> HTMLResponse:
    """The search page. Each result retold elsewhere says by how many outlets (the first named), in how many
    articles and on which days (``story_reach``); ``by_story`` shows one result per story. An empty store says
    how to fill it."""
    query, error = parse_box(q)
    stats = store.stats()
    results = nav = None
    stories: dict[str, StorySummary] = {}
    if query is not None and stats.articles:
        results = store.search(query, filters, sort=sort, cursor=cursor or None, limit=PAGE_SIZE)
        nav = pager(results, page, cursor, back)
        stories = store.story_summaries([h.story_id for h in results.hits if h.story_id])
        if by_story:
            results.hits = one_per_story(results.hits)
    return render(
        request, "search.html", status_code=400 if error else 200, q=q, sort=sort, filters=filters,
        page=results, pager=nav, error=error, event_types=EVENT_TYPES, sources=stats.sources,
        empty_store=not stats.articles, stories=stories, by_story=by_story, story_reach=story_reach,
    )


def story_reach(story: StorySummary) -> str:
    """What a result's label says after "N báo đưa tin": the first outlets (most articles first, "…" for the
    others), the number of articles, and the days it ran ("ngày 21/11", "từ 21/11 đến 24/11")."""
    named = ", ".join(story.outlets[:OUTLETS_NAMED]) + (", …" if len(story.outlets) > OUTLETS_NAMED else "")
    days = story_days(story)
    return " · ".join(part for part in (named, f"{story.articles} bài", days) if part)


def story_days(story: StorySummary) -> str:
    """From the first to the latest publication day, with the years only when they differ; "" when undated."""
    first, last = story.first_published, story.last_published
    if first is None:
        return ""
    if last is None or last.date() == first.date():
        return f"ngày {first:%d/%m}"
    form = "%d/%m" if last.year == first.year else "%d/%m/%Y"
    return f"từ {first.strftime(form)} đến {last.strftime(form)}"


def one_per_story(hits: list[SearchHit]) -> list[SearchHit]:
    """The hits with each story's first one only (ungrouped articles are their own story)."""
    seen: set[str] = set()
    kept = []
    for hit in hits:
        story = hit.story_id or hit.id
        if story not in seen:
            seen.add(story)
            kept.append(hit)
    return kept
