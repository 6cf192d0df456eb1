"""Find reported quantities: "28.867 lao động nữ", "trên 60%", "gần 250 triệu đồng".

A number is a figure when a counted noun, "%" or a currency follows it. Dates, years,
times, periods ("2021-2030"), document numbers ("247/KH-UBND"), labels ("Dự án 8",
"lần 3", "Quận 10"), ordinals ("thứ hai") and numbers glued to letters are not.
Durations ("10 tháng", "2 năm qua"), "cả 3 cấp" and "hàng trăm" are marked optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nlp.numbers import MULTIPLIERS, NUMBER_WORDS, parse_digits, parse_words

__all__ = ["FigureMatch", "find_figures", "subject_of", "time_scope_of"]

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
_RANGE_ONLY = re.compile(r"\s*(?:đến|tới|-|–)\s*(?:(?:khoảng|gần|hơn|trên)\s+)?")
_WORD = re.compile(r"[^\W\d_][\w]*")
_GAP = re.compile(r"[ \t]+")
_SIBLING = re.compile(r",[ \t]*((?:[^\W\d_][\w]*)(?:[ \t]+[^\W\d_][\w]*)??)(?=[\s,.;:)]|$)")
_SIBLING_PAIR = re.compile(r",[ \t]*([^\W\d_][\w]*[ \t]+[^\W\d_][\w]*)(?=[\s,.;:)]|$)")

# The word before a number that makes it a label, a date part or an ordinal.
LABEL_WORDS = frozenset([
    "ngày", "tháng", "năm", "số", "lần", "khóa", "khoá", "thứ", "kỳ", "đợt", "điều", "khoản", "mục", "chương",
    "tập", "trang", "hình", "ảnh", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "lúc", "giai", "đoạn", "quận",
    "phường", "q.", "p.", "án", "thị", "định", "quyết", "luật", "hoạch", "văn", "tư", "thông", "báo", "mã", "tổ",
    "khu", "ấp", "thôn", "bản", "xóm", "đội", "tiểu", "nhóm", "phụ", "lục", "bảng", "khối", "lớp", "top", "size",
    "tầng", "lầu", "phòng",
])
# Qualifiers before a number, and what they mean for the figure.
QUALIFIERS = ("ít nhất", "tối thiểu", "tối đa", "không quá", "lên tới", "lên đến", "xấp xỉ", "ước tính", "trên dưới",
              "khoảng", "chừng", "hơn", "trên", "dưới", "gần", "đạt", "tăng", "giảm", "cả", "hàng", "tới", "gấp",
              "chỉ", "còn", "tổng cộng", "bình quân", "trung bình")
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
# Two-syllable words: a unit never ends inside one ("phụ nữ", "chính sách"), and a stopword
# that is their second syllable ("thiết bị") does not end the unit.
COMPOUNDS = frozenset([
    "phụ nữ", "chính sách", "gia đình", "trẻ em", "học sinh", "sinh viên", "hội viên", "đoàn viên", "thanh niên",
    "cán bộ", "học tập", "thiết bị", "trang bị", "thiểu số", "cơ sở", "xã hội", "bình đẳng", "trọng tâm",
    "khó khăn", "lao động", "người dân", "nông thôn", "công chức", "viên chức", "bầu cử",
    "làm việc", "đối thoại", "tư vấn", "hỗ trợ",
])
# Words (one or two syllables) that open a verb phrase or complement after the counted noun:
# "hộ vay", "suất học bổng tặng", "cuộc tập huấn hướng dẫn", "đại biểu đại diện".
UNIT_BREAKS = frozenset([
    "tặng", "trao", "vay", "nhận", "việc", "hướng dẫn", "đại diện", "ứng cử", "thực hiện", "tham gia", "tham dự",
    "trực tiếp", "trực tuyến", "địa bàn", "tuyên truyền", "phổ biến", "đối với", "xảy ra", "đạt", "dân tộc",
    "làm", "phòng chống", "phòng, chống",
])
# "phòng, chống bạo lực": the legal spelling of the verb "phòng chống", split by a comma.
_COMMA_CHỐNG = re.compile(r",\s*chống\b")
# Capitalised words that still belong to a counted noun ("đại biểu Trung ương", "cán bộ Hội").
CAPITALISED_MODIFIERS = frozenset(["Trung ương", "Hội", "Đảng", "Nhà nước", "Đoàn"])
# Nouns listed in pairs as one counted unit: "quận, huyện", "thôn, bản", "anh, chị".
SIBLING_NOUNS = (
    frozenset(["tỉnh", "thành phố", "quận", "huyện", "thị xã", "xã", "phường", "thị trấn", "thôn", "bản", "ấp",
               "xóm", "tổ dân phố", "khu phố", "làng", "buôn", "sóc"]),
    frozenset(["anh", "chị", "em", "ông", "bà", "cô", "chú", "cháu"]),
)


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
    subject: str | None = None
    value_max: float | None = None
    baseline: str | None = None
    time_scope: str | None = None


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


def _words_at(text: str, pos: int, limit: int) -> list[re.Match[str]]:
    """Up to ``limit`` words that follow ``pos``, separated by spaces or tabs only."""
    found: list[re.Match[str]] = []
    end = pos
    while len(found) < limit:
        gap = _GAP.match(text, end)
        word = _WORD.match(text, gap.end()) if gap else None
        if not word:
            break
        found.append(word)
        end = word.end()
    return found


def _read_unit(text: str, pos: int) -> tuple[str, int]:
    """The counted noun phrase starting at ``pos`` ("lao động nữ") and its end."""
    ahead = _words_at(text, pos, _MAX_UNIT_WORDS + 3)
    words: list[str] = []
    end = pos
    i = 0
    while i < len(ahead) and len(words) < _MAX_UNIT_WORDS:
        word = ahead[i].group()
        lower = word.lower()
        pair = f"{words[-1].lower()} {lower}" if words else ""
        following = ahead[i + 1].group() if i + 1 < len(ahead) else ""
        two = f"{lower} {following.lower()}" if following else ""
        if lower in UNIT_STOPWORDS and pair not in COMPOUNDS:
            break
        breaks = (lower in UNIT_BREAKS and two not in COMPOUNDS) or two in UNIT_BREAKS \
            or (lower == "phòng" and _COMMA_CHỐNG.match(text, ahead[i].end()) is not None)
        if words and breaks and pair not in COMPOUNDS:
            break
        if words and word[0].isupper():
            if two[:1] and f"{word} {following}" in CAPITALISED_MODIFIERS:
                words += [word, following]
                end = ahead[i + 1].end()
                i += 2
                continue
            if word not in CAPITALISED_MODIFIERS or following[:1].isupper():
                break
        words.append(word)
        end = ahead[i].end()
        i += 1
    if words and len(words) == _MAX_UNIT_WORDS and i < len(ahead):
        # Never cut a two-syllable word in half: "chi hội trưởng phụ nữ", not "... phụ".
        pair = f"{words[-1].lower()} {ahead[i].group().lower()}"
        if pair in COMPOUNDS and ahead[i].group()[0].islower():
            words.append(ahead[i].group())
            end = ahead[i].end()
    return _with_sibling(text, " ".join(words), end)


def _with_sibling(text: str, unit: str, end: int) -> tuple[str, int]:
    """Extend "quận" to "quận, huyện" and "hộ nghèo" to "hộ nghèo, hộ cận nghèo"."""
    match = _SIBLING.match(text, end)
    if not unit or not match:
        return unit, end
    for candidate in (match, _SIBLING_PAIR.match(text, end)):
        nxt = candidate.group(1) if candidate else ""
        for group in SIBLING_NOUNS:
            if unit.lower() in group and nxt.lower() in group:
                return f"{unit}, {nxt}", candidate.end(1)
    nxt = match.group(1)
    head = unit.split()[0].lower()
    if " " in unit and nxt.split()[0].lower() == head:
        rest, rest_end = _read_unit_plain(text, match.start(1), len(unit.split()) + 1)
        if rest.split()[0].lower() == head:
            return f"{unit}, {rest}", rest_end
    return unit, end


def _read_unit_plain(text: str, pos: int, limit: int) -> tuple[str, int]:
    words = []
    end = pos - 1
    for word in _words_at(text, pos - 1, limit):
        if word.group().lower() in UNIT_STOPWORDS or (words and word.group()[0].isupper()):
            break
        words.append(word.group())
        end = word.end()
    return " ".join(words), end


def _measure(text: str, value: float, end: int) -> tuple[float, str, int] | None:
    """Apply a multiplier, then read "%", a currency or a counted noun after the number."""
    value, end = _apply_multipliers(text, value, end)
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
    scaled, _ = _apply_multipliers(text, value, end)
    return scaled, measured[1], measured[2]


def _apply_multipliers(text: str, value: float, end: int) -> tuple[float, int]:
    """Multiply by the scale words after ``end``, chained ones included ("1,5 nghìn tỷ")."""
    while multiplier := _MULTIPLIER.match(text, end):
        value *= MULTIPLIERS[multiplier.group(1).lower()]
        end = multiplier.end()
    return value, end


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
    """Every figure of ``text``, in text order, with its subject, range, change and time scope."""
    found, taken = _fractions(text)
    read_until = 0  # scale words already read into a figure ("1,5 nghìn tỷ") start no figure of their own
    for match in _NUMBER.finditer(text):
        if (match.start() < read_until and not match.group("digits")) or any(s <= match.start() < e for s, e in taken):
            continue
        figure = _digit_figure(text, match) if match.group("digits") else _word_figure(text, match)
        if figure:
            found.append(figure)
            read_until = figure.end
    found.sort(key=lambda f: f.start)
    found = _ranges(text, found)
    described: list[FigureMatch] = []
    for i, figure in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        described.append(_describe(text, figure, described[-1] if described else None, nxt))
    return described


# --- what a figure is about -------------------------------------------------------------

# A clause ends at punctuation (not the comma of "phòng, chống"), a line break, a full stop or a dash
# between spaces.
_CLAUSE_END = re.compile(r",(?!\s*chống\b)|[;:()\n“”\"]|\.(?=\s|$)|\s[-–]\s")
_CLAUSE_START = re.compile(r"[,;:()\n“”\"]|\.\s|\s[-–]\s")
SUBJECT_MAX_CHARS = 120
MONEY_AND_RATE_UNITS = frozenset({"%", "đồng", "USD", "đô la"})
# Words that open a complement, not a noun phrase, after "%" or an amount of money.
NOT_A_SUBJECT_START = frozenset([
    "so", "cho", "với", "từ", "trong", "và", "được", "của", "tại", "trên", "để", "nhằm", "theo", "vào", "đến",
    "tới", "trở", "mỗi", "thì", "là",
])
# Words dropped from the start of a subject read before the number ("với tổng trị giá" -> "tổng trị giá").
_LEADING_FILLER = re.compile(r"^(?:(?:với|và|có|là|trong đó|trong|đó|thì|còn|đã|được|với|gồm)\s+)+", re.I)
_TRAILING_FILLER = re.compile(
    r"(?:\s+(?:với|cho|và|là|có|của|gồm|trong đó|tổng|trị giá|giá trị|đạt|được|từ|đến|tới|đã|đã có|"
    r"chiếm|bằng|tăng|giảm|với tổng|thuộc|tại|ở|trên|trong|xảy ra|" + "|".join(QUALIFIERS) + r"))+$",
    re.I,
)
# Nouns that introduce an amount of money ("với tổng số tiền gần 37 tỷ đồng"): what the previous
# figure counts ends before them, and the amount's subject starts at them.
_MONEY_NOUN = re.compile(r"(?:với\s+)?(?:tổng\s+)?(?:số tiền|kinh phí|trị giá|giá trị|nguồn vốn|dư nợ|số vốn)\b",
                         re.I)
_MONEY_NOUN_GAP = 12  # room for a qualifier: "với tổng số tiền gần 37 tỷ đồng"
_BASELINE = re.compile(r"\s*,?\s*(so\s+(?:với\s+)?[^,.;:()\n]{2,50}?)(?=\s*[,.;:()\n]|\s[-–]\s|$)", re.I)
_COMPARATIVE = re.compile(r"(?:cao|nhiều|lớn|thấp|ít|giảm)\s+hơn\s*$", re.I)
_COUNT = r"(?:\d{1,2}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mười một|mười hai)"
_YEAR = r"(?:19|20)\d\d"
_TIME_SCOPE = re.compile(
    r"(?<![\w])(?:(?:trong|từ|sau|qua)\s+)?(?:"
    + _COUNT + r"\s+tháng\s+(?:đầu|cuối|của)?\s*năm(?:\s+(?:nay|" + _YEAR + r"))?"
    r"|" + _COUNT + r"\s+năm\s+(?:qua|gần\s+đây|trở\s+lại\s+đây|thực\s+hiện)"
    r"|quý\s+(?:IV|I{1,3}|\d)(?:(?:/|\s+năm\s+|\s+)" + _YEAR + r")?"
    r"|(?:giai\s+đoạn|nhiệm\s+kỳ)\s+" + _YEAR + r"\s*[-–]\s*" + _YEAR
    + r"|tháng\s+\d{1,2}(?:/|\s+năm\s+)" + _YEAR
    + r"|đầu\s+năm(?:\s+" + _YEAR + r")?(?:\s+(?:đến|tới)\s+nay)?"
    r"|năm\s+(?:học\s+)?" + _YEAR + r"(?:\s*[-–]\s*" + _YEAR + r")?"
    r"|năm\s+(?:nay|qua)"
    r")(?![\w])",
    re.I,
)


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


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``start``-``end``: back to the last and on to the next punctuation."""
    before = [m.end() for m in _CLAUSE_START.finditer(text, max(0, start - 300), start)]
    after = _CLAUSE_END.search(text, end)
    return (before[-1] if before else max(0, start - 300)), (after.start() if after else len(text))


