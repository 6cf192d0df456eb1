"""The coverage chart of a digest: a PNG bar chart drawn with matplotlib (embedded by Content-ID).

Mail clients do not run SVG or JavaScript, so the web UI's SVG charts (``api.chart``) cannot be
reused; the colours are shared. matplotlib is imported on first use.
"""

from __future__ import annotations

import io

from digest.period import Period
from newsmon.palette import PALETTE

__all__ = ["coverage_png"]

WIDTH_PX, HEIGHT_PX, DPI = 1120, 440, 200  # shown at 560 x 220 CSS pixels: sharp on 2x screens


def coverage_png(coverage: list[tuple[Period, int]], title: str) -> bytes:
    """A bar per period (the last one, the digest's, highlighted), labelled with its first day."""
    from matplotlib.figure import Figure  # without pyplot: no global backend or GUI
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    axes = figure.add_subplot()
    labels = [f"{p.start:%d/%m}" for p, _ in coverage]
    counts = [n for _, n in coverage]
    colours = [PALETTE[5]] * (len(counts) - 1) + [PALETTE[0]]
    bars = axes.bar(labels, counts, color=colours)
    axes.bar_label(bars, fontsize=6)
    axes.set_title(title, fontsize=8)
    axes.tick_params(labelsize=6)
    axes.set_ylim(0, max([1, *counts]) * 1.2)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # article counts: no 0.5 ticks
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
