"""Vietnamese number parsing."""

import pytest

from nlp.numbers import parse_digits, parse_number, parse_words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("31.452", 31452), ("250.000.000", 250_000_000), ("1.714", 1714), ("02", 2), ("0", 0),
        ("62,5", 62.5), ("12,65", 12.65), ("1,300", 1.3), ("2.5", 2.5), ("1,000,000", 1_000_000),
        ("1,5 triệu", 1_500_000), ("2,3 tỷ", 2_300_000_000), ("4,5 triệu", 4_500_000), ("135 triệu", 135_000_000),
        ("3 nghìn", 3000), ("7 ngàn", 7000), ("1,3 tỉ", 1_300_000_000),
        ("ba", 3), ("hai mươi", 20), ("hai mươi lăm", 25), ("mười lăm", 15), ("một trăm", 100),
        ("một trăm linh năm", 105), ("ba trăm hai mươi mốt", 321), ("nửa tỉ", 500_000_000), ("hai nghìn", 2000),
        ("Bốn", 4),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "12a", "1..2", "hai con", "247/KH"])
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None if text else parse_words(text) is None


def test_digits_reject_words() -> None:
    assert parse_digits("mười") is None
