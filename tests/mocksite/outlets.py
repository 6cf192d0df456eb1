"""The mock outlets that real ones taught us about (issue 16). All text is generated or invented.

- ``chanbot``: answers bots with a JavaScript cookie challenge, as laodong.vn does (one page with
  403, one behind a paywall); its RSS is shaped like the real ones: HTML in CDATA descriptions with
  an ``<img>``, relative links. ``/__control/unblock`` lifts the challenge (a later crawl upgrades
  the feed-only items).
- ``luutru``: a month-by-month sitemap archive (``/luutru/sitemaps/news-YYYY-M.xml``, as
  VietnamPlus has), an Atom feed, and a 900-item RSS feed.
- ``sotinh``: the table-laid-out windows-1258 portal of ``tests.mocksite.legacy``, found through
  its paginated "Tin tức" listing, and its site search (``/sotinh/tim-kiem.asp?tu-khoa=…&trang=N``).
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from functools import cache
from html import escape
from urllib.parse import parse_qs

from crawler.demosite.generate import synthetic_article
from crawler.demosite.pages import render_article
from crawler.demosite.site import DemoArticle, Outlet
from newsmon.models import VN_TZ
from tests.mocksite.legacy import LEGACY_PAGES, render_legacy_article, render_legacy_listing, render_legacy_search
from tests.mocksite.site import encode_cp1258

__all__ = [
    "ARCHIVE_MONTHS", "BIG_FEED_ITEMS", "BROKEN_LISTING_PAGE", "CHANBOT", "LUUTRU", "archive_articles",
    "chanbot_articles", "route_outlets",
]

Response = tuple[int, dict[str, str], bytes]
CHANBOT = Outlet("chanbot", "chanbot.vn", "Báo Chặn Bot (mock)", "#444", ("Xã hội",), "© mock", "{slug}-{number}.html",
                 "rss")
LUUTRU = Outlet("luutru", "luutru.vn", "Báo Lưu Trữ (mock)", "#246", ("Thời sự",), "© mock", "{slug}-{number}.html",
                "sitemap")
#: (year, month) of the archive's months with articles, two articles each; the current month's is empty.
ARCHIVE_MONTHS: tuple[tuple[int, int], ...] = ((2026, 8), (2026, 9), (2026, 10), (2026, 11))
BIG_FEED_ITEMS = 900
#: The "sotinh" listing page that answers 500 until ``/__control/unblock?sotinh`` (one article per page).
BROKEN_LISTING_PAGE = 3
XML = {"Content-Type": "application/xml; charset=utf-8"}
CHALLENGE_PAGE = """<html><head><title>Đang kiểm tra trình duyệt</title></head><body>
<noscript>Bật JavaScript.</noscript>
<script>document.cookie="vi_check=%s; path=/; max-age=86400";location.reload();</script></body></html>"""
PAYWALL_PAGE = """<html><head><meta charset="utf-8"><title>%s</title></head><body><h1>%s</h1>
<div class="box-subscribe-premium">Nội dung dành cho bạn đọc trả phí. Đăng ký để đọc tiếp.</div></body></html>"""


@cache
def chanbot_articles() -> tuple[DemoArticle, ...]:
    """Four articles; the second answers 403, the third is behind a paywall, the rest are challenged."""
    return tuple(synthetic_article(60 + i, "chanbot", f"/chanbot/xa-hoi/bai-chan-{i}-2026{120100 + i}.html",
                                   published_at=datetime(2026, 12, 1, 8 + i, tzinfo=VN_TZ)) for i in range(4))


@cache
def archive_articles() -> tuple[DemoArticle, ...]:
    """Two articles per archive month, on the 5th and the 20th."""
    found = []
    for index, (year, month) in enumerate(ARCHIVE_MONTHS):
        for day in (5, 20):
            n = 70 + 2 * index + (day == 20)
            path = f"/luutru/thoi-su/bai-luu-tru-{n}-{year}{month:02d}{day:02d}.html"
            found.append(synthetic_article(n, "luutru", path, published_at=datetime(year, month, day, 9, tzinfo=VN_TZ)))
    return tuple(found)


def _rss_item(article: DemoArticle, base: str, relative: bool) -> str:
    link = article.path if relative else base + article.path
    image = f'<img width="130" height="100" src="/{article.outlet}/anh/{article.number}.jpg">'
    description = f'<a href="{article.path}">{image}</a></br>{escape(article.lead)}'
    return (f"<item><title><![CDATA[{article.title}]]></title><link>{escape(link)}</link>"
            f"<pubDate>{format_datetime(article.published_at)}</pubDate>"
            f"<description><![CDATA[{description}]]></description></item>")


def real_rss(articles: list[DemoArticle], base: str, title: str) -> bytes:
    """RSS as outlets write it: HTML (an image, a link) in CDATA descriptions, every other link relative."""
    items = "".join(_rss_item(a, base, relative=i % 2 == 0) for i, a in enumerate(articles))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


def atom(articles: list[DemoArticle], base: str) -> bytes:
    """An Atom feed with HTML summaries."""
    entries = "".join(
        f'<entry><title type="html">{escape(a.title)}</title><link rel="alternate" href="{base}{a.path}"/>'
        f"<id>{base}{a.path}</id><published>{a.published_at.isoformat()}</published>"
        f'<summary type="html">{escape("<p>" + escape(a.lead) + "</p>")}</summary></entry>' for a in articles)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Báo Lưu Trữ</title>{entries}</feed>").encode()


def _archive_sitemap(base: str, year: int, month: int) -> bytes:
    articles = [a for a in archive_articles() if (a.published_at.year, a.published_at.month) == (year, month)]
    entries = "".join(
        f"<url><loc>{base}{a.path}</loc><news:news><news:publication_date>{a.published_at.isoformat()}"
        f"</news:publication_date><news:title>{escape(a.title)}</news:title></news:news></url>" for a in articles)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}</urlset>').encode()


def big_feed(base: str) -> bytes:
    """A feed of ``BIG_FEED_ITEMS`` items (as some outlets' "tin mới nhất" are)."""
    articles = [synthetic_article(1000 + i, "luutru", f"/luutru/kho/bai-{i}-{300000 + i}.html",
                                  published_at=datetime(2026, 11, 30, tzinfo=VN_TZ)) for i in range(BIG_FEED_ITEMS)]
    return real_rss(articles, base, "Tin mới nhất")


def _chanbot(path: str, base: str, unblocked: bool) -> Response | None:
    html = {"Content-Type": "text/html; charset=utf-8"}
    if path == "/chanbot/rss/home.rss":
        return 200, XML, real_rss(list(chanbot_articles()), base, "Báo Chặn Bot")
    for index, article in enumerate(chanbot_articles()):
        if path != article.path:
            continue
        if index == 1:
            return 403, html, b"<h1>403 Forbidden</h1>"
        if index == 2 and not unblocked:
            return 200, html, (PAYWALL_PAGE % (escape(article.title), escape(article.title))).encode()
        if not unblocked:
            return 200, html, (CHALLENGE_PAGE % article.number).encode()
        return 200, html, render_article(article, base, outlet=CHANBOT).encode()
    return None


def _luutru(path: str, base: str) -> Response | None:
    if path == "/luutru/atom.xml":
        return 200, {"Content-Type": "application/atom+xml"}, atom(list(archive_articles()[-2:]), base)
    if path == "/luutru/rss-lon.xml":
        return 200, XML, big_feed(base)
    if path.startswith("/luutru/sitemaps/news-") and path.endswith(".xml"):
        year, month = (int(p) for p in path.removeprefix("/luutru/sitemaps/news-").removesuffix(".xml").split("-"))
        return 200, XML, _archive_sitemap(base, year, month)
    for article in archive_articles():
        if path == article.path:
            page = render_article(article, base, outlet=LUUTRU).encode()
            return 200, {"Content-Type": "text/html; charset=utf-8"}, page
    return None


def _sotinh(path: str, query: str, base: str, mended: bool) -> Response | None:
    html = {"Content-Type": "text/html"}  # no charset: the page's <meta> declares windows-1258
    if path == "/sotinh/tin-tuc/danh-sach.asp":
        page = int(query.removeprefix("trang=") or 1) if query.startswith("trang=") or not query else 1
        if page == BROKEN_LISTING_PAGE and not mended:  # an outage in the middle of a backfill
            return 500, html, b"<h1>500</h1>"
        return 200, html, encode_cp1258(render_legacy_listing(base, page, per_page=1))
    if path == "/sotinh/tim-kiem.asp":
        params = parse_qs(query)
        keyword, page = params.get("tu-khoa", [""])[0], int(params.get("trang", ["1"])[0])
        return 200, html, encode_cp1258(render_legacy_search(base, keyword, page))
    full = f"{path}?{query}" if query else path
    for legacy in LEGACY_PAGES:
        if legacy.path == full:
            return 200, html, encode_cp1258(render_legacy_article(legacy, base))
    return None


def route_outlets(path: str, query: str, base: str, unblocked: set[str]) -> Response | None:
    """The response of one of these outlets, or None when the path is not theirs."""
    if path.startswith("/chanbot/"):
        return _chanbot(path, base, "chanbot" in unblocked)
    if path.startswith("/luutru/"):
        return _luutru(path, base)
    if path.startswith("/sotinh/"):
        return _sotinh(path, query, base, "sotinh" in unblocked)
    return None

