"""``GET /articles/{id}`` (an article with its extraction) and ``POST /articles`` (ingest, API key).

An ingested batch is checked before anything is written: an id must not belong to another address
(409), and ``duplicate_of`` must name an existing original, an article that is not itself a copy,
as it stands after the batch (422); nor may an original that has copies become a copy (422) unless the
batch points its copies elsewhere. Links one step long keep copies findable: search groups a copy under
its original, so A→B then B→A would hide both, and B→A then A→C would hide B.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from api.deps import get_store, require_api_key
from api.errors import Problem
from api.routes import problems
from api.schemas import ArticleDetail, IngestRequest, IngestResponse
from newsmon.models import Article
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
    check_batch(store, body.articles)
    report = store.upsert_articles(body.articles)
    return IngestResponse(new=report.new, updated=report.updated, unchanged=report.unchanged)


def check_batch(store: Store, articles: list[Article]) -> None:
    """Refuse ids taken by another address (409), copies of anything but an existing original and
    originals with copies that would become copies (422)."""
    batch: dict[str, Article] = {}
    for article in articles:
        known = batch.get(article.id) or store.get_article(article.id)
        if known is not None and known.canonical_url != article.canonical_url:
            raise Problem(409, "id-conflict", "Id already used",
                          f"Article id {article.id!r} belongs to {known.canonical_url!r}, "
                          f"not {article.canonical_url!r}.")
        batch[article.id] = article
    copies = _copies_after(store, batch)
    for article in articles:
        if article.duplicate_of is None:
            continue
        original = batch.get(article.duplicate_of) or store.get_article(article.duplicate_of)
        if original is None:
            raise Problem(422, "invalid-duplicate", "Invalid duplicate_of",
                          f"duplicate_of of {article.id!r} names no article ({article.duplicate_of!r}).")
        if original.duplicate_of is not None:
            raise Problem(422, "invalid-duplicate", "Invalid duplicate_of",
                          f"duplicate_of of {article.id!r} names {original.id!r}, which is itself a copy (of "
                          f"{original.duplicate_of!r}): name the original.")
        if copies.get(article.id):
            raise Problem(422, "invalid-duplicate", "Invalid duplicate_of",
                          f"{article.id!r} cannot become a copy of {article.duplicate_of!r}: it is the original of "
                          f"{', '.join(map(repr, copies[article.id]))}. Point those at "
                          f"{article.duplicate_of!r} first, or in the same batch.")


def _copies_after(store: Store, batch: dict[str, Article]) -> dict[str, list[str]]:
    """The copies each article of the batch that would become a copy has once the batch is written."""
    becoming = {a.id for a in batch.values() if a.duplicate_of is not None}
    stored = store.copies_of(sorted(becoming)) if becoming else {}
    copies = {original: [c for c in ids if c not in batch] for original, ids in stored.items()}
    for article in batch.values():
        if article.duplicate_of in becoming:
            copies.setdefault(article.duplicate_of, []).append(article.id)
    return copies
