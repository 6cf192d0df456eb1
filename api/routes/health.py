"""``GET /health``: the store engine, its counts and an ok status."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import get_store
from api.routes import problems
from api.schemas import Health
from newsmon.store import Store

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses=problems(503), summary="Health check")
def health(store: Store = Depends(get_store)) -> Health:
    """``ok`` with the store's engine and counts; 503 (problem+json) when the store cannot be read."""
    stats = store.stats()
    return Health(
        status="ok", engine=stats.engine, articles=stats.articles, extracted=stats.extracted,
        figures=stats.figures, first_day=stats.first_day, last_day=stats.last_day,
    )
