"""``GET /articles/{id}`` (an article with its extraction) and ``POST /articles`` (ingest, API key)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from api.deps import get_store, require_api_key
from api.errors import Problem
from api.routes import problems
from api.schemas import ArticleDetail, IngestRequest, IngestResponse
from newsmon.store import Store

router = APIRouter(tags=["articles"])


def load_article(store: Store, article_id: str) -> ArticleDetail:
    """The article, its extraction and copies; a 404 problem when unknown."""
    article = store.get_article(article_id)
    if article is None:
        raise Problem(404, "article-not-found", "Article not found", f"No article has id {article_id!r}.")
    return ArticleDetail(article=article, extraction=store.get_extraction(article_id))


@router.get(
    "/articles/{article_id}", response_model=ArticleDetail, responses=problems(404, 503),
    summary="One article with its extraction",
)
def get_article(
    article_id: str = Path(description="The article id (16 hex digits)", examples=["2f1c0a9b8e7d6c5b"]),
    store: Store = Depends(get_store),
) -> ArticleDetail:
    """The stored article and what NLP extracted from it (places, figures, events, people...)."""
    return load_article(store, article_id)


@router.post(
    "/articles", response_model=IngestResponse, responses=problems(401, 403, 413, 422, 503),
    dependencies=[Depends(require_api_key)], summary="Ingest articles (API key)",
)
def ingest(body: IngestRequest, store: Store = Depends(get_store)) -> IngestResponse:
    """Insert or update articles by canonical URL; a re-sent article is reported unchanged."""
    report = store.upsert_articles(body.articles)
    return IngestResponse(new=report.new, updated=report.updated, unchanged=report.unchanged)
