"""Crawls of the mock outlets shaped like real ones (``tests.mocksite.outlets``): a bot-challenging
outlet, a month-by-month sitemap archive, a legacy portal backfilled through its listing."""

from __future__ import annotations

import sqlite3
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from crawler.discovery import parse_feed
from crawler.report import CrawlReport
from crawler.run import crawl
from crawler.state import CrawlState
from newsmon.models import VN_TZ, Article, article_id_for
from newsmon.store import open_store
from newsmon.text import normalize
from tests.mocksite.handle import MockSite
from tests.mocksite.legacy import LEGACY_PAGES
from tests.mocksite.outlets import (
    ARCHIVE_MONTHS,
    BIG_FEED_ITEMS,
    BROKEN_LISTING_PAGE,
    archive_articles,
    chanbot_articles,
)

pytestmark = pytest.mark.slow

FAST = {
    "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "RANDOMIZE_DOWNLOAD_DELAY": False, "DOWNLOAD_TIMEOUT": 2,
    "RETRY_TIMES": 1, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "NEWSMON_PROGRESS_INTERVAL": 0, "LOG_LEVEL": "INFO",
}
ARCHIVE_SINCE = datetime(2026, 9, 1, tzinfo=VN_TZ)
LEGACY_SINCE = datetime(2018, 11, 1, tzinfo=VN_TZ)


