"""What a figure is about: its subject (the counted noun phrase), its change and baseline ("tăng 5%
so với năm 2023") and the period it reports on ("trong 10 tháng của năm 2024")."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nlp.figure_units import read_unit
from nlp.figure_words import figure_words

__all__ = ["FigureMatch", "describe", "subject_of", "time_scope_of"]


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


# A clause ends at punctuation (not the comma of "phòng, chống"), a line break, a full stop or a
# dash between spaces.
_CLAUSE_END = re.compile(r",(?!\s*chống\b)|[;:()\n“”\"]|\.(?=\s|$)|\s[-–]\s")
_CLAUSE_START = re.compile(r"[,;:()\n“”\"]|\.\s|\s[-–]\s")
SUBJECT_MAX_CHARS = 120
MONEY_AND_RATE_UNITS = frozenset({"%", "đồng", "USD", "đô la"})
# Words dropped from the start of a subject read before the number ("với tổng trị giá" -> "tổng trị giá").
_LEADING_FILLER = re.compile(r"^(?:(?:với|và|có|là|trong đó|trong|đó|thì|còn|đã|được|gồm|đạt|chiếm)\s+)+", re.I)
_TRAILING_FILLER = ("với", "cho", "và", "là", "có", "của", "gồm", "trong đó", "tổng", "trị giá", "giá trị", "đạt",
                    "được", "từ", "đến", "tới", "đã", "đã có", "chiếm", "bằng", "tăng", "giảm", "với tổng", "thuộc",
                    "tại", "ở", "trên", "trong", "xảy ra")
# Room for a qualifier between a money noun and the amount: "với tổng số tiền gần 37 tỷ đồng".
_MONEY_NOUN_GAP = 12
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


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``start``-``end``: back to the last and on to the next punctuation."""
    before = [m.end() for m in _CLAUSE_START.finditer(text, max(0, start - 300), start)]
    after = _CLAUSE_END.search(text, end)
    return (before[-1] if before else max(0, start - 300)), (after.start() if after else len(text))


def _without_qualifier(phrase: str) -> str:
    words = figure_words()
    match = re.search(r"\s+(?:" + "|".join(re.escape(q) for q in words.qualifiers) + r")$", phrase, re.I)
    return phrase[:match.start()] if match else phrase


def _trim(phrase: str) -> str | None:
    """A subject read before the number, without the verbs and fillers that lead to the number."""
    phrase = _LEADING_FILLER.sub("", phrase.strip(" \t-–"))
    changed = True
    while changed:
        changed = False
        for filler in (*_TRAILING_FILLER, *figure_words().qualifiers):
            if phrase.lower().endswith(" " + filler):
                phrase, changed = phrase[:-len(filler) - 1].rstrip(), True
    if len(phrase) > SUBJECT_MAX_CHARS:
        phrase = phrase[:SUBJECT_MAX_CHARS].rsplit(" ", 1)[0]
    return phrase or None


def _counted_subject(text: str, figure: FigureMatch) -> str | None:
    """The counted noun phrase of a count: its unit with the unit's modifiers; for a unit named
    before the number ("Số vụ bạo lực gia đình là 74"), read there."""
    unit_start = text.find(figure.unit.split()[0], figure.start, figure.end) if figure.unit else -1
    if unit_start < 0 and figure.unit:
        clause_start, _ = _clause(text, figure.start, figure.end)
        unit_start = text.rfind(figure.unit.split()[0], clause_start, figure.start)
    if unit_start < 0:
        return figure.unit or None
    subject, _ = read_unit(text, unit_start - 1 if unit_start else 0, subject=True)
    return subject if len(subject) >= len(figure.unit) else figure.unit


def _money_subject(text: str, figure: FigureMatch, previous: FigureMatch, lo: int) -> str | None:
    """ "1.245 hộ ... được vay vốn với tổng số tiền gần 37 tỷ đồng": the money of those loans."""
    money = list(figure_words().money_noun.finditer(text, lo, figure.start))
    if not money or figure.start - money[-1].end() > _MONEY_NOUN_GAP or not previous.subject:
        return None
    noun = _without_qualifier(_LEADING_FILLER.sub("", text[money[-1].start():figure.start].strip()))
    return f"{noun} ({previous.subject})"


def subject_of(text: str, figure: FigureMatch, previous: FigureMatch | None = None,
               following: FigureMatch | None = None) -> str | None:
    """The counted noun phrase ``figure`` is about: "lao động nữ" for "3.520 lao động nữ được vay
    vốn"; for "%" and money, the noun phrase after the number ("số hộ gia đình") or, failing that,
    before it ("Tỷ lệ nữ đại biểu đạt 31,5%" -> "Tỷ lệ nữ đại biểu")."""
    if previous and previous.value_max == figure.value and previous.unit == figure.unit and previous.subject:
        return previous.subject  # the upper end of a range
    if figure.value_max is not None and following and following.value == figure.value_max:
        after_range = subject_of(text, following)  # "từ 16% đến 58% số xã": what follows the upper end
        if after_range:
            return after_range
    if figure.unit not in MONEY_AND_RATE_UNITS:
        return _counted_subject(text, figure)
    clause_start, _ = _clause(text, figure.start, figure.end)
    after, _ = read_unit(text, figure.end, subject=True)
    first = after.split()[0].lower() if after else ""
    if after and first not in figure_words().not_a_subject_start:
        return after
    lo = max(clause_start, previous.end if previous and previous.end <= figure.start else 0)
    if previous and clause_start <= previous.start and figure.unit != "%":
        money = _money_subject(text, figure, previous, lo)
        if money:
            return money
    before = _without_qualifier(text[lo:figure.start].strip())
    if before and not re.search(r"\d", before):
        return _trim(before)
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


def describe(text: str, figure: FigureMatch, previous: FigureMatch | None,
             following: FigureMatch | None) -> FigureMatch:
    """``figure`` with its subject, change, baseline and time scope."""
    change = figure.change
    baseline = _BASELINE.match(text, figure.end)
    lead = text[max(0, figure.start - 12):figure.start + (len(figure.qualifier) + 1 if figure.qualifier else 0)]
    if change is None and baseline and _COMPARATIVE.search(lead):
        change = "giảm" if re.search(r"(?:thấp|ít|giảm)\s+hơn\s*$", lead, re.I) else "tăng"
    return replace(figure, change=change, subject=subject_of(text, figure, previous, following),
                   baseline=baseline.group(1).strip() if baseline and change else None,
                   time_scope=time_scope_of(text, figure.start, figure.end))
