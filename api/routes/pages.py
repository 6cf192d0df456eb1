"""The web UI: ``/`` (search), ``/ui/articles/{id}``, ``/ui/trends``, ``/ui/figures``.

Server-rendered Jinja2 pages in Vietnamese that call the same functions as the JSON API.
A query syntax error is shown on the page, next to the search box, with its position.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from api.chart import bar_chart, line_chart
from api.deps import SortParam, get_store, search_filters
from api.routes.articles import load_article
from api.routes.entities import top_entities
from api.routes.figures import FigureQuery, figure_query
from api.routes.trends import campaign_years, default_years, with_shares
from api.ui import INTERVAL_LABELS, SPLIT_LABELS, marked_text, render
from newsmon.errors import QuerySyntaxError
from newsmon.models import EVENT_TYPES
from newsmon.query import MatchAll, Node, parse
from newsmon.store import Store
from newsmon.store.base import Interval, SearchFilters, SplitBy

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
FIGURE_PAGE = 50


def _parse(q: str) -> tuple[Node | None, QuerySyntaxError | None]:
    try:
        return (parse(q) if q.strip() else MatchAll()), None
    except QuerySyntaxError as e:
        return None, e


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = "",
    sort: SortParam = "relevance",
    cursor: str | None = None,
    filters: SearchFilters = Depends(search_filters),
    store: Store = Depends(get_store),
) -> HTMLResponse:
    """The search page: box, filters, highlighted results, facets and pagination."""
    query, error = _parse(q)
    page = None
    if query is not None:
        page = store.search(query, filters, sort=sort, cursor=cursor or None, limit=PAGE_SIZE)
    return render(
        request, "search.html", status_code=400 if error else 200, q=q, sort=sort, filters=filters, page=page,
        error=error,
        event_types=EVENT_TYPES, cursor=cursor, sources=store.stats().sources,
    )


@router.get("/ui/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, q: str = "", store: Store = Depends(get_store)) -> HTMLResponse:
    """An article with its extracted places, figures and events marked in the text."""
    detail = load_article(store, article_id)
    return render(
        request, "article.html", detail=detail, q=q,
        body=marked_text(
            detail.article.full_text, detail.extraction, skip=len(detail.article.title) + 1
        ),
    )


@router.get("/ui/trends", response_class=HTMLResponse)
def trends_page(
    request: Request,
    q: str = "",
    interval: Interval = "month",
    split_by: SplitBy | None = Query(None),
    filters: SearchFilters = Depends(search_filters),
    store: Store = Depends(get_store),
) -> HTMLResponse:
    """Coverage over time as an SVG chart, share of voice, and the action month across years."""
    query, error = _parse(q)
    context: dict[str, object] = {"chart": None, "campaign": None, "shares": [], "entities": None}
    if query is not None:
        series = store.trends(query, filters, interval=interval, split_by=split_by)
        shares = with_shares(series)
        years = campaign_years(store, query, filters, default_years(store), None)
        context.update(
            chart=line_chart(shares), shares=shares, total=series.total, undated_count=series.undated,
            campaign=bar_chart([(str(y.year), y.count) for y in years], "Tháng hành động qua các năm"),
            entities=top_entities(store, q, query, filters, 10),
        )
    return render(
        request, "trends.html", status_code=400 if error else 200, q=q, interval=interval,
        split_by=split_by or "", error=error, intervals=INTERVAL_LABELS, splits=SPLIT_LABELS, **context,
    )


@router.get("/ui/figures", response_class=HTMLResponse)
def figures_page(
    request: Request,
    q: str = "",
    offset: int = Query(0, ge=0, le=1_000_000),
    store: Store = Depends(get_store),
) -> HTMLResponse:
    """The figures table with filters, sums per province/year/unit, and a CSV export link."""
    query, error = _parse(q)
    page = None
    if query is not None:
        params: FigureQuery = figure_query(
            query, request.query_params.get("text") or None, request.query_params.get("unit") or None,
            request.query_params.getlist("province"), _ints(request.query_params.getlist("year")),
            request.query_params.getlist("source"), _float(request.query_params.get("value_min")),
            _float(request.query_params.get("value_max")), None, None,
        )
        page = store.figures(params.query, params.articles, params.figures, limit=FIGURE_PAGE, offset=offset)
    return render(request, "figures.html", status_code=400 if error else 200, q=q, page=page, error=error,
                  offset=offset, page_size=FIGURE_PAGE)


def _ints(values: list[str]) -> list[int]:
    """The years among ``values``: ASCII digits only ("²" and "٣" are digits to ``str.isdigit``), 1 to 9999."""
    years = [int(v) for v in (v.strip() for v in values) if v.isascii() and v.isdigit() and len(v) <= 4]
    return [y for y in years if y >= 1]


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
