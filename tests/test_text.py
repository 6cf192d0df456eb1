"""Normalisation at the edge and accent folding."""

import unicodedata

import pytest

from newsmon.text import fold, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà", "hòa"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("thuỷ sản", "thủy sản"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("tuỳ", "tùy"),
        ("hoàn thành", "hoàn thành"),  # closed syllable: tone stays on the second vowel
        ("thuyền", "thuyền"),
        ("quý", "quý"),  # "qu" is a consonant: nothing to move
        ("của mùa lúa", "của mùa lúa"),  # "ua" is not one of the moved pairs
        ("ngoài", "ngoài"),
        ("hoặc", "hoặc"),  # NFD puts the dot below before the breve: not a tone to move
        ("hoạch định", "hoạch định"),
        ("xoẹt", "xoẹt"),
        (unicodedata.normalize("NFD", "Bình đẳng giới"), "Bình đẳng giới"),
        ("  hai   khoảng\u00a0trắng \u200b", "hai khoảng trắng"),
        ("đoạn 1\n\n\n\ndoạn 2", "đoạn 1\n\ndoạn 2"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
    assert unicodedata.is_normalized("NFC", normalize(raw))


def test_normalize_quotes_only_when_asked() -> None:
    assert normalize("“Tháng hành động”") == "“Tháng hành động”"
    assert normalize("“Tháng hành động”", quotes=True) == '"Tháng hành động"'


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Bình Đẳng Giới", "binh dang gioi"),
        ("ĐẮK LẮK", "dak lak"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("TP.HCM 28.867", "tp.hcm 28.867"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_preserves_length_so_offsets_carry_over() -> None:
    text = normalize("Phụ nữ Đắk Nông được hỗ trợ 1,5 triệu đồng — “đột phá”")
    assert len(fold(text)) == len(text)
    start = fold(text).index("dak nong")
    assert text[start:start + 8] == "Đắk Nông"


def test_old_and_new_tone_placement_fold_alike() -> None:
    assert fold(normalize("hoà")) == fold(normalize("hòa")) == "hoa"
