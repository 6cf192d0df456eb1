"""A small Vietnamese corpus with hand-built extractions, for the API and UI tests.

The sentences are written for these tests. Offsets are computed from the text, so the
article page can mark places, figures and events exactly where they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsmon.models import VN_TZ, Article, Extraction
from newsmon.store.base import Store

VERSION = "test-1"
API_KEY = "test-key-123"  # the write key of the API under test (``api_settings``)


def _body_index(text: str, phrase: str) -> int:
    """Where ``phrase`` first occurs in the body (after the headline line)."""
    return text.index(phrase, text.find("\n") + 1)


def _span(text: str, phrase: str) -> dict[str, Any]:
    start = _body_index(text, phrase)
    return {"start": start, "end": start + len(phrase)}


def _sentence(text: str, phrase: str) -> str:
    start = _body_index(text, phrase)
    begin = text.rfind(". ", 0, start) + 2 if text.rfind(". ", 0, start) >= 0 else 0
    end = text.find(". ", start)
    return text[begin:end + 1 if end >= 0 else len(text)].strip()


def _figure(text: str, phrase: str, value: float, unit: str, subject: str, province: str | None) -> dict[str, Any]:
    return {"value": value, "unit": unit, "text": phrase, "subject": subject, "province": province,
            "sentence": _sentence(text, phrase), **_span(text, phrase)}


HA_GIANG_TEXT = (
    "Ngày 15/11, UBND tỉnh Hà Giang tổ chức lễ phát động Tháng hành động vì bình đẳng giới và phòng ngừa, "
    "ứng phó với bạo lực trên cơ sở giới năm 2024. Phó Chủ tịch UBND tỉnh Hoàng Thị Lan phát biểu tại buổi lễ. "
    "Năm 2024, toàn tỉnh có 1.250 phụ nữ được vay vốn hỗ trợ sinh kế. "
    "Hội Liên hiệp Phụ nữ tỉnh Hà Giang đã tổ chức 35 lớp tập huấn về phòng, chống bạo lực gia đình."
)
HA_NOI_TEXT = (
    "Sở Lao động - Thương binh và Xã hội Hà Nội cho biết năm 2023 có 2.300 lao động nữ được đào tạo nghề. "
    "Thành phố tiếp tục lồng ghép bình đẳng giới trong các chương trình việc làm. "
    "Bà Nguyễn Thị Hoa, Giám đốc Trung tâm dịch vụ việc làm, cho biết nhiều lớp học được mở vào buổi tối."
)
GIOI_TEXT = (
    "Phong trào phụ nữ giỏi việc nước, đảm việc nhà được phát động rộng rãi ở Cần Thơ. "
    "Nhiều chị em được biểu dương vì làm kinh tế giỏi và nuôi dạy con tốt."
)
GIA_DINH_TEXT = (
    "Bình đẳng giới trong gia đình bắt đầu từ việc chia sẻ công việc nhà. Giới trẻ hiểu về giới và "
    "bình đẳng giới nhiều hơn; các chuyên gia về giới khuyên vợ chồng cùng bàn bạc."
)
BINH_THUAN_TEXT = (
    "Ngày 1/12/2022, UBND tỉnh Bình Thuận tuyên dương 50 gia đình tiêu biểu thực hiện tốt bình đẳng giới. "
    "Phó Chủ tịch UBND tỉnh Trần Văn Minh trao bằng khen cho các gia đình."
)
FORUM_TEXT = (
    "Diễn đàn trẻ em gái với chủ đề phòng, chống bạo lực học đường được tổ chức tại Đà Nẵng. "
    "Các em chia sẻ mong muốn được lắng nghe và được an toàn ở trường."
)
SCRIPT_TEXT = (
    "Hội thảo ở Quảng Ninh cho biết tỷ lệ bạo lực gia đình giảm 12,5% so với năm trước. "
    "Các đại biểu đề xuất nhân rộng mô hình địa chỉ tin cậy ở cộng đồng."
)


def _when(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 9, 30, tzinfo=VN_TZ)


def articles() -> list[Article]:
    """The corpus: seven articles, one of them a syndicated copy."""
    ha_giang = Article(url="https://baophunu.vn/ha-giang-phat-dong", source="baophunu.vn",
                       title="Hà Giang phát động Tháng hành động vì bình đẳng giới năm 2024",
                       text=HA_GIANG_TEXT, published_at=_when(2024, 11, 15))
    return [
        ha_giang,
        Article(url="https://dantri.com.vn/ha-giang-phat-dong-copy", source="dantri.com.vn",
                title=ha_giang.title, text=HA_GIANG_TEXT, published_at=_when(2024, 11, 16),
                duplicate_of=ha_giang.id),
        Article(url="https://tuoitre.vn/ha-noi-lao-dong-nu", source="tuoitre.vn",
                title="Hà Nội: 2.300 lao động nữ được đào tạo nghề", text=HA_NOI_TEXT,
                published_at=_when(2023, 11, 20)),
        Article(url="https://vnexpress.net/phu-nu-gioi", source="vnexpress.net",
                title="Phụ nữ giỏi việc nước, đảm việc nhà", text=GIOI_TEXT, published_at=_when(2024, 3, 8)),
        Article(url="https://vnexpress.net/gioi-trong-gia-dinh", source="vnexpress.net",
                title="Giới và bình đẳng giới trong gia đình", text=GIA_DINH_TEXT, published_at=_when(2024, 3, 9)),
        Article(url="https://baobinhthuan.vn/tuyen-duong", source="baobinhthuan.vn",
                title="Bình Thuận tuyên dương 50 gia đình tiêu biểu", text=BINH_THUAN_TEXT,
                published_at=_when(2022, 12, 1)),
        Article(url="https://thanhnien.vn/dien-dan-tre-em-gai", source="thanhnien.vn",
                title="Diễn đàn trẻ em gái phòng, chống bạo lực học đường", text=FORUM_TEXT,
                published_at=_when(2021, 11, 25)),
        Article(url="https://thanhnien.vn/hoi-thao-quang-ninh", source="thanhnien.vn",
                title="<script>alert(1)</script> Hội thảo về bạo lực gia đình & cộng đồng", text=SCRIPT_TEXT,
                published_at=_when(2024, 12, 1)),
    ]


def _ha_giang(t: str) -> Extraction:
    """Offsets index ``Article.full_text``, as the extractor's do."""
    return Extraction.model_validate({
        "version": VERSION, "provinces": ["Hà Giang"],
        "provinces_new": [{"name": "Hà Giang", "new_name": "Tuyên Quang", "new_code": "08"}],
        "places": [{"name": "Hà Giang", "level": "province", "province": "Hà Giang", "province_new": "Tuyên Quang",
                    **_span(t, "Hà Giang")}],
        "figures": [_figure(t, "1.250 phụ nữ", 1250, "phụ nữ", "phụ nữ được vay vốn hỗ trợ sinh kế", "Hà Giang"),
                    _figure(t, "35 lớp", 35, "lớp", "lớp tập huấn phòng, chống bạo lực gia đình", "Hà Giang")],
        "events": [{"type": "launch_ceremony", "date": "2024-11-15", "text": "lễ phát động Tháng hành động",
                    **_span(t, "lễ phát động Tháng hành động")},
                   {"type": "training", "text": "tổ chức 35 lớp tập huấn", **_span(t, "lớp tập huấn")}],
        "people": [{"name": "Hoàng Thị Lan", "title": "Phó Chủ tịch UBND tỉnh", **_span(t, "Hoàng Thị Lan")}],
        "organisations": [{"name": "Hội Liên hiệp Phụ nữ tỉnh Hà Giang", "abbreviation": "Hội LHPN",
                           **_span(t, "Hội Liên hiệp Phụ nữ tỉnh Hà Giang")}],
        # Cited by the plan the ceremony implements; not in the sample text itself.
        "documents": [{"type": "Kế hoạch", "number": "247/KH-UBND", "issuer": "Ủy ban nhân dân tỉnh Hà Giang",
                       "issuer_code": "UBND", "date": "2024-11-01", "text": "Kế hoạch số 247/KH-UBND"}],
        "topics": ["bình đẳng giới", "bạo lực gia đình"], "campaign_years": [2024], "relevance": 0.95,
    })


