"""Find reported quantities: "28.867 lao động nữ", "trên 60%", "gần 250 triệu đồng", "5/8 đại biểu".

A number is a figure when it counts something: a counted noun, "%" or a currency after it
(``nlp.figure_units``), or a noun named before it ("Số vụ bạo lực gia đình là 74"). Dates,
years, times, periods ("2021-2030"), document numbers ("247/KH-UBND"), labels ("Dự án 8",
"lần 3", "Quận 10"), ordinals ("thứ hai"), numbers glued to letters, names in quotation marks
("“90 hành động thiết thực”"), household types ("hộ 3 thế hệ") and durations that only bound a
period ("10 tháng", "2 năm qua") are not. "cả 3 cấp", "ít nhất một" and vague quantities
("hàng trăm") are marked optional. Word lists: ``nlp/data/figures.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nlp.figure_subjects import FigureMatch, describe, subject_of, time_scope_of
from nlp.figure_units import apply_multipliers, measure, unit_before
from nlp.figure_words import figure_words
from nlp.numbers import MULTIPLIERS, NUMBER_WORDS, parse_digits, parse_words

__all__ = ["FigureMatch", "find_figures", "subject_of", "time_scope_of"]

_WORD_NUMBER = "|".join(
    sorted([*NUMBER_WORDS, "mươi", "trăm", "nửa", "linh", "lẻ", *MULTIPLIERS], key=len, reverse=True)
)
# Digits: "28.867", "62,5", and "12, 375" before a scale word or "%" (a decimal comma typed with a space).
_NUMBER = re.compile(
    r"(?<![\w/:-])(?<!\d[.,])(?P<digits>\d+(?:[.,]\d+)*(?:,[ \t]\d{1,3}(?=[ \t]*(?:tỷ|tỉ|triệu|nghìn|ngàn|%)))?)"
    r"(?=đ(?!\w)|(?![\w/:]|-\d|[.,]\d))"  # "3.000.000đ": the currency may be glued on
    r"|(?<![\w])(?P<words>(?i:" + _WORD_NUMBER + r")(?:\s+(?:" + _WORD_NUMBER + r"))*)(?![\w])"
)
# "5/8 đại biểu", "trúng cử 41/75", "212 nữ/530 người".
_FRACTION = re.compile(r"(?<![\w/-])(?<!\d[.,])(\d+(?:\.\d{3})*)/(\d+(?:\.\d{3})*)(?![\w/-])")
_PER = re.compile(r"(?<=[^\W\d_])/(\d+(?:\.\d{3})*)(?![\w/-])")
_RANGE_JOIN = re.compile(r"\s*(?:đến|tới|-|–)\s*(?=\d)")
_RANGE_ONLY = re.compile(r"\s*(?:đến|tới|-|–)\s*(?:(?:khoảng|gần|hơn|trên)\s+)?")
_QUOTE_OPEN = re.compile(r"[“\"]\s*$")
_CHANGE_BEFORE = re.compile(r"(?<!\w)(?:tăng|giảm)\s+(?:thêm\s+)?$", re.I)
# A number right after an opening quote that closes this soon is part of a name.
NAME_MAX_CHARS = 60


def _previous_word(text: str, pos: int, nth: int = 1) -> str:
    """The ``nth`` word before ``pos`` in its clause, lower-cased ("" when punctuation comes first)."""
    words = text[max(0, pos - 30):pos].split()
    if len(words) < nth or re.search(r"[,;:()\n]\s*$", text[max(0, pos - 3):pos]):
        return ""
    return words[-nth].lower()


def _qualifier(text: str, pos: int) -> tuple[str | None, int]:
    """The qualifier right before ``pos`` ("hơn", "trên", "cả") and where it starts."""
    match = figure_words().qualifier.search(text[max(0, pos - 14):pos])
    if not match:
        return None, pos
    return match.group(1).lower(), pos - len(text[max(0, pos - 14):pos]) + match.start(1)


def _is_label(text: str, start: int, end: int) -> bool:
    """A year, a date part, a label, or a name in quotation marks."""
    if re.fullmatch(r"(19|20)\d\d", text[start:end]):
        return True
    if _QUOTE_OPEN.search(text[max(0, start - 2):start]) and re.search(r"[”\"]", text[end:end + NAME_MAX_CHARS]):
        return True
    previous = _previous_word(text, start)
    if previous == "số" and _previous_word(text, start, 2) in figure_words().count_before_so:
        return False  # "Tổng số 1.530 vụ"
    return previous in figure_words().label_words


def _is_no_figure(text: str, start: int, unit: str) -> bool:
    """A duration that only bounds a period ("10 tháng", "2 năm qua") or a household type ("hộ 3 thế hệ")."""
    lists = figure_words()
    words = unit.lower().split()
    if words and words[0] in lists.duration_units and " ".join(words[:2]) not in lists.not_durations:
        return True
    household = _previous_word(text, start) in lists.household_nouns or \
        f"{_previous_word(text, start, 2)} {_previous_word(text, start)}" in lists.household_nouns
    return " ".join(words[:2]) in lists.household_type_units and household


def _unit_from_context(text: str, start: int, end: int, found: list[FigureMatch]) -> tuple[str, int] | None:
    """A number with nothing counted after it: "Số vụ bạo lực gia đình là 74"; "tăng 250 so với ..."
    after a count of the same sentence."""
    named = unit_before(text, start)
    if named:
        return named, end
    if _CHANGE_BEFORE.search(text[max(0, start - 12):start]) and found:
        last = found[-1]
        if last.unit not in ("%",) and "." not in text[last.end:start] and start - last.end < 80:
            return last.unit, end
    return None


def _make(text: str, start: int, end: int, value: float, found: list[FigureMatch]) -> FigureMatch | None:
    measured = measure(text, value, end) or _ranged(text, value, end)
    if measured is None:
        context = _unit_from_context(text, start, end, found)
        if context is None:
            return None
        measured = (value, *context)
    value, unit, unit_end = measured
    if _is_no_figure(text, start, unit):
        return None
    lists = figure_words()
    qualifier, span_start = _qualifier(text, start)
    optional = qualifier in lists.optional_qualifiers
    change = qualifier if qualifier in lists.change_qualifiers else None
    return FigureMatch(span_start, unit_end, value, unit, optional, qualifier, change)


def _ranged(text: str, value: float, end: int) -> tuple[float, str, int] | None:
    """ "từ 5 đến 10 triệu đồng": the first number takes the second's unit and multiplier."""
    join = _RANGE_JOIN.match(text, end)
    following = _NUMBER.match(text, join.end()) if join else None
    if following is None:
        return None
    measured = measure(text, value, following.end())
    if measured is None:
        return None
    scaled, _, _ = apply_multipliers(text, value, following.end())
    return scaled, measured[1], measured[2]


