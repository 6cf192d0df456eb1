"""``/ui/articles/{id}``: an article, its headline and lead once, the search terms and the extraction marked."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.deps import get_store
from api.marking import marked_text
from api.pages.query import parse_box
from api.routes.articles import load_article
from api.ui import render
from newsmon.store import Store

router = APIRouter()


@router.get("/ui/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, q: str = "", store: Store = Depends(get_store)) -> HTMLResponse:
    """An article with its extracted places, figures, events and people marked in the text."""
    detail = load_article(store, article_id)
    article = detail.article
    query, _ = parse_box(q)
    shown = len(article.title) + 1 + (len(article.lead) + 1 if article.lead else 0)  # the page shows them above
    return render(
        request, "article.html", detail=detail, q=q, original_url=article.canonical_url or article.url,
        lead=marked_text(article.full_text[:shown], detail.extraction, skip=len(article.title) + 1, query=query)
        if article.lead else None,
        body=marked_text(article.full_text, detail.extraction, skip=shown, query=query),
    )
