"""An article's text as HTML paragraphs, with the extracted items and the search terms marked.

Extraction offsets index ``Article.full_text`` (headline, lead and body, one per line); the page shows the
headline and the lead itself, so the text starts after them (``skip``).
"""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import Markup

from newsmon.labels import EVENT_LABELS
from newsmon.models import Extraction
from newsmon.query import Node, positive_terms
from newsmon.store.highlight import mark, term_pattern

# Which extracted items are marked, most specific first (a later item that overlaps an earlier one is left unmarked).
_SPAN_KINDS = ("figures", "places", "people", "organisations", "events")


def _spans(extraction: Extraction | None, length: int) -> list[tuple[int, int, str, str]]:
    chosen: list[tuple[int, int, str, str]] = []
    for kind in _SPAN_KINDS if extraction else ():
        for item in getattr(extraction, kind):
            start, end = item.start, item.end
            if start is None or end is None or not 0 <= start < end <= length:
                continue
            if any(start < e and s < end for s, e, _, _ in chosen):
                continue
            chosen.append((start, end, kind, _describe(kind, item)))
    return sorted(chosen)


def _describe(kind: str, item: Any) -> str:
    if kind == "figures":
        return f"Số liệu: {item.value:g} {item.unit}" + (f" — {item.subject}" if item.subject else "")
    if kind == "places":
        new = f" → {item.province_new}" if item.province_new and item.province_new != item.province else ""
        return f"Địa danh ({item.level}): {item.province or item.name}{new}"
    if kind == "events":
        return f"Sự kiện: {EVENT_LABELS.get(item.type, item.type)}" + (f", {item.date}" if item.date else "")
    if kind == "people":
        return "Người: " + (f"{item.title} " if item.title else "") + item.name
    return "Tổ chức: " + item.name


def marked_text(text: str, extraction: Extraction | None, *, skip: int = 0, query: Node | None = None) -> Markup:
    """``text[skip:]`` as ``<p>`` paragraphs (one per line), escaped, extracted items in
    ``<mark class="ent ent-...">`` and the query's words in ``<mark class="hl">``."""
    pattern = term_pattern(positive_terms(query)) if query is not None else None

    def words(part: str) -> str:
        return _highlight(mark(part, pattern)) if pattern else html.escape(part)

    out, last = [], skip
    for start, end, kind, title in _spans(extraction, len(text)):
        if start < skip:
            continue
        out.append(words(text[last:start]))
        out.append(f'<mark class="ent ent-{kind}" title="{html.escape(title)}">{words(text[start:end])}</mark>')
        last = end
    out.append(words(text[last:]))
    paragraphs = [p.strip() for p in "".join(out).split("\n")]
    return Markup("".join(f"<p>{p}</p>" for p in paragraphs if p))


def _highlight(marked: str) -> str:
    """The search marks as ``mark.hl``, told apart from the extraction's marks."""
    return re.sub(r"<mark>", '<mark class="hl">', marked)
