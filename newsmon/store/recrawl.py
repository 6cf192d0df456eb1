"""What both engines do when an article they hold is crawled again."""

from __future__ import annotations

from datetime import datetime

from newsmon.models import Article


def keep_known_date(article: Article, published_at: str | None, published_period: str | None) -> Article:
    """The article, with the date (or month, or year) an earlier crawl found when this copy of it has none:
    a page that prints its date once in a while never loses it."""
    if article.published_at is not None:
        return article
    if published_at:
        return article.model_copy(update={"published_at": datetime.fromisoformat(published_at),
                                          "published_period": None})
    if published_period and not article.published_period:
        return article.model_copy(update={"published_period": published_period})
    return article
