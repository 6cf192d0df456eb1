"""Nothing lost to a blocked page: the feed or sitemap item stands in for an article the crawler cannot read.

When an article page cannot be fetched (a JavaScript challenge, 401/403/451, a paywall, 429 or
5xx or a timeout after the retries), the item that linked to it still says what the story is:
its title, summary, date and link. ``feed_only_article`` makes that an ``Article`` marked
``feed_only``; a later crawl that reads the page replaces it (same canonical URL), and the
crawl state schedules that retry (``crawler.state``). Pages that answer but are not articles
(404, not HTML, too large, a listing) keep nothing: there is no story behind them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.discovery import Link
from crawler.parse import canonicalize_url
from newsmon.models import Article

__all__ = ["FEED_ONLY_REASONS", "feed_item", "feed_only_article", "keeps_feed_item"]

#: Failure reasons (``crawler.failures``, ``crawler.parse``) after which the feed item is stored.
FEED_ONLY_REASONS: frozenset[str] = frozenset({
    "js_challenge", "paywall", "http_401", "http_403", "http_429", "http_451", "timeout", "connection_lost",
    "connection_refused", "dns",
})


def keeps_feed_item(reason: str) -> bool:
    """True when a page that failed for ``reason`` should leave its feed item in the store."""
    return reason in FEED_ONLY_REASONS or (reason.startswith("http_5") and reason[5:].isdigit())


def feed_item(link: Link) -> dict[str, Any] | None:
    """What a request carries about its link (None when the link came without a title: nothing to keep)."""
    if not link.title:
        return None
    published = link.published_at.isoformat() if link.published_at else None
    return {"title": link.title, "summary": link.summary, "published_at": published}


def feed_only_article(url: str, item: dict[str, Any] | None, source: str) -> Article | None:
    """The ``feed_only`` article of a link whose page could not be read, or None without a title."""
    if not item or not str(item.get("title") or "").strip():
        return None
    title, summary = str(item["title"]), str(item.get("summary") or "")
    published = datetime.fromisoformat(item["published_at"]) if item.get("published_at") else None
    return Article(url=url, canonical_url=canonicalize_url(url), source=source, title=title, lead=summary,
                   text="\n".join(p for p in (title, summary) if p), published_at=published, feed_only=True)
