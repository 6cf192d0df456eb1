"""The item the spider yields: one parsed article, the source it came from, and what the
page worker already computed for the pipeline (None: the pipeline computes it itself)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsmon.models import Article

__all__ = ["ArticleItem"]


@dataclass
class ArticleItem:
    """An article on its way to the store (Scrapy accepts dataclass items)."""

    article: Article
    source: str
    on_topic: bool | None = None
    signature: np.ndarray | None = None
