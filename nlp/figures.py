"""Find reported quantities: "28.867 lao động nữ", "trên 60%", "gần 250 triệu đồng".

A number is a figure when a counted noun, "%" or a currency follows it. Dates, years,
times, periods ("2021-2030"), document numbers ("247/KH-UBND"), labels ("Dự án 8",
"lần 3", "Quận 10"), ordinals ("thứ hai") and numbers glued to letters are not.
Durations ("10 tháng", "2 năm qua"), "cả 3 cấp" and "hàng trăm" are marked optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.numbers import MULTIPLIERS, NUMBER_WORDS, parse_digits, parse_words

__all__ = ["FigureMatch", "find_figures"]

_WORD_NUMBER = "|".join(
    sorted([*NUMBER_WORDS, "mươi", "trăm", "nửa", "linh", "lẻ", *MULTIPLIERS], key=len, reverse=True)
)
_NUMBER = re.compile(
    r"(?<![\w/:-])(?<!\d[.,])(?P<digits>\d+(?:[.,]\d+)*)(?![\w/:]|-\d|[.,]\d)"
    r"|(?<![\w])(?P<words>(?i:" + _WORD_NUMBER + r")(?:\s+(?:" + _WORD_NUMBER + r"))*)(?![\w])"
)
_FRACTION = re.compile(r"(?<![\w/-])(?<!\d[.,])(\d+(?:\.\d{3})*)/(\d+(?:\.\d{3})*)(?![\w/-])")
_MULTIPLIER = re.compile(r"\s+(" + "|".join(MULTIPLIERS) + r")(?![\w])", re.I)
_PERCENT = re.compile(r"\s?(%|phần trăm)")
_CURRENCY = re.compile(r"\s+(đồng|USD|VNĐ|VND|đô la)(?![\w])")
_RANGE_JOIN = re.compile(r"\s*(?:đến|tới|-|–)\s*(?=\d)")
_WORD = re.compile(r"[^\W\d_][\w]*")

# The word before a number that makes it a label, a date part or an ordinal.
LABEL_WORDS = frozenset([
    "ngày", "tháng", "năm", "số", "lần", "khóa", "khoá", "thứ", "kỳ", "đợt", "điều", "khoản", "mục", "chương",
    "tập", "trang", "hình", "ảnh", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "lúc", "giai", "đoạn", "quận",
    "phường", "q.", "p.", "án", "thị", "định", "quyết", "luật", "hoạch", "văn", "tư", "thông", "báo", "mã", "tổ",
    "khu", "ấp", "thôn", "bản", "xóm", "đội", "tiểu", "nhóm", "phụ", "lục", "bảng", "khối", "lớp", "top", "size"
])
# Qualifiers before a number, and what they mean for the figure.
QUALIFIERS = ("ít nhất", "tối thiểu", "lên tới", "lên đến", "xấp xỉ", "khoảng", "hơn", "trên", "gần",
              "đạt", "tăng", "giảm", "cả", "hàng", "tới", "gấp", "chỉ", "còn", "tổng cộng")
OPTIONAL_QUALIFIERS = frozenset({"cả", "hàng", "ít nhất"})
CHANGE_QUALIFIERS = frozenset({"tăng", "giảm"})
TIME_UNITS = frozenset({"giờ", "phút", "giây", "h", "tuổi"})
DURATION_UNITS = frozenset({"năm", "tháng", "tuần", "ngày", "quý"})
# Words a counted noun never starts with, and words that end it.
UNIT_STOPWORDS = frozenset([
    "được", "có", "là", "với", "cho", "tại", "của", "trong", "và", "đã", "đang", "sẽ", "từ", "đến", "thuộc", "ở",
    "về", "theo", "do", "nhằm", "để", "trên", "dưới", "gồm", "như", "này", "đó", "các", "những", "mỗi", "so",
    "vào", "ra", "lên", "xuống", "bị", "đạt", "tăng", "giảm", "hơn", "khi", "thì", "mà", "nên", "vì", "nhưng",
    "hoặc", "hay", "cùng", "sau", "trước", "qua", "đầu", "gần", "đây", "nay", "trở", "chiếm", "trị", "tổng",
    "bằng", "người", "đi", "rồi", "nữa", "lại", "cũng", "đều", "không", "chưa", "tham"
]) - {"người"}
# Numbers written as one ambiguous word ("năm" = five/year, "một" = one/a) are not read alone.
AMBIGUOUS_NUMBER_WORDS = frozenset({"một", "năm", "tư", "không", "mốt", "lăm", "mươi", "linh", "lẻ", "nửa",
                                    *MULTIPLIERS})
_MAX_UNIT_WORDS = 4


@dataclass(frozen=True, slots=True)
class FigureMatch:
    """One figure: value, unit and the exact span of the text."""

    start: int
    end: int
    value: float
    unit: str
    optional: bool = False
    qualifier: str | None = None
    change: str | None = None


def _previous_word(text: str, pos: int) -> str:
    words = text[max(0, pos - 20):pos].split()
    return words[-1].lower() if words and not re.search(r"[,;:()\n]\s*$", text[max(0, pos - 3):pos]) else ""


def _qualifier(text: str, pos: int) -> tuple[str | None, int]:
    """The qualifier right before ``pos`` ("hơn", "trên", "cả") and where it starts."""
    before = text[max(0, pos - 14):pos].lower()
    for qualifier in QUALIFIERS:
        if re.search(r"(?<!\w)" + qualifier + r"\s+$", before):
            return qualifier, pos - len(before) + before.rindex(qualifier)
    return None, pos


def _read_unit(text: str, pos: int) -> tuple[str, int]:
    """The counted noun phrase starting at ``pos`` ("lao động nữ") and its end."""
    words: list[str] = []
    end = pos
    while len(words) < _MAX_UNIT_WORDS:
        match = re.compile(r"[ \t]+").match(text, end)
        word = _WORD.match(text, match.end()) if match else None
        if not word or word.group().lower() in UNIT_STOPWORDS:
            break
        if words and word.group()[0].isupper():
            break
        words.append(word.group())
        end = word.end()
    return " ".join(words), end


def _measure(text: str, value: float, end: int) -> tuple[float, str, int] | None:
    """Apply a multiplier, then read "%", a currency or a counted noun after the number."""
    multiplier = _MULTIPLIER.match(text, end)
    if multiplier:
        value *= MULTIPLIERS[multiplier.group(1).lower()]
        end = multiplier.end()
    percent = _PERCENT.match(text, end)
    if percent:
        return value, "%", percent.end()
    currency = _CURRENCY.match(text, end)
    if currency:
        return value, "đồng" if currency.group(1) in ("đồng", "VNĐ", "VND") else currency.group(1), currency.end()
    unit, unit_end = _read_unit(text, end)
    if not unit or unit.split()[0].lower() in TIME_UNITS:
        return None
    return value, unit, unit_end


def _is_label(text: str, start: int, end: int) -> bool:
    """A year, a date part, a label or a number inside a code."""
    number = text[start:end]
    if re.fullmatch(r"(19|20)\d\d", number):
        return True
    return _previous_word(text, start) in LABEL_WORDS


def _make(text: str, start: int, end: int, value: float) -> FigureMatch | None:
    measured = _measure(text, value, end)
    if measured is None:
        range_end = _RANGE_JOIN.match(text, end)
        following = _NUMBER.match(text, range_end.end()) if range_end else None
        if following is None:
            return None
        measured = _measure(text, value, following.end())
        if measured is None:
            return None
        if not _MULTIPLIER.match(text, end):
            measured = _measure(text, value, end) or _borrow_multiplier(text, value, following.end(), measured)
    value, unit, unit_end = measured
    qualifier, span_start = _qualifier(text, start)
    optional = (qualifier in OPTIONAL_QUALIFIERS) or unit.split()[0].lower() in DURATION_UNITS
    change = qualifier if qualifier in CHANGE_QUALIFIERS else None
    return FigureMatch(span_start, unit_end, value, unit, optional, qualifier, change)


def _borrow_multiplier(text: str, value: float, end: int, measured: tuple[float, str, int]) -> tuple:
    """In "từ 5 đến 10 triệu đồng" the first number takes the second's multiplier."""
    multiplier = _MULTIPLIER.match(text, end)
    scale = MULTIPLIERS[multiplier.group(1).lower()] if multiplier else 1
    return value * scale, measured[1], measured[2]


