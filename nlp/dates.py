"""Dates in Vietnamese news: "ngày 14/11", "15/11/2016", "sáng 12.6", "tháng 5/2023", "ngày 7 tháng 6 năm 2019".

A date without a year takes the year written last before it (a year alone or in a full
date, within 300 characters), else one written later in its sentence, else the article's
year: the publication year, and the year before when the date's month lies more than six
months after the publication month (a December activity told in January).

A span of days inside one month ("từ ngày 20 đến 29-3", "(18-21/12)", "trong 2 ngày 27 và
28-7") gives that month ("YYYY-MM"); a span across months (the action month "15/11-15/12")
and a list of days ("ngày 13 và 14/11") give no single date (``value`` None). "Tháng 11"
alone gives the month in the year of its context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["DateMatch", "find_dates", "years_in"]

_YEAR = r"((?:19|20)\d\d)"
_SEP = r"[/.-]"
_DAY_MONTH_YEAR = re.compile(r"(?<![\d/])(\d{1,2})" + _SEP + r"(\d{1,2})" + _SEP + _YEAR + r"(?!\d)")
_WORDY = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2})(?:,? năm " + _YEAR + ")?", re.I)
_DAY_MONTH = re.compile(r"(?<![\d/.,])(\d{1,2})([/.-])(\d{1,2})(?![\d/]|-\d|\.\d)")
_MONTH_YEAR = re.compile(r"tháng (\d{1,2})(?:/|-| năm )" + _YEAR + r"(?!\d)", re.I)
_MONTH_ONLY = re.compile(r"(?<!\d )(?<![\d\w])tháng (\d{1,2})(?![\d/.-]|\s*(?:năm|tháng|ngày|đầu|cuối|qua))", re.I)
# "từ ngày 20 đến 29-3", "15/11 - 15/12/2024", "(18-21/12)", "20-10-2010 – 20-10-2025".
_FULL = r"(\d{1,2})(?:" + _SEP + r"(\d{1,2})(?:" + _SEP + r"((?:19|20)\d\d))?)?"
_DAY_SPAN = re.compile(
    r"(?<![\d/.])(?:từ\s+)?(?:ngày\s+)?" + _FULL + r"\s*(?:đến|tới|-|–)\s*(?:ngày\s+)?"
    r"(\d{1,2})" + _SEP + r"(\d{1,2})(?:" + _SEP + _YEAR + r")?(?![\d/])", re.I)
# "trong 2 ngày 27 và 28-7": two days of one stay, a span; "ngày 13 và 14/11": a list of days.
_TWO_DAYS = re.compile(r"(?:(trong \d+ ngày,?\s*\(?)|ngày )(\d{1,2}) và (\d{1,2})" + _SEP + r"(\d{1,2})(?:"
                       + _SEP + _YEAR + r")?", re.I)
# Words before "d/m" that make it a date rather than a fraction; "d.m" needs a time-of-day cue.
DATE_CUES = re.compile(r"(ngày|sáng|chiều|tối|trưa|đêm|hôm|từ|đến|tới|lúc|và|\()\s*$", re.I)
DOT_DATE_CUES = re.compile(r"(ngày|sáng|chiều|tối|trưa|đêm|hôm)\s*$", re.I)
SPAN_CUES = re.compile(r"(ngày|từ|trong|\()\s*$", re.I)
# A year alone: not inside a period ("2021-2030"), a document number ("30/2020/NĐ-CP") or a decimal.
_ANY_YEAR = re.compile(r"(?<![\d/.,-])(?<!\d\s[-–]\s)(?<!\d[-–])" + _YEAR + r"(?![\d])(?!\s*[-–]\s*\d{4})(?!/)")
_YEAR_OF_DATE = re.compile(r"(?<![\d/])\d{1,2}" + _SEP + r"\d{1,2}" + _SEP + _YEAR + r"(?!\d)")
_SENTENCE_END = re.compile(r"[.!?\n](?=\s)|\n")
CONTEXT_CHARS = 300
# A yearless date this many months after the publication month happened the year before.
LATE_MONTHS = 6


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date mention: ``value`` is "YYYY-MM-DD", "YYYY-MM" or None (a list of days or a long span).

    ``period`` marks a span across months (the action month "15/11-15/12"): a time frame, not
    the date of one activity.
    """

    start: int
    end: int
    value: str | None
    period: bool = False


