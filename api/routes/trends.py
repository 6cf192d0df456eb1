"""``GET /trends`` (coverage over time, split, share of voice) and ``GET /trends/campaign``.

The campaign view compares the action month (15/11 to 15/12, ``campaign_period``) across years.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.deps import get_store, parsed_query, search_filters
from api.errors import Problem
from api.exports import csv_response, png_response
from api.routes import problems
from api.schemas import CampaignResponse, CampaignYear, TrendShare, TrendsResponse
from newsmon.models import campaign_period
from newsmon.query import Node
from newsmon.store import Store
from newsmon.store.base import FacetCount, Interval, SearchFilters, Series, SplitBy, TrendUnit

router = APIRouter(tags=["trends"])
MAX_CAMPAIGN_YEARS = 20


def with_shares(series: Series) -> list[TrendShare]:
    """Each point with its share of its period's total (the sum over splits)."""
    period_totals: dict[str, int] = defaultdict(int)
    for point in series.points:
        period_totals[point.period] += point.count
    return [
        TrendShare(
            period=p.period, split=p.split, count=p.count,
            share=round(p.count / period_totals[p.period], 4) if period_totals[p.period] else 0.0,
        )
        for p in series.points
    ]


DOWNLOADS = {200: {"content": {"text/csv": {}, "image/png": {}}, "description": "JSON, CSV or PNG"}}
Format = Literal["json", "csv", "png"]


@router.get("/trends", response_model=TrendsResponse, responses={**problems(400, 422, 503), **DOWNLOADS},
            summary="Coverage over time (JSON, CSV or PNG)")
def trends(
    query: Node = Depends(parsed_query),
    filters: SearchFilters = Depends(search_filters),
    interval: Interval = Query("month", description="Period length"),
    split_by: SplitBy | None = Query(None, description="Split each period by this facet"),
    unit: TrendUnit = Query("articles", description="Count articles, or stories (the same news counted once "
                            "however many outlets carried it)"),
    format: Format = Query("json", description="csv: the series; png: the chart (top splits and the rest)"),
    store: Store = Depends(get_store),
) -> TrendsResponse | Response:
    """How many matching articles (or stories) per period (gaps filled with zeros), optionally split, with shares."""
    series = store.trends(query, filters, interval=interval, split_by=split_by, unit=unit)
    points = with_shares(series)
    if format == "csv":
        rows = ((p.period, p.split or "", p.count, p.share) for p in points)
        return csv_response(("period", "split", "count", "share"), rows, "newsmon-trends.csv")
    if format == "png":
        from api.chart_png import trend_png

        title = "Số câu chuyện theo thời gian" if unit == "stories" else "Số bài theo thời gian"
        return png_response(trend_png(points, title), "newsmon-trends.png")
    return TrendsResponse(interval=interval, split_by=split_by, unit=unit, total=series.total,
                          undated=series.undated, points=points)


def campaign_year(
    store: Store, query: Node, filters: SearchFilters, year: int, split_by: SplitBy | None,
) -> CampaignYear:
    """Coverage of ``year``'s action month, within the other filters."""
    start, end = campaign_period(year)
    window = filters.model_copy(update={"date_from": start, "date_to": end})
    series = store.trends(query, window, interval="year", split_by=split_by)
    splits: dict[str, int] = defaultdict(int)
    for point in series.points:
        if point.split is not None:
            splits[point.split] += point.count
    ranked = sorted(splits.items(), key=lambda kv: (-kv[1], kv[0]))
    days = (end - start).days + 1
    return CampaignYear(
        year=year, start=start, end=end, count=series.total, per_day=round(series.total / days, 3),
        splits=[FacetCount(value=v, count=n) for v, n in ranked],
    )


def campaign_years(
    store: Store, query: Node, filters: SearchFilters, years: list[int], split_by: SplitBy | None,
) -> list[CampaignYear]:
    """``campaign_year`` for each of ``years``. Without a split one daily series from the first action month
    to the last is counted once for all of them (each year's own query reads every match again)."""
    if split_by is not None or len(years) < 2:
        return [campaign_year(store, query, filters, y, split_by) for y in years]
    span = filters.model_copy(update={"date_from": campaign_period(min(years))[0],
                                      "date_to": campaign_period(max(years))[1]})
    daily = store.trends(query, span, interval="day").points
    result = []
    for year in years:
        start, end = campaign_period(year)
        first, last = start.isoformat(), end.isoformat()
        count = sum(p.count for p in daily if first <= p.period <= last)
        days = (end - start).days + 1
        result.append(CampaignYear(year=year, start=start, end=end, count=count, per_day=round(count / days, 3),
                                   splits=[]))
    return result


def default_years(store: Store) -> list[int]:
    """Every year from the store's first to its last article."""
    stats = store.stats()
    if not stats.first_day or not stats.last_day:
        return []
    return list(range(int(stats.first_day[:4]), int(stats.last_day[:4]) + 1))[-MAX_CAMPAIGN_YEARS:]


@router.get(
    "/trends/campaign", response_model=CampaignResponse, responses={**problems(400, 422, 503), **DOWNLOADS},
    summary="The action month compared across years (JSON, CSV or PNG)",
)
def campaign(
    q: str = Query("", description="Query text", examples=["bình đẳng giới"]),
    query: Node = Depends(parsed_query),
    filters: SearchFilters = Depends(search_filters),
    years: list[int] = Query([], description="Years to compare (default: all in the store)", examples=[[2023, 2024]]),
    split_by: SplitBy | None = Query(None, description="Break each year down by this facet"),
    format: Format = Query("json", description="csv: one row per year; png: the chart"),
    store: Store = Depends(get_store),
) -> CampaignResponse | Response:
    """Articles published in each year's Tháng hành động vì bình đẳng giới (15/11 to 15/12)."""
    if len(years) > MAX_CAMPAIGN_YEARS or any(not 1900 <= y <= 2200 for y in years):
        raise Problem(400, "years", "Invalid years", f"Give at most {MAX_CAMPAIGN_YEARS} years between 1900 and 2200.")
    chosen = sorted(set(years)) or default_years(store)
    found = campaign_years(store, query, filters, chosen, split_by)
    if format == "csv":
        rows = ((y.year, y.start, y.end, y.count, y.per_day) for y in found)
        return csv_response(("year", "start", "end", "count", "per_day"), rows, "newsmon-action-month.csv")
    if format == "png":
        from api.chart_png import trend_png

        points = [TrendShare(period=str(y.year), count=y.count, share=1.0) for y in found]
        return png_response(trend_png(points, "Tháng hành động qua các năm"), "newsmon-action-month.png")
    return CampaignResponse(query=q, split_by=split_by, years=found)