def _ha_noi(t: str) -> Extraction:
    """Offsets index ``Article.full_text``, as the extractor's do."""
    return Extraction.model_validate({
        "version": VERSION, "provinces": ["Hà Nội"],
        "provinces_new": [{"name": "Hà Nội", "new_name": "Hà Nội", "new_code": "01"}],
        "places": [{"name": "Hà Nội", "level": "province", "province": "Hà Nội", **_span(t, "Hà Nội")}],
        "figures": [_figure(t, "2.300 lao động nữ", 2300, "người", "lao động nữ được đào tạo nghề", "Hà Nội")],
        "events": [{"type": "training", "text": "đào tạo nghề", **_span(t, "đào tạo nghề")}],
        "people": [{"name": "Nguyễn Thị Hoa", "title": "Giám đốc", **_span(t, "Nguyễn Thị Hoa")}],
        "organisations": [{"name": "Sở Lao động - Thương binh và Xã hội Hà Nội", "abbreviation": "Sở LĐTBXH",
                           **_span(t, "Sở Lao động - Thương binh và Xã hội Hà Nội")}],
        "topics": ["bình đẳng giới", "việc làm"], "relevance": 0.8,
    })


def _binh_thuan(t: str) -> Extraction:
    """Offsets index ``Article.full_text``, as the extractor's do."""
    return Extraction.model_validate({
        "version": VERSION, "provinces": ["Bình Thuận"],
        "provinces_new": [{"name": "Bình Thuận", "new_name": "Lâm Đồng", "new_code": "68"}],
        "places": [{"name": "Bình Thuận", "level": "province", "province": "Bình Thuận", "province_new": "Lâm Đồng",
                    **_span(t, "Bình Thuận")}],
        "figures": [_figure(t, "50 gia đình", 50, "gia đình", "gia đình tiêu biểu được tuyên dương", "Bình Thuận")],
        "events": [{"type": "recognition", "date": "2022-12-01", "text": "tuyên dương 50 gia đình",
                    **_span(t, "tuyên dương")}],
        "people": [{"name": "Trần Văn Minh", "title": "Phó Chủ tịch UBND tỉnh", **_span(t, "Trần Văn Minh")}],
        "topics": ["bình đẳng giới"], "relevance": 0.7,
    })


