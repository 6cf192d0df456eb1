"""Small SVG charts rendered on the server (no JavaScript, nothing fetched).

``line_chart`` draws one line per split (the top ``MAX_LINES``; the rest summed as "Khác"),
``bar_chart`` one bar per label. Every label is escaped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from api.schemas import TrendShare
from newsmon.palette import PALETTE

MAX_LINES = 6
W, H, PAD_L, PAD_R, PAD_T, PAD_B = 760, 280, 48, 16, 16, 40


def _lines(points: Sequence[TrendShare]) -> tuple[list[str], dict[str, dict[str, int]]]:
    periods = list(dict.fromkeys(p.period for p in points))
    by_split: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in points:
        by_split[p.split or "Tổng"][p.period] += p.count
    ranked = sorted(by_split, key=lambda s: -sum(by_split[s].values()))
    lines = {s: by_split[s] for s in ranked[:MAX_LINES]}
    if len(ranked) > MAX_LINES:
        other: dict[str, int] = defaultdict(int)
        for s in ranked[MAX_LINES:]:
            for period, n in by_split[s].items():
                other[period] += n
        lines["Khác"] = other
    return periods, lines


def _axes(periods: list[str], top: int) -> list[str]:
    parts = []
    for i in range(5):
        value = top * i / 4
        y = PAD_T + (H - PAD_T - PAD_B) * (1 - i / 4)
        parts.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    step = max(1, len(periods) // 8)
    for i in range(0, len(periods), step):
        x = _x(i, len(periods))
        parts.append(f'<text x="{x:.1f}" y="{H - PAD_B + 18}" text-anchor="middle">{escape(periods[i])}</text>')
    return parts


def _x(i: int, n: int) -> float:
    return PAD_L + (W - PAD_L - PAD_R) * (i / (n - 1) if n > 1 else 0.5)


def line_chart(points: Sequence[TrendShare], title: str = "Số bài theo thời gian") -> Markup:
    """An SVG line chart of article counts per period, one line per split."""
    periods, lines = _lines(points)
    if not periods:
        return Markup('<p class="empty">Không có dữ liệu.</p>')
    top = max(1, max(n for line in lines.values() for n in line.values()))
    parts = _axes(periods, top)
    for k, (name, counts) in enumerate(lines.items()):
        color = PALETTE[k % len(PALETTE)]
        coords = [(_x(i, len(periods)), PAD_T + (H - PAD_T - PAD_B) * (1 - counts.get(p, 0) / top))
                  for i, p in enumerate(periods)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        parts += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"><title>{escape(name)} · '
            f'{escape(p)}: {counts.get(p, 0)}</title></circle>'
            for (x, y), p in zip(coords, periods, strict=True)
        ]
    legend = "".join(f'<span class="legend-item"><i style="background:{PALETTE[k % len(PALETTE)]}"></i>'
                     f"{escape(name)}</span>" for k, name in enumerate(lines))
    svg = (f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}">'
           f"<title>{escape(title)}</title>{''.join(parts)}</svg>")
    return Markup(f'<figure class="chart-box">{svg}<figcaption class="legend">{legend}</figcaption></figure>')


def bar_chart(items: Sequence[tuple[str, float]], title: str, height: int = 200) -> Markup:
    """An SVG bar chart, one bar per (label, value)."""
    if not items:
        return Markup('<p class="empty">Không có dữ liệu.</p>')
    top = max(1.0, max(v for _, v in items))
    width = (W - PAD_L - PAD_R) / len(items)
    parts = []
    for i, (label, value) in enumerate(items):
        h = (height - PAD_T - PAD_B) * value / top
        x = PAD_L + i * width + width * 0.15
        y = height - PAD_B - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="{PALETTE[0]}">'
                     f"<title>{escape(label)}: {value:g}</title></rect>"
                     f'<text x="{x + width * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">{value:g}</text>'
                     f'<text x="{x + width * 0.35:.1f}" y="{height - PAD_B + 18}" text-anchor="middle">'
                     f"{escape(label)}</text>")
    return Markup(f'<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-label="{escape(title)}">'
                  f"<title>{escape(title)}</title>{''.join(parts)}</svg>")