def _trim(phrase: str, tail: bool = True) -> str | None:
    phrase = phrase.strip(" \t-–")
    phrase = _TRAILING_FILLER.sub("", phrase) if tail else re.sub(r"\s+(?:là|từ)$", "", phrase)
    if len(phrase) > SUBJECT_MAX_CHARS:
        phrase = phrase[:SUBJECT_MAX_CHARS].rsplit(" ", 1)[0]
    return phrase or None


def subject_of(text: str, figure: FigureMatch, previous: FigureMatch | None = None,
               following: FigureMatch | None = None) -> str | None:
    """What ``figure`` counts: the counted noun with its predicate up to the clause end
    ("lao động nữ được vay vốn ưu đãi"), or for "%" and money the noun phrase after the
    number ("số hộ gia đình được tiếp cận ...") or, failing that, the words before it
    ("Tỷ lệ nữ đạt 45%" -> "Tỷ lệ nữ")."""
    if previous and previous.value_max == figure.value and previous.unit == figure.unit and previous.subject:
        return previous.subject  # the upper end of a range
    if figure.value_max is not None and following and following.value == figure.value_max:
        after_range = subject_of(text, following)  # "từ 16% đến 58% số xã": what follows the upper end
        if after_range:
            return after_range
    clause_start, clause_end = _clause(text, figure.start, figure.end)
    if following and figure.end <= following.start < clause_end:
        clause_end = following.start
    if figure.unit not in MONEY_AND_RATE_UNITS:
        unit_start = text.find(figure.unit.split()[0], figure.start, figure.end)
        if unit_start < 0:
            return figure.unit
        if following and following.unit in MONEY_AND_RATE_UNITS:
            money = [m for m in _MONEY_NOUN.finditer(text, figure.end, following.start)
                     if following.start - m.end() <= _MONEY_NOUN_GAP]
            clause_end = min(clause_end, money[-1].start()) if money else clause_end
        return _trim(text[unit_start:max(clause_end, figure.end)])
    after = text[figure.end:clause_end].strip()
    first = after.split()[0].lower() if after else ""
    if after and first not in NOT_A_SUBJECT_START and not first[:1].isdigit():
        return _trim(after)
    lo = max(clause_start, previous.end if previous and previous.end <= figure.start else 0)
    same_clause = previous is not None and clause_start <= previous.start
    money = [m for m in _MONEY_NOUN.finditer(text, lo, figure.start)]
    if money and same_clause and previous and previous.subject and figure.unit != "%":
        # "1.245 hộ ... được vay vốn với tổng số tiền gần 37 tỷ đồng": the money of those loans.
        noun = _LEADING_FILLER.sub("", text[money[-1].start():figure.start].strip())
        noun = re.sub(r"\s+(?:" + "|".join(QUALIFIERS) + r")$", "", noun, flags=re.I)
        return _trim(f"{noun} ({previous.subject})", tail=False)
    before = _LEADING_FILLER.sub("", text[lo:figure.start].strip())
    before = re.sub(r"\s+(?:" + "|".join(QUALIFIERS) + r")$", "", before, flags=re.I)
    if before and not re.search(r"\d", before):
        return _trim(before, tail=False)
    if figure.change and previous and previous.unit == figure.unit and previous.subject \
            and _sentence_start(text, figure.start) <= previous.start:
        return previous.subject  # "đạt 21,5%, tăng 2,3% so với nhiệm kỳ trước": the change of that rate
    return None


