"""Scrapy's in-memory stats collector without its per-attribute-access shim.

Scrapy 2.19's ``StatsCollector.__getattribute__`` wraps every method to warn about a
deprecated ``spider`` argument, and runs on every attribute access (``self._stats``
included, by a failed lookup and a caught ``AttributeError``). A crawl reads and bumps
its stats a dozen times per page, and the shim cost ~0.1 ms of the crawl process's CPU
per page. The methods still accept (and ignore) ``spider=``; nothing newsmon calls passes it.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector

__all__ = ["PlainStatsCollector"]


class PlainStatsCollector(MemoryStatsCollector):
    """``MemoryStatsCollector`` with plain attribute access (``STATS_CLASS`` in ``crawler.settings``)."""

    __getattribute__ = object.__getattribute__
