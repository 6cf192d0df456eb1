"""SVG charts rendered on the server (no JavaScript, nothing fetched), readable at desktop and phone width.

Each chart is drawn twice, wide (desktop) and narrow (phone: fewer labels, larger type), and CSS shows
the one that fits. Counts get whole-number ticks; the last period's label is anchored inside the frame.
A split shows its top ``TOP_SPLITS`` series and "Khác" (the rest) as stacked bars; without a split the
series is one bar per period. Every label is escaped.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from newsmon.palette import PALETTE

TOP_SPLITS = 5
OTHER = "Khác"
TOTAL = "Tổng"


@dataclass(frozen=True)
class Frame:
    """One rendering's geometry: the view box, padding, type size and how many labels fit."""

    width: int
    height: int
    pad_left: int
    pad_right: int
    pad_top: int
    pad_bottom: int
    font: int
    max_labels: int

    def x(self, i: int, n: int) -> float:
        """The left edge of slot ``i`` of ``n``."""
        return self.pad_left + (self.width - self.pad_left - self.pad_right) * i / max(n, 1)

    def y(self, value: float, top: float) -> float:
        """The height of ``value`` on an axis from 0 to ``top``."""
        return self.pad_top + (self.height - self.pad_top - self.pad_bottom) * (1 - value / top)


WIDE = Frame(760, 280, 48, 24, 16, 40, 12, 10)
NARROW = Frame(360, 260, 40, 16, 14, 40, 14, 4)


def integer_ticks(top: float, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 to at least ``top`` on a 1-2-5 step, at most ``most`` steps."""
    top = max(1, math.ceil(top))
    for magnitude in itertools.count():
        for base in (1, 2, 5):
            step = base * 10**magnitude
            if math.ceil(top / step) <= most:
                return list(range(0, math.ceil(top / step) * step + 1, step))
    raise AssertionError("unreachable")  # pragma: no cover - itertools.count() never ends


def series_by_split(points: Sequence[object]) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Periods in order and counts per series: the top ``TOP_SPLITS`` splits, then "Khác" for the rest.

    ``points`` have ``period``, ``split`` and ``count``; an unsplit series is called "Tổng".
    """
    periods = list(dict.fromkeys(p.period for p in points))  # type: ignore[attr-defined]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in points:
        counts[p.split or TOTAL][p.period] += p.count  # type: ignore[attr-defined]
    ranked = sorted(counts, key=lambda s: (-sum(counts[s].values()), s))
    series = {s: dict(counts[s]) for s in ranked[:TOP_SPLITS]}
    if len(ranked) > TOP_SPLITS:
        other: dict[str, int] = defaultdict(int)
        for s in ranked[TOP_SPLITS:]:
            for period, n in counts[s].items():
                other[period] += n
        series[OTHER] = dict(other)
    return periods, series


def _axes(frame: Frame, periods: list[str], ticks: list[int]) -> list[str]:
    parts = []
    top = ticks[-1]
    for value in ticks:
        y = frame.y(value, top)
        parts.append(f'<line x1="{frame.pad_left}" x2="{frame.width - frame.pad_right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'class="grid"/><text x="{frame.pad_left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    n = len(periods)
    step = max(1, math.ceil(n / frame.max_labels))
    shown = list(range(0, n, step))
    if shown and shown[-1] != n - 1 and n - 1 - shown[-1] >= step / 2:
        shown.append(n - 1)  # the latest period is the one people look for
    slot = frame.x(1, n) - frame.x(0, n)
    for i in shown:
        # Centred under its bar, but never past the frame: a long last label moves left (about 0.6 em a character).
        half = len(periods[i]) * frame.font * 0.3
        x = min(max(frame.x(i, n) + slot / 2, half + 2), frame.width - half - 2)
        parts.append(f'<text x="{x:.1f}" y="{frame.height - frame.pad_bottom + 18}" '
                     f'text-anchor="middle">{escape(periods[i])}</text>')
    return parts


def _stacked_bars(frame: Frame, periods: list[str], series: dict[str, dict[str, int]], top: int) -> list[str]:
    parts = []
    n = len(periods)
    slot = frame.x(1, n) - frame.x(0, n)
    width = max(1.0, slot * 0.75)
    for i, period in enumerate(periods):
        base = 0
        for k, (name, counts) in enumerate(series.items()):
            value = counts.get(period, 0)
            if not value:
                continue
            y0, y1 = frame.y(base, top), frame.y(base + value, top)
            parts.append(f'<rect x="{frame.x(i, n) + (slot - width) / 2:.1f}" y="{y1:.1f}" width="{width:.1f}" '
                         f'height="{y0 - y1:.1f}" fill="{PALETTE[k % len(PALETTE)]}">'
                         f"<title>{escape(name)} · {escape(period)}: {value}</title></rect>")
            base += value
    return parts


def _svg(frame: Frame, periods: list[str], series: dict[str, dict[str, int]], title: str, css: str) -> str:
    totals = [sum(counts.get(p, 0) for counts in series.values()) for p in periods]
    ticks = integer_ticks(max(totals or [1]), 5 if frame is WIDE else 4)
    parts = _axes(frame, periods, ticks) + _stacked_bars(frame, periods, series, ticks[-1])
    return (f'<svg class="chart {css}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
            f'aria-label="{escape(title)}" style="font-size:{frame.font}px"><title>{escape(title)}</title>'
            f"{''.join(parts)}</svg>")


def trend_chart(points: Sequence[object], title: str = "Số bài theo thời gian") -> Markup:
    """Article counts per period as bars, stacked by split (top series and "Khác"), wide and narrow."""
    periods, series = series_by_split(points)
    if not periods:
        return Markup('<p class="empty">Không có dữ liệu.</p>')
    legend = "" if list(series) == [TOTAL] else "".join(
        f'<span class="legend-item"><i style="background:{PALETTE[k % len(PALETTE)]}"></i>{escape(name)}</span>'
        for k, name in enumerate(series)
    )
    wide = _svg(WIDE, periods, series, title, "chart-wide")
    narrow = _svg(NARROW, periods, series, title, "chart-narrow")
    caption = f'<figcaption class="legend">{legend}</figcaption>' if legend else ""
    return Markup(f'<figure class="chart-box">{wide}{narrow}{caption}</figure>')


def bar_chart(items: Sequence[tuple[str, float]], title: str) -> Markup:
    """One bar per (label, count), wide and narrow, each bar labelled with its count."""
    if not items:
        return Markup('<p class="empty">Không có dữ liệu.</p>')
    periods = [label for label, _ in items]
    series = {TOTAL: {label: int(value) for label, value in items}}
    svgs = []
    for frame, css in ((WIDE, "chart-wide"), (NARROW, "chart-narrow")):
        svg = _svg(frame, periods, series, title, css)
        top = integer_ticks(max(v for _, v in items), 5 if frame is WIDE else 4)[-1]
        slot = frame.x(1, len(items)) - frame.x(0, len(items))
        labels = "".join(
            f'<text x="{frame.x(i, len(items)) + slot / 2:.1f}" y="{frame.y(v, top) - 4:.1f}" '
            f'text-anchor="middle" class="value">{int(v)}</text>' for i, (_, v) in enumerate(items)
        )
        svgs.append(svg.replace("</svg>", f"{labels}</svg>"))
    return Markup(f'<figure class="chart-box">{"".join(svgs)}</figure>')
