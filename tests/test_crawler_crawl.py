"""Scrapy crawls the mock outlets for real, through ``crawler.run.crawl`` into a SQLite store."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from crawler.report import CrawlReport
from crawler.run import crawl
from crawler.state import CrawlState
from newsmon.models import VN_TZ, Article, article_id_for
from newsmon.store import open_store
from newsmon.text import normalize
from tests.mocksite.handle import MockSite
from tests.mocksite.site import (
    BINARY_LINK,
    LISTING_PAGES,
    REDIRECT_TARGET,
    RETRY_AFTER_SECONDS,
    ROBOTS_BLOCKED,
    by_label,
    feed_articles,
)

pytestmark = pytest.mark.slow

#: Tight timings so the suite stays fast; politeness is tested in test_crawler_units.
FAST = {
    "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "RANDOMIZE_DOWNLOAD_DELAY": False,
    "DOWNLOAD_TIMEOUT": 1, "DOWNLOAD_MAXSIZE": 200_000, "RETRY_TIMES": 1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "NEWSMON_PROGRESS_INTERVAL": 0, "LOG_LEVEL": "INFO",
}
#: Feed links whose page times out or answers 500: their feed item is stored (feed_only).
FEED_ONLY_PATHS = ["/tinmoi/xa-hoi/bai-cham-10007.html", "/tinmoi/xa-hoi/loi-may-chu-10009.html"]
STORED_LABELS = [
    "original", "cp1258_declared", "viscii_declared", "nfd", "malformed", "throttled", "unavailable", "redirect_target",
    "syndicated", "old", "cp1258_undeclared", "viscii_undeclared",
    *(f"listing{i}" for i in range(5)),
]


def write_sources(base: str, path: Path) -> Path:
    """Sources for the two mock outlets."""
    common = {"domains": ["127.0.0.1"], "poll_interval_minutes": 0, "revisit_after_hours": 0}
    data = {"sources": [
        {"id": "tinmoi.vn", "name": "Tin Mới", "path_prefix": "/tinmoi/",
         "discovery": {"feeds": [f"{base}/tinmoi/rss.xml"]}, **common},
        {"id": "baophu.vn", "name": "Báo Phụ nữ", "path_prefix": "/baophu/",
         "discovery": {"sitemaps": [f"{base}/baophu/sitemap.xml"],
                       "listings": [{"url": f"{base}/baophu/chuyen-muc/binh-dang-gioi", "max_pages": 5}]},
         **common},
    ]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class CrawlRun:
    site: MockSite
    store_url: str
    state_path: Path
    sources: Path
    first: CrawlReport
    requests_after_first: int

    def stored(self, label: str) -> Article | None:
        url = self.site.base + by_label(label).article.path
        with open_store(self.store_url) as store:
            return store.get_article(article_id_for(url))


@pytest.fixture(scope="module")
def run(mocksite: MockSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlRun]:
    folder = tmp_path_factory.mktemp("crawl")
    sources = write_sources(mocksite.base, folder / "sources.yaml")
    store_url, state = f"sqlite:///{folder}/store.db", folder / "state.db"
    report = crawl(sources_file=sources, store_url=store_url, state_path=state, settings_overrides=FAST,
                   progress=False)
    yield CrawlRun(mocksite, store_url, state, sources, report, len(mocksite.requested_paths()))


def test_every_good_article_is_stored(run: CrawlRun) -> None:
    missing = [label for label in STORED_LABELS if run.stored(label) is None]
    assert missing == []
    with open_store(run.store_url) as store:  # and the feed items of the pages that timed out or failed (5xx)
        assert store.count_articles() == len(STORED_LABELS) + len(FEED_ONLY_PATHS)


def test_pages_that_cannot_be_fetched_leave_their_feed_item(run: CrawlRun) -> None:
    assert run.first.sources["tinmoi.vn"].feed_only == len(FEED_ONLY_PATHS)
    titles = {a.path: a.title for a in feed_articles()}
    with open_store(run.store_url) as store:
        for path in FEED_ONLY_PATHS:
            kept = store.get_article(article_id_for(run.site.base + path))
            assert kept is not None and kept.title == normalize(titles[path])
            assert kept.text.startswith(kept.title) and kept.published_at is not None
        for path in ("/tinmoi/xa-hoi/khong-ton-tai-10008.html", "/tinmoi/xa-hoi/trang-rat-lon-10011.html"):
            assert store.get_article(article_id_for(run.site.base + path)) is None  # 404 and too large: no story


def test_metadata_comes_from_json_ld_and_the_page(run: CrawlRun) -> None:
    article = run.stored("original")
    expected = by_label("original").article
    assert article is not None
    assert article.source == "tinmoi.vn"
    assert article.title == expected.title
    assert article.published_at == datetime(2024, 11, 14, 16, 5, tzinfo=VN_TZ)
    assert article.canonical_url == run.site.base + expected.path
    assert article.text == normalize(expected.body_text())
    assert "Tin liên quan" not in article.text and "Đọc nhiều" not in article.text


@pytest.mark.parametrize("label", [
    "cp1258_declared", "viscii_declared", "cp1258_undeclared", "viscii_undeclared", "nfd", "malformed",
])
def test_legacy_encodings_and_nfd_decode_to_nfc_vietnamese(run: CrawlRun, label: str) -> None:
    article = run.stored(label)
    expected = by_label(label).article
    assert article is not None, label
    assert article.title == normalize(expected.title)
    assert article.text == normalize(expected.body_text())
    if label != "malformed":  # its JSON-LD (the only author source) is broken on purpose
        assert article.authors == list(expected.authors)


def test_robots_disallowed_and_binary_links_are_never_fetched(run: CrawlRun) -> None:
    paths = run.site.requested_paths()
    assert ROBOTS_BLOCKED not in paths
    assert BINARY_LINK not in paths
    assert "/robots.txt" in paths


def test_failures_are_counted_by_reason(run: CrawlRun) -> None:
    failed = run.first.sources["tinmoi.vn"].failed
    assert failed == {
        "timeout": 1, "http_404": 1, "http_500": 1, "too_large": 1, "not_html": 1, "robots": 1, "no_title": 1,
    }
    assert run.first.sources["baophu.vn"].failed == {}


@pytest.mark.parametrize("label", ["throttled", "unavailable"])
def test_429_and_503_are_retried_after_retry_after_then_stored(run: CrawlRun, label: str) -> None:
    """429 says Retry-After in seconds, 503 as an HTTP-date; the retry waits at least that long."""
    path = by_label(label).article.path
    times = [r["at"] for r in run.site.requests() if r["path"] == path]
    assert len(times) >= 2
    assert times[1] - times[0] >= RETRY_AFTER_SECONDS  # type: ignore[operator]
    assert run.stored(label) is not None


def test_redirect_is_followed_and_stored_under_the_target(run: CrawlRun) -> None:
    article = run.stored("redirect_target")
    assert article is not None and article.url.endswith(REDIRECT_TARGET)


def test_listing_pagination_is_followed(run: CrawlRun) -> None:
    paths = run.site.requested_paths()
    assert "/baophu/chuyen-muc/binh-dang-gioi?page=3" in paths
    assert all(p in paths for page in LISTING_PAGES for p in page)


def test_offtopic_is_skipped_and_syndicated_copy_linked(run: CrawlRun) -> None:
    assert run.first.sources["tinmoi.vn"].skipped_offtopic == 1
    assert run.stored("offtopic") is None
    copy, original = run.stored("syndicated"), run.stored("original")
    assert copy is not None and original is not None
    assert copy.duplicate_of == original.id and original.duplicate_of is None
    assert run.first.sources["baophu.vn"].duplicate == 1


def test_report_counts_and_is_stored_in_the_state_db(run: CrawlRun) -> None:
    total = run.first.total()
    assert total.new == len(STORED_LABELS) + total.feed_only
    assert total.parsed == len(STORED_LABELS) + 1  # + the off-topic one
    assert total.discovered >= total.fetched >= total.parsed
    state = CrawlState(run.state_path)
    try:
        assert state.reports(1)[0]["sources"]["tinmoi.vn"]["new"] == run.first.sources["tinmoi.vn"].new
    finally:
        state.close()
    assert "tinmoi.vn" in run.first.format()


def test_recrawl_is_incremental(run: CrawlRun) -> None:
    urllib.request.urlopen(run.site.base + "/__control/publish", timeout=5).read()
    second = crawl(sources_file=run.sources, store_url=run.store_url, state_path=run.state_path,
                   settings_overrides=FAST, progress=False)
    total = second.total()
    assert total.new == 1
    assert total.unchanged >= 8
    assert total.duplicate == 0 or total.new == 1
    later = run.site.requests()[run.requests_after_first:]
    conditional = [r for r in later if "If-None-Match" in r["headers"]]  # type: ignore[operator]
    assert any(by_label("original").article.path == r["path"] for r in conditional)
    with open_store(run.store_url) as store:
        assert store.count_articles() == len(STORED_LABELS) + len(FEED_ONLY_PATHS) + 1
    missing = "/tinmoi/xa-hoi/khong-ton-tai-10008.html"  # 404: not fetched again before its backoff is over
    assert run.site.requested_paths().count(missing) == 1 and second.total().skipped_backoff >= 1
    state = CrawlState(run.state_path)
    try:
        assert [reason for _, _, reason in state.attempts(run.site.base + missing)] == ["http_404"]
    finally:
        state.close()


def test_since_skips_older_articles(mocksite: MockSite, tmp_path: Path) -> None:
    sources = write_sources(mocksite.base, tmp_path / "sources.yaml")
    report = crawl(sources_file=sources, store_url=f"sqlite:///{tmp_path}/s.db", state_path=tmp_path / "st.db",
                   since=datetime(2024, 1, 1, tzinfo=VN_TZ), only_sources=["baophu.vn"],
                   settings_overrides=FAST, progress=False)
    assert report.sources["baophu.vn"].skipped_old >= 1
    url = mocksite.base + by_label("old").article.path
    with open_store(f"sqlite:///{tmp_path}/s.db") as store:
        assert store.get_article(article_id_for(url)) is None
        assert store.count_articles() > 0
