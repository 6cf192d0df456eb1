"""``/ui/stories/{id}``: a story: every article with its outlet, time and headline, and what was extracted
from them (figures, events, places), each once."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.deps import get_store
from api.errors import Problem
from api.ui import render
from newsmon.models import Event, Figure
from newsmon.store import Store

router = APIRouter()


@router.get("/ui/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, store: Store = Depends(get_store)) -> HTMLResponse:
    """One story, its articles oldest first, and its extracted figures, events and places."""
    story = store.get_story(story_id)
    if story is None:
        raise Problem(404, "story-not-found", "Story not found", f"No story has id {story_id!r}.",
                      detail_vi="Không tìm thấy câu chuyện này.")
    figures: dict[tuple[float, str, str], Figure] = {}
    events: dict[tuple[str, str], Event] = {}
    places: dict[str, int] = {}
    for item in story.items:
        extraction = store.get_extraction(item.id)
        if extraction is None:
            continue
        for figure in extraction.figures:
            figures.setdefault((figure.value, figure.unit, (figure.subject or "").lower()), figure)
        for event in extraction.events:
            events.setdefault((event.type, event.date or ""), event)
        for province in extraction.provinces:
            places[province] = places.get(province, 0) + 1
    return render(request, "story.html", story=story, figures=list(figures.values()),
                  events=sorted(events.values(), key=lambda e: e.date or ""),
                  places=sorted(places, key=lambda p: -places[p]))
