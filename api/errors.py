"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API returns has ``type``, ``title``, ``status`` and ``detail``; a query
syntax error adds ``position`` (0-based offset in ``q``) and validation errors add
``errors``. ``type`` is a relative URI, ``/problems/<slug>``. HTML pages (``/`` and
``/ui/...``) get the same information as a rendered error page. Unexpected exceptions
become a 500 whose body says nothing about the internals.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsmon.errors import ConfigError, InvalidCursor, QuerySyntaxError, StoreError, StoreUnavailable

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
_HTTP_TITLES = {
    400: "Bad request", 401: "Missing API key", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 413: "Request too large", 422: "Invalid parameters",
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
    return problem_response(request, Problem(400, "query-syntax", "Invalid query", detail, position=error.position))


async def _on_cursor(request: Request, exc: Exception) -> Response:
    return problem_response(request, Problem(400, "invalid-cursor", "Invalid cursor", str(exc)))


async def _on_store(request: Request, exc: Exception) -> Response:
    log.error("store unavailable: %s", exc)
    problem = Problem(503, "store-unavailable", "Store unavailable",
                      "The article store cannot be reached; retry later.")
    problem.headers["Retry-After"] = "30"
    return problem_response(request, problem)


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


async def _on_validation(request: Request, exc: Exception) -> Response:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    clean = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", "")),
              "vi": _vi(str(e.get("type", "")))} for e in errors]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in clean) or "invalid request"
    return problem_response(request, Problem(422, "validation", "Invalid parameters", detail, errors=clean))


async def _on_http(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
    detail = str(exc.detail) if isinstance(exc, StarletteHTTPException) else ""
    title = _HTTP_TITLES.get(status, "Error")
    problem = Problem(status, f"http-{status}", title, detail or title)
    problem.headers.update(getattr(exc, "headers", None) or {})
    return problem_response(request, problem)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request, Problem(500, "internal", "Internal server error", "An unexpected error occurred; it was logged."),
    )


def install_handlers(app: FastAPI) -> None:
    """Route every error to a problem document."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(QuerySyntaxError, _on_query_syntax)
    app.add_exception_handler(InvalidCursor, _on_cursor)
    app.add_exception_handler(StoreUnavailable, _on_store)
    app.add_exception_handler(StoreError, _on_store)
    app.add_exception_handler(ConfigError, _on_store)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
