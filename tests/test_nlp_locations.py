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


# --- issue 13: place classes seen on unseen articles (invented sentences, real gazetteer units) -----


@pytest.mark.parametrize(
    ("text", "commune", "province"),
    [
        ("Hội LHPN xã Tân Bình, huyện Châu Thành, tỉnh Đồng Tháp tổ chức tọa đàm.", "Tân Bình", "Đồng Tháp"),
        ("Tại xã Vĩnh Thành (huyện Châu Thành, An Giang), hội viên tham gia.", "Vĩnh Thành", "An Giang"),
    ],
)
def test_a_commune_is_resolved_by_the_district_and_province_after_it(text: str, commune: str, province: str) -> None:
    found = _names(text)
    assert (commune, "commune", province) in found
    assert {p for _, _, p in found} == {province}


@pytest.mark.parametrize(
    "text",
    ["Cấp tỉnh 3 chị, cấp huyện 5 chị, cấp xã 12 chị được bầu.", "Hội nghị có đại biểu các cấp tỉnh, huyện, xã.",
     "Chị Lan sống ở thôn Thái Bình.", "Gia đình ở bản Lai Châu rất khó khăn.", "Bà con ấp Long An đến dự.",
     "Giảng viên Đại học Thái Nguyên trình bày."],
)
def test_tiers_villages_and_institutions_are_no_places(text: str) -> None:
    assert _names(text) == set()


@pytest.mark.parametrize(("text", "province"), [("Đoàn công tác về tỉnh Bắc Cạn.", "Bắc Kạn"),
                                                 ("Phụ nữ Đắc Lắc nhận vốn vay.", "Đắk Lắk"),
                                                 ("Hội LHPN tỉnh Kontum tổ chức hội thi.", "Kon Tum")])
def test_old_spellings_still_resolve(text: str, province: str) -> None:
    assert {p for _, _, p in _names(text)} == {province}


def test_a_commune_named_after_an_old_district_after_the_merger() -> None:
    found = _names("Hội LHPN phường Pleiku phối hợp với các xã Mang Yang, Ia Pa tổ chức tuyên truyền.")
    assert found == {("Pleiku", "commune", "Gia Lai"), ("Mang Yang", "commune", "Gia Lai"),
                     ("Ia Pa", "commune", "Gia Lai")}


def test_a_unit_unique_under_its_level_word_needs_no_other_context() -> None:
    assert _names("Hội LHPN phường Kim Tân ra mắt mô hình.") == {("Kim Tân", "commune", "Lào Cai")}


def test_the_outlet_is_no_evidence_alone() -> None:
    assert _names("Hội thi tổ chức tại xã Thanh Sơn.", source="thanhchuong.nghean.gov.vn") == set()
