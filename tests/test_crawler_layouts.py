"""The general defects of issue 16, on invented pages: each rule must hold beyond the real pages it came from.

Every page here is made up (text and markup), shaped like the layouts Vietnamese outlets use.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from lxml import html

from crawler.blocked import block_reason
from crawler.dates import read_date
from crawler.fields import strip_title_suffix
from crawler.metadata import unescape
from crawler.parse import parse_article
from crawler.sources import looks_like_article
from newsmon.models import VN_TZ
from tests.mocksite.legacy import LEGACY_PAGES, render_legacy_article
from tests.mocksite.site import encode_cp1258

BASE = "https://baomau.vn"
URL = f"{BASE}/thoi-su/hoi-phu-nu-xa-an-binh-ra-mat-mo-hinh-moi-20260307081500123.htm"
PARAGRAPHS = [
    "Sáng 7/3, Hội Liên hiệp Phụ nữ xã An Bình tổ chức ra mắt mô hình địa chỉ tin cậy tại cộng đồng.",
    "Mô hình do 12 hội viên nòng cốt phụ trách, tiếp nhận và hỗ trợ phụ nữ, trẻ em bị bạo lực gia đình.",
    "Dịp này, hội trao 20 suất quà cho hội viên có hoàn cảnh khó khăn, mỗi suất trị giá 500.000 đồng.",
]


def _vccorp_page(*, headline: str = "Hội phụ nữ xã An Bình ra mắt mô hình mới", json_ld_headline: str | None = None,
                 box: str = "", tail: str = "", author_meta: str = "BAOMAU.VN", date: str = "07/03/2026 08:15") -> str:
    """A page in the VCCorp-built "detail-content" template (invented outlet, invented text)."""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    ld_headline = json_ld_headline if json_ld_headline is not None else headline
    return f"""<html><head><meta charset="utf-8"><title>{headline} - Thời sự - Báo Mẫu</title>