def _simple(province: str | None, topics: list[str], relevance: float) -> Extraction:
    return Extraction(version=VERSION, provinces=[province] if province else [], topics=topics, relevance=relevance)


def _quang_ninh(t: str) -> Extraction:
    """Offsets index ``Article.full_text``, as the extractor's do."""
    return Extraction.model_validate({
        "version": VERSION, "provinces": ["Quảng Ninh"],
        "places": [{"name": "Quảng Ninh", "level": "province", "province": "Quảng Ninh", **_span(t, "Quảng Ninh")}],
        "figures": [_figure(t, "12,5%", 12.5, "%", "tỷ lệ bạo lực gia đình giảm", "Quảng Ninh")],
        "events": [{"type": "forum", "text": "Hội thảo", **_span(t, "Hội thảo")}],
        "topics": ["bạo lực gia đình"], "relevance": 0.6,
    })


def extractions(items: list[Article]) -> list[tuple[str, Extraction]]:
    """Extractions, all on-topic, for every article but the forum one (index 6), which stays un-extracted
    (so the API's default, on-topic articles only, leaves it out)."""
    made = [
        (items[0].id, _ha_giang(items[0].full_text)), (items[1].id, _ha_giang(items[1].full_text)),
        (items[2].id, _ha_noi(items[2].full_text)),
        (items[3].id, _simple("Cần Thơ", ["phụ nữ"], 0.5)), (items[4].id, _simple(None, ["bình đẳng giới"], 0.6)),
        (items[5].id, _binh_thuan(items[5].full_text)), (items[7].id, _quang_ninh(items[7].full_text)),
    ]
    return [(article_id, extraction.model_copy(update={"on_topic": True})) for article_id, extraction in made]


def seed(store: Store) -> list[Article]:
    """Fill ``store`` with the corpus and its extractions; return the articles."""
    items = articles()
    store.upsert_articles(items)
    store.save_extractions(extractions(items))
    return items
