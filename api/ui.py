"""Helpers of the web UI: templates, Vietnamese labels, query-string links, marked article text."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from newsmon.labels import EVENT_LABELS, UNDATED_LABEL
from newsmon.models import Extraction, http_url

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
FACET_LABELS = {"source": "Nguồn", "province": "Tỉnh/thành", "event_type": "Loại sự kiện", "topic": "Chủ đề"}
FACET_PARAMS = {"source": "source", "province": "province", "event_type": "event_type", "topic": "topic"}
SPLIT_LABELS = {"": "Không chia", "source": "Nguồn", "province": "Tỉnh/thành", "topic": "Chủ đề",
                "event_type": "Loại sự kiện"}
INTERVAL_LABELS = {"day": "Ngày", "week": "Tuần", "month": "Tháng", "year": "Năm"}
# Which extracted items are marked in the article text, most specific first (a later item
# that overlaps an earlier one is left unmarked).
_SPAN_KINDS = ("figures", "places", "people", "organisations", "events")


def safe_link(url: str | None) -> str:
    """``url`` for an ``href`` when it is http(s), else "#": stored addresses are checked again on render."""
    return http_url(url) or "#"


TEMPLATES.env.filters["safe_link"] = safe_link


def query_link(request: Request, path: str | None = None, toggle: tuple[str, str] | None = None,
               **replace: Any) -> str:
    """The current URL's query string with one value toggled or some keys replaced; drops the cursor."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor" and k not in replace]
    if toggle:
        key, value = toggle
        items = [(k, v) for k, v in items if (k, v) != toggle] if (key, value) in items else [*items, toggle]
    for key, value in replace.items():
        if value not in (None, ""):
            items.append((key, str(value)))
    query = urlencode(items)
    return f"{path or request.url.path}{'?' + query if query else ''}"


def is_active(request: Request, key: str, value: str) -> bool:
    """Whether ``key=value`` is among the current filters."""
    return (key, value) in request.query_params.multi_items()


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the shared helpers in its context."""
    context.update(
        request=request, query_link=query_link, is_active=is_active, event_labels=EVENT_LABELS,
        undated_label=UNDATED_LABEL,
        facet_labels=FACET_LABELS, facet_params=FACET_PARAMS,
    )
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def render_error(request: Request, problem: dict[str, Any]) -> HTMLResponse:
    """The HTML error page of a problem document."""
    return render(request, "error.html", status_code=problem["status"], problem=problem)


def _spans(extraction: Extraction, length: int) -> list[tuple[int, int, str, str]]:
    chosen: list[tuple[int, int, str, str]] = []
    for kind in _SPAN_KINDS:
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


def marked_text(text: str, extraction: Extraction | None, *, skip: int = 0) -> Markup:
    """``text[skip:]``, escaped, with extracted items wrapped in ``<mark class="ent-...">``.

    Extraction offsets index ``Article.full_text`` (headline, lead, body); pass that text
    and ``skip`` the headline the page already shows.
    """
    if extraction is None:
        return Markup(html.escape(text[skip:]))
    out, last = [], skip
    for start, end, kind, title in _spans(extraction, len(text)):
        if start < skip:
            continue
        out.append(html.escape(text[last:start]))
        out.append(f'<mark class="ent ent-{kind}" title="{html.escape(title)}">{html.escape(text[start:end])}</mark>')
        last = end
    out.append(html.escape(text[last:]))
    return Markup("".join(out))
