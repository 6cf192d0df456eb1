"""Organisations (expanded, normalised, deduplicated) and documents (type, number, issuer, date)."""

import pytest

from nlp.dates import find_dates
from nlp.documents import find_documents
from nlp.organisations import find_organisations, normalise_organisation


@pytest.mark.parametrize(
    ("text", "name", "abbreviation", "place"),
    [
        ("UBND huyện Cam Lộ chỉ đạo", "Ủy ban nhân dân huyện Cam Lộ", "UBND", "huyện Cam Lộ"),
        ("Uỷ ban nhân dân (UBND) tỉnh Sơn La", "Ủy ban nhân dân tỉnh Sơn La", "UBND", "tỉnh Sơn La"),
        ("HĐND xã Tân Lập", "Hội đồng nhân dân xã Tân Lập", "HĐND", "xã Tân Lập"),
        ("Sở LĐTB&XH tỉnh Nghệ An", "Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An", "Sở LĐTB&XH", "tỉnh Nghệ An"),
        ("Sở LĐ-TB&XH TP. Cần Thơ", "Sở Lao động - Thương binh và Xã hội thành phố Cần Thơ", "Sở LĐTB&XH",
         "thành phố Cần Thơ"),
        ("Bộ Lao động - Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội", "Bộ LĐTB&XH", None),
        ("Hội LHPN Hà Nội", "Hội Liên hiệp Phụ nữ Hà Nội", "Hội LHPN", "Hà Nội"),
        ("Hội Liên hiệp Phụ nữ quận Ba Đình", "Hội Liên hiệp Phụ nữ quận Ba Đình", "Hội LHPN", "quận Ba Đình"),
        ("Ủy ban MTTQ Việt Nam tỉnh Hà Giang", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang", "MTTQ",
         "tỉnh Hà Giang"),
        ("Ban Vì sự tiến bộ phụ nữ huyện Mê Linh", "Ban Vì sự tiến bộ của phụ nữ huyện Mê Linh", "Ban VSTBPN",
         "huyện Mê Linh"),
        ("Trung ương Hội LHPN Việt Nam", "Trung ương Hội Liên hiệp Phụ nữ Việt Nam", "TW Hội LHPN Việt Nam", None),
        ("Ngân hàng CSXH", None, None, None),
        ("NHCSXH huyện Bàu Bàng", "Ngân hàng Chính sách xã hội huyện Bàu Bàng", "NHCSXH", "huyện Bàu Bàng"),
    ],
)
def test_organisation_is_expanded(text: str, name: str | None, abbreviation: str | None, place: str | None) -> None:
    found = find_organisations(text)
    if name is None:
        assert found == []
        return
    assert [(o.name, o.abbreviation, o.place) for o in found] == [(name, abbreviation, place)]
    assert text[found[0].start:found[0].end] == found[0].text or "(" in text


def test_person_after_an_organisation_is_not_its_place() -> None:
    found = find_organisations("Thứ trưởng Bộ LĐTB&XH Nguyễn Thị Hà và Chủ tịch UBND quận Ba Đình Trần Văn Nam dự.")
    assert [o.name for o in found] == ["Bộ Lao động - Thương binh và Xã hội", "Ủy ban nhân dân quận Ba Đình"]


def test_organisations_are_deduplicated_across_spellings() -> None:
    found = find_organisations("UBND huyện Cam Lộ và Hội LHPN huyện. Ủy ban nhân dân huyện Cam Lộ đã chỉ đạo; "
                               "Hội Liên hiệp Phụ nữ huyện cũng tham gia.")
    assert [o.name for o in found] == ["Ủy ban nhân dân huyện Cam Lộ", "Hội Liên hiệp Phụ nữ huyện"]


def test_document_code_is_not_an_organisation() -> None:
    assert find_organisations("Kế hoạch số 247/KH-UBND đã được ban hành.") == []


def test_normalise_organisation() -> None:
    assert normalise_organisation("UBND tỉnh Nghệ An") == ("Ủy ban nhân dân tỉnh Nghệ An", "UBND")
    assert normalise_organisation("một cơ quan") is None


@pytest.mark.parametrize(
    ("text", "kind", "number", "issuer", "code", "date"),
    [
        ("Thực hiện Kế hoạch số 247/KH-UBND ngày 10/11/2024 của UBND thành phố về Tháng hành động.",
         "Kế hoạch", "247/KH-UBND", "Ủy ban nhân dân thành phố", "UBND", "2024-11-10"),
        ("Căn cứ Quyết định 1234/QĐ-UBND ngày 5 tháng 6 năm 2023 của UBND tỉnh Nghệ An.",
         "Quyết định", "1234/QĐ-UBND", "Ủy ban nhân dân tỉnh Nghệ An", "UBND", "2023-06-05"),
        ("Theo kế hoạch số 12/KH-HLHPN, các cơ sở hội triển khai.", "Kế hoạch", "12/KH-HLHPN",
         "Hội Liên hiệp Phụ nữ", "HLHPN", None),
        ("Thực hiện Chỉ thị số 21-CT/TW ngày 20/1/2018 của Ban Bí thư.", "Chỉ thị", "21-CT/TW", "Ban Bí thư", "TW",
         "2018-01-20"),
        ("Chỉ thị 21-CT/TW về công tác phụ nữ.", "Chỉ thị", "21-CT/TW", "Ban Chấp hành Trung ương Đảng", "TW", None),
        ("Công văn số 45/SLĐTBXH-BĐG ngày 3/11/2023 của Sở LĐTB&XH tỉnh Nghệ An, các huyện triển khai.",
         "Công văn", "45/SLĐTBXH-BĐG", "Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An", "SLĐTBXH", "2023-11-03"),
        ("Theo Công văn 812/UBND-VX, các xã báo cáo.", "Công văn", "812/UBND-VX", "Ủy ban nhân dân", "UBND", None),
    ],
)
def test_documents(text: str, kind: str, number: str, issuer: str | None, code: str, date: str | None) -> None:
    documents = find_documents(text, find_dates(text, 2023))
    assert [(d.type, d.number, d.issuer, d.issuer_code, d.date) for d in documents] == [
        (kind, number, issuer, code, date)]


def test_person_right_after_the_level_word_is_not_a_place() -> None:
    found = find_organisations("Phó Chủ tịch UBND huyện Trần Thị Minh Châu phát biểu; UBND huyện Hoàng Su Phì dự.")
    assert [o.name for o in found] == ["Ủy ban nhân dân huyện", "Ủy ban nhân dân huyện Hoàng Su Phì"]
