"""The one generic spider: every outlet is crawled from its ``sources.yaml`` entry.

Discovery (feeds, sitemaps, listings with pagination, site search with the topic
keywords) yields article URLs; known URLs are skipped until due, then re-checked with
``If-None-Match``/``If-Modified-Since``. Article pages go through
``crawler.parse.parse_article`` in the page workers (``crawler.workers``); every
outcome is counted per source in the stats (``crawler.report``). Per-outlet behaviour
lives in the sources file, not in subclasses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.discovery import Link, is_binary_link, listing_links, next_page, parse_feed, parse_sitemap
from crawler.failures import failure_reason
from crawler.items import ArticleItem
from crawler.report import stat_key
from crawler.sources import Listing, Source, load_sources
from crawler.state import DEFAULT_STATE_PATH, CrawlState
from crawler.workers import PagePool, worker_count

__all__ = ["NewsSpider"]

DISCOVERY_PRIORITY = 10  # discovery before articles, so max_pages picks the newest links
NOT_MODIFIED = 304


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class NewsSpider(Spider):
    """Crawl the configured outlets; see the module docstring."""

    name = "news"

    def __init__(self, sources: list[Source], *, state: CrawlState, since: datetime | None = None,
                 max_pages: int | None = None, topic_keywords: list[str] | None = None, page_workers: int = 0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = {s.id: s for s in sources}
        self.state = state
        self.since = since
        self.max_pages = max_pages
        self.topic_keywords = topic_keywords or []
        self.pages = PagePool(page_workers, self.topic_keywords)
        self._scheduled: set[str] = set()
        self._per_source: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        """Build from ``NEWSMON_*`` settings (set by ``crawler.run``)."""
        settings = crawler.settings
        sources = load_sources(settings.get("NEWSMON_SOURCES_FILE")).select(
            settings.getlist("NEWSMON_ONLY_SOURCES") or None)
        since = settings.get("NEWSMON_SINCE")
        spider = cls(
            sources, state=CrawlState(Path(settings.get("NEWSMON_STATE_PATH") or DEFAULT_STATE_PATH)),
            since=datetime.fromisoformat(since) if since else None,
            max_pages=settings.getint("NEWSMON_MAX_PAGES") or None,
            topic_keywords=settings.getlist("NEWSMON_TOPIC_KEYWORDS"),
            page_workers=worker_count(settings.getint("NEWSMON_PAGE_WORKERS", 0)), **kwargs,
        )
        spider._set_crawler(crawler)
        crawler.signals.connect(spider.pages.start, signal=signals.spider_opened)
        crawler.signals.connect(spider._close_state, signal=signals.spider_closed)
        return spider

    def _close_state(self) -> None:
        self.pages.close()
        self.state.close()

    def _count(self, source: str, counter: str, by: int = 1) -> None:
        self.crawler.stats.inc_value(stat_key(source, counter), by)

    # Discovery -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        """Discovery requests of every source (Scrapy >= 2.13)."""
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[Request]:
        """Discovery requests of every source, skipping those polled too recently."""
        for source in self.sources.values():
            yield from self._source_requests(source)

    def _source_requests(self, source: Source) -> Iterator[Request]:
        candidates: list[tuple[str, str, Any, dict[str, Any]]] = []
        candidates += [(url, "feed", self.parse_feed, {}) for url in source.discovery.feeds]
        candidates += [(url, "sitemap", self.parse_sitemap, {}) for url in source.discovery.sitemaps]
        for index, listing in enumerate(source.discovery.listings):
            candidates.append((listing.url, "listing", self.parse_listing, {"listing": index, "page": 1}))
        for template in source.discovery.search:
            for keyword in self.topic_keywords:
                url = template.replace("{query}", quote_plus(keyword))
                candidates.append((url, "search", self.parse_listing, {"listing": None, "page": 1}))
        for url, kind, callback, extra in candidates:
            request = self._discovery_request(source, url, kind, callback, extra)
            if request is not None:
                yield request

    def _discovery_request(self, source: Source, url: str, kind: str, callback: Any,
                           extra: dict[str, Any]) -> Request | None:
        known = self.state.get(url)
        if known and known.age_seconds() < source.poll_interval_minutes * 60:
            self.crawler.stats.inc_value("newsmon_discovery/not_due")
            return None
        return Request(
            url, callback=callback, errback=self.on_error, priority=DISCOVERY_PRIORITY,
            headers=known.conditional_headers() if known else None,
            meta={"source": source.id, "kind": kind, "handle_httpstatus_list": [NOT_MODIFIED], **extra},
        )

    def _record(self, response: Response, kind: str, article_id: str | None = None) -> None:
        source = response.meta["source"]
        etag, modified = _header(response, "ETag"), _header(response, "Last-Modified")
        urls = {response.url, *response.meta.get("redirect_urls", [])}
        for url in urls:
            self.state.record(url, kind=kind, source=source, status=response.status, etag=etag,
                              last_modified=modified, article_id=article_id)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """Article links of an RSS/Atom feed."""
        self._record(response, "feed")
        if response.status == NOT_MODIFIED:
            return
        source = self.sources[response.meta["source"]]
        for link in parse_feed(response.body, response.url):
            yield from self._article_request(source, link, strict=False)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Child sitemaps of an index, or article links of a (news) sitemap."""
        self._record(response, "sitemap")
        if response.status == NOT_MODIFIED:
            return
        source = self.sources[response.meta["source"]]
        kind, links = parse_sitemap(response.body, response.url)
        for link in links:
            if kind == "index":
                request = self._discovery_request(source, link.url, "sitemap", self.parse_sitemap, {})
                if request is not None:
                    yield request
            else:
                yield from self._article_request(source, link, strict=False)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        """Article links of a listing or search page, then the next page."""
        self._record(response, response.meta["kind"])
        if response.status == NOT_MODIFIED or not hasattr(response, "text"):
            return
        source = self.sources[response.meta["source"]]
        index = response.meta.get("listing")
        listing = source.discovery.listings[index] if index is not None else Listing(url=response.url, max_pages=1)
        for url in listing_links(response.body, response.url, listing.link_selector):
            yield from self._article_request(source, Link(url), strict=True)
        page = response.meta.get("page", 1)
        if page < listing.max_pages:
            following = (listing.page_url_template.format(page=page + 1) if listing.page_url_template
                         else next_page(response.body, response.url, listing.next_selector))
            if following:
                extra = {"listing": index, "page": page + 1}
                request = self._discovery_request(source, following, response.meta["kind"], self.parse_listing, extra)
                if request is not None:
                    yield request

    # Articles --------------------------------------------------------------------------

    def _is_candidate(self, source: Source, link: Link, strict: bool) -> bool:
        if link.url in self._scheduled or is_binary_link(link.url):
            return False
        return source.is_article_url(link.url) if strict else source.owns(link.url)

    def _has_room(self, source: Source) -> bool:
        if self.max_pages is not None and len(self._scheduled) >= self.max_pages:
            return False
        return source.max_articles is None or self._per_source.get(source.id, 0) < source.max_articles

    def _article_request(self, source: Source, link: Link, *, strict: bool) -> Iterator[Request]:
        if not self._is_candidate(source, link, strict) or not self._has_room(source):
            return
        self._scheduled.add(link.url)
        if self.since and link.published_at and link.published_at < self.since:
            self._count(source.id, "skipped_old")
            return
        known = self.state.get(link.url)
        if known and known.kind == "article" and known.age_seconds() < source.revisit_after_hours * 3600:
            self._count(source.id, "skipped_seen")
            return
        self._per_source[source.id] = self._per_source.get(source.id, 0) + 1
        yield Request(
            link.url, callback=self.parse_article, errback=self.on_error,
            headers=known.conditional_headers() if known else None,
            meta={"source": source.id, "kind": "article", "handle_httpstatus_list": [NOT_MODIFIED]},
        )

    async def parse_article(self, response: Response) -> AsyncIterator[ArticleItem]:
        """Extract one article page (in a page worker); count what happened."""
        source = self.sources[response.meta["source"]]
        self._count(source.id, "fetched")
        if response.status == NOT_MODIFIED:
            self._record(response, "article")
            self._count(source.id, "unchanged")
            return
        outcome = await self.pages.process(response.url, response.body, response.headers.to_unicode_dict(),
                                           source.id, source.overrides)
        result = outcome.result
        self._record(response, "article", result.article.id if result.article else None)
        if result.article is None:
            self._count(source.id, f"failed/{result.reason}")
            return
        published = result.article.published_at
        if self.since and published and published < self.since:
            self._count(source.id, "skipped_old")
            return
        self._count(source.id, "parsed")
        yield ArticleItem(article=result.article, source=source.id, on_topic=outcome.on_topic,
                          signature=outcome.signature)

    def on_error(self, failure: Failure) -> None:
        """Count a failed request by reason (discovery failures are prefixed by their kind)."""
        meta = failure.request.meta  # type: ignore[attr-defined]
        reason = failure_reason(failure)
        if meta.get("kind") != "article":
            reason = f"{meta.get('kind')}:{reason}"
        self._count(meta["source"], f"failed/{reason}")
        self.logger.info("failed %s (%s)", failure.request.url, reason)  # type: ignore[attr-defined]
