"""Publication dates as real articles give them: whole, partial, or written in Vietnamese.

``parse_published`` reads a ``datetime``, a ``date``, a year as an int, or a string:
ISO ("2024-11-14T08:00:00+07:00", "2024-11-14", "2024-11", "2024"), day-first numbers
("14/11/2024 08:30", "Thứ năm, 14-11-2024"), words ("ngày 14 tháng 11 năm 2024",
"tháng 11/2024", "năm 2024"). It keeps whatever precision the value has: a partial
date is still a year (and month) of context for the extractor. Anything it cannot read
gives ``None``; it never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

__all__ = ["PublishedDate", "parse_published"]

_YEAR = r"(?P<y>(?:19|20)\d\d)"
_TIME = r"(?:\D{1,12}?(?P<H>\d{1,2})\s*[:hg]\s*(?P<M>\d{2}))?"
# Most precise first: the first pattern that matches decides.
_PATTERNS = (
    re.compile(r"^" + _YEAR + r"-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^" + _YEAR + r"[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})" + _TIME),
    re.compile(r"(?P<H>\d{1,2})\s*[:hg]\s*(?P<M>\d{2})\D{1,15}?(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-]" + _YEAR),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-]" + _YEAR + _TIME),
    re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:năm|,|/)\s*" + _YEAR + _TIME, re.I),
    re.compile(r"^" + _YEAR + r"-(?P<m>\d{1,2})$"),
    re.compile(r"tháng\s+(?P<m>\d{1,2})\s*(?:năm|/|-|,)\s*" + _YEAR, re.I),
    re.compile(r"(?<![\d/.-])(?P<m>\d{1,2})[/.-]" + _YEAR + r"(?![\d/.-])"),
    re.compile(r"^(?:năm\s+)?" + _YEAR + r"$", re.I),
)


@dataclass(frozen=True, slots=True)
class PublishedDate:
    """A publication date to the precision the article gives: a year, a month or a day.

    ``moment`` is the full ``datetime`` when the source gave one (with its time and zone).
    """

    year: int
    month: int | None = None
    day: int | None = None
    moment: datetime | None = None

    @property
    def iso(self) -> str:
        """"2024", "2024-11" or "2024-11-14"."""
        if self.month is None:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def as_date(self) -> date | None:
        """The day, or None for a year or a month."""
        return date(self.year, self.month, self.day) if self.month and self.day else None

    def as_datetime(self) -> datetime | None:
        """The moment (midnight when only the day is known), or None for a year or a month."""
        day = self.as_date()
        return self.moment or (datetime.combine(day, time()) if day else None)


def _checked(year: int, month: int | None, day: int | None, hour: int = 0, minute: int = 0) -> PublishedDate | None:
    if month is not None and not 1 <= month <= 12:
        return None
    if day is None or month is None:
        return PublishedDate(year, month)
    try:
        day_only = date(year, month, day)
    except ValueError:
        return None
    if not (hour or minute) or hour > 23 or minute > 59:  # a time that cannot be read leaves the day
        return PublishedDate(day_only.year, month, day)
    return PublishedDate(year, month, day, datetime(year, month, day, hour, minute))


def _from_string(text: str) -> PublishedDate | None:
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is not None and ("T" in text or ":" in text):
        return PublishedDate(moment.year, moment.month, moment.day, moment)
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            parts = match.groupdict()
            number = {k: int(v) for k, v in parts.items() if v is not None}
            return _checked(number["y"], number.get("m"), number.get("d"), number.get("H", 0), number.get("M", 0))
    return None


def parse_published(value: object) -> PublishedDate | None:
    """The publication date ``value`` gives, to its own precision; None when it gives none."""
    if isinstance(value, PublishedDate):
        return value
    if isinstance(value, datetime):
        return PublishedDate(value.year, value.month, value.day, value)
    if isinstance(value, date):
        return PublishedDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2099:
        return PublishedDate(value)
    if isinstance(value, str) and value.strip():
        return _from_string(value)
    return None