def _iso(year: int | None, month: int, day: int | None) -> str | None:
    if year is None or not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def years_in(text: str) -> list[int]:
    """Years 1900-2099 that ``text`` mentions alone or in a full date, in order (not periods or codes)."""
    found = [(m.start(), int(m.group(1))) for m in _ANY_YEAR.finditer(text)]
    found += [(m.start(1), int(m.group(1))) for m in _YEAR_OF_DATE.finditer(text)]
    return [year for _, year in sorted(set(found))]


@dataclass(frozen=True, slots=True)
class _Context:
    text: str
    year: int | None
    month: int | None

    def year_for(self, pos: int, month: int) -> int | None:
        """The year of a yearless date at ``pos`` (see the module docstring)."""
        before = years_in(self.text[max(0, pos - CONTEXT_CHARS):pos])
        if before:
            return before[-1]
        end = _SENTENCE_END.search(self.text, pos)
        after = years_in(self.text[pos:end.start() if end else len(self.text)])
        if after:
            return after[0]
        if self.year is not None and self.month is not None and month - self.month > LATE_MONTHS:
            return self.year - 1
        return self.year


class _Finder:
    """Collects date mentions, the first pattern to claim a span keeping it."""

    def __init__(self, text: str, context: _Context) -> None:
        self.text, self.context = text, context
        self.found: list[DateMatch] = []

    def add(self, start: int, end: int, value: str | None, period: bool = False) -> None:
        if not any(d.start < end and start < d.end for d in self.found):
            self.found.append(DateMatch(start, end, value, period))

    def cue_before(self, pos: int, cues: re.Pattern[str]) -> bool:
        return bool(cues.search(self.text[max(0, pos - 10):pos]))

    def spans(self) -> None:
        for m in _DAY_SPAN.finditer(self.text):
            first_month = m.group(2)
            if first_month is None and not self.cue_before(m.start(), SPAN_CUES) and not m.group().startswith(
                    ("từ", "ngày", "Từ", "Ngày")):
                continue  # "18-21/12" needs a cue to be days; "5-7/10 người" is not a date
            month = int(m.group(5))
            year = int(m.group(6)) if m.group(6) else self.context.year_for(m.start(), month)
            same_month = int(first_month or month) == month and m.group(3) in (None, m.group(6))
            self.add(m.start(), m.end(), _iso(year, month, None) if same_month else None, not same_month)
        for m in _TWO_DAYS.finditer(self.text):
            month = int(m.group(4))
            year = int(m.group(5)) if m.group(5) else self.context.year_for(m.start(), month)
            self.add(m.start(), m.end(), _iso(year, month, None) if m.group(1) else None)

    def days(self) -> None:
        for m in _DAY_MONTH_YEAR.finditer(self.text):
            self.add(m.start(), m.end(), _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        for m in _WORDY.finditer(self.text):
            month = int(m.group(2))
            year = int(m.group(3)) if m.group(3) else self.context.year_for(m.start(), month)
            self.add(m.start(), m.end(), _iso(year, month, int(m.group(1))))
        for m in _MONTH_YEAR.finditer(self.text):
            self.add(m.start(), m.end(), _iso(int(m.group(2)), int(m.group(1)), None))
        for m in _DAY_MONTH.finditer(self.text):
            cues = DOT_DATE_CUES if m.group(2) == "." else DATE_CUES
            if self.cue_before(m.start(), cues):
                month = int(m.group(3))
                self.add(m.start(), m.end(), _iso(self.context.year_for(m.start(), month), month, int(m.group(1))))
        for m in _MONTH_ONLY.finditer(self.text):
            month = int(m.group(1))
            self.add(m.start(), m.end(), _iso(self.context.year_for(m.start(), month), month, None))


def find_dates(text: str, default_year: int | None = None, default_month: int | None = None) -> list[DateMatch]:
    """Every date mention of ``text`` in order, resolved to ISO where the day (or only the month) is fixed.

    ``default_year`` and ``default_month`` are the article's own (its publication date), used for
    dates whose text gives no year.
    """
    finder = _Finder(text, _Context(text, default_year, default_month))
    finder.spans()
    finder.days()
    return sorted(finder.found, key=lambda d: d.start)
