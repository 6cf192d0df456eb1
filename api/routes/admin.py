"""``POST /admin/reextract`` (API key): queue articles for the nlp stage to extract again.

The API never runs the extractor itself (stages meet only in the store): it marks the articles
pending, and the next ``newsmon extract --pending`` (or pass of ``newsmon watch``) re-extracts them.
Until then their current extraction stays readable.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import get_store, require_api_key
from api.routes import problems
from api.schemas import ReextractRequest, ReextractResponse
from newsmon.store import Store

router = APIRouter(tags=["admin"], dependencies=[Depends(require_api_key)])


@router.post(
    "/admin/reextract", response_model=ReextractResponse, status_code=202, responses=problems(401, 403, 422, 503),
    summary="Queue articles for re-extraction (API key)",
)
def reextract(body: ReextractRequest, store: Store = Depends(get_store)) -> ReextractResponse:
    """Mark the listed articles pending for the nlp stage; report the ids that name no stored article."""
    ids = list(dict.fromkeys(body.ids))
    missing = store.mark_pending(ids)
    return ReextractResponse(queued=len(ids) - len(missing), missing=missing)
