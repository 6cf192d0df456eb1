"""newsmon's HTTP API and web UI (FastAPI).

JSON API (OpenAPI at ``/docs`` and ``/openapi.json``; also reachable under ``/api/...``):

    GET  /search              ranked results, highlights, facets, cursor pagination; format=csv: every match
    GET  /stories             the same news across outlets, most outlets first; format=csv
    GET  /stories/{id}        one story with every article
    GET  /trends              coverage per day|week|month|year, split, share of voice; unit=stories
    GET  /trends/campaign     the action month (15/11-15/12) compared across years
    GET  /figures             extracted figures; format=csv downloads them
    GET  /entities            top people, organisations and places
    GET  /articles/{id}       an article with its extraction
    POST /articles            ingest articles                    (X-API-Key)
    POST /admin/reextract     queue articles for re-extraction   (X-API-Key)
    GET  /health              store engine, counts, ok
    /subscriptions[/{id}]     digest subscriptions CRUD          (X-API-Key)
    GET|POST /unsubscribe     signed one-click unsubscribe (RFC 8058)

Web UI (Vietnamese, server-rendered): ``/`` (search), ``/ui/articles/{id}``, ``/ui/stories/{id}``,
``/ui/trends``, ``/ui/figures``; assets under ``/static``.

A blank query parameter (``source=``, an empty form field) is an absent one (``api.middleware``).
Errors are ``application/problem+json`` (``api.errors``). Nothing is read at import
time: ``create_app`` takes settings and a store, or reads them on first use.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from api import pages
from api.errors import CatchAll, install_handlers
from api.middleware import MAX_BODY_BYTES, BlankParamsAreAbsent, BodySizeLimit
from api.routes import admin, articles, entities, figures, health, search, stories, subscriptions, trends
from api.security import SecurityHeaders
from newsmon.secrets import signing_key
from newsmon.settings import Settings
from newsmon.store import Store, open_store

STATIC_DIR = Path(__file__).parent / "static"
_API_ROUTERS = (search.router, stories.router, trends.router, figures.router, entities.router, articles.router,
                admin.router, health.router, subscriptions.router)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The ASGI app. ``settings`` default to ``get_settings()``; ``store`` opens from them on first use."""
    if settings is None:
        from newsmon.settings import get_settings

        settings = get_settings()
    # The docs' Swagger UI and ReDoc assets are served from the fastapi-offline package, never from a CDN.
    app: FastAPI = FastAPIOffline(
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
    app.add_middleware(BlankParamsAreAbsent)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(CatchAll)  # outermost of ours: whatever escapes the app and the others is answered here
    return app


def serve(host: str = "127.0.0.1", port: int = 8000, store_url: str | None = None,
          overrides: dict[str, object] | None = None) -> None:
    """Run the API and UI with uvicorn (``newsmon serve``); ``store_url`` and ``overrides`` (setting names to
    values, as the demo sets its mail outbox) replace those of the settings."""
    import uvicorn

    from newsmon.settings import get_settings

    settings = get_settings().model_copy(update={**({"store_url": store_url} if store_url else {}),
                                                 **(overrides or {})})
    signing_key(settings)  # refuse a default key, or generate and keep one, before the first request
    with open_store(settings.store_url) as store:  # a damaged store stops here, with its reason
        store.stats()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
