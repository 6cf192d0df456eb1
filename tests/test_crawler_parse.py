"""Unit tests of page parsing, decoding and metadata (no Scrapy, no network)."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest

from crawler.demosite.pages import RELATED_TEASERS
from crawler.demosite.server import route
from crawler.demosite.site import load_articles
from crawler.encoding import decode_html
from crawler.metadata import parse_date
from crawler.parse import canonicalize_url, is_vietnamese, parse_article
from crawler.sources import SiteOverrides
from newsmon.models import VN_TZ
from newsmon.text import normalize
from tests.mocksite.site import encode_cp1258

BASE = "http://127.0.0.1:8765"
VIETNAMESE = "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới năm 2024."


def page(title: str = "Tiêu đề bài viết", body: str = VIETNAMESE * 4, head: str = "",
         charset: str = "utf-8") -> str:
    return (f'<html lang="vi"><head><meta charset="{charset}"><title>{title}</title>{head}</head>'
            f"<body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>")


@pytest.mark.parametrize("article", load_articles(), ids=lambda a: a.id)
def test_demo_pages_extract_exactly_the_article(article) -> None:  # type: ignore[no-untyped-def]
    path, _, query = article.path.partition("?")
    status, content_type, html = route(BASE, path, query)
    result = parse_article(BASE + article.path, html.encode(), {"Content-Type": content_type})
    assert status == 200 and result.article is not None, result.reason
    assert result.article.text == normalize(article.body_text())
    assert all(teaser not in result.article.text for teaser, _ in RELATED_TEASERS)
    assert result.article.title == normalize(article.title)
    assert result.article.published_at == article.published_at
    assert result.article.authors == [normalize(a) for a in article.authors]
    assert result.article.canonical_url == BASE + article.path


@pytest.mark.parametrize(("body", "headers", "reason"), [
    (b"%PDF-1.4 binary", {"Content-Type": "application/pdf"}, "not_html"),
    (b"", {"Content-Type": "text/html"}, "empty"),
    (b"<html><body>   </body></html>", None, "no_title"),
    (page(body="Ngắn quá.").encode(), None, "no_text"),
    (page(body="This is an English article about something else entirely. " * 10).encode(), None,
     "not_vietnamese"),
    (b"\x00\xff\xfe garbage <<<>>>", None, "no_title"),
])
def test_rejections_carry_a_reason(body: bytes, headers: dict[str, str] | None, reason: str) -> None:
    result = parse_article(BASE + "/a-12345.html", body, headers)
    assert result.article is None
    assert result.reason == reason


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta property="article:published_time" content="2024-11-14T16:05:00+07:00">',
     datetime(2024, 11, 14, 16, 5, tzinfo=VN_TZ)),
    ('<meta property="article:published_time" content="2024-11-14T09:05:00Z">',
     datetime(2024, 11, 14, 16, 5, tzinfo=VN_TZ)),
    ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"T",'
     '"datePublished":"2023-10-27T09:12:00"}</script>', datetime(2023, 10, 27, 9, 12, tzinfo=VN_TZ)),
    ('<script type="application/ld+json">{"@graph":[{"@type":"WebSite"},{"@type":"NewsArticle",'
     '"datePublished":"2022-11-15"}]}</script>', datetime(2022, 11, 15, tzinfo=VN_TZ)),
    ('<script type="application/ld+json">{broken json,,</script>'
     '<meta name="pubdate" content="15/11/2022 18:40">', datetime(2022, 11, 15, 18, 40, tzinfo=VN_TZ)),
    ("", None),
])
def test_publication_date_sources(head: str, expected: datetime | None) -> None:
    result = parse_article(BASE + "/a-12345.html", page(head=head))
    assert result.article is not None
    if expected is None:
        assert result.article.published_at is None or result.article.published_at.tzinfo is not None
    else:
        assert result.article.published_at == expected
        assert result.article.published_at.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-11-14T16:05:00+07:00", datetime(2024, 11, 14, 16, 5, tzinfo=VN_TZ)),
    ("14/11/2024 16:05", datetime(2024, 11, 14, 16, 5, tzinfo=VN_TZ)),
    ("Thứ năm, 14/11/2024 - 16:05", datetime(2024, 11, 14, 16, 5, tzinfo=VN_TZ)),
    ("16:05 14/11/2024", datetime(2024, 11, 14, 16, 5, tzinfo=VN_TZ)),
    ("31/02/2024", None),
    ("không có ngày", None),
    ("", None),
])
def test_parse_date(value: str, expected: datetime | None) -> None:
    assert parse_date(value) == expected


TEXT = "Hội Liên hiệp Phụ nữ tổ chức tập huấn về bình đẳng giới cho trẻ em gái ở huyện Mỹ Đức."


@pytest.mark.parametrize(("body", "content_type", "codec"), [
    (TEXT.encode("utf-8"), "text/html; charset=utf-8", "utf-8"),
    (TEXT.encode("utf-8"), None, "utf-8"),
    (encode_cp1258(TEXT), "text/html; charset=windows-1258", "cp1258"),
    (encode_cp1258(TEXT), None, "cp1258"),
    (TEXT.encode("viscii"), "text/html; charset=viscii", "viscii"),
    (TEXT.encode("viscii"), None, "viscii"),
    (b'<meta charset="VISCII">' + TEXT.encode("viscii"), None, "viscii"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">' + encode_cp1258(TEXT), None,
     "cp1258"),
    (unicodedata.normalize("NFD", TEXT).encode("utf-8"), None, "utf-8"),
])
def test_decode_legacy_encodings_to_nfc(body: bytes, content_type: str | None, codec: str) -> None:
    text, used = decode_html(body, content_type)
    assert used == codec
    assert TEXT in text
    assert unicodedata.is_normalized("NFC", text)


def test_cp1258_decoding_yields_combining_marks_that_we_compose() -> None:
    raw = encode_cp1258("Ủy ban")
    assert unicodedata.normalize("NFC", raw.decode("cp1258")) == "Ủy ban"
    assert raw.decode("cp1258") != "Ủy ban"  # Python's codec leaves the tone as a combining mark


@pytest.mark.parametrize(("text", "expected"), [
    (VIETNAMESE, True), ("The quick brown fox jumps over the lazy dog many times.", False), ("ngắn", False),
])
def test_is_vietnamese(text: str, expected: bool) -> None:
    assert is_vietnamese(text) is expected


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTP://Example.VN/a-12345.html#top", "http://example.vn/a-12345.html"),
    ("https://x.vn/a?utm_source=fb&id=3&fbclid=z", "https://x.vn/a?id=3"),
    ("https://x.vn", "https://x.vn/"),
])
def test_canonicalize_url(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_cross_domain_canonical_is_ignored() -> None:
    head = '<link rel="canonical" href="https://other-outlet.vn/original-99999.html">'
    result = parse_article(BASE + "/copy-12345.html", page(head=head))
    assert result.article is not None and result.article.canonical_url == BASE + "/copy-12345.html"


def test_override_selectors_pick_the_body_and_drop_blocks() -> None:
    html = page(body=VIETNAMESE * 3).replace(
        "<article>", '<div class="box">Quảng cáo: mua ngay hôm nay giảm giá bình đẳng giới.</div><article>')
    overrides = SiteOverrides(body_selector="article", remove_selectors=["div.box"], title_selector="h1")
    result = parse_article(BASE + "/a-12345.html", html, overrides=overrides)
    assert result.article is not None and "Quảng cáo" not in result.article.text


@pytest.mark.parametrize("html", [
    "<html><body><p>" + VIETNAMESE * 5,  # never closed
    "<<<<html>>>>" + VIETNAMESE,
    '<html><head><script type="application/ld+json">[[[</script></head></html>',
    "\x00" * 100,
])
def test_malformed_html_never_raises(html: str) -> None:
    result = parse_article(BASE + "/a-12345.html", html.encode("utf-8"))
    assert result.article is not None or result.reason
