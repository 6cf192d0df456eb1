"""Publication dates as Vietnamese pages print them, and as their metadata declares them.

``read_date(text)`` returns a ``FoundDate``: the moment (timezone-aware, Asia/Ho_Chi_Minh) and
whether the text gave a time of day. A date printed without a time stays a date
(``has_time=False``), so it is never mistaken for a real 00:00.

Accepted: ISO 8601 with or without a space before the zone ("2026-03-07T08:52:11.000 +07:00"),
and the Vietnamese layouts "Thứ Năm, 22/11/2018 - 08:30", "07-03-2026 - 00:01 AM",
"15:20 PM | 21/12/2012", "ngày 24/12/12 11:05 tối", "26-12-2012 17:14:46".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from newsmon.models import VN_TZ

__all__ = ["FoundDate", "parse_date", "read_date"]

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}:?\d{2})?(?![\d-])"
)
_DMY = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4}|\d{2})(?!\d)"
_HM = r"(?P<H>\d{1,2})\s*(?::|h|g|giờ)\s*(?P<M>\d{2})(?::\d{2})?(?!\d)\s*(?P<ampm>AM|PM|SA|CH|sáng|trưa|chiều|tối|đêm)?"
#: Day first, then (within a few characters) the time; or the time first, then the day.
_DATE_TIME = re.compile(_DMY + r"(?:[^\d\n]{0,16}?" + _HM + r")?", re.IGNORECASE)
_TIME_DATE = re.compile(_HM + r"[^\d\n]{0,16}?" + _DMY, re.IGNORECASE)
#: Words after a time that move it into the afternoon or evening (12-hour clocks).
_AFTERNOON = frozenset({"pm", "ch", "chiều", "tối", "đêm"})
_MORNING = frozenset({"am", "sa", "sáng"})
#: A 2-digit year is 20yy when at most this many years ahead of today, else 19yy.
_YEAR_SLACK = 1


@dataclass(frozen=True)
class FoundDate:
    """A publication moment and whether the source gave its time of day."""

    value: datetime
    has_time: bool

    def iso(self) -> str:
        """ISO 8601: to the minute with the zone when the time is known, else the day only."""
        return self.value.isoformat(timespec="minutes") if self.has_time else self.value.date().isoformat()


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= date.today().year + _YEAR_SLACK else 1900
    return year


def _hour(hour: int, marker: str | None) -> int:
    marker = (marker or "").lower()
    if marker in _AFTERNOON and hour < 12:
        return hour + 12
    if marker in _MORNING and hour == 12:
        return 0
    return hour


def _build(parts: dict[str, str | None], zone: timezone | None = None) -> FoundDate | None:
    try:
        has_time = parts.get("H") is not None
        hour = _hour(int(parts["H"] or 0), parts.get("ampm")) if has_time else 0
        value = datetime(_year(parts["y"] or ""), int(parts["m"] or 0), int(parts["d"] or 0), hour,
                         int(parts.get("M") or 0), int(parts.get("S") or 0))
    except (TypeError, ValueError):
        return None
    value = value.replace(tzinfo=zone).astimezone(VN_TZ) if zone else value.replace(tzinfo=VN_TZ)
    return FoundDate(value, has_time)


def read_date(value: object) -> FoundDate | None:
    """The first date (with its time, when printed) in ``value``; None when there is none."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split())
    if match := _ISO.search(text):
        parts = match.groupdict()
        zone = _zone(parts["z"]) if parts["H"] is not None else None
        return _build(parts, zone)
    time_first, day_first = _TIME_DATE.search(text), _DATE_TIME.search(text)
    if time_first and (day_first is None or time_first.start() <= day_first.start()):
        return _build(time_first.groupdict())
    return _build(day_first.groupdict()) if day_first else None


def parse_date(value: object, date_format: str | None = None) -> datetime | None:
    """The moment ``value`` gives (``date_format``: a strptime format tried first); None when none."""
    if date_format and isinstance(value, str):
        try:
            parsed = datetime.strptime(value.strip(), date_format)
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed.replace(tzinfo=VN_TZ) if parsed.tzinfo is None else parsed.astimezone(VN_TZ)
    found = read_date(value)
    return found.value if found else None
