"""Trend series as both engines return them: every period from the first to the last, gaps counted 0."""

from __future__ import annotations

from datetime import date, timedelta

from newsmon.store.base import Interval, Series, TrendPoint


def fill_periods(first: str, last: str, interval: Interval) -> list[str]:
    """Every period key from ``first`` to ``last`` inclusive, in the interval's format."""
    if interval == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    if interval == "month":
        y, m = map(int, first.split("-"))
        end = tuple(map(int, last.split("-")))
        keys = []
        while (y, m) <= end:
            keys.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return keys
    step = timedelta(days=7 if interval == "week" else 1)
    day, end_day = date.fromisoformat(first), date.fromisoformat(last)
    keys = []
    while day <= end_day:
        keys.append(day.isoformat())
        day += step
    return keys


def series_from_counts(counts: dict[tuple[str, str | None], int], interval: Interval, total: int,
                       undated: int = 0) -> Series:
    """The Series of ``{(period, split): count}``: each split value over every period, missing ones 0."""
    if not counts:
        return Series(interval=interval, points=[], total=total, undated=undated)
    periods = fill_periods(min(p for p, _ in counts), max(p for p, _ in counts), interval)
    splits = sorted({s for _, s in counts}, key=lambda s: (s is None, s))
    points = [TrendPoint(period=p, split=s, count=counts.get((p, s), 0)) for s in splits for p in periods]
    return Series(interval=interval, points=points, total=total, undated=undated)
