"""``GET /health``: the store engine, its counts and an ok status, within a second whatever writers do."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends

from api.deps import get_store, run_blocking
from api.errors import Problem
from api.routes import problems
from api.schemas import Health
from newsmon.store import Store

router = APIRouter(tags=["health"])
HEALTH_TIMEOUT_S = 0.8  # the counts must come within this; a store that cannot answer so fast is not healthy


@router.get("/health", response_model=Health, responses=problems(503), summary="Health check")
async def health(store: Store = Depends(get_store)) -> Health:
    """``ok`` with the store's engine and counts; 503 (problem+json) when the store cannot be read in time.

    Async on purpose: it never waits for the thread pool that busy writers may fill.
    """
    try:
        stats = await asyncio.wait_for(run_blocking(store.stats), HEALTH_TIMEOUT_S)
    except TimeoutError as e:
        problem = Problem(503, "store-slow", "Store slow",
                          f"The store did not report its counts within {HEALTH_TIMEOUT_S} s.")
        problem.headers["Retry-After"] = "5"
        raise problem from e
    return Health(
        status="ok", engine=stats.engine, articles=stats.articles, extracted=stats.extracted,
        figures=stats.figures, first_day=stats.first_day, last_day=stats.last_day,
    )