def time_scope_of(text: str, start: int, end: int) -> str | None:
    """The reporting period of the sentence around ``start``-``end``: the last one written
    before the figure ("trong 10 tháng của năm 2024", "6 tháng đầu năm", "năm 2023"), else
    the first one after it; a comparison baseline ("so với năm 2023") is not a period."""
    lo = max(text.rfind("\n", 0, start) + 1, _sentence_start(text, start))
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    stop = re.search(r"[.!?](?=\s+[A-ZĐ\"“(])", text[end:hi])
    hi = end + stop.start() if stop else hi
    before, after = None, None
    for match in _TIME_SCOPE.finditer(text, lo, hi):
        if re.search(r"(?<![\w])so(?:\s+với)?\s+$", text[max(0, match.start() - 10):match.start()], re.I):
            continue
        if match.start() < end:
            before = match
        elif after is None:
            after = match
    chosen = before or after
    return chosen.group().strip() if chosen else None


def _sentence_start(text: str, pos: int) -> int:
    stops = [m.end() for m in re.finditer(r"[.!?]\s+(?=[A-ZĐ\"“(])", text[max(0, pos - 400):pos])]
    return max(0, pos - 400) + stops[-1] if stops else max(0, pos - 400)


def _describe(text: str, figure: FigureMatch, previous: FigureMatch | None,
              following: FigureMatch | None) -> FigureMatch:
    change = figure.change
    baseline = _BASELINE.match(text, figure.end)
    lead = text[max(0, figure.start - 12):figure.start + (len(figure.qualifier) + 1 if figure.qualifier else 0)]
    if change is None and baseline and _COMPARATIVE.search(lead):
        change = "giảm" if re.search(r"(?:thấp|ít|giảm)\s+hơn\s*$", lead, re.I) else "tăng"
    return replace(figure, change=change, subject=subject_of(text, figure, previous, following),
                   baseline=baseline.group(1).strip() if baseline and change else None,
                   time_scope=time_scope_of(text, figure.start, figure.end))


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
