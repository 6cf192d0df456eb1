"""People: names with a title or an honorific, never places, bylines or bare common words."""

import pytest

from nlp.normalize import sentences
from nlp.people import find_people


def _people(text: str) -> list[tuple[str, str | None]]:
    return [(p.name, p.title) for p in find_people(text, sentences(text), [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Phó Chủ tịch UBND tỉnh Hoàng Thị Lan phát biểu.", [("Hoàng Thị Lan", "Phó Chủ tịch UBND tỉnh")]),
        ("Chị Hờ Thị Mai nhận quà hỗ trợ.", [("Hờ Thị Mai", None)]),
        ("Bà Lầu Thị Dợ chia sẻ về mô hình.", [("Lầu Thị Dợ", None)]),
        ("Đồng chí Sùng Mí Vàng, Bí thư Đảng ủy xã, dự lễ.", [("Sùng Mí Vàng", "Bí thư Đảng ủy xã")]),
    ],
)
def test_people_with_an_honorific_or_a_title(text: str, expected: list) -> None:
    assert _people(text) == expected


@pytest.mark.parametrize("text", ["Ảnh: Nguyễn Văn Nam", "Hội nghị có nhiều đại biểu Bàn Mai tham dự."])
def test_no_person_without_a_cue(text: str) -> None:
    assert _people(text) == []


def test_a_title_after_the_name_ends_at_the_reporting_verb() -> None:
    assert _people("Bà Nguyễn Thị Hà Nam, Chủ tịch Hội LHPN xã Tân Lập cho biết, phụ nữ được hỗ trợ.") == [
        ("Nguyễn Thị Hà Nam", "Chủ tịch Hội LHPN xã Tân Lập")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bà Mã Thị Hoa, Chủ tịch Hội LHPN xã, trao quà.", "Mã Thị Hoa"),
        ("Ông Đồng Văn Tú phát biểu tại hội nghị.", "Đồng Văn Tú"),
        ("Chị Vừ Thị Sua chia sẻ kinh nghiệm.", "Vừ Thị Sua"),
        ("Chị Chảo Mùi Lai nhận vốn vay.", "Chảo Mùi Lai"),
        ("Ông Cầm Văn Thủy, Trưởng bản, cho biết.", "Cầm Văn Thủy"),
        ("Bà Sầm Thị Hạnh dự lễ.", "Sầm Thị Hạnh"),
        ("Anh Danh Sóc Khum tham gia tổ hợp tác.", "Danh Sóc Khum"),
        ("Hòa thượng Thích Minh Đạo trao quà cho phụ nữ nghèo.", "Thích Minh Đạo"),
    ],
)
def test_family_names_beyond_the_common_ones(text: str, name: str) -> None:
    assert [n for n, _ in _people(text)] == [name]


def test_a_foreign_name_after_a_level_word_is_a_place() -> None:
    assert _people("Chủ tịch Hội LHPN tỉnh trao quà tại huyện Svay Chrum của tỉnh bạn.") == []
