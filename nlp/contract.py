"""The ``newsmon extract`` JSON Lines contract.

Input: one article per line, ``{"id", "url", "title", "text", "published_at", "source"}``.
Only ``text`` is required; it must be a non-blank string. ``id``, when given, is a
non-blank string or an integer. ``title`` may be missing, null or empty. ``published_at``
may be missing, null, a date, a datetime, a partial date ("2024", "2024-11") or a
Vietnamese date string ("ngày 14 tháng 11 năm 2024", "14/11/2024 08:30"): whatever year
and month it gives are the extractor's context. A ``title``, ``published_at`` or ``source``
that cannot be read is left out and named in the line's ``warnings``; the article is still
extracted.

Output: one line per input line, in order, either ``{"id": …, "extraction": {…}}`` (with
``"warnings": […]`` when something was left out) or ``{"id": …, "line": N, "error": "…"}``.
A bad line never stops the others: lines are read as bytes and decoded one by one, so a line that
is not UTF-8 gets its own error line (with its id when the rest of it reads) and the next lines go on.
Extraction reads at most ``nlp.pipeline.MAX_TEXT_CHARS`` characters of each article.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel

from newsmon.published import PublishedDate, parse_published
from newsmon.text import normalize

__all__ = ["ArticleLine", "LineResult", "extract_line", "extract_lines", "read_article"]


@dataclass
class ArticleLine:
    """One input line, read: what the extractor gets, and what was left out of it."""

    id: str | int | None
    text: str
    title: str = ""
    published: PublishedDate | None = None
    source: str | None = None
    warnings: list[str] = field(default_factory=list)


class LineResult(BaseModel):
    """One output line: the extraction, or the error for that line."""

    id: str | int | None
    extraction: dict[str, object] | None = None
    line: int | None = None
    error: str | None = None
    warnings: list[str] | None = None

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


class UnusableLine(ValueError):
    """The line's ``id`` or ``text`` cannot be used; the message says which and why."""


def _usable_id(data: dict) -> str | int | None:
    value = data.get("id")
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and value.strip():
        return value
    raise UnusableLine(f"id: expected a non-blank string or an integer, got {value!r}")


def _optional_string(data: dict, key: str, warnings: list[str]) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    warnings.append(f"{key}: expected a string, got {type(value).__name__}; left out")
    return None


def read_article(data: dict) -> ArticleLine:
    """The article of one decoded line; raises ``UnusableLine`` for an unusable ``id`` or ``text``."""
    article_id = _usable_id(data)
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        found = "missing" if "text" not in data else f"got {type(text).__name__}" if not isinstance(text, str) \
            else "it is blank"
        raise UnusableLine(f"text: expected a non-blank string, {found}")
    warnings: list[str] = []
    title = _optional_string(data, "title", warnings) or ""
    source = _optional_string(data, "source", warnings)
    raw_date = data.get("published_at")
    published = parse_published(raw_date)
    if published is None and raw_date not in (None, ""):
        warnings.append(f"published_at: cannot read {raw_date!r} as a date; extracted without it")
    return ArticleLine(article_id, normalize(text), normalize(title), published, source, warnings)


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
        article = read_article(data)
    except UnusableLine as e:
        found = data.get("id")
        return LineResult(id=found if isinstance(found, str | int) else None, line=number, error=str(e))
    try:
        extraction = extract(article.text, title=article.title, published_at=article.published,
                             source=article.source)
    except Exception as e:  # one article's failure is reported on its line, the rest go on
        return LineResult(id=article.id, line=number, error=f"extraction failed: {type(e).__name__}: {e}")
    return LineResult(id=article.id, extraction=extraction.model_dump(mode="json"), warnings=article.warnings or None)


def extract_lines(lines: Iterable[str | bytes]) -> Iterator[LineResult]:
    """Extract every non-blank line, in order (a binary file's lines are decoded one at a time)."""
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield extract_line(raw, number)
