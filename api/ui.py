"""Helpers of the web UI: templates, Vietnamese labels, query-string links and the pages' shared context."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from newsmon.labels import EVENT_LABELS, TOPIC_LABELS, UNDATED_LABEL
from newsmon.models import http_url

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
FACET_LABELS = {"source": "Nguồn", "province": "Tỉnh/thành", "event_type": "Loại sự kiện", "topic": "Chủ đề"}
FACET_PARAMS = {"source": "source", "province": "province", "event_type": "event_type", "topic": "topic"}
SPLIT_LABELS = {"": "Không chia", "source": "Nguồn", "province": "Tỉnh/thành", "topic": "Chủ đề",
                "event_type": "Loại sự kiện"}
INTERVAL_LABELS = {"day": "Ngày", "week": "Tuần", "month": "Tháng", "year": "Năm"}
UNIT_LABELS = {"articles": "Bài viết", "stories": "Câu chuyện (mỗi tin tính một lần)"}
# The query and the filters every tab understands: carried when a person moves between tabs.
CARRIED = ("q", "date_from", "date_to", "source", "province", "event_type", "topic", "has_figures",
           "include_off_topic")
# Where a person is in a list: dropped whenever the list itself changes.
PAGING = ("cursor", "back", "page", "offset")
TABS = (("/", "Tìm kiếm"), ("/ui/trends", "Xu hướng"), ("/ui/figures", "Số liệu"))


def safe_link(url: str | None) -> str:
    """``url`` for an ``href`` when it is http(s), else "#": stored addresses are checked again on render."""
    return http_url(url) or "#"


TEMPLATES.env.filters["safe_link"] = safe_link


def query_link(request: Request, path: str | None = None, toggle: tuple[str, str] | None = None,
               **replace: Any) -> str:
    """The current URL with one ``key=value`` toggled or some keys replaced (a list value repeats the key);
    the place in the list is dropped unless replaced."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in PAGING and k not in replace]
    if toggle:
        items = [(k, v) for k, v in items if (k, v) != toggle] if toggle in items else [*items, toggle]
    for key, value in replace.items():
        values = value if isinstance(value, list) else [value]
        items += [(key, str(v)) for v in values if v not in (None, "")]
    query = urlencode(items)
    return f"{path or request.url.path}{'?' + query if query else ''}"


def tab_link(request: Request, path: str) -> str:
    """The link to another tab, carrying the query and the filters it understands."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k in CARRIED]
    return f"{path}{'?' + urlencode(items) if items else ''}"


def is_active(request: Request, key: str, value: str) -> bool:
    """Whether ``key=value`` is among the current filters."""
    return (key, value) in request.query_params.multi_items()


def vn_number(value: float) -> str:
    """A number the Vietnamese way: 28.867 and 72,5."""
    text = f"{value:,.10g}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the shared helpers in its context."""
    context.update(
        request=request, query_link=query_link, tab_link=tab_link, tabs=TABS, is_active=is_active,
        event_labels=EVENT_LABELS, topic_labels=TOPIC_LABELS, facet_labels=FACET_LABELS, facet_params=FACET_PARAMS,
        vn_number=vn_number, facet_label=facet_label, undated_label=UNDATED_LABEL,
    )
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def render_error(request: Request, problem: dict[str, Any]) -> HTMLResponse:
    """The HTML error page of a problem document."""
    return render(request, "error.html", status_code=problem["status"], problem=problem)


def facet_label(name: str, value: str) -> str:
    """How a facet value reads in Vietnamese (event types and topics have labels; the rest are names)."""
    labels = {"event_type": EVENT_LABELS, "topic": TOPIC_LABELS}.get(name, {})
    return labels.get(value, value)
