"""The ``newsmon extract`` JSON Lines contract.

Input: one article per line, ``{"id", "url", "title", "text", "published_at", "source"}``
(only ``text`` is required). Output: one line per input line, in order, either
``{"id": …, "extraction": {…}}`` or ``{"id": …, "line": N, "error": "…"}``. A bad line
never stops the others.
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


def extract_line(raw: str, number: int) -> LineResult:
    """Parse and extract one input line; never raises for bad input."""
    from nlp.pipeline import extract

    try:
        data = json.loads(raw)
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


def extract_lines(lines: Iterable[str]) -> Iterator[LineResult]:
    """Extract every non-blank line, in order."""
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield extract_line(raw, number)
