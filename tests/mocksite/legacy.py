"""A provincial portal of the 2000s, as such sites still look: pages laid out in tables, in windows-1258.

The headline sits in its own cell, the date is printed only as Vietnamese text ("Thứ Năm,
22/11/2018 - 08:30"), paragraphs are ``<p>`` or ``<br><br>`` runs inside one cell, a
"Cập nhật lúc …" line and an "Các tin khác" table follow the article, and menus fill the
other cells. No OpenGraph, no JSON-LD, no ``<time>``. All text is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from newsmon.models import VN_TZ

__all__ = ["LEGACY_PAGES", "LegacyPage", "render_legacy_article", "render_legacy_listing"]

SITE_NAME = "Cổng thông tin điện tử tỉnh Mẫu Sơn"


@dataclass(frozen=True)
class LegacyPage:
    """One article of the legacy portal and what the crawler must read from it."""

    path: str
    title: str
    date_line: str
    published_at: datetime
    sapo: str
    paragraphs: tuple[str, ...]
    author: str
    breaks: bool = False  # paragraphs separated by <br><br> instead of <p>

    def expected_text(self) -> str:
        """Headline, then the paragraphs and the byline, one per line."""
        return "\n".join([self.title, *self.paragraphs, self.author])


LEGACY_PAGES: tuple[LegacyPage, ...] = (
    LegacyPage(
        "/sotinh/tin-tuc/chi-tiet.asp?id=40211", "Tỉnh Mẫu Sơn tập huấn kỹ năng phòng, chống bạo lực gia đình",
        "Thứ Năm, 22/11/2018 - 08:30", datetime(2018, 11, 22, 8, 30, tzinfo=VN_TZ),
        "Sáng nay, Hội Liên hiệp Phụ nữ tỉnh phối hợp với Sở Lao động mở lớp tập huấn cho cán bộ cơ sở.",
        (
            "Lớp tập huấn có hơn 80 học viên là cán bộ hội phụ nữ, công an xã và trưởng thôn "
            "đến từ sáu huyện vùng cao.",
            "Các báo cáo viên hướng dẫn cách nhận biết dấu hiệu bạo lực, cách tiếp nhận tin báo và địa chỉ tin cậy "
            "ở cộng đồng để bảo vệ phụ nữ, trẻ em gái.",
            "Kết thúc lớp học, các học viên cam kết tuyên truyền lại cho người dân trong thôn, bản về bình đẳng giới.",
        ),
        "Hoàng Thu Trang",
    ),
    LegacyPage(
        "/sotinh/tin-tuc/chi-tiet.asp?id=40237", "Huyện Đá Trắng ra mắt câu lạc bộ phụ nữ khởi nghiệp",
        "Thứ Hai, 03/12/2018 - 15:05", datetime(2018, 12, 3, 15, 5, tzinfo=VN_TZ),
        "Câu lạc bộ gồm 25 hội viên là chủ hộ kinh doanh, hợp tác xã do phụ nữ làm chủ.",
        (
            "Tại buổi ra mắt, hội viên được giới thiệu các nguồn vốn vay ưu đãi dành cho phụ nữ khởi nghiệp.",
            "Đại diện ngân hàng chính sách xã hội huyện cho biết năm nay đã giải ngân 3,5 tỷ đồng cho các hộ do phụ "
            "nữ làm chủ.",
            "Câu lạc bộ sẽ sinh hoạt mỗi quý một lần để chia sẻ kinh nghiệm sản xuất và tiêu thụ sản phẩm.",
        ),
        "Nông Văn Khải", breaks=True,
    ),
    LegacyPage(
        "/sotinh/tin-tuc/chi-tiet.asp?id=40302", "Trao học bổng cho trẻ em gái dân tộc thiểu số",
        "Thứ Sáu, 14/12/2018 - 09:45", datetime(2018, 12, 14, 9, 45, tzinfo=VN_TZ),
        "Chương trình dành cho học sinh nữ có hoàn cảnh khó khăn ở các xã đặc biệt khó khăn.",
        (
            "Năm mươi suất học bổng, mỗi suất hai triệu đồng, đã được trao cho học sinh nữ bậc trung học cơ sở.",
            "Ban tổ chức mong muốn các em tiếp tục đến trường, không bỏ học sớm để lấy chồng.",
        ),
        "Lý Thị Mai",
    ),
)


def _page_shell(title: str, base: str, main: str) -> str:
    menu = " | ".join(f'<a href="{base}/sotinh/{slug}">{escape(name)}</a>' for slug, name in (
        ("", "Trang chủ"), ("gioi-thieu", "Giới thiệu"), ("tin-tuc/danh-sach.asp", "Tin tức - Sự kiện"),
        ("van-ban", "Văn bản pháp quy"), ("lien-he", "Liên hệ")))
    sections = ("Kinh tế", "Văn hóa - Xã hội", "Bình đẳng giới", "Thông báo", "Lịch công tác")
    left = "".join(f'<tr><td><a href="{base}/sotinh/chuyen-muc-{i}">{escape(name)}</a></td></tr>'
                   for i, name in enumerate(sections))
    banner = f'<a href="{base}/sotinh/"><img src="{base}/sotinh/banner.jpg" border="0">{escape(SITE_NAME)}</a>'
    rights = "© Bản quyền thuộc Văn phòng UBND tỉnh Mẫu Sơn. Ghi rõ nguồn khi phát hành lại."
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">
<title>{escape(title)} - {escape(SITE_NAME)}</title></head>
<body><table width="980" border="0" cellpadding="0" cellspacing="0">
<tr><td colspan="2">{banner}</td></tr>
<tr><td colspan="2" class="menu">{menu}</td></tr>
<tr><td width="200" valign="top"><table width="100%">{left}</table></td>
<td valign="top">{main}</td></tr>
<tr><td colspan="2" align="center">{rights}</td></tr>
</table></body></html>"""


