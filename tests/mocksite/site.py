"""The mock outlets' content: which page lives where, in which encoding, and what it tests.

Tests import ``EXPECTED`` facts from here (paths, titles, encodings) rather than
repeating them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

import crawler.viscii  # noqa: F401 - registers the codec used to encode VISCII pages
from crawler.demosite.generate import synthetic_article
from crawler.demosite.site import DemoArticle, Outlet, load_articles, syndicated_copy
from newsmon.models import VN_TZ

TINMOI = Outlet("tinmoi", "tinmoi.vn", "Tin Mới", "#333", ("Thời sự", "Xã hội"), "© Tin Mới (mock)",
                "xa-hoi/{slug}-{number}.html", "rss")
BAOPHU = Outlet("baophu", "baophu.vn", "Báo Phụ nữ (mock)", "#a0a", ("Bình đẳng giới", "Gia đình"),
                "© Báo Phụ nữ (mock)", "{slug}-{number}.html", "sitemap")
OUTLETS_BY_KEY = {"tinmoi": TINMOI, "baophu": BAOPHU}

#: Paths of the failure routes and what they do (see server._special).
SPECIAL: dict[str, str] = {
    "/tinmoi/xa-hoi/bai-cham-10007.html": "slow",
    "/tinmoi/xa-hoi/khong-ton-tai-10008.html": "404",
    "/tinmoi/xa-hoi/loi-may-chu-10009.html": "500",
    "/tinmoi/xa-hoi/qua-tai-10010.html": "throttled",
    "/tinmoi/xa-hoi/trang-rat-lon-10011.html": "huge",
    "/tinmoi/tai-lieu/bao-cao-tong-ket-10012": "pdf",
    "/tinmoi/xa-hoi/bai-chuyen-huong-10013.html": "redirect",
    "/tinmoi/xa-hoi/trang-trong-10016.html": "empty",
    "/tinmoi/xa-hoi/bao-tri-10019.html": "unavailable",
}
#: The ``Retry-After`` delay, in seconds, of the throttled (429) and unavailable (503) routes.
RETRY_AFTER_SECONDS = 1
ROBOTS_BLOCKED = "/tinmoi/private/ban-nhap-10015.html"
BINARY_LINK = "/tinmoi/files/tai-lieu-10017.pdf"
REDIRECT_TARGET = "/tinmoi/xa-hoi/bai-da-chuyen-10014.html"


@dataclass(frozen=True)
class MockPage:
    """One article page of the mock site and how it is served."""

    article: DemoArticle
    outlet: str
    in_feed: bool = False
    sitemap: str | None = None  # "news" or "plain"
    encode: Callable[[str], bytes] | None = None
    header_charset: str | None = "utf-8"
    transform: Callable[[str], str] | None = None
    label: str = ""


def encode_cp1258(html: str) -> bytes:
    """windows-1258 the way Vietnamese sites wrote it: base letters plus combining tone marks."""
    out = bytearray()
    for char in html:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
            tones = "".join(c for c in decomposed if c in _TONES)
            out += (base + tones).encode("cp1258", errors="xmlcharrefreplace")
    return bytes(out)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _declare(charset: str) -> Callable[[str], str]:
    return lambda html: html.replace('<meta charset="utf-8">', f'<meta charset="{charset}">')


def _undeclare(html: str) -> str:
    return html.replace('<meta charset="utf-8">', "")


def _nfd(html: str) -> str:
    return unicodedata.normalize("NFD", html)


def _malformed(html: str) -> str:
    """Unclosed tags, a broken JSON-LD block, no </body></html>."""
    html = re.sub(r'<script type="application/ld\+json">\{', '<script type="application/ld+json">{,,', html, count=1)
    return html.replace("</p>", "").replace("</div>", "").replace("</body></html>", "")


def _tinmoi(n: int, slug: str, **kwargs: object) -> MockPage:
    article = synthetic_article(n, "tinmoi", f"/tinmoi/xa-hoi/{slug}-{10000 + n}.html")
    return MockPage(article=article, outlet="tinmoi", in_feed=True, **kwargs)  # type: ignore[arg-type]


def _extra_feed_links() -> list[DemoArticle]:
    """Feed entries that point at the failure routes (titles only matter for the feed)."""
    paths = [*SPECIAL, ROBOTS_BLOCKED, BINARY_LINK]
    return [synthetic_article(50 + i, "tinmoi", p) for i, p in enumerate(paths)]


@cache
def _pages() -> tuple[MockPage, ...]:
    seeds = {a.id: a for a in load_articles()}
    original = replace(seeds["seed000"], url_path="/tinmoi/xa-hoi/ha-noi-phat-dong-thang-hanh-dong-589321.html")
    copy = replace(syndicated_copy(original, outlet="baophu"),
                   url_path="/baophu/ha-noi-phat-dong-thang-hanh-dong-vi-binh-dang-gioi-278530.html")
    old = replace(seeds["seed003"], url_path="/baophu/nhieu-hoat-dong-nam-2021-229467.html")
    pages = [
        MockPage(original, "tinmoi", in_feed=True, label="original"),
        _tinmoi(1, "windows-1258-co-khai-bao", encode=encode_cp1258, header_charset="windows-1258",
                transform=_declare("windows-1258"), label="cp1258_declared"),
        _tinmoi(2, "viscii-co-khai-bao", encode=lambda h: h.encode("viscii", "xmlcharrefreplace"), header_charset=None,
                transform=_declare("VISCII"), label="viscii_declared"),
        _tinmoi(5, "van-ban-nfd", transform=_nfd, label="nfd"),
        _tinmoi(6, "html-hong", transform=_malformed, label="malformed"),
        MockPage(synthetic_article(7, "tinmoi", "/tinmoi/xa-hoi/qua-tai-10010.html"), "tinmoi", label="throttled"),
        MockPage(synthetic_article(10, "tinmoi", "/tinmoi/xa-hoi/bao-tri-10019.html"), "tinmoi", label="unavailable"),
        MockPage(synthetic_article(8, "tinmoi", REDIRECT_TARGET), "tinmoi", label="redirect_target"),
        MockPage(synthetic_article(9, "tinmoi", "/tinmoi/xa-hoi/giao-thong-10018.html", on_topic=False),
                 "tinmoi", in_feed=True, label="offtopic"),
        MockPage(copy, "baophu", sitemap="news", label="syndicated"),
        MockPage(old, "baophu", sitemap="news", label="old"),
        MockPage(synthetic_article(3, "baophu", "/baophu/windows-1258-khong-khai-bao-10003.html"), "baophu",
                 sitemap="plain", encode=encode_cp1258, header_charset=None, transform=_undeclare,
                 label="cp1258_undeclared"),
        MockPage(synthetic_article(4, "baophu", "/baophu/viscii-khong-khai-bao-10004.html"), "baophu",
                 sitemap="plain", encode=lambda h: h.encode("viscii", "xmlcharrefreplace"), header_charset=None,
                 transform=_undeclare, label="viscii_undeclared"),
    ]
    pages += [MockPage(synthetic_article(20 + i, "baophu", f"/baophu/tin-chuyen-muc-{10020 + i}.html"), "baophu",
                       label=f"listing{i}") for i in range(5)]
    return tuple(pages)


def mock_pages(base: str = "") -> list[MockPage]:
    """Every article page (the feed's failure links are served by ``SPECIAL`` routes)."""
    return list(_pages())


def feed_articles() -> list[DemoArticle]:
    """What the tinmoi feed lists: its pages plus the failure routes."""
    return [p.article for p in _pages() if p.in_feed] + _extra_feed_links()


def by_label(label: str) -> MockPage:
    """The page with ``label``."""
    return next(p for p in _pages() if p.label == label)


#: The listing's pages, 2 articles each (3 pages, so pagination is followed).
LISTING_PAGES: list[list[str]] = [
    ["/baophu/tin-chuyen-muc-10020.html", "/baophu/tin-chuyen-muc-10021.html"],
    ["/baophu/tin-chuyen-muc-10022.html", "/baophu/tin-chuyen-muc-10023.html"],
    ["/baophu/tin-chuyen-muc-10024.html"],
]


def new_article() -> MockPage:
    """The article ``/__control/publish`` adds to the feed."""
    article = synthetic_article(30, "tinmoi", "/tinmoi/xa-hoi/bai-moi-dang-10030.html",
                                published_at=datetime(2024, 11, 20, 9, 0, tzinfo=VN_TZ))
    return MockPage(article, "tinmoi", in_feed=True, label="published_later")
