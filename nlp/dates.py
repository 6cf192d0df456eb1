"""Dates in Vietnamese news: "ngày 14/11", "15/11/2016", "29-3", "tháng 5/2023", "ngày 7 tháng 6 năm 2019".

A date without a year takes the year given nearby in the text, else the article's year.
A span of days inside one month ("từ ngày 20 đến 29-3") gives that month ("YYYY-MM");
a span across months, or several days ("ngày 13 và 14/11"), gives no single date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["DateMatch", "find_dates", "years_in"]

_YEAR = r"((?:19|20)\d\d)"
_DAY_MONTH_YEAR = re.compile(r"(?<![\d/])(\d{1,2})[/.-](\d{1,2})[/.-]" + _YEAR + r"(?!\d)")
_WORDY = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2})(?: năm " + _YEAR + ")?", re.I)
_DAY_MONTH = re.compile(r"(?<![\d/.,])(\d{1,2})[/-](\d{1,2})(?![\d/]|-\d|\.\d)")
_MONTH_YEAR = re.compile(r"tháng (\d{1,2})(?:/| năm )" + _YEAR + r"(?!\d)", re.I)
_DAY_SPAN = re.compile(r"(?:từ )?ngày (\d{1,2})(?:/(\d{1,2}))? (?:đến|tới|-|–)(?: ngày)? (\d{1,2})[/-](\d{1,2})", re.I)
_SEVERAL_DAYS = re.compile(r"ngày \d{1,2} và (\d{1,2})[/-](\d{1,2})", re.I)
# Words before "d/m" that make it a date rather than a fraction.
DATE_CUES = re.compile(r"(ngày|sáng|chiều|tối|trưa|đêm|hôm|từ|đến|tới|lúc|và|\()\s*$", re.I)
_ANY_YEAR = re.compile(r"(?<![\d/.,-])" + _YEAR + r"(?![\d])")


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date mention: ``value`` is "YYYY-MM-DD", "YYYY-MM" or None (several days)."""

    start: int
    end: int
    value: str | None


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
    """Four-digit years 1900-2099 that ``text`` mentions, in order."""
    return [int(m.group(1)) for m in _ANY_YEAR.finditer(text)]


def _context_year(text: str, pos: int, default: int | None) -> int | None:
    """The last year mentioned in the 300 characters before ``pos``, else ``default``."""
    years = years_in(text[max(0, pos - 300):pos])
    return years[-1] if years else default


def find_dates(text: str, default_year: int | None = None) -> list[DateMatch]:
    """Every date mention of ``text`` in order, resolved to ISO where the day is fixed."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], value: str | None) -> None:
        if not any(s < match.end() and match.start() < e for s, e in taken):
            found.append(DateMatch(match.start(), match.end(), value))
            taken.append(match.span())

    for m in _DAY_SPAN.finditer(text):
        first_month, month = int(m.group(2) or m.group(4)), int(m.group(4))
        year = _context_year(text, m.start(), default_year)
        add(m, _iso(year, month, None) if first_month == month else None)
    for m in _SEVERAL_DAYS.finditer(text):
        add(m, None)
    for m in _DAY_MONTH_YEAR.finditer(text):
        add(m, _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    for m in _WORDY.finditer(text):
        year = int(m.group(3)) if m.group(3) else _context_year(text, m.start(), default_year)
        add(m, _iso(year, int(m.group(2)), int(m.group(1))))
    for m in _MONTH_YEAR.finditer(text):
        add(m, _iso(int(m.group(2)), int(m.group(1)), None))
    for m in _DAY_MONTH.finditer(text):
        if DATE_CUES.search(text[max(0, m.start() - 8):m.start()]):
            add(m, _iso(_context_year(text, m.start(), default_year), int(m.group(2)), int(m.group(1))))
    return sorted(found, key=lambda d: d.start)