<meta property="og:type" content="article"><meta name="author" content="{author_meta}">
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{ld_headline}",
"datePublished":"2026-03-07T08:15:42.000 +07:00","author":{{"@type":"Person","name":"{author_meta}"}}}}</script>
</head><body><div class="menu"><a href="/">Trang chủ</a><a href="/thoi-su.htm">Thời sự</a></div>
<div class="detail-time"><div data-role="publishdate">{date}</div></div>
<h1 class="detail-title">{headline}</h1>
<h2 class="detail-sapo">(Báo Mẫu) - Mô hình giúp phụ nữ bị bạo lực gia đình có nơi tìm đến.</h2>
<div class="detail-content afcbc-body">
<p>(Báo Mẫu) - Mô hình giúp phụ nữ bị bạo lực gia đình có nơi tìm đến.</p>
{paragraphs}{box}{tail}</div>
<div class="footer"><p>© Báo Mẫu giữ bản quyền nội dung trên website này.</p></div></body></html>"""


def _parse(html: str, url: str = URL):  # type: ignore[no-untyped-def]
    result = parse_article(url, html.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})
    assert result.article is not None, result.reason
    return result


def test_double_escaped_entities_are_decoded_until_stable() -> None:
    assert unescape("Ch&amp;#237;nh s&amp;amp;#225;ch") == "Chính sách"
    page = _vccorp_page(json_ld_headline="Ch&amp;#7871; &#273;&#7897;", headline="Chế độ")
    result = _parse(page)
    assert result.article.title == "Chế độ"


@pytest.mark.parametrize(("text", "iso", "has_time"), [
    ("2026-03-07T08:52:11.000 +07:00", "2026-03-07T08:52+07:00", True),
    ("2026-03-07 01:52:11Z", "2026-03-07T08:52+07:00", True),
    ("Thứ Năm, 22/11/2018 - 08:30", "2018-11-22T08:30+07:00", True),
    ("07-03-2026 - 00:01 AM", "2026-03-07T00:01+07:00", True),
    ("Cập nhật 9h15 ngày 3/12/2019", "2019-12-03T09:15+07:00", True),
    ("ngày 24/12/12 11:05 tối", "2012-12-24T23:05+07:00", True),
    ("15:20 PM | 21/12/2012", "2012-12-21T15:20+07:00", True),
    ("2022-11-15", "2022-11-15", False),
    ("Thứ Hai, 25/12/2023", "2023-12-25", False),
])
def test_dates_keep_their_time_and_never_invent_midnight(text: str, iso: str, has_time: bool) -> None:
    found = read_date(text)
    assert found is not None and found.iso() == iso and found.has_time is has_time


def test_the_printed_time_wins_and_a_date_only_metadata_gives_no_midnight() -> None:
    result = _parse(_vccorp_page(date="07/03/2026 09:40"))
    assert result.article.published_at == datetime(2026, 3, 7, 9, 40, tzinfo=VN_TZ) and result.date_has_time
    declared = '"datePublished":"2026-03-07T08:15:42.000 +07:00"'
    page = _vccorp_page(date="").replace(declared, '"datePublished":"2026-03-07"')
    result = _parse(page)
    assert result.article.published_at == datetime(2026, 3, 7, tzinfo=VN_TZ) and not result.date_has_time


def test_boxed_sections_and_subheadings_are_kept_related_boxes_are_not() -> None:
    box = ('<div class="VCSortableInPreviewMode" type="content"><div><h3>Những con số đáng chú ý</h3>'
           "<p>Cả xã có 35 hội viên tham gia tổ tự quản, hơn năm trước 10 người.</p></div></div>"
           "<h2>Kế hoạch trong năm tới</h2><p>Hội sẽ nhân rộng mô hình ra các thôn còn lại của xã.</p>"
           '<div class="VCSortableInPreviewMode" type="RelatedOneNews"><a href="/bai-khac-20260301.htm">'
           "Một bài khác của báo về chuyện khác</a><p>Tóm tắt bài khác.</p></div>")
    text = _parse(_vccorp_page(box=box)).article.text
    for kept in ("Những con số đáng chú ý", "Cả xã có 35 hội viên", "Kế hoạch trong năm tới", "nhân rộng mô hình"):
        assert kept in text
    assert "Một bài khác" not in text and "Tóm tắt bài khác" not in text


def test_related_keyword_app_and_copyright_lists_stay_out_of_the_body() -> None:
    tail = ('<div><h3>Tin liên quan</h3><ul><li><a href="/a-20260101.htm">Tiêu đề liên quan thứ nhất</a></li>'
            '<li><a href="/b-20260102.htm">Tiêu đề liên quan thứ hai</a></li></ul></div>'
            '<p>Từ khóa: <a href="/tag/a">phụ nữ</a>, <a href="/tag/b">an bình</a></p>'
            "<p>Tải ứng dụng Báo Mẫu trên điện thoại</p><p>Bản quyền thuộc Báo Mẫu.</p>")
    text = _parse(_vccorp_page(tail=tail)).article.text
    assert PARAGRAPHS[-1] in text
    for chrome in ("Tin liên quan", "Tiêu đề liên quan", "Từ khóa", "Tải ứng dụng", "Bản quyền"):
        assert chrome not in text


def test_authors_are_the_byline_not_the_site() -> None:
    assert _parse(_vccorp_page()).article.authors == []  # the metadata names the site only
    byline = '<p style="text-align:right"><strong>Lê Thu Hà - Nguyễn An</strong> (tổng hợp)</p>'
    assert _parse(_vccorp_page(tail=byline)).article.authors == ["Lê Thu Hà", "Nguyễn An"]
    credited = '<p align="right"><em>Theo Trần Minh/Báomẫu.vn</em></p>'
    assert _parse(_vccorp_page(tail=credited)).article.authors == ["Trần Minh"]


def test_the_lead_is_not_repeated_at_the_top_of_the_body() -> None:
    article = _parse(_vccorp_page()).article
    assert article.lead.startswith("(Báo Mẫu) - Mô hình giúp")
    assert article.text.split("\n")[:2] == ["Hội phụ nữ xã An Bình ra mắt mô hình mới", PARAGRAPHS[0]]


def test_title_suffixes_are_cut_at_the_outlet_and_its_sections() -> None:
    page = html.document_fromstring('<html><body><a href="/xa-hoi">Xã hội</a><a href="/">Báo Mẫu</a></body></html>')
    assert strip_title_suffix("Hà Nội - Hải Phòng nối chuyến tàu mới - Xã hội - Báo Mẫu", "baomau.vn", ["Báo Mẫu"],
                              page) == "Hà Nội - Hải Phòng nối chuyến tàu mới"
    assert strip_title_suffix("Cuộc đua Google - Amazon", "baomau.vn", [], page) == "Cuộc đua Google - Amazon"


def test_old_layouts_with_many_h1_take_the_headline_not_every_h1() -> None:
    page = ("<html><head><title>Tin vắn hôm nay về phụ nữ khởi nghiệp | Kinh tế | Báo Mẫu Online</title></head><body>"
            '<h1><a href="/">Báo Mẫu</a></h1><h1>Tin vắn hôm nay về phụ nữ khởi nghiệp</h1><h1>Video</h1>'
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</body></html>")
    assert _parse(page).article.title == "Tin vắn hôm nay về phụ nữ khởi nghiệp"


def test_listing_pages_are_refused() -> None:
    cards = "".join(f'<div class="item"><h3><a href="/tin-{i}-2026030700{i:04d}.htm">Tin số {i} về phụ nữ và trẻ em '
                    f'ở địa phương</a></h3><p>Tóm tắt tin số {i} với nội dung ngắn gọn.</p></div>' for i in range(20))
    page = (f'<html><head><title>Xã hội - Báo Mẫu</title><meta property="og:type" content="article"></head><body>'
            f'<script type="application/ld+json">{{"@type":"WebSite","name":"Báo Mẫu"}}</script>{cards}</body></html>')
    result = parse_article(f"{BASE}/xa-hoi.htm", page.encode(), {"Content-Type": "text/html"})
    assert result.article is None and result.reason == "not_article"


@pytest.mark.parametrize("url", [
    "https://sotinh.gov.vn/tin-tuc/chi-tiet.asp?id=40211", "https://x.vn/Pages/tin.aspx?ItemID=12345",
    "https://x.vn/a-b-c-123456.html", "https://x.vn/2024/11/bai-viet/",
])
def test_article_urls_include_query_ids(url: str) -> None:
    assert looks_like_article(url)


@pytest.mark.parametrize("url", ["https://x.vn/xa-hoi.htm", "https://x.vn/danh-sach.asp?ChuyenMucID=7"])
def test_section_urls_are_not_articles(url: str) -> None:
    assert not looks_like_article(url)


@pytest.mark.parametrize("page", LEGACY_PAGES, ids=lambda p: p.path.rsplit("=", 1)[-1])
def test_legacy_table_pages_in_windows_1258_come_out_clean(page) -> None:  # type: ignore[no-untyped-def]
    base = "http://127.0.0.1:8765"
    result = parse_article(base + page.path, encode_cp1258(render_legacy_article(page, base)),
                           {"Content-Type": "text/html"})
    assert result.article is not None, result.reason
    article = result.article
    assert result.encoding == "cp1258" and article.title == page.title
    assert article.text == page.expected_text()  # one line per paragraph, no table cells, no headline twice
    assert "|" not in article.text and "Cập nhật lúc" not in article.text and "Các tin khác" not in article.text
    assert article.published_at == page.published_at and result.date_has_time
    assert article.lead == page.sapo and article.authors == [page.author]


CHALLENGE = """<html><head><title>Vui lòng chờ</title></head><body><script>
document.cookie = "D1N=" + "8ac31f" + "; path=/; max-age=3600"; window.location.reload();
</script></body></html>"""


def test_a_javascript_cookie_challenge_is_recognised_and_never_an_article() -> None:
    assert block_reason(CHALLENGE) == "js_challenge"
    result = parse_article(URL, CHALLENGE.encode(), {"Content-Type": "text/html"})
    assert result.article is None and result.reason == "js_challenge" and result.blocked
    assert block_reason(_vccorp_page()) is None  # an article with scripts is not a challenge
