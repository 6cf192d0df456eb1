"""``POST /admin/reextract`` (API key): run the NLP pipeline again on given articles."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends

from api.deps import get_store, require_api_key
from api.errors import Problem
from api.routes import problems
from api.schemas import ReextractRequest, ReextractResponse
from newsmon.models import Extraction
from newsmon.store import Store

router = APIRouter(tags=["admin"], dependencies=[Depends(require_api_key)])
log = logging.getLogger(__name__)


@router.post(
    "/admin/reextract", response_model=ReextractResponse, responses=problems(401, 403, 422, 503),
    summary="Re-extract articles (API key)",
)
def reextract(body: ReextractRequest, store: Store = Depends(get_store)) -> ReextractResponse:
    """Extract the listed articles with the current pipeline and store the results."""
    try:
        from nlp.runner import extract_article
    except ImportError as e:
        raise Problem(503, "extractor-unavailable", "Extractor unavailable", f"nlp cannot be loaded: {e}") from e
    done: list[tuple[str, Extraction]] = []
    missing: list[str] = []
    failed: dict[str, str] = {}
    for article_id in dict.fromkeys(body.ids):
        article = store.get_article(article_id)
        if article is None:
            missing.append(article_id)
            continue
        try:
            done.append((article_id, extract_article(article)))
        except Exception as e:  # one article never stops the run; reported back
            log.warning("re-extraction failed for %s: %s", article_id, e)
            failed[article_id] = type(e).__name__
    saved = store.save_extractions(done) if done else 0
    return ReextractResponse(extracted=saved, missing=missing, failed=failed)
