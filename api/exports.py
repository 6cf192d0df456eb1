"""Downloads: CSV (UTF-8 with a byte-order mark, so Excel reads the accents) and PNG responses.

Every cell goes through ``newsmon.csv_safe`` (a cell that a spreadsheet would run as a formula gets an
apostrophe). CSV bodies stream row by row: an export of every match never sits in memory whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from fastapi.responses import Response, StreamingResponse

from newsmon.csv_safe import safe_row


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """The CSV document, one encoded line at a time, starting with the byte-order mark and the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(safe_row(row))
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
