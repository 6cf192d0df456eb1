"""newsmon's HTTP API and web UI (FastAPI).

JSON API (OpenAPI at ``/docs`` and ``/openapi.json``; also reachable under ``/api/...``):

    GET  /search              ranked results, highlights, facets, cursor pagination
    GET  /trends              coverage per day|week|month|year, split, share of voice
    GET  /trends/campaign     the action month (15/11-15/12) compared across years
    GET  /figures             extracted figures; format=csv downloads them
    GET  /entities            top people, organisations and places
    GET  /articles/{id}       an article with its extraction
    POST /articles            ingest articles                    (X-API-Key)
    POST /admin/reextract     run NLP again on given articles    (X-API-Key)
    GET  /health              store engine, counts, ok
    /subscriptions[/{id}]     digest subscriptions CRUD          (X-API-Key)
    GET|POST /unsubscribe     signed one-click unsubscribe (RFC 8058)

Web UI (Vietnamese, server-rendered): ``/`` (search), ``/ui/articles/{id}``,
``/ui/trends``, ``/ui/figures``; assets under ``/static``.

Errors are ``application/problem+json`` (``api.errors``). Nothing is read at import
time: ``create_app`` takes settings and a store, or reads them on first use.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PROBLEM_JSON, CatchAll, install_handlers, problem_body
from api.routes import admin, articles, entities, figures, health, pages, search, subscriptions, trends
from api.security import SecurityHeaders
from newsmon.secrets import signing_key
from newsmon.settings import Settings
from newsmon.store import Store, open_store

MAX_BODY_BYTES = 5 * 1024 * 1024
STATIC_DIR = Path(__file__).parent / "static"
_API_ROUTERS = (search.router, trends.router, figures.router, entities.router, articles.router,
                admin.router, health.router, subscriptions.router)


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` with a 413 problem, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _send_413(send, self.max_bytes)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _send_413(send, self.max_bytes)


class _TooLarge(Exception):
    pass


async def _send_413(send: Send, max_bytes: int) -> None:
    import json

    body = json.dumps(problem_body(413, "too-large", "Request too large",
                                   f"The request body exceeds {max_bytes} bytes.")).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The ASGI app. ``settings`` default to ``get_settings()``; ``store`` opens from them on first use."""
    if settings is None:
        from newsmon.settings import get_settings

        settings = get_settings()
    app = FastAPI(
        title="newsmon", version="0.1.0",
        description="Search how the Vietnamese press covers gender-equality work: articles, trends, figures.",
    )
    app.state.settings, app.state.store = settings, store
    install_handlers(app)
    for router in _API_ROUTERS:
        app.include_router(router)
    hidden = APIRouter(include_in_schema=False)
    for router in _API_ROUTERS:
        hidden.include_router(router)
    app.include_router(hidden, prefix="/api")
    app.include_router(pages.router)
    app.include_router(subscriptions.unsubscribe_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["X-API-Key", "Content-Type"])
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(CatchAll)  # outermost of ours: whatever escapes the app and the others is answered here
    return app


def serve(host: str = "127.0.0.1", port: int = 8000, store_url: str | None = None) -> None:
    """Run the API and UI with uvicorn (``newsmon serve``); ``store_url`` overrides the settings."""
    import uvicorn

    from newsmon.settings import get_settings

    settings = get_settings()
    if store_url:
        settings = settings.model_copy(update={"store_url": store_url})
    signing_key(settings)  # refuse a default key, or generate and keep one, before the first request
    with open_store(settings.store_url) as store:  # a damaged store stops here, with its reason
        store.stats()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