def _fraction_figures(text: str, match: re.Match[str], found: list[FigureMatch]) -> list[FigureMatch]:
    lists = figure_words()
    measured = measure(text, 0, match.end())
    if measured and measured[1].split()[0].lower() in lists.duration_units | lists.time_units:
        return []
    if measured is None:
        low, high = (parse_digits(match.group(g)) for g in (1, 2))
        cue = lists.fraction_cue.search(text[max(0, match.start() - 20):match.start()])
        if low is None or high is None or high < low or not (cue or high > 12):
            return []
        context = _unit_from_context(text, match.start(), match.end(), found)
        unit, unit_end = context if context else ("", match.end())
    else:
        unit, unit_end = measured[1], measured[2]
    if _previous_word(text, match.start()) in lists.label_words or unit[:1].isupper():
        return []
    values = [parse_digits(match.group(g)) for g in (1, 2)]
    return [FigureMatch(match.start(), unit_end, v, unit) for v in values if v is not None]


def _fractions(text: str, dates: list[tuple[int, int]]) -> tuple[list[FigureMatch], list[tuple[int, int]]]:
    """ "5/8 đại biểu": two figures with one unit; "trúng cử 41/75": two with the unit of the
    context; other "a/b" are dates or codes."""
    found, taken = [], []
    for match in _FRACTION.finditer(text):
        taken.append(match.span())
        if not any(s <= match.start() < e for s, e in dates):
            found += _fraction_figures(text, match, found)
    return found, taken


