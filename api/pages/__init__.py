"""The web UI: server-rendered Jinja2 pages in Vietnamese that call the same functions as the JSON API.

``/`` (search), ``/ui/articles/{id}``, ``/ui/stories/{id}``, ``/ui/trends``, ``/ui/figures``, ``/ui/subscribe``
(a search as a digest subscription, confirmed by email). A blank form field is an absent parameter
(``api.middleware``); a query syntax error is shown next to the search box, where it is.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.pages import article, figures, search, stories, subscribe, trends

router = APIRouter(include_in_schema=False)
for module in (search, article, stories, trends, figures, subscribe):
    router.include_router(module.router)
