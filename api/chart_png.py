"""Charts as PNG files for download (matplotlib, imported on first use): the same series and colours as the
page's SVG (``api.chart``), whole-number ticks, dates readable."""

from __future__ import annotations

import io
from collections.abc import Sequence

from api.chart import TOTAL, series_by_split
from newsmon.palette import PALETTE

WIDTH_PX, HEIGHT_PX, DPI = 1600, 800, 200
MAX_LABELS = 12


def trend_png(points: Sequence[object], title: str) -> bytes:
    """Bars per period, stacked by split (top series and "Khác"), with a legend when split."""
    from matplotlib.figure import Figure  # without pyplot: no global backend or GUI
    from matplotlib.ticker import MaxNLocator

    periods, series = series_by_split(points)
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    axes = figure.add_subplot()
    base = [0] * len(periods)
    for k, (name, counts) in enumerate(series.items()):
        values = [counts.get(p, 0) for p in periods]
        axes.bar(range(len(periods)), values, bottom=base, color=PALETTE[k % len(PALETTE)], label=name, width=0.8)
        base = [b + v for b, v in zip(base, values, strict=True)]
    step = max(1, -(-len(periods) // MAX_LABELS))
    shown = list(range(0, len(periods), step))
    axes.set_xticks(shown, [periods[i] for i in shown], rotation=30, ha="right", fontsize=6)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="y", labelsize=6)
    axes.set_ylim(0, max([1, *base]) * 1.1)
    axes.set_title(title, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    if series and list(series) != [TOTAL]:
        axes.legend(fontsize=6, frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
