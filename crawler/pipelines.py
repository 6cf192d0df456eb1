"""From parsed article to store: topic pre-filter → near-duplicates → batched upsert.

Text was normalised on the way in (``crawler.parse`` builds the ``Article``, whose
validators call ``newsmon.text.normalize``). Articles matching no topic keyword are
counted and skipped; syndicated copies get ``duplicate_of`` (the earliest article of
their group) and are stored anyway; upserts go in batches, and the store's report
says which were new, updated or unchanged. The page workers (``crawler.workers``) usually
did the topic check and the MinHash signature already; the item carries them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

from crawler.dedup import NearDuplicateIndex
from crawler.items import ArticleItem
from crawler.report import stat_key
from crawler.state import DEFAULT_STATE_PATH
from newsmon.models import Article
from newsmon.store.base import Store
from newsmon.text import fold

__all__ = ["ArticlePipeline", "is_on_topic"]


def is_on_topic(article: Article, folded_keywords: list[str]) -> bool:
    """True when the title, lead or text mentions one of the (accent-folded) keywords."""
    if not folded_keywords:
        return True
    haystack = fold(f"{article.title}\n{article.lead}\n{article.text}")
    return any(keyword in haystack for keyword in folded_keywords)


class ArticlePipeline:
    """Filter, de-duplicate and store articles in batches."""

    def __init__(self, store_factory: Callable[[], Store], dedup_path: Path | str,
                 topic_keywords: list[str], batch_size: int = 100, count: Callable[[str, str], None] | None = None,
                 ) -> None:
        self._store_factory = store_factory
        self._dedup_path = dedup_path
        self.keywords = [fold(k) for k in topic_keywords if k.strip()]
        self.batch_size = batch_size
        self._count = count or (lambda source, counter: None)
        self._buffer: list[Article] = []
        self._source_of: dict[str, str] = {}
        self.store: Store | None = None
        self.dedup: NearDuplicateIndex | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticlePipeline:
        """Build from ``NEWSMON_STORE_URL``, ``NEWSMON_STATE_PATH`` and ``NEWSMON_TOPIC_KEYWORDS``."""
        settings = crawler.settings
        store_url = settings.get("NEWSMON_STORE_URL")

        def open_configured_store() -> Store:
            from newsmon.store import open_store

            return open_store(store_url)

        def count(source: str, counter: str) -> None:
            crawler.stats.inc_value(stat_key(source, counter))

        return cls(open_configured_store, settings.get("NEWSMON_STATE_PATH") or DEFAULT_STATE_PATH,
                   settings.getlist("NEWSMON_TOPIC_KEYWORDS"), settings.getint("NEWSMON_BATCH_SIZE", 100), count)

    def open_spider(self, spider: Spider | None = None) -> None:
        """Open the store and the near-duplicate index."""
        self.store = self._store_factory()
        self.dedup = NearDuplicateIndex(self._dedup_path)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Skip off-topic articles, mark duplicates, buffer for the next batch."""
        if not isinstance(item, ArticleItem):
            return item
        article = item.article
        on_topic = is_on_topic(article, self.keywords) if item.on_topic is None else item.on_topic
        if not on_topic:
            self._count(item.source, "skipped_offtopic")
            return item
        if self.dedup is None:
            self.open_spider()
        decision = self.dedup.add(article, item.signature)  # type: ignore[union-attr]
        if decision.duplicate_of:
            article = article.model_copy(update={"duplicate_of": decision.duplicate_of})
            self._count(item.source, "duplicate")
        if decision.relink:
            self._relink(decision.relink, article.id)
        self._buffer.append(article)
        self._source_of[article.id] = item.source
        if len(self._buffer) >= self.batch_size:
            self.flush()
        return item

    def _relink(self, ids: list[str], root: str) -> None:
        """Point stored copies at an earlier original that turned up later."""
        self.flush()
        relinked = []
        for article_id in ids:
            stored = self.store.get_article(article_id) if self.store else None
            if stored is not None and stored.duplicate_of != root:
                relinked.append(stored.model_copy(update={"duplicate_of": root}))
                if stored.duplicate_of is None:
                    self._count(stored.source, "duplicate")  # it was stored as an original
        if relinked and self.store is not None:
            self.store.upsert_articles(relinked)

    def flush(self) -> None:
        """Upsert the buffered articles, then persist the near-duplicate index; count new/updated/unchanged."""
        if not self._buffer or self.store is None:
            return
        batch, self._buffer = self._buffer, []
        report = self.store.upsert_articles(batch)
        if self.dedup is not None:
            self.dedup.flush()
        for counter, ids in (("new", report.new), ("updated", report.updated), ("unchanged", report.unchanged)):
            for article_id in ids:
                self._count(self._source_of.get(article_id, "?"), counter)
        self._source_of.clear()

    def close_spider(self, spider: Spider | None = None) -> None:
        """Flush the last batch and close the store and index."""
        self.flush()
        if self.store is not None:
            self.store.close()
        if self.dedup is not None:
            self.dedup.close()