def find_figures(text: str, dates: list[tuple[int, int]] | None = None) -> list[FigureMatch]:
    """Every figure of ``text``, in text order, with its subject, range, change and time scope.

    ``dates`` are the spans of date mentions ("5/8" there is the 5th of August, not a fraction).
    """
    found, taken = _fractions(text, dates or [])
    read_until = 0  # scale words already read into a figure ("1,5 nghìn tỷ") start no figure of their own
    for match in _NUMBER.finditer(text):
        if (match.start() < read_until and not match.group("digits")) or any(s <= match.start() < e for s, e in taken):
            continue
        figure = _digit_figure(text, match, found) if match.group("digits") else _word_figure(text, match, found)
        if figure:
            found.append(figure)
            read_until = figure.end
    found += _per_figures(text, found)
    found.sort(key=lambda f: f.start)
    found = _ranges(text, found)
    described: list[FigureMatch] = []
    for i, figure in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        described.append(describe(text, figure, described[-1] if described else None, nxt))
    return described


def _per_figures(text: str, found: list[FigureMatch]) -> list[FigureMatch]:
    """ "212 nữ/530 người": the number after "/" is a figure of its own."""
    more = []
    for match in _PER.finditer(text):
        value = parse_digits(match.group(1))
        if value is None or _is_label(text, match.start(1), match.end(1)):
            continue
        measured = measure(text, value, match.end())
        if measured and not any(f.start <= match.start() < f.end for f in found):
            more.append(FigureMatch(match.start(1), measured[2], measured[0], measured[1]))
    return more


def _ranges(text: str, figures: list[FigureMatch]) -> list[FigureMatch]:
    """ "từ 16% đến 58%": the first figure of a range also carries its upper bound."""
    result = list(figures)
    for i in range(len(result) - 1):
        low, high = result[i], result[i + 1]
        if high.start == low.start:  # the two numbers of a fraction "5/8"
            continue
        joined = high.start < low.end or _RANGE_ONLY.fullmatch(text[low.end:high.start])
        if joined and low.unit == high.unit and high.value >= low.value:
            opens = re.search(r"(?<![\w])từ\s+$", text[max(0, low.start - 6):low.start], re.I)
            result[i] = replace(low, value_max=high.value, qualifier=low.qualifier or ("từ" if opens else None))
    return result


def _digit_figure(text: str, match: re.Match[str], found: list[FigureMatch]) -> FigureMatch | None:
    digits = match.group("digits")
    value = parse_digits(digits.replace(", ", ",")) if ", " in digits else parse_digits(digits)
    if value is None or _is_label(text, match.start(), match.end()):
        return None
    return _make(text, match.start(), match.end(), value, found)


def _word_figure(text: str, match: re.Match[str], found: list[FigureMatch]) -> FigureMatch | None:
    words = match.group("words")
    lowered = words.lower()
    qualifier, _ = _qualifier(text, match.start())
    lists = figure_words()
    if " " not in lowered and lowered in lists.ambiguous_number_words and qualifier not in lists.optional_qualifiers:
        return None
    if words[0].isupper() and not _starts_sentence(text, match.start()):
        return None
    value = parse_words(lowered)
    if value is None or _previous_word(text, match.start()) in lists.label_words:
        return None
    if qualifier == "hàng":
        value = value or 1
    return _make(text, match.start(), match.end(), value, found)


def _starts_sentence(text: str, pos: int) -> bool:
    return pos == 0 or bool(re.search(r"(^|[.!?:\n]\s*|[\"“(]\s*)$", text[max(0, pos - 3):pos]))
