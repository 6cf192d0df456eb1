"""The item the spider yields: one extracted article and the source it came from."""

from __future__ import annotations

from dataclasses import dataclass

from newsmon.models import Article

__all__ = ["ArticleItem"]


@dataclass
class ArticleItem:
    """An article on its way to the store (Scrapy accepts dataclass items)."""

    article: Article
    source: str
