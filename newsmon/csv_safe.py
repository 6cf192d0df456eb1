"""CSV cells that a spreadsheet will not run: formula injection ("CSV injection") neutralised.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``), and also one that starts with a tab or carriage
return followed by one. Article titles, sentences and subjects come from the web, so every text cell
of an export passes through ``safe_cell``, which puts an apostrophe in front (OWASP's advice: the
spreadsheet shows the text as typed and hides the apostrophe). Numbers written by newsmon itself
(a negative change, say) stay numbers: ``safe_row`` leaves ``int`` and ``float`` values alone.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FORMULA_STARTS", "safe_cell", "safe_row"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a CSV cell: text that a spreadsheet would read as a formula gets a leading apostrophe.

    None becomes ""; numbers and booleans are returned unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row through ``safe_cell``."""
    return [safe_cell(v) for v in values]
