"""Unit tests of the sources file, crawl state, near-duplicates, discovery, pipeline and settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.dedup import NearDuplicateIndex, signature_values
from crawler.demosite.generate import synthetic_article
from crawler.demosite.pages import render_news_sitemap, render_rss, render_sitemap_index
from crawler.demosite.site import OUTLETS, load_articles
from crawler.discovery import is_binary_link, listing_links, next_page, parse_feed, parse_sitemap
from crawler.pipelines import ArticlePipeline, is_on_topic
from crawler.report import CrawlReport
from crawler.retry import retry_after_seconds
from crawler.sources import load_sources
from crawler.state import CrawlState
from newsmon.errors import ConfigError
from newsmon.models import VN_TZ, Article
from newsmon.store.base import UpsertReport

SOURCES_YAML = Path(__file__).resolve().parent.parent / "crawler" / "sources.yaml"
MINIMAL = "sources:\n  - id: a.vn\n    name: A\n    domains: [a.vn]\n    discovery: {feeds: [https://a.vn/rss]}\n"


def test_shipped_sources_file_is_valid_and_covers_the_outlets() -> None:
    sources = load_sources(SOURCES_YAML)
    ids = {s.id for s in sources.sources}
    # The seed articles' outlets: the Hà Nội women's paper moved to baophunuthudo.vn, MOLISA merged into MOHA.
    seeds = {"kinhtedothi.vn", "phapluatxahoi.kinhtedothi.vn", "baophunuthudo.vn", "molisa.gov.vn", "moha.gov.vn"}
    assert seeds <= ids
    assert len(ids - seeds) >= 45
    assert all(s.evidence.strip() for s in sources.sources)


@pytest.mark.parametrize(("text", "message"), [
    ("sources: [", "not valid YAML"),
    ("[]", "mapping with a 'sources:' list"),
    ("sources:\n  - id: a.vn\n    name: A\n    domains: [a.vn]\n    discovery: {}\n", "no feeds, sitemaps"),
    ("sources:\n  - id: a.vn\n    name: A\n    domains: []\n    discovery: {feeds: [x]}\n", "domains"),
    (MINIMAL + MINIMAL.removeprefix("sources:\n"), "appears twice"),
    (MINIMAL.replace("discovery:", "article_url_pattern: '(['\n    discovery:"), "not a valid regex"),
    (MINIMAL.replace("{feeds: [https://a.vn/rss]}", "{search: ['https://a.vn/s?q=x']}"), "lacks {query}"),
    (MINIMAL.replace("name: A", "name: A\n    colour: red"), "colour"),
])
def test_bad_sources_raise_config_error_saying_what(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("{", r"\{").replace("(", r"\(").replace("[", r"\[")):
        load_sources(path)


def test_missing_file_and_unknown_source(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_sources(tmp_path / "none.yaml")
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown source"):
        load_sources(path).select(["b.vn"])


@pytest.mark.parametrize(("url", "owns", "is_article"), [
    ("https://a.vn/xa-hoi/ha-noi-phat-dong-thang-hanh-dong-589321.html", True, True),
    ("https://www.a.vn/tin-tuc/post123456.html", True, True),
    ("https://m.a.vn/bai-viet-ve-binh-dang-gioi-tai-ha-noi.htm", True, True),
    ("https://a.vn/xa-hoi/", True, False),
    ("https://a.vn/tag/phu-nu", True, False),
    ("https://b.vn/x-589321.html", False, False),
    ("https://nota.vn/x-589321.html", False, False),
])
def test_source_url_rules(tmp_path: Path, url: str, owns: bool, is_article: bool) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    source = load_sources(path).sources[0]
    assert source.owns(url) is owns
    assert source.is_article_url(url) is is_article


def test_feed_and_sitemap_parsing() -> None:
    outlet, articles = OUTLETS["kinhtedothi"], list(load_articles())
    links = parse_feed(render_rss(outlet, "http://h", articles).encode(), "http://h/rss")
    assert [link.url for link in links] == ["http://h" + a.path for a in articles]
    assert links[0].published_at == articles[0].published_at
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/a-12345.html"/>'
            b"<published>2024-11-14T16:05:00+07:00</published></entry></feed>")
    assert parse_feed(atom, "http://h/atom")[0].url == "http://h/a-12345.html"
    kind, children = parse_sitemap(render_sitemap_index(["http://h/s1.xml"]).encode(), "http://h/")
    assert kind == "index" and children[0].url == "http://h/s1.xml"
    kind, news = parse_sitemap(render_news_sitemap(outlet, "http://h", articles).encode(), "http://h/")
    assert kind == "urlset" and news[0].published_at == articles[0].published_at
    assert parse_feed(b"<rss><channel><item><link>", "http://h/") == []
    assert parse_sitemap(b"\x1f\x8bnot gzip", "http://h/") == ("urlset", [])


def test_listing_links_and_next_page() -> None:
    html = b'<a href="/a-12345.html">A</a><a href="#x">B</a><a class="next" rel="next" href="?page=2">Sau</a>'
    assert listing_links(html, "http://h/list") == ["http://h/a-12345.html", "http://h/list?page=2"]
    assert next_page(html, "http://h/list", "a[rel=next]") == "http://h/list?page=2"
    assert is_binary_link("http://h/files/report-12345.PDF")


def _article(n: int, text: str, hours: int) -> Article:
    return Article(url=f"http://h/a-{n}.html", source="h", title=f"T{n}", text=text,
                   published_at=datetime(2024, 11, 14, tzinfo=VN_TZ) + timedelta(hours=hours))


def test_near_duplicates_point_at_the_earliest_across_restarts(tmp_path: Path) -> None:
    text = synthetic_article(1, "x", "/x").body_text()
    index = NearDuplicateIndex(tmp_path / "state.db")
    copy = _article(2, text + "\n(Theo báo khác)", hours=5)
    assert index.add(copy).duplicate_of is None
    assert index.add(_article(3, synthetic_article(2, "x", "/y").body_text(), 1)).duplicate_of is None
    index.close()
    reopened = NearDuplicateIndex(tmp_path / "state.db")  # persisted
    original = _article(1, text, hours=0)
    decision = reopened.add(original)
    assert decision.duplicate_of is None and decision.relink == [copy.id]
    later = reopened.add(_article(4, text, hours=9))
    assert later.duplicate_of == original.id
    assert reopened.add(original).duplicate_of is None  # re-crawl of the same article


def test_crawl_state_records_validators(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.db")
    state.record("http://h/a", kind="article", source="h", status=200, etag='"x"', last_modified="Fri")
    state.record("http://h/a", kind="article", source="h", status=304)
    known = state.get("http://h/a")
    assert known is not None and known.conditional_headers() == {"If-None-Match": '"x"', "If-Modified-Since": "Fri"}
    assert state.get("http://h/b") is None
    state.close()


class FakeStore:
    """A stand-in recording upserts (the real store is exercised by the crawl tests)."""

    def __init__(self) -> None:
        self.batches: list[list[Article]] = []

    def upsert_articles(self, articles: list[Article]) -> UpsertReport:
        self.batches.append(list(articles))
        return UpsertReport(new=[a.id for a in articles])

    def get_article(self, article_id: str) -> None:
        return None

    def close(self) -> None:
        return None


def test_pipeline_filters_topics_and_batches(tmp_path: Path) -> None:
    from crawler.items import ArticleItem

    counts: dict[tuple[str, str], int] = {}
    store = FakeStore()
    pipeline = ArticlePipeline(lambda: store, tmp_path / "st.db", ["bình đẳng giới"], batch_size=2,  # type: ignore[arg-type, return-value]
                               count=lambda s, c: counts.__setitem__((s, c), counts.get((s, c), 0) + 1))
    pipeline.open_spider()
    for n in range(3):
        pipeline.process_item(ArticleItem(_article(n, synthetic_article(n, "x", "/x").body_text(), n), "h"))
    pipeline.process_item(ArticleItem(_article(9, synthetic_article(9, "x", "/x", on_topic=False).body_text(), 9), "h"))
    pipeline.close_spider()
    assert [len(b) for b in store.batches] == [2, 1]
    assert counts[("h", "new")] == 3 and counts[("h", "skipped_offtopic")] == 1
    assert is_on_topic(_article(1, "Bao luc tren co so gioi", 0), ["bạo lực trên cơ sở giới"]) is False
    assert is_on_topic(_article(1, "Bạo lực trên cơ sở giới", 0), ["bao luc tren co so gioi"]) is True


def test_polite_defaults() -> None:
    settings = Settings()
    settings.setmodule("crawler.settings")
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2 and settings.getfloat("DOWNLOAD_DELAY") >= 1
    assert 429 in settings.getlist("RETRY_HTTP_CODES") and "newsmon" in settings.get("USER_AGENT")
    assert settings.getint("DOWNLOAD_MAXSIZE") > 0 and settings.getint("DOWNLOAD_TIMEOUT") <= 60


def test_report_from_stats_and_format() -> None:
    stats = {"newsmon/a.vn/new": 2, "newsmon/a.vn/failed/http_404": 1, "newsmon/b.vn/unchanged": 3, "other": 5}
    report = CrawlReport.from_stats(stats, finish_reason="finished")
    assert report.sources["a.vn"].failed == {"http_404": 1} and report.total().unchanged == 3
    text = report.format()
    assert "a.vn" in text and "http_404=1" in text


NOW = datetime(2024, 11, 15, 8, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "expected"), [
    ("5", 5.0),
    (b" 30 ", 30.0),
    ("86400", 120.0),  # capped
    ("0", 0.0),
    ("Fri, 15 Nov 2024 08:00:45 GMT", 45.0),
    ("Fri, 15 Nov 2024 07:59:00 GMT", 0.0),  # in the past: now
    ("Sat, 16 Nov 2024 08:00:00 GMT", 120.0),  # capped
    ("-5", None),
    ("soon", None),
    ("", None),
    (None, None),
])
def test_retry_after_seconds_reads_seconds_and_http_dates(value: str | bytes | None, expected: float | None) -> None:
    assert retry_after_seconds(value, cap=120.0, now=NOW) == expected


def test_retry_after_middleware_replaces_scrapys_retry() -> None:
    settings = Settings()
    settings.setmodule("crawler.settings")
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert "crawler.retry.RetryAfterMiddleware" in middlewares
    assert 0 < settings.getfloat("NEWSMON_RETRY_AFTER_MAX") <= 600


def test_precomputed_signature_gives_the_same_decision(tmp_path: Path) -> None:
    text = synthetic_article(1, "x", "/x").body_text()
    computed, given = NearDuplicateIndex(tmp_path / "a.db"), NearDuplicateIndex(tmp_path / "b.db")
    for n, hours in ((2, 5), (1, 0), (3, 9)):
        article = _article(n, text, hours)
        assert computed.add(article) == given.add(article, signature_values(article.text))
    with pytest.raises(ValueError, match="permutations"):
        given.add(_article(4, text, 1), signature_values(text, num_perm=16))
