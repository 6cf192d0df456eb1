"""The ``newsmon extract`` JSON Lines contract.

Input: one article per line, ``{"id", "url", "title", "text", "published_at", "source"}``
(only ``text`` is required). Output: one line per input line, in order, either
``{"id": …, "extraction": {…}}`` or ``{"id": …, "line": N, "error": "…"}``. A bad line
never stops the others: lines are read as bytes and decoded one by one, so a line that is not
UTF-8 gets its own error line (with its id when the rest of it reads) and the next lines go on.
Extraction reads at most ``nlp.pipeline.MAX_TEXT_CHARS`` characters of each article.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from newsmon.text import normalize


class ArticleLine(BaseModel):
    """One input line of the contract."""

    model_config = ConfigDict(extra="ignore")

    id: str | int | None = None
    url: str | None = None
    title: str = ""
    text: str
    published_at: datetime | date | None = None
    source: str | None = None

    @field_validator("published_at", mode="before")
    @classmethod
    def _empty_date_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value


class LineResult(BaseModel):
    """One output line: the extraction, or the error for that line."""

    id: str | int | None
    extraction: dict[str, object] | None = None
    line: int | None = None
    error: str | None = None

    def to_json(self) -> str:
        """The JSON line, without the fields that do not apply."""
        return json.dumps(self.model_dump(exclude_none=True), ensure_ascii=False)


def _decoded(raw: str | bytes, number: int) -> str | LineResult:
    """The line as text, or the error line of bytes that are not UTF-8."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        try:  # the id, when the rest of the line still reads, so the caller knows which article it was
            found = json.loads(raw.decode("utf-8", errors="replace")).get("id")
        except (ValueError, AttributeError):
            found = None
        return LineResult(id=found if isinstance(found, str | int) else None, line=number,
                          error=f"not UTF-8: byte 0x{raw[e.start]:02x} at column {e.start + 1} ({e.reason})")


def extract_line(raw: str | bytes, number: int) -> LineResult:
    """Parse and extract one input line (text, or bytes to decode as UTF-8); never raises for bad input."""
    from nlp.pipeline import extract

    text = _decoded(raw, number)
    if isinstance(text, LineResult):
        return text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        return LineResult(id=None, line=number, error=f"invalid JSON: {e.msg} at column {e.colno}")
    if not isinstance(data, dict):
        return LineResult(id=None, line=number, error="expected a JSON object per line")
    try:
        article = ArticleLine.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "line"
        return LineResult(id=data.get("id"), line=number, error=f"{where}: {first['msg']}")
    try:
        extraction = extract(
            normalize(article.text), title=normalize(article.title),
            published_at=article.published_at, source=article.source,
        )
    except Exception as e:  # one article's failure is reported on its line, the rest go on
        return LineResult(id=article.id, line=number, error=f"extraction failed: {type(e).__name__}: {e}")
    return LineResult(id=article.id, extraction=extraction.model_dump(mode="json"))


def extract_lines(lines: Iterable[str | bytes]) -> Iterator[LineResult]:
    """Extract every non-blank line, in order (a binary file's lines are decoded one at a time)."""
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield extract_line(raw, number)