def _sources(base: str, path: Path) -> Path:
    common = {"domains": ["127.0.0.1"], "poll_interval_minutes": 0, "revisit_after_hours": 0}
    data = {"sources": [
        {"id": "chanbot.vn", "name": "Chặn Bot", "path_prefix": "/chanbot/",
         "discovery": {"feeds": [f"{base}/chanbot/rss/home.rss"]}, **common},
        {"id": "luutru.vn", "name": "Lưu Trữ", "path_prefix": "/luutru/thoi-su/",
         "discovery": {"feeds": [f"{base}/luutru/atom.xml"],
                       "sitemaps": [f"{base}/luutru/sitemaps/news-{{yyyy}}-{{m}}.xml"]}, **common},
        {"id": "sotinh.gov.vn", "name": "Sở tỉnh", "path_prefix": "/sotinh/",
         "discovery": {"listings": [{"url": f"{base}/sotinh/tin-tuc/danh-sach.asp", "max_pages": 1,
                                     "next_selector": "a.next"}]}, **common},
    ]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class Crawls:
    """Two crawls of one outlet into one store, and the requests each made."""

    site: MockSite
    store_url: str
    state_path: Path
    first: CrawlReport
    second: CrawlReport
    first_paths: list[str]
    second_paths: list[str]
    after_first: dict[str, Article]  # the store after the first crawl, by URL

    def stored(self, path: str) -> Article | None:
        with open_store(self.store_url) as store:
            return store.get_article(article_id_for(self.site.base + path))


def _twice(site: MockSite, folder: Path, source: str, since: datetime | None, between: str = "") -> Crawls:
    sources = _sources(site.base, folder / "sources.yaml")
    store_url, state = f"sqlite:///{folder}/store.db", folder / "state.db"

    def once() -> CrawlReport:
        return crawl(sources_file=sources, store_url=store_url, state_path=state, since=since, only_sources=[source],
                     topic_keywords=[], settings_overrides=FAST, progress=False)

    start = len(site.requested_paths())
    first = once()
    middle = len(site.requested_paths())
    with open_store(store_url) as store:
        after_first = {article.url: article for article in store.iter_articles()}
    if between:
        urllib.request.urlopen(site.base + between, timeout=5).read()
    with sqlite3.connect(state) as conn:  # time passes: every backoff is over
        conn.execute("UPDATE pages SET retry_at = 0 WHERE retry_at IS NOT NULL")
    second = once()
    paths = site.requested_paths()
    return Crawls(site, store_url, state, first, second, paths[start:middle], paths[middle:], after_first)


@pytest.fixture(scope="module")
def blocked(mocksite: MockSite, tmp_path_factory: pytest.TempPathFactory) -> Crawls:
    """chanbot crawled while it challenges bots, then after the challenge is lifted."""
    return _twice(mocksite, tmp_path_factory.mktemp("chanbot"), "chanbot.vn", None, "/__control/unblock?chanbot")


@pytest.fixture(scope="module")
def archive(mocksite: MockSite, tmp_path_factory: pytest.TempPathFactory) -> Crawls:
    """luutru backfilled from its monthly archive, twice."""
    return _twice(mocksite, tmp_path_factory.mktemp("luutru"), "luutru.vn", ARCHIVE_SINCE)


@pytest.fixture(scope="module")
def legacy(mocksite: MockSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawls]:
    """sotinh backfilled through its listing: the first crawl stops at a broken page, the second resumes."""
    folder = tmp_path_factory.mktemp("sotinh")
    yield _twice(mocksite, folder, "sotinh.gov.vn", LEGACY_SINCE, "/__control/unblock?sotinh")


def test_challenged_pages_are_counted_blocked_and_their_feed_items_kept(blocked: Crawls) -> None:
    report = blocked.first.sources["chanbot.vn"]
    assert report.blocked == {"js_challenge": 2, "paywall": 1}
    assert report.failed == {"http_403": 1}
    assert report.feed_only == 4 and report.new == 4 and report.parsed == 0
    for article in chanbot_articles():
        kept = blocked.after_first.get(blocked.site.base + article.path)
        assert kept is not None, article.path  # the relative links of the feed were resolved
        assert kept.title == normalize(article.title) and kept.lead == normalize(article.lead)
        assert "<img" not in kept.lead and kept.text == f"{kept.title}\n{kept.lead}"
        assert kept.published_at == article.published_at


def test_feed_only_items_are_upgraded_once_the_page_can_be_read(blocked: Crawls) -> None:
    assert blocked.second.sources["chanbot.vn"].revisited == 4  # no feed change needed: they were due
    for index, article in enumerate(chanbot_articles()):
        kept = blocked.stored(article.path)
        assert kept is not None
        if index == 1:  # still 403
            assert kept.text == f"{kept.title}\n{kept.lead}"
        else:
            assert kept.text == normalize(article.body_text()) and kept.authors == list(article.authors)
    state = CrawlState(blocked.state_path)
    try:
        attempts = state.attempts(blocked.site.base + chanbot_articles()[0].path)
        assert [reason for _, _, reason in attempts] == ["js_challenge", None]
        assert [reason for _, _, reason in state.attempts(blocked.site.base + chanbot_articles()[1].path)] == [
            "http_403", "http_403"]
    finally:
        state.close()


def test_monthly_archives_are_followed_back_to_since(archive: Crawls) -> None:
    today = datetime.now(VN_TZ)
    months = {(y, m) for y, m in ARCHIVE_MONTHS} | {(today.year, today.month)}
    wanted = {f"/luutru/sitemaps/news-{y}-{m}.xml" for y, m in months if (y, m) >= (2026, 9)}
    requested = {p for p in archive.first_paths if p.startswith("/luutru/sitemaps/")}
    assert wanted <= requested and "/luutru/sitemaps/news-2026-8.xml" not in requested
    for article in archive_articles():
        stored = archive.stored(article.path)
        assert (stored is not None) == (article.published_at >= ARCHIVE_SINCE), article.path


def test_closed_archive_months_are_not_fetched_again(archive: Crawls) -> None:
    requested = {p for p in archive.second_paths if p.startswith("/luutru/sitemaps/")}
    today = datetime.now(VN_TZ)
    assert requested == {f"/luutru/sitemaps/news-{today.year}-{today.month}.xml"}  # only the open month
    assert archive.second.sources["luutru.vn"].new == 0


def test_known_articles_are_rechecked_even_when_the_feed_answers_304(archive: Crawls) -> None:
    second = [r for r in archive.site.requests() if r["path"] in {a.path for a in archive_articles()}]
    conditional = [r for r in second if "If-None-Match" in r["headers"]]  # type: ignore[operator]
    assert conditional, "known articles were not re-checked"
    assert archive.second.sources["luutru.vn"].revisited >= 6
    assert archive.second.sources["luutru.vn"].unchanged >= 6


def test_legacy_listing_backfill_resumes_where_it_stopped(legacy: Crawls) -> None:
    listing = "/sotinh/tin-tuc/danh-sach.asp"
    broken = f"{listing}?trang={BROKEN_LISTING_PAGE}"
    assert broken in legacy.first_paths and legacy.site.base + LEGACY_PAGES[2].path not in legacy.after_first
    assert [p for p in legacy.second_paths if p.startswith(listing)] == [listing, broken]  # page 2 not read again
    for page in LEGACY_PAGES:
        stored = legacy.stored(page.path)
        assert stored is not None and stored.text == page.expected_text()
        assert stored.published_at == page.published_at


def test_real_feed_shapes_parse_fully(mocksite: MockSite) -> None:
    body = urllib.request.urlopen(mocksite.base + "/luutru/rss-lon.xml", timeout=10).read()
    links = parse_feed(body, mocksite.base + "/luutru/rss-lon.xml")
    assert len(links) == BIG_FEED_ITEMS
    assert all(link.url.startswith(mocksite.base + "/luutru/kho/") and link.title and link.summary for link in links)
    assert not any("<" in link.summary or "img" in link.summary for link in links)
    atom = parse_feed(urllib.request.urlopen(mocksite.base + "/luutru/atom.xml", timeout=5).read(), mocksite.base)
    assert [link.title for link in atom] == [a.title for a in archive_articles()[-2:]]
    assert all(link.summary and "<p>" not in link.summary and link.published_at for link in atom)
