"""History behind the feeds: date-templated archive sitemaps and listing pages followed back to a date.

Outlets publish archive sitemaps by month ("/sitemaps/news-2024-7.xml", "/sitemaps/2024/7/article.xml",
"/StaticSitemaps/sitemaps-2024-07.xml"). A source writes such a URL once, with placeholders:
``{yyyy}`` (year), ``{yy}``, ``{m}`` (month, 1-12), ``{mm}`` (01-12), and for daily archives ``{d}``
and ``{dd}``. ``archive_urls`` expands it from ``--since`` to today, newest first; without
``since`` only the current and the previous period (an index that lags the month is covered).
A period that is over does not change: once fetched it is skipped (``is_closed``), so a backfill
is incremental and resumes where an interrupted one stopped.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

__all__ = ["PLACEHOLDERS", "archive_urls", "is_closed", "is_templated", "listing_cursor_key"]

#: The placeholders a sitemap URL may hold.
PLACEHOLDERS: tuple[str, ...] = ("{yyyy}", "{yy}", "{mm}", "{m}", "{dd}", "{d}")
_DAILY = re.compile(r"\{dd?\}")
#: At most this many periods are expanded (a daily template since 2016 is ~3,700 URLs).
MAX_PERIODS = 5000


def is_templated(url: str) -> bool:
    """True when ``url`` holds date placeholders."""
    return any(p in url for p in PLACEHOLDERS)


def _fill(url: str, day: date) -> str:
    return (url.replace("{yyyy}", f"{day.year:04d}").replace("{yy}", f"{day.year % 100:02d}")
            .replace("{mm}", f"{day.month:02d}").replace("{m}", str(day.month))
            .replace("{dd}", f"{day.day:02d}").replace("{d}", str(day.day)))


def _periods(since: date, until: date, daily: bool) -> list[date]:
    """First days of the months (or the days) from ``until`` back to ``since``, newest first."""
    found: list[date] = []
    current = until if daily else until.replace(day=1)
    while current >= (since if daily else since.replace(day=1)) and len(found) < MAX_PERIODS:
        found.append(current)
        current = current - timedelta(days=1) if daily else (current - timedelta(days=1)).replace(day=1)
    return found


def archive_urls(template: str, since: datetime | date | None, today: date) -> list[tuple[str, date]]:
    """``(url, period's last day)`` for every period of ``template`` from ``since`` (default: the
    previous period) to ``today``, newest first."""
    daily = bool(_DAILY.search(template))
    if since is None:
        start = today - timedelta(days=1) if daily else (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    else:
        start = since.date() if isinstance(since, datetime) else since
    return [(_fill(template, first), _last_day(first, daily)) for first in _periods(start, today, daily)]


def _last_day(first: date, daily: bool) -> date:
    if daily:
        return first
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def is_closed(last_day: date, today: date) -> bool:
    """True when a period ended before yesterday (its archive will not change any more)."""
    return last_day < today - timedelta(days=1)


def listing_cursor_key(source: str, listing: int | str, since: datetime) -> str:
    """The crawl-state key of a listing's backfill towards ``since``."""
    return f"listing:{source}:{listing}:{since.date().isoformat()}"


def search_key(template_index: int, keyword: str) -> str:
    """The name of one site search (a template of the source, one keyword) among its listings."""
    return f"search{template_index}:{keyword}"


def parse_search_key(key: str) -> tuple[int, str]:
    """The template index and keyword of a ``search_key``."""
    head, keyword = key.split(":", 1)
    return int(head.removeprefix("search")), keyword