def _fractions(text: str) -> tuple[list[FigureMatch], list[tuple[int, int]]]:
    """ "5/8 đại biểu": two figures with one unit; other "a/b" are dates or codes."""
    found, taken = [], []
    for match in _FRACTION.finditer(text):
        taken.append(match.span())
        unit, unit_end = _read_unit(text, match.end())
        if not unit or _previous_word(text, match.start()) in LABEL_WORDS or unit[0].isupper():
            continue
        if unit.split()[0].lower() in DURATION_UNITS | TIME_UNITS:
            continue
        for group in (1, 2):
            value = parse_digits(match.group(group))
            if value is not None:
                found.append(FigureMatch(match.start(), unit_end, value, unit))
    return found, taken


def find_figures(text: str) -> list[FigureMatch]:
    """Every figure of ``text``, in text order."""
    found, taken = _fractions(text)
    for match in _NUMBER.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        figure = _digit_figure(text, match) if match.group("digits") else _word_figure(text, match)
        if figure:
            found.append(figure)
    return sorted(found, key=lambda f: f.start)


def _digit_figure(text: str, match: re.Match[str]) -> FigureMatch | None:
    value = parse_digits(match.group("digits"))
    if value is None or _is_label(text, match.start(), match.end()):
        return None
    return _make(text, match.start(), match.end(), value)


def _word_figure(text: str, match: re.Match[str]) -> FigureMatch | None:
    words = match.group("words")
    lowered = words.lower()
    qualifier, _ = _qualifier(text, match.start())
    if " " not in lowered and lowered in AMBIGUOUS_NUMBER_WORDS and qualifier not in OPTIONAL_QUALIFIERS:
        return None
    if words[0].isupper() and not _starts_sentence(text, match.start()):
        return None
    value = parse_words(lowered)
    if value is None or _previous_word(text, match.start()) in LABEL_WORDS:
        return None
    if qualifier == "hàng":
        value = value or 1
    return _make(text, match.start(), match.end(), value)


def _starts_sentence(text: str, pos: int) -> bool:
    return pos == 0 or bool(re.search(r"(^|[.!?:\n]\s*|[\"“(]\s*)$", text[max(0, pos - 3):pos]))
