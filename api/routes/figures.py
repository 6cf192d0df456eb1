"""``GET /figures``: extracted statistics as a table, as JSON or CSV (UTF-8 with BOM, for Excel).

Each row carries the sentence the number came from and its article (id, url, title), so a
reader can check it. ``aggregates`` group a year's figures that count the same thing (same unit and
subject): counts are summed, a rate (%) never is (its median and range instead). The CSV streams.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import Year, check_date_range, get_settings, get_store, parsed_query
from api.errors import Problem
from api.exports import csv_response
from api.routes import problems
from api.schemas import FiguresResponse
from newsmon.query import Node
from newsmon.settings import Settings
from newsmon.store import Store
from newsmon.store.analytics import FigureFilters
from newsmon.store.base import SearchFilters

router = APIRouter(tags=["figures"])
MAX_EXPORT_ROWS = 50_000
CSV_COLUMNS = (
    "article_id", "day", "source", "province", "subject", "value", "unit", "text", "sentence", "title", "url",
)


@dataclass
class FigureQuery:
    """The parsed parameters of a figures request (shared by the JSON, CSV and HTML views)."""

    query: Node
    articles: SearchFilters
    figures: FigureFilters


def figure_filters(
    subject: str | None = Query(None, description="Words of what is counted (the subject) or the unit, "
                                "accents optional", examples=["lao động nữ"]),
    unit: str | None = Query(None, description="Exact unit, accents optional", examples=["người"]),
    province: list[str] = Query([], description="Province of the figure (pre- or post-2025 name)"),
    year: list[Year] = Query([], description="Year of the article", examples=[[2024]]),
    source: list[str] = Query([], description="Source domains"),
    value_min: float | None = Query(None, description="Smallest value"),
    value_max: float | None = Query(None, description="Largest value"),
    date_from: date | None = Query(None, description="Articles from this day"),
    date_to: date | None = Query(None, description="Articles up to this day"),
    include_off_topic: bool = Query(False, description="Also figures of articles judged off-topic"),
) -> tuple[SearchFilters, FigureFilters]:
    """The article filters (the period, on-topic unless asked otherwise) and the figure filters of a request."""
    check_date_range(date_from, date_to)
    articles = SearchFilters(date_from=date_from, date_to=date_to, on_topic_only=not include_off_topic)
    return articles, FigureFilters(
        text=subject, unit=unit, provinces=province, years=year, sources=source, value_min=value_min,
        value_max=value_max,
    )


def figure_query(
    query: Node = Depends(parsed_query),
    filters: tuple[SearchFilters, FigureFilters] = Depends(figure_filters),
) -> FigureQuery:
    """The query and the filters of a figures request."""
    return FigureQuery(query=query, articles=filters[0], figures=filters[1])


@router.get(
    "/figures", response_model=FiguresResponse, responses={
        **problems(400, 422, 503), 200: {"content": {"text/csv": {}}, "description": "JSON or CSV"},
    },
    summary="Extracted figures (JSON or CSV)",
)
def figures(
    params: FigureQuery = Depends(figure_query),
    format: Literal["json", "csv"] = Query("json", description="csv downloads every matching row"),
    limit: int = Query(50, ge=1, le=10_000, description="Rows per page (JSON), at most Settings.max_page_size"),
    offset: int = Query(0, ge=0, le=1_000_000),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> FiguresResponse | Response:
    """Figures from the matching articles, newest first, with the aggregates (``FigureAggregate``)."""
    if format == "csv":
        page = store.figures(params.query, params.articles, params.figures, limit=MAX_EXPORT_ROWS)
        rows = ([getattr(row, c) for c in CSV_COLUMNS] for row in page.rows)
        return csv_response(CSV_COLUMNS, rows, "newsmon-figures.csv")
    if limit > settings.max_page_size:
        raise Problem(400, "page-size", "Page too large",
                      f"limit={limit} exceeds the maximum page size {settings.max_page_size}.",
                      max_page_size=settings.max_page_size)
    page = store.figures(params.query, params.articles, params.figures, limit=limit, offset=offset)
    return FiguresResponse(total=page.total, offset=offset, limit=limit, rows=page.rows, aggregates=page.aggregates)