def render_legacy_article(page: LegacyPage, base: str) -> str:
    """The article's page (text; the server encodes it as windows-1258)."""
    if page.breaks:
        body = "<br><br>".join(escape(p) for p in page.paragraphs) + f'<br><br><b>{escape(page.author)}</b>'
    else:
        body = "".join(f"<p>{escape(p)}</p>" for p in page.paragraphs) + \
            f'<p align="right"><b>{escape(page.author)}</b></p>'
    others = "".join(f'<tr><td>- <a href="{base}{o.path}">{escape(o.title)}</a></td></tr>'
                     for o in LEGACY_PAGES if o is not page)
    main = f"""<table width="100%" cellpadding="4">
<tr><td class="tieude"><font size="4"><b>{escape(page.title)}</b></font></td></tr>
<tr><td><font color="#666">{escape(page.date_line)}</font></td></tr>
<tr><td><b>{escape(page.sapo)}</b></td></tr>
<tr><td>{body}</td></tr>
<tr><td><i>Cập nhật lúc {page.published_at:%H:%M} ngày {page.published_at:%d/%m/%Y}</i></td></tr>
</table>
<table width="100%"><tr><td><b>Các tin khác</b></td></tr>{others}</table>"""
    return _page_shell(page.title, base, main)


def _result_rows(base: str, pages: tuple[LegacyPage, ...]) -> str:
    return "".join(f'<tr><td><a href="{base}{p.path}">{escape(p.title)}</a> ({p.published_at:%d/%m/%Y})</td></tr>'
                   for p in pages)


def render_legacy_listing(base: str, page_number: int, per_page: int = 2) -> str:
    """The "Tin tức - Sự kiện" listing: ``per_page`` articles per page, "Trang sau" to the next."""
    rows = _result_rows(base, LEGACY_PAGES[(page_number - 1) * per_page:page_number * per_page])
    more = page_number * per_page < len(LEGACY_PAGES)
    pager = f'<a class="next" href="{base}/sotinh/tin-tuc/danh-sach.asp?trang={page_number + 1}">Trang sau</a>' \
        if more else ""
    return _page_shell("Tin tức - Sự kiện", base, f'<table width="100%">{rows}</table>{pager}')


def legacy_search_hits(keyword: str) -> tuple[LegacyPage, ...]:
    """The pages whose text holds ``keyword`` (case-insensitive), newest first, as the portal's search lists them."""
    found = [p for p in LEGACY_PAGES if keyword.casefold() in p.expected_text().casefold()]
    return tuple(sorted(found, key=lambda p: p.published_at, reverse=True))


def render_legacy_search(base: str, keyword: str, page_number: int) -> str:
    """A "Tìm kiếm" result page, one hit per page, no pager (the source's template numbers the pages);
    past the last hit it lists nothing, as real portals do."""
    rows = _result_rows(base, legacy_search_hits(keyword)[page_number - 1:page_number]) or \
        "<tr><td>Không có kết quả</td></tr>"
    return _page_shell(f"Tìm kiếm: {keyword}", base, f'<table width="100%">{rows}</table>')
