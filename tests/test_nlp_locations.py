"""Place mentions: level words, abbreviations, lists, ambiguity and false hits."""

import unicodedata

import pytest

from nlp.gazetteer import gazetteer, key_of
from nlp.locations import find_places
from nlp.pipeline import extract


def _names(text: str, source: str | None = None) -> set[tuple[str, str, str]]:
    return {(m.name, m.level, m.province.name) for m in find_places(text, source)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hội nghị tổ chức tại TP.HCM.", {("Hồ Chí Minh", "province", "Hồ Chí Minh")}),
        ("UBND TP Hà Nội chỉ đạo.", {("Hà Nội", "province", "Hà Nội")}),
        ("Đoàn về tỉnh Thừa Thiên Huế.", {("Thừa Thiên Huế", "province", "Thừa Thiên Huế")}),
        ("Hội viên quận Ba Đình tham gia.", {("Ba Đình", "district", "Hà Nội")}),
        ("Tại huyện Mê Linh, phụ nữ được hỗ trợ.", {("Mê Linh", "district", "Hà Nội")}),
        ("Phụ nữ thị xã Bến Cát nhận vốn.", {("Bến Cát", "district", "Bình Dương")}),
        ("Lễ mít tinh ở Q.1 và tỉnh Long An.", {("1", "district", "Hồ Chí Minh"), ("Long An", "province", "Long An")}),
        ("Hội LHPN Đắk Lắk về xã Ea Kao, thành phố Buôn Ma Thuột.",
         {("Đắk Lắk", "province", "Đắk Lắk"), ("Ea Kao", "commune", "Đắk Lắk"),
          ("Buôn Ma Thuột", "district", "Đắk Lắk")}),
        ("Các huyện Mường Nhé, Nậm Pồ của tỉnh Điện Biên.",
         {("Mường Nhé", "district", "Điện Biên"), ("Nậm Pồ", "district", "Điện Biên"),
          ("Điện Biên", "province", "Điện Biên")}),
        ("XÃ TÂN LẬP, HUYỆN ĐAN PHƯỢNG RA QUÂN",
         {("Tân Lập", "commune", "Hà Nội"), ("Đan Phượng", "district", "Hà Nội")}),
    ],
)
def test_places(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bà Nguyễn Thị Hà phát biểu.",  # a person's name, not Hà Nội
        "Ông Lê Văn Hà Nam dự lễ.",  # "Hà Nam" inside a name
        "Các tỉnh miền Nam và miền Bắc tham gia.",  # directions
        "Các xã, phường và thị trấn triển khai.",  # level words without names
        "Đại biểu cấp xã: 1.200 người.",  # a number after a level word and a colon
        "Gia đình hòa bình, hạnh phúc.",  # common words
        "Việt Nam cam kết thúc đẩy bình đẳng giới.",  # the country
    ],
)
def test_no_false_places(text: str) -> None:
    assert _names(text) == set()


def test_ambiguous_commune_resolved_by_context() -> None:
    found = _names("Hội LHPN xã Tân Hưng, huyện Bàu Bàng tổ chức.")
    assert ("Tân Hưng", "commune", "Bình Dương") in found


def test_ambiguous_commune_without_context_is_dropped() -> None:
    assert not any(level == "commune" for _, level, _ in _names("Hội viên xã Tân Hưng tham gia."))


def test_key_ignores_spacing_and_accents() -> None:
    assert key_of("CưM'gar") == key_of("Cư M'gar") == "cumgar"
    assert gazetteer().province("Thừa Thiên - Huế").name == "Thừa Thiên Huế"


def test_new_province_crosswalk() -> None:
    ext = extract("Phụ nữ tỉnh Bình Dương nhận vốn vay.")
    assert ext.provinces == ["Bình Dương"]
    assert ext.provinces_new[0].new_name == "Hồ Chí Minh"
    assert ext.provinces_new[0].new_code == "79"


def test_decomposed_input() -> None:
    text = unicodedata.normalize("NFD", "Lễ phát động tại huyện Hoài Đức, Hà Nội.")
    ext = extract(text)
    assert ext.provinces == ["Hà Nội"]
    assert [u.name for u in ext.admin_units] == ["Hoài Đức"]
