"""Retries that honour ``Retry-After`` on 429 and 503 (RFC 9110, section 10.2.3).

Scrapy's ``RetryMiddleware`` retries at once; a server that answers 429 or 503 with
``Retry-After`` (delay-seconds or an HTTP-date) says when to come back. This subclass
waits that long before handing the retry to the scheduler, never longer than
``NEWSMON_RETRY_AFTER_MAX`` seconds (a hostile or broken header must not stall a crawl).
Other statuses, and responses without a readable header, are retried as Scrapy does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

__all__ = ["RETRY_AFTER_STATUSES", "RetryAfterMiddleware", "retry_after_seconds"]

#: Statuses whose ``Retry-After`` is honoured.
RETRY_AFTER_STATUSES: frozenset[int] = frozenset({429, 503})
DEFAULT_MAX_DELAY = 120.0


def retry_after_seconds(value: str | bytes | None, cap: float, now: datetime | None = None) -> float | None:
    """Seconds to wait for a ``Retry-After`` value, at most ``cap``; None when absent or unreadable.

    A date in the past means "now" (0).
    """
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return min(float(text), cap)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), cap)


class RetryAfterMiddleware(RetryMiddleware):
    """``RetryMiddleware`` that waits out ``Retry-After`` (capped) before a 429/503 retry."""

    max_delay: float = DEFAULT_MAX_DELAY

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        """Read ``NEWSMON_RETRY_AFTER_MAX`` besides Scrapy's ``RETRY_*`` settings."""
        middleware = super().from_crawler(crawler)
        middleware.max_delay = crawler.settings.getfloat("NEWSMON_RETRY_AFTER_MAX", DEFAULT_MAX_DELAY)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        """Retry like Scrapy, after the server's ``Retry-After`` delay on 429/503."""
        result = super().process_response(request, response)
        if not isinstance(result, Request) or response.status not in RETRY_AFTER_STATUSES:
            return result
        delay = retry_after_seconds(response.headers.get("Retry-After"), self.max_delay)
        if delay:
            from twisted.internet import reactor

            self.crawler.stats.inc_value("newsmon_retry_after/waited")
            await maybe_deferred_to_future(deferLater(reactor, delay))  # type: ignore[arg-type]
        return result
