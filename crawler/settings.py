"""Scrapy settings for newsmon: polite by default.

robots.txt obeyed, AutoThrottle on, two requests at a time per domain with a delay,
retries on 429/5xx, bounded download time and size, and a User-Agent that names
newsmon and where to read about it. ``crawler.run`` adds the per-crawl values
(``NEWSMON_*``) and tests override timing through ``crawl(settings_overrides=...)``.
"""

from __future__ import annotations

BOT_NAME = "newsmon"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = (
    "newsmon/0.1 (+https://github.com/newsmon/newsmon; research crawler following press coverage "
    "of gender equality in Viet Nam; obeys robots.txt)"
)
ROBOTSTXT_OBEY = True

# Politeness: per-domain concurrency, a delay, and AutoThrottle adapting it to the server.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Failures: retry what is transient, give up on the rest quickly.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# 429/503 retries wait out the server's Retry-After, at most this many seconds (crawler.retry).
NEWSMON_RETRY_AFTER_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.RetryAfterMiddleware": 550,
}
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 serves a code-execution endpoint (token-protected, localhost) by default: not for a crawler left running.
REMOTE_CONTROL_ENABLED = False
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml;q=0.9,*/*;q=0.5",
    "Accept-Language": "vi,en;q=0.5",
}

ITEM_PIPELINES = {"crawler.pipelines.ArticlePipeline": 300}
STATS_CLASS = "crawler.stats.PlainStatsCollector"
EXTENSIONS = {"crawler.extensions.CrawlReportExtension": 500}

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# Items are processed synchronously, so Scrapy's default of 100 concurrent items per
# response only costs 100 asyncio tasks per response.
CONCURRENT_ITEMS = 4
# The page workers, not the downloads, set a crawl's pace: with Scrapy's 5 MB of responses waiting
# for them (~400 pages, each held as body, decoded text and pickle) memory grew with the crawl's
# length; 1 MB (~80 pages) keeps the workers busy and memory flat.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000

# newsmon's own settings (filled by crawler.run).
NEWSMON_BATCH_SIZE = 100
# Processes that parse pages beside the crawl process (crawler.workers); -1: one per core, 0: none.
NEWSMON_PAGE_WORKERS = -1
NEWSMON_PROGRESS_INTERVAL = 2.0
