"""``/ui/trends``: coverage over time (stacked by split), share of voice, the action month across years, and
who and where the coverage is about. Each chart downloads as PNG and its series as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from api.chart import bar_chart, trend_chart
from api.deps import get_store, search_filters
from api.pages.query import parse_box
from api.routes.entities import top_entities
from api.routes.trends import campaign_years, default_years, with_shares
from api.ui import INTERVAL_LABELS, SPLIT_LABELS, UNIT_LABELS, render
from newsmon.store import Store
from newsmon.store.base import Interval, SearchFilters, SplitBy, TrendUnit

router = APIRouter()


@router.get("/ui/trends", response_class=HTMLResponse)
def trends_page(
    request: Request,
    q: str = "",
    interval: Interval = "month",
    split_by: SplitBy | None = Query(None),
    unit: TrendUnit = "articles",
    filters: SearchFilters = Depends(search_filters),
    store: Store = Depends(get_store),
) -> HTMLResponse:
    """The trends dashboard."""
    query, error = parse_box(q)
    context: dict[str, object] = {"chart": None, "campaign": None, "shares": [], "entities": None}
    if query is not None:
        series = store.trends(query, filters, interval=interval, split_by=split_by, unit=unit)
        shares = with_shares(series)
        years = campaign_years(store, query, filters, default_years(store), None)
        context.update(
            chart=trend_chart(shares), shares=shares, total=series.total, undated_count=series.undated,
            campaign=bar_chart([(str(y.year), y.count) for y in years], "Tháng hành động qua các năm"),
            entities=top_entities(store, q, query, filters, 10),
        )
    return render(
        request, "trends.html", status_code=400 if error else 200, q=q, interval=interval,
        split_by=split_by or "", unit=unit, error=error, intervals=INTERVAL_LABELS, splits=SPLIT_LABELS,
        units=UNIT_LABELS, **context,
    )
