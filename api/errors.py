"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API returns has ``type``, ``title``, ``status`` and ``detail``; a query
syntax error adds ``position`` (0-based offset in ``q``) and ``detail_vi`` (the Vietnamese
message the web UI shows), and validation errors add ``errors``. ``type`` is a relative URI,
``/problems/<slug>``. HTML pages (``/`` and ``/ui/...``) get the same information as a rendered
error page. Unexpected exceptions become a 500 whose body says nothing about the internals
(``CatchAll``, so the exception never reaches the server's own logging); the log gets each kind
of failure's traceback once (its last frames), then one line per repeat, so no request can flood it.

A busy store (``StoreBusy``) answers 503 with ``Retry-After``; a damaged one (``StoreDamaged``) 503
with the reason, which names the file and what is wrong with it (the operator's file, not a secret).
"""

from __future__ import annotations

import logging
import threading
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsmon.errors import (
    ConfigError,
    ConflictError,
    InvalidCursor,
    QuerySyntaxError,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreUnavailable,
)

log = logging.getLogger(__name__)
TRACEBACK_FRAMES = 12  # the last frames of a logged traceback: where it failed, not how deep it was
_seen_failures: dict[tuple[str, str], int] = {}
_seen_lock = threading.Lock()
PROBLEM_JSON = "application/problem+json"
_HTTP_TITLES = {
    400: "Bad request", 401: "Missing API key", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 413: "Request too large", 422: "Invalid parameters",
    500: "Internal server error", 503: "Service unavailable",
}


class Problem(Exception):
    """An error to answer with a problem document; raise it from routes and dependencies."""

    def __init__(self, status: int, slug: str, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail, self.extra = status, slug, title, detail, extra
        self.headers: dict[str, str] = {}


def problem_body(status: int, slug: str, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    """The JSON body of a problem document."""
    return {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, **extra}


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return path == "/" or path.startswith("/ui")


def problem_response(request: Request, problem: Problem) -> Response:
    """A problem+json response, or the HTML error page for UI paths."""
    body = problem_body(problem.status, problem.slug, problem.title, problem.detail, **problem.extra)
    if _wants_html(request):
        from api.ui import render_error

        return render_error(request, body)
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers)


async def _on_problem(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, Problem):
        return await _on_unexpected(request, exc)
    return problem_response(request, exc)


async def _on_query_syntax(request: Request, exc: Exception) -> Response:
    error = exc if isinstance(exc, QuerySyntaxError) else QuerySyntaxError(str(exc), 0)
    detail = f"{error.message} at position {error.position} of the query"
    detail_vi = f"Truy vấn không hợp lệ: {error.message_vi} (vị trí {error.position})"
    return problem_response(request, Problem(400, "query-syntax", "Invalid query", detail, position=error.position,
                                             detail_vi=detail_vi))


async def _on_cursor(request: Request, exc: Exception) -> Response:
    return problem_response(request, Problem(400, "invalid-cursor", "Invalid cursor", str(exc)))


async def _on_store(request: Request, exc: Exception) -> Response:
    log.error("%s: %s", "configuration refused" if isinstance(exc, ConfigError) else "store unavailable", exc)
    if isinstance(exc, StoreBusy):
        problem = Problem(503, "store-busy", "Store busy", "Another writer holds the store's lock; retry shortly.",
                          detail_vi="Kho dữ liệu đang bận ghi; vui lòng thử lại sau ít giây.")
        problem.headers["Retry-After"] = "5"
    elif isinstance(exc, ConfigError):  # e.g. a default signing key: the log says which setting, not the client
        problem = Problem(503, "misconfigured", "Server misconfigured",
                          "The server's configuration is refused; its log says which setting to fix.")
    elif isinstance(exc, StoreDamaged):
        problem = Problem(503, "store-damaged", "Store damaged", str(exc),
                          detail_vi="Tệp dữ liệu bị hỏng hoặc không đọc được; quản trị viên cần khôi phục.")
        problem.headers["Retry-After"] = "300"
    else:
        problem = Problem(503, "store-unavailable", "Store unavailable",
                          "The article store cannot be reached; retry later.")
        problem.headers["Retry-After"] = "30"
    return problem_response(request, problem)


async def _on_conflict(request: Request, exc: Exception) -> Response:
    return problem_response(request, Problem(409, "conflict", "Conflict", str(exc)))


# What each kind of invalid parameter means, in Vietnamese, for the web UI's error page (pydantic's types).
_VALIDATION_VI = {
    "int_parsing": "phải là một số nguyên", "int_from_float": "phải là một số nguyên",
    "float_parsing": "phải là một số", "bool_parsing": "phải là true hoặc false",
    "date_parsing": "phải là một ngày dạng năm-tháng-ngày (2024-11-15)",
    "date_from_datetime_parsing": "phải là một ngày dạng năm-tháng-ngày (2024-11-15)",
    "literal_error": "không phải một giá trị được chấp nhận", "enum": "không phải một giá trị được chấp nhận",
    "greater_than_equal": "nhỏ hơn giá trị cho phép", "less_than_equal": "lớn hơn giá trị cho phép",
    "missing": "bắt buộc phải có", "string_too_long": "quá dài", "too_long": "có quá nhiều giá trị",
}


def _vi(error_type: str) -> str:
    return _VALIDATION_VI.get(error_type, "không hợp lệ")


def _param(loc: list[object]) -> str:
    """The parameter an error is about: ``["query", "year", 0]`` is ``year``."""
    names = [str(part) for part in loc[1:] if isinstance(part, str)]
    return names[0] if names else ".".join(map(str, loc))


async def _on_validation(request: Request, exc: Exception) -> Response:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    clean = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", "")),
              "param": _param(list(e.get("loc", ()))), "vi": _vi(str(e.get("type", "")))} for e in errors]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in clean) or "invalid request"
    return problem_response(request, Problem(422, "validation", "Invalid parameters", detail, errors=clean))


async def _on_http(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
    detail = str(exc.detail) if isinstance(exc, StarletteHTTPException) else ""
    title = _HTTP_TITLES.get(status, "Error")
    problem = Problem(status, f"http-{status}", title, detail or title)
    problem.headers.update(getattr(exc, "headers", None) or {})
    return problem_response(request, problem)


def log_unexpected(method: str, path: str, exc: BaseException) -> None:
    """Log an unexpected error: its last frames the first time this kind fails on this path, then one line."""
    key = (type(exc).__name__, path[:200])
    with _seen_lock:
        seen = _seen_failures[key] = _seen_failures.get(key, 0) + 1
        if len(_seen_failures) > 1000:  # paths an attacker makes up must not grow this forever
            _seen_failures.clear()
    summary = f"{type(exc).__name__}: {str(exc)[:200]}"
    if seen > 1:
        log.error("unexpected error on %s %s (%d times): %s", method, path[:200], seen, summary)
        return
    frames = "".join(traceback.format_exception(exc, limit=-TRACEBACK_FRAMES, chain=False))
    log.error("unexpected error on %s %s: %s\n%s", method, path[:200], summary, frames[-20_000:])


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log_unexpected(request.method, request.url.path, exc)
    return problem_response(
        request, Problem(500, "internal", "Internal server error", "An unexpected error occurred; it was logged."),
    )


class CatchAll:
    """Answer an exception no handler took with a 500 problem, logged once (``log_unexpected``).

    Starlette's outermost middleware re-raises such an exception after answering, and the server
    then logs its whole traceback (263 KB for a RecursionError) on every request: this stops it first.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            request = Request(scope)
            if started:  # too late for a problem document: the log says what happened
                log_unexpected(request.method, request.url.path, exc)
                return
            await (await _on_unexpected(request, exc))(scope, receive, send)


def install_handlers(app: FastAPI) -> None:
    """Route every error to a problem document."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(QuerySyntaxError, _on_query_syntax)
    app.add_exception_handler(InvalidCursor, _on_cursor)
    app.add_exception_handler(ConflictError, _on_conflict)
    app.add_exception_handler(StoreUnavailable, _on_store)
    app.add_exception_handler(StoreError, _on_store)
    app.add_exception_handler(ConfigError, _on_store)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
