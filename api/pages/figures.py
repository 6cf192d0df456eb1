"""``/ui/figures``: the figures table, one line per figure with its sentence a click away, the aggregates
(counts summed only where unit and subject agree, rates as median and range), and the CSV export."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import get_store
from api.pages.query import parse_box
from api.routes.figures import figure_filters
from api.ui import render
from newsmon.store import Store
from newsmon.store.analytics import FigureFilters
from newsmon.store.base import SearchFilters

router = APIRouter()
FIGURE_PAGE = 50


@router.get("/ui/figures", response_class=HTMLResponse)
def figures_page(
    request: Request,
    q: str = "",
    offset: int = Query(0, ge=0, le=1_000_000),
    filters: tuple[SearchFilters, FigureFilters] = Depends(figure_filters),
    store: Store = Depends(get_store),
) -> HTMLResponse:
    """The figures table with its filters, aggregates and export link."""
    query, error = parse_box(q)
    page = None
    if query is not None:
        page = store.figures(query, filters[0], filters[1], limit=FIGURE_PAGE, offset=offset)
    return render(request, "figures.html", status_code=400 if error else 200, q=q, page=page, error=error,
                  offset=offset, page_size=FIGURE_PAGE)
