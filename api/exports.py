"""Downloads: CSV (UTF-8 with a byte-order mark, so Excel reads the accents) and PNG responses.

A cell that starts like a spreadsheet formula (``=``, ``+``, ``-``, ``@``, or a tab or carriage return
before one) is written with a leading apostrophe, so opening an export never runs anything.
CSV bodies stream row by row: an export of every match never sits in memory whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from fastapi.responses import Response, StreamingResponse

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a CSV cell that no spreadsheet evaluates; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """The CSV document, one encoded line at a time, starting with the byte-order mark and the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(v) for v in row])
        yield buffer.getvalue().encode("utf-8")


def csv_response(header: Sequence[str], rows: Iterable[Sequence[object]], filename: str) -> StreamingResponse:
    """A streamed CSV download named ``filename``."""
    return StreamingResponse(
        csv_lines(header, rows), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def png_response(png: bytes, filename: str) -> Response:
    """A PNG download named ``filename``."""
    return Response(png, media_type="image/png", headers={"Content-Disposition": f'attachment; filename="{filename}"'})
