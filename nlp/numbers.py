"""Vietnamese numbers: "28.867", "1,5 triệu", "02", "hai mươi lăm", "nửa tỉ".

Vietnamese writes "." between thousands and "," before decimals; a lone "." or ","
followed by exactly three digits is a thousands separator ("1.714", "140.000.000"),
anything else is a decimal point ("62,5", "1,300" = 1.3, "2.5").
"""

from __future__ import annotations

import re

__all__ = ["MULTIPLIERS", "NUMBER_WORDS", "parse_digits", "parse_number", "parse_words"]

MULTIPLIERS: dict[str, int] = {
    "nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000,
}
# Digits written as words. "năm" (five/year), "một" (one/a) and "tư" (four/private) are
# ambiguous on their own; figures.py only reads them inside a longer number word.
NUMBER_WORDS: dict[str, int] = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9, "mười": 10,
}
_SCALE_WORDS: dict[str, int] = {"mươi": 10, "trăm": 100, **MULTIPLIERS}
_DOT_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_COMMA_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3}){2,}$")
_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")


def parse_digits(text: str) -> float | None:
    """Parse a number written in digits: "31.452" -> 31452, "62,5" -> 62.5, "02" -> 2."""
    text = text.strip()
    if _DOT_THOUSANDS.match(text) or _COMMA_THOUSANDS.match(text):
        return float(re.sub(r"[.,]", "", text))
    if _DECIMAL.match(text):
        return float(text.replace(",", "."))
    return None


def parse_words(text: str) -> float | None:
    """Parse a number written in words: "hai mươi lăm" -> 25, "một trăm" -> 100, "nửa" -> 0.5."""
    words = text.lower().split()
    if not words:
        return None
    total, group, digit = 0.0, 0.0, 0.0
    for word in words:
        if word in ("linh", "lẻ"):
            continue
        if word == "nửa":
            digit = 0.5
        elif word == "mười":
            group += 10
        elif word in NUMBER_WORDS:
            digit = NUMBER_WORDS[word]
        elif word in ("mươi", "trăm"):
            group, digit = group + (digit or 1) * _SCALE_WORDS[word], 0.0
        elif word in MULTIPLIERS:
            total, group, digit = total + ((group + digit) or 1) * MULTIPLIERS[word], 0.0, 0.0
        else:
            return None
    return total + group + digit


def parse_number(text: str) -> float | None:
    """Parse digits with an optional multiplier ("1,5 triệu") or a number in words."""
    parts = text.split()
    if parts and parts[0][0].isdigit():
        value = parse_digits(parts[0])
        if value is None:
            return None
        for word in parts[1:]:
            if word.lower() not in MULTIPLIERS:
                return None
            value *= MULTIPLIERS[word.lower()]
        return value
    return parse_words(text)
