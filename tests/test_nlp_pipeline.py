"""The extraction contract: fields, offsets, robustness."""

from datetime import date, datetime

import pytest

from newsmon.errors import ExtractionError
from newsmon.models import Extraction
from nlp.pipeline import EXTRACTOR_VERSION, extract
from tests.extractor_pin import data_hashes, recorded

ARTICLE = (
    "Huyện Đông Anh phát động Tháng hành động vì bình đẳng giới năm 2023\n"
    "Sáng 16/11, UBND huyện Đông Anh tổ chức Lễ phát động Tháng hành động vì bình đẳng giới "
    "và phòng ngừa, ứng phó với bạo lực trên cơ sở giới năm 2023.\n"
    "Phát biểu tại buổi lễ, Phó Chủ tịch UBND huyện Trần Thị Minh Châu cho biết năm qua huyện "
    "đã hỗ trợ 125 hộ nghèo có chủ hộ là nữ.\n"
    "Nhân dịp này, Hội LHPN huyện đã trao 50 suất quà, tổng trị giá 25 triệu đồng cho phụ nữ khó khăn.\n"
    "Thực hiện Kế hoạch số 310/KH-UBND ngày 2/11/2023, huyện sẽ tổ chức tọa đàm về phòng chống bạo lực gia đình."
)


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return extract(ARTICLE, title=ARTICLE.split("\n")[0], published_at=date(2023, 11, 17), source="example.vn")


def test_version(extraction: Extraction) -> None:
    assert extraction.version == EXTRACTOR_VERSION


def test_the_extractor_version_changes_with_its_data_files() -> None:
    """Stored articles are re-extracted, re-scored and regrouped only for a new version (issue 14)."""
    pin, now = recorded(), data_hashes()
    changed = sorted(path for path in pin["files"].keys() | now.keys() if pin["files"].get(path) != now.get(path))
    how = "re-record the pin with `PYTHONPATH=. python -m tests.extractor_pin`"
    assert not changed or pin["extractor_version"] != EXTRACTOR_VERSION, (
        f"{', '.join(changed)} changed but EXTRACTOR_VERSION is still {EXTRACTOR_VERSION}: bump it in "
        f"nlp/pipeline.py (or stored articles keep the old scores and stories), then {how}")
    assert not changed and pin["extractor_version"] == EXTRACTOR_VERSION, (
        f"EXTRACTOR_VERSION is {EXTRACTOR_VERSION}, the pin was recorded for {pin['extractor_version']} "
        f"(changed: {', '.join(changed) or 'no data file'}): {how}")


def test_places(extraction: Extraction) -> None:
    assert extraction.provinces == ["Hà Nội"]
    assert [(u.name, u.level) for u in extraction.admin_units] == [("Đông Anh", "district")]


def test_figures_carry_offsets_and_sentences(extraction: Extraction) -> None:
    assert [(f.value, f.unit) for f in extraction.figures] == [
        (125, "hộ nghèo"), (50, "suất quà"), (25_000_000, "đồng")]
    for figure in extraction.figures:
        assert ARTICLE[figure.start:figure.end] == figure.text
        assert figure.text in figure.sentence


def test_campaign(extraction: Extraction) -> None:
    assert extraction.campaign_years == [2023]
    assert any(c.kind == "action_month" and c.year == 2023 for c in extraction.campaigns)


def test_events(extraction: Extraction) -> None:
    kinds = {(e.type, e.date, e.scheduled) for e in extraction.events}
    assert ("launch_ceremony", "2023-11-16", False) in kinds
    assert ("plan_issued", "2023-11-02", False) in kinds  # a cited plan takes its own date ...
    assert ("forum", None, True) in kinds  # ... which is not the date of what it schedules
    assert any(e.type == "support" for e in extraction.events)


def test_people(extraction: Extraction) -> None:
    assert [(p.name, p.title) for p in extraction.people] == [
        ("Trần Thị Minh Châu", "Phó Chủ tịch UBND huyện")]


def test_organisations_and_documents(extraction: Extraction) -> None:
    abbreviations = {o.abbreviation for o in extraction.organisations}
    assert {"UBND", "Hội LHPN"} <= abbreviations
    document = extraction.documents[0]
    assert (document.type, document.number, document.issuer, document.issuer_code, document.date) == (
        "Kế hoạch", "310/KH-UBND", "Ủy ban nhân dân", "UBND", "2023-11-02")


