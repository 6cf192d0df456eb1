"""FastAPI dependencies: settings, the store, API keys, the parsed query, filters and page size.

Tests replace ``get_store`` or ``get_settings`` with ``app.dependency_overrides``. Both are async:
FastAPI runs a sync dependency on the same thread pool as the sync routes, so when writers fill it
every request would wait, ``/health`` included. The store opens (and ``/health`` reads its counts)
on ``STORE_THREADS``, a small pool of its own.
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Annotated, Literal, TypeVar

from fastapi import Depends, Query, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import Field

from api.errors import Problem
from newsmon.models import EventType
from newsmon.query import MatchAll, Node, parse
from newsmon.settings import Settings
from newsmon.store import Store, open_store
from newsmon.store.base import SearchFilters

T = TypeVar("T")
_open_lock = threading.Lock()
STORE_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="newsmon-store")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Key for write/admin endpoints")


async def run_blocking(function: Callable[[], T]) -> T:
    """``function()`` on ``STORE_THREADS``, off the event loop and off the routes' thread pool."""
    return await asyncio.get_running_loop().run_in_executor(STORE_THREADS, function)


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


async def get_store(request: Request, settings: Settings = Depends(get_settings)) -> Store:
    """The app's store, opened on first use from ``settings.store_url`` (a damaged file: ``StoreDamaged``)."""
    store = request.app.state.store
    if store is not None:
        return store

    def open_once() -> Store:
        with _open_lock:
            if request.app.state.store is None:
                request.app.state.store = open_store(settings.store_url)
            return request.app.state.store

    return await run_blocking(open_once)


def require_api_key(
    key: str | None = Security(api_key_header), settings: Settings = Depends(get_settings),
) -> None:
    """Let the request through only with one of ``Settings.api_keys`` in ``X-API-Key``."""
    keys = [k.get_secret_value() for k in settings.api_keys]
    if not keys:
        raise Problem(403, "writes-disabled", "Writes disabled",
                      "No API keys are configured: set NEWSMON_API_KEYS to enable write endpoints.")
    if not key:
        problem = Problem(401, "missing-api-key", "Missing API key", "Send a key in the X-API-Key header.")
        problem.headers["WWW-Authenticate"] = "APIKey"
        raise problem
    if not any(hmac.compare_digest(key.encode(), k.encode()) for k in keys):
        raise Problem(403, "invalid-api-key", "Invalid API key", "The X-API-Key header holds an unknown key.")


def parsed_query(
    q: str = Query("", description="Query: words, \"phrases\", prefix*, AND/OR/NOT, -word, "
                   "title:/source:/province:/type:/topic: fields; accents optional",
                   examples=["bình đẳng giới", '"bạo lực gia đình" province:"Hà Nội"', "binh dang gioi"]),
) -> Node:
    """The query tree of ``q`` (everything when blank); a syntax error becomes a 400 with its position."""
    return parse(q) if q.strip() else MatchAll()


def search_filters(
    date_from: date | None = Query(None, description="First day (inclusive)", examples=["2024-11-15"]),
    date_to: date | None = Query(None, description="Last day (inclusive)", examples=["2024-12-15"]),
    source: list[str] = Query([], description="Source domains", examples=[["baophunu.vn"]]),
    province: list[str] = Query([], description="Provinces, pre- or post-2025 names, accents optional",
                                examples=[["Hà Giang"]]),
    event_type: list[EventType] = Query([], description="Event types"),
    topic: list[str] = Query([], description="Topics"),
    has_figures: bool | None = Query(None, description="Only articles with (or without) extracted figures"),
    include_duplicates: bool = Query(False, description="List syndicated copies as hits of their own"),
    include_off_topic: bool = Query(False, description="Also the articles the extractor judged not gender-equality "
                                    "coverage (and those not extracted yet); by default only on-topic ones"),
) -> SearchFilters:
    """The filters shared by search, trends, figures and entities: on-topic articles unless asked otherwise."""
    check_date_range(date_from, date_to)
    return SearchFilters(
        date_from=date_from, date_to=date_to, sources=source, provinces=province, event_types=list(event_type),
        topics=topic, has_figures=has_figures, include_duplicates=include_duplicates,
        on_topic_only=not include_off_topic,
    )


def check_date_range(date_from: date | None, date_to: date | None) -> None:
    """Refuse (400) a range whose first day comes after its last."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise Problem(400, "date-range", "Invalid date range",
                      f"date_from {date_from} is after date_to {date_to}.",
                      detail_vi=f"Ngày bắt đầu {date_from:%d/%m/%Y} sau ngày kết thúc {date_to:%d/%m/%Y}.")


def page_limit(
    limit: int = Query(20, ge=1, le=10_000, description="Page size, at most Settings.max_page_size"),
    settings: Settings = Depends(get_settings),
) -> int:
    """The page size, refused (400) above ``Settings.max_page_size``."""
    if limit > settings.max_page_size:
        raise Problem(400, "page-size", "Page too large",
                      f"limit={limit} exceeds the maximum page size {settings.max_page_size}.",
                      max_page_size=settings.max_page_size)
    return limit


SortParam = Literal["relevance", "date"]
Year = Annotated[int, Field(ge=1, le=9999)]  # what a date can hold
