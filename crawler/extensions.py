"""Scrapy extension that turns the stats into a ``CrawlReport`` and reports progress.

At the end of a crawl the report is stored in the crawl-state database and written as
JSON to ``NEWSMON_REPORT_PATH`` (read by ``crawler.run``). While crawling, a line
``NEWSMON_PROGRESS {"fetched": …, "scheduled": …}`` goes to stdout every
``NEWSMON_PROGRESS_INTERVAL`` seconds for the parent's progress bar.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from twisted.internet import task

from crawler.report import STAT_PREFIX, CrawlReport
from crawler.state import DEFAULT_STATE_PATH, CrawlState
from newsmon.models import VN_TZ

__all__ = ["PROGRESS_PREFIX", "CrawlReportExtension"]

PROGRESS_PREFIX = "NEWSMON_PROGRESS "


class CrawlReportExtension:
    """Build, store and write the crawl report; print progress lines."""

    def __init__(self, crawler: Crawler, state_path: Path, report_path: Path | None, interval: float) -> None:
        self.crawler = crawler
        self.state_path = state_path
        self.report_path = report_path
        self.interval = interval
        self.started_at = datetime.now(VN_TZ)
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReportExtension:
        """Wire to the spider signals."""
        settings = crawler.settings
        report_path = settings.get("NEWSMON_REPORT_PATH")
        extension = cls(crawler, Path(settings.get("NEWSMON_STATE_PATH") or DEFAULT_STATE_PATH),
                        Path(report_path) if report_path else None,
                        settings.getfloat("NEWSMON_PROGRESS_INTERVAL", 0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        """Start the progress loop."""
        self.started_at = datetime.now(VN_TZ)
        if self.interval > 0:
            self._loop = task.LoopingCall(self.print_progress, spider)
            self._loop.start(self.interval, now=False)

    def print_progress(self, spider: Spider) -> None:
        """One progress line on stdout."""
        stats = self.crawler.stats.get_stats()
        fetched = sum(v for k, v in stats.items() if k.startswith(STAT_PREFIX) and k.endswith("/fetched"))
        scheduled = len(getattr(spider, "_scheduled", ()))
        sys.stdout.write(PROGRESS_PREFIX + json.dumps({"fetched": fetched, "scheduled": scheduled}) + "\n")
        sys.stdout.flush()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Build the report, store it and write it as JSON."""
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        report = CrawlReport.from_stats(
            self.crawler.stats.get_stats(), started_at=self.started_at,
            finished_at=datetime.now(VN_TZ), finish_reason=reason,
        )
        data = report.model_dump_json()
        state = CrawlState(self.state_path)
        try:
            state.save_report(report.finished_at.isoformat(), data)  # type: ignore[union-attr]
        finally:
            state.close()
        if self.report_path is not None:
            self.report_path.parent.mkdir(parents=True, exist_ok=True)
            self.report_path.write_text(data, encoding="utf-8")