def test_relevance(extraction: Extraction) -> None:
    assert extraction.relevance >= 0.8 and extraction.on_topic
    assert "gender_equality" in extraction.topics
    off = extract("Giá vàng hôm nay tăng mạnh trên thị trường.")
    assert off.relevance < 0.2 and not off.on_topic


@pytest.mark.parametrize(
    "text", ["", " ", "\n\n", "!!!???", "1/2/3/4/5", "a" * 5000, "ngày 99/99", "%%% 12 %", "\x00\x01", "tỉnh"],
)
def test_odd_input_never_raises(text: str) -> None:
    result = extract(text)
    assert isinstance(result, Extraction)


def test_datetime_published_at() -> None:
    result = extract("Tin hoạt động hội\nNgày 5/12, hội tổ chức lễ phát động Tháng hành động vì bình đẳng giới.",
                     published_at=datetime(2022, 12, 6, 9, 0))
    assert result.campaign_years == [2022]
    assert result.events[0].date == "2022-12-05"


@pytest.mark.parametrize(
    "kwargs", [{"text": None}, {"text": 42}, {"text": "x", "published_at": [2024, 1]}, {"text": "x", "title": 3}],
)
def test_invalid_arguments(kwargs: dict) -> None:
    text = kwargs.pop("text")
    with pytest.raises(ExtractionError):
        extract(text, **kwargs)


def test_words_keep_offsets() -> None:
    from nlp.normalize import sentences, words

    text = "Mở đầu.\nHội Liên hiệp Phụ nữ tổ chức tập huấn cho 30 cán bộ."
    sentence = sentences(text)[1]
    tokens = words(sentence)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert "tập huấn" in [t.text for t in tokens]


def test_figures_carry_subject_scope_and_province() -> None:
    text = ("Nghệ An: hỗ trợ phụ nữ khởi nghiệp\n"
            "Trong 9 tháng của năm 2024, tỉnh Nghệ An đã có 1.520 lao động nữ được vay vốn ưu đãi.\n"
            "Tại huyện Hoằng Hóa, tỉnh Thanh Hóa, 45 hộ nghèo được hỗ trợ.\n"
            "Tỷ lệ nữ tham gia cấp ủy đạt 28%, tăng 3% so với năm 2023.")
    figures = {f.value: f for f in extract(text, title="Nghệ An: hỗ trợ phụ nữ khởi nghiệp").figures}
    loans = figures[1520]
    assert (loans.unit, loans.subject, loans.time_scope, loans.province) == (
        "lao động nữ", "lao động nữ", "Trong 9 tháng của năm 2024", "Nghệ An")
    assert figures[45].province == "Thanh Hóa"
    assert (figures[3].change, figures[3].baseline, figures[3].province) == ("tăng", "so với năm 2023", "Nghệ An")
    for figure in figures.values():
        assert text[figure.start:figure.end] == figure.text and figure.text in figure.sentence


def test_after_the_merger_a_merged_province_name_yields_to_the_units_old_province() -> None:
    from datetime import date

    text = "Tin xã\nSáng 18/11/2025, UBND xã Lũng Cú, tỉnh Tuyên Quang tổ chức lễ phát động Tháng hành động."
    after = extract(text, title="Tin xã", published_at=date(2025, 11, 18), segment=False)
    assert after.provinces == ["Hà Giang"] and after.provinces_new[0].new_name == "Tuyên Quang"
    before = extract(text, title="Tin xã", published_at=date(2024, 11, 18), segment=False)
    assert sorted(before.provinces) == ["Hà Giang", "Tuyên Quang"]


@pytest.mark.parametrize("title", [None, "", "Tin tỉnh"])
@pytest.mark.parametrize("published_at", ["2024-11", "2024", date(2024, 11, 20), "ngày 20 tháng 11 năm 2024"])
def test_the_first_sentence_is_searched_with_any_title_and_date(title: str | None, published_at: object) -> None:
    text = "Ngày 14/11, UBND tỉnh Quảng Trị tổ chức Lễ phát động Tháng hành động vì bình đẳng giới."
    events = extract(text, title=title, published_at=published_at, segment=False).events
    assert [(e.type, e.date) for e in events] == [("launch_ceremony", "2024-11-14")]
