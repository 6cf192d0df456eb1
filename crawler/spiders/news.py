"""The one generic spider: every outlet is crawled from its ``sources.yaml`` entry.

Discovery (feeds, sitemaps with date-templated archives, listings with pagination, site search
with the topic keywords) yields article URLs with what their feed item said. Known articles
are re-checked on their own schedule (``revisit_after_hours``) with ``If-None-Match``/
``If-Modified-Since``, even when no feed lists them again; pages that failed wait out a backoff
(``crawler.state``). With ``since``, archive sitemaps and listing pages are followed back to that
date, resumably (``crawler.backfill``). Article pages go through ``crawler.parse`` in the page
workers (``crawler.workers``); a page that cannot be read leaves its feed item, marked
``feed_only`` (``crawler.feedonly``). Every outcome is counted per source (``crawler.report``).
Per-outlet behaviour lives in the sources file, not in subclasses.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.backfill import (
    archive_urls,
    is_closed,
    is_templated,
    listing_cursor_key,
    parse_search_key,
    search_key,
)
from crawler.discovery import (
    Link,
    is_binary_link,
    latest_printed_date,
    listing_links,
    next_page,
    parse_feed,
    parse_sitemap,
)
from crawler.failures import failure_reason
from crawler.feedonly import feed_item, feed_only_article, keeps_feed_item
from crawler.items import ArticleItem
from crawler.report import stat_key
from crawler.sources import PAGE_PLACEHOLDER, SEARCH_PLACEHOLDER, Listing, Source, load_sources
from crawler.state import DEFAULT_STATE_PATH, PERMANENT_FAILURES, CrawlState
from crawler.workers import PagePool, worker_count
from newsmon.models import VN_TZ

__all__ = ["NewsSpider"]

DISCOVERY_PRIORITY = 10  # discovery before articles, so max_pages picks the newest links
NOT_MODIFIED = 304
#: Known articles re-checked per source and crawl, at most (the oldest first).
REVISIT_LIMIT = 500


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
        self.since = since.replace(tzinfo=VN_TZ) if since and since.tzinfo is None else since
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
        """Discovery requests of every source, then its due re-checks (Scrapy >= 2.13)."""
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[Request]:
        """Discovery requests of every source (those polled too recently skipped), then re-checks."""
        for source in self.sources.values():
            yield from self._source_requests(source)
        for source in self.sources.values():
            yield from self._revisits(source)

    def _source_requests(self, source: Source) -> Iterator[Request]:
        candidates: list[tuple[str, str, Any, dict[str, Any]]] = []
        candidates += [(url, "feed", self.parse_feed, {}) for url in source.discovery.feeds]
        for url in source.discovery.sitemaps:
            candidates += self._sitemap_candidates(url)
        for index, listing in enumerate(source.discovery.listings):
            candidates.append((listing.url, "listing", self.parse_listing, {"listing": index, "page": 1}))
            resume = self.state.cursor(listing_cursor_key(source.id, index, self.since)) if self.since else None
            if resume and resume != "done":
                page, url = resume.split(" ", 1)
                candidates.append((url, "listing", self.parse_listing,
                                   {"listing": index, "page": int(page), "backfill": True}))
        for template_index in range(len(source.discovery.search)):
            for keyword in self.topic_keywords:
                key = search_key(template_index, keyword)
                listing = self._listing_of(source, key)
                candidates.append((listing.url, "search", self.parse_listing, {"listing": key, "page": 1}))
                resume = self.state.cursor(listing_cursor_key(source.id, key, self.since)) if self.since else None
                if resume and resume != "done":
                    page, url = resume.split(" ", 1)
                    candidates.append((url, "search", self.parse_listing,
                                       {"listing": key, "page": int(page), "backfill": True}))
        for url, kind, callback, extra in candidates:
            request = self._discovery_request(source, url, kind, callback, extra)
            if request is not None:
                yield request

    def _sitemap_candidates(self, url: str) -> list[tuple[str, str, Any, dict[str, Any]]]:
        if not is_templated(url):
            return [(url, "sitemap", self.parse_sitemap, {})]
        today = datetime.now(VN_TZ).date()
        return [(filled, "sitemap", self.parse_sitemap, {"archive": last_day.isoformat()})
                for filled, last_day in archive_urls(url, self.since, today)]

    def _discovery_request(self, source: Source, url: str, kind: str, callback: Any,
                           extra: dict[str, Any]) -> Request | None:
        known = self.state.get(url)
        if known and extra.get("archive") and known.status == 200 and is_closed(
                date.fromisoformat(extra["archive"]), datetime.now(VN_TZ).date()):
            self._count(source.id, "archive_done")  # a past month's archive does not change
            return None
        if known and not extra.get("backfill") and known.age_seconds() < source.poll_interval_minutes * 60:
            self.crawler.stats.inc_value("newsmon_discovery/not_due")
            return None
        return Request(
            url, callback=callback, errback=self.on_error, priority=DISCOVERY_PRIORITY,
            headers=known.conditional_headers() if known else None,
            meta={"source": source.id, "kind": kind, "handle_httpstatus_list": [NOT_MODIFIED], **extra},
        )

    def _record(self, response: Response, kind: str, article_id: str | None = None) -> None:
        source = response.meta["source"]
        if kind != "article":
            self._count(source, "answered")  # the outlet is reachable, even when it has nothing new
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
                if self.since and link.published_at and link.published_at < self.since:
                    continue  # a child sitemap last changed before --since holds nothing newer
                request = self._discovery_request(source, link.url, "sitemap", self.parse_sitemap, {})
                if request is not None:
                    yield request
            else:
                yield from self._article_request(source, link, strict=False)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        """Article links of a listing or search page, then the next page (back to ``since``: further)."""
        self._record(response, response.meta["kind"])
        if response.status == NOT_MODIFIED or not hasattr(response, "text"):
            return
        source = self.sources[response.meta["source"]]
        listing = self._listing_of(source, response.meta.get("listing"))
        listed = [url for url in listing_links(response.body, response.url, listing.link_selector)
                  if source.is_article_url(url)]
        for url in listed:
            yield from self._article_request(source, Link(url), strict=True)
        yield from self._next_listing_page(response, source, listing, listed)

    @staticmethod
    def _listing_of(source: Source, key: int | str | None) -> Listing:
        """The listing a page belongs to: one of the source's listings (by index), or its site search
        for one keyword (``search_key``), which reads one page per crawl and pages back with ``since``."""
        if isinstance(key, int):
            return source.discovery.listings[key]
        if key is None:
            raise ValueError("a listing page without its listing")
        template_index, keyword = parse_search_key(key)
        filled = source.discovery.search[template_index].replace(SEARCH_PLACEHOLDER, quote_plus(keyword))
        paged = PAGE_PLACEHOLDER in filled
        return Listing(url=filled.replace(PAGE_PLACEHOLDER, "1"), max_pages=1,
                       page_url_template=filled if paged else None)

    def _next_listing_page(self, response: Response, source: Source, listing: Listing,
                           listed: list[str]) -> Iterator[Request]:
        """The next page: up to ``max_pages`` on every crawl; with ``since``, on back to it (at most
        ``backfill_max_pages``, or to a page that lists no article the page before did not: past the
        end, sites show an empty page, the last one again, or their sidebars only), remembering where
        it is so an interrupted backfill resumes there."""
        page, index, kind = response.meta.get("page", 1), response.meta.get("listing"), response.meta["kind"]
        following = listing.page_url_template.format(page=page + 1) if listing.page_url_template \
            else next_page(response.body, response.url, listing.next_selector)
        if self.since is None:
            if following and page < listing.max_pages:
                yield from self._listing_request(source, following, kind, index, page + 1, listed, backfill=False)
            return
        key, resuming = listing_cursor_key(source.id, index, self.since), bool(response.meta.get("backfill"))
        if not resuming and page >= listing.max_pages and self.state.cursor(key) is not None:
            return  # the backfill is done, or its own chain resumes it
        newest = latest_printed_date(response.body)
        exhausted = set(listed) <= set(response.meta.get("previous_links", ()))
        if not following or exhausted or page >= listing.backfill_max_pages or (
                newest is not None and newest < self.since):
            self.state.set_cursor(key, "done")  # covered back to --since: later crawls read max_pages only
            return
        beyond = page + 1 > listing.max_pages
        if beyond:
            self.state.set_cursor(key, f"{page + 1} {following}")
        yield from self._listing_request(source, following, kind, index, page + 1, listed, backfill=beyond)

    def _listing_request(self, source: Source, url: str, kind: str, index: int | str, page: int,
                         previous_links: list[str], *, backfill: bool) -> Iterator[Request]:
        extra = {"listing": index, "page": page, "backfill": backfill, "previous_links": previous_links}
        request = self._discovery_request(source, url, kind, self.parse_listing, extra)
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
        self._count(source.id, "discovered")
        if self.since and link.published_at and link.published_at < self.since:
            self._count(source.id, "skipped_old")
            return
        known = self.state.get(link.url)
        if known and known.waiting():
            self._count(source.id, "skipped_backoff")
            return
        if known and known.kind == "article" and not known.failures and \
                known.age_seconds() < source.revisit_after_hours * 3600:
            self._count(source.id, "skipped_seen")
            return
        yield self._article(source, link.url, known, feed_item(link))

    def _article(self, source: Source, url: str, known: Any, feed: dict[str, Any] | None) -> Request:
        self._per_source[source.id] = self._per_source.get(source.id, 0) + 1
        return Request(
            url, callback=self.parse_article, errback=self.on_error,
            headers=known.conditional_headers() if known and not known.failures else None,
            meta={"source": source.id, "kind": "article", "handle_httpstatus_list": [NOT_MODIFIED], "feed": feed},
        )

    def _revisits(self, source: Source) -> Iterator[Request]:
        """Known articles due for a re-check, and failed pages whose backoff is over, whether or not
        a feed lists them again (a feed that answers 304 lists nothing)."""
        older_than = time.time() - source.revisit_after_hours * 3600
        for known in self.state.due(source.id, older_than=older_than, limit=REVISIT_LIMIT):
            if known.url in self._scheduled or not self._has_room(source):
                continue
            self._scheduled.add(known.url)
            self._count(source.id, "revisited")
            yield self._article(source, known.url, known, json.loads(known.feed) if known.feed else None)

    async def parse_article(self, response: Response) -> AsyncIterator[ArticleItem]:
        """Parse one article page (in a page worker); count what happened."""
        source = self.sources[response.meta["source"]]
        self._count(source.id, "fetched")
        if response.status == NOT_MODIFIED:
            self._record(response, "article")
            self._count(source.id, "unchanged")
            return
        outcome = await self.pages.process(response.url, response.body, response.headers.to_unicode_dict(),
                                           source.id, source.overrides, source.article_url_pattern)
        result = outcome.result
        if result.article is None:
            reason = result.reason or "unknown"
            self._count(source.id, f"{'blocked' if result.blocked else 'failed'}/{reason}")
            if result.blocked or reason in PERMANENT_FAILURES:
                for item in self._failed(response.request, reason, response.status):  # type: ignore[arg-type]
                    yield item
            else:
                self._record(response, "article")
            return
        self._record(response, "article", result.article.id)
        published = result.article.published_at
        if self.since and published and published < self.since:
            self._count(source.id, "skipped_old")
            return
        self._count(source.id, "parsed")
        yield ArticleItem(article=result.article, source=source.id, on_topic=outcome.on_topic,
                          signature=outcome.signature)

    def _failed(self, request: Request, reason: str, status: int | None) -> Iterator[ArticleItem]:
        """Record a failed article page; keep its feed item when the page could not be read."""
        meta = request.meta
        source, feed = meta["source"], meta.get("feed")
        article = feed_only_article(request.url, feed, source) if keeps_feed_item(reason) else None
        self.state.record_failure(request.url, kind="article", source=source, reason=reason, status=status,
                                  feed=json.dumps(feed, ensure_ascii=False) if feed else None,
                                  article_id=article.id if article else None)
        if article is not None:
            self._count(source, "feed_only")
            yield ArticleItem(article=article, source=source)

    def on_error(self, failure: Failure) -> Iterator[ArticleItem]:
        """Count a failed request by reason (discovery failures are prefixed by their kind); an article
        page that could not be fetched leaves its feed item."""
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        reason = failure_reason(failure)
        if meta.get("kind") != "article":
            self._count(meta["source"], f"failed/{meta.get('kind')}:{reason}")
            self.logger.info("failed %s (%s)", request.url, reason)
            return
        self._count(meta["source"], f"failed/{reason}")
        self.logger.info("failed %s (%s)", request.url, reason)
        response = getattr(failure.value, "response", None)
        yield from self._failed(request, reason, response.status if response is not None else None)
