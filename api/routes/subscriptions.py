"""Digest subscriptions: ``/subscriptions`` CRUD (API key) and the signed one-click ``/unsubscribe``.

    GET    /subscriptions            list (``?email=`` one address's)      (X-API-Key)
    POST   /subscriptions            create                                 (X-API-Key)
    GET    /subscriptions/{id}       one                                    (X-API-Key)
    PATCH  /subscriptions/{id}       change some fields                     (X-API-Key)
    DELETE /subscriptions/{id}       delete it and its send log             (X-API-Key)
    GET    /unsubscribe?token=…      a Vietnamese page that confirms with a button
    POST   /unsubscribe?token=…      unsubscribe (RFC 8058 one-click: body List-Unsubscribe=One-Click)

A token comes from the email's link; one this server did not sign answers 400.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.deps import get_settings, get_store, require_api_key
from api.errors import Problem, problem_body
from api.routes import problems
from api.ui import render, render_error
from newsmon.models import Subscription
from newsmon.query import parse
from newsmon.secrets import signing_key
from newsmon.settings import Settings
from newsmon.store import Store
from newsmon.subscriptions import check_filters
from newsmon.tokens import InvalidToken, read_token

router = APIRouter(tags=["subscriptions"], dependencies=[Depends(require_api_key)])
# Ids are SQLite integers: a larger number names no subscription (and cannot be looked up), so it is a 422.
SubscriptionId = Annotated[int, Path(ge=1, le=(1 << 63) - 1, description="The subscription's id", examples=[1])]
unsubscribe_router = APIRouter(tags=["subscriptions"])


class SubscriptionChange(BaseModel):
    """The fields a client may set; on PATCH, only those sent change."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "email": "lan@example.vn", "query": "\"bình đẳng giới\" OR \"bạo lực gia đình\"",
        "filters": {"provinces": ["Hà Nội"]}, "frequency": "weekly",
    }]})

    email: str | None = None
    query: str | None = Field(None, description="Saved query in the search syntax; blank: every article")
    filters: dict[str, Any] | None = Field(None, description="Search filters: sources, provinces, event_types, "
                                           "topics, has_figures, include_duplicates")
    frequency: Literal["daily", "weekly"] | None = None
    send_empty: bool | None = Field(None, description="Send a digest even for a period with nothing new")
    active: bool | None = None


def _checked(subscription: Subscription) -> Subscription:
    """Refuse a query that does not parse or an unknown filter, with a 400 problem."""
    try:
        check_filters(subscription.filters)
    except ValueError as e:
        raise Problem(400, "invalid-filters", "Invalid filters", str(e)) from e
    if subscription.query.strip():
        parse(subscription.query)  # a QuerySyntaxError answers 400 with the position
    return subscription


def _apply(base: dict[str, Any], change: SubscriptionChange) -> Subscription:
    try:
        return _checked(Subscription.model_validate({**base, **change.model_dump(exclude_unset=True)}))
    except ValidationError as e:
        detail = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
        raise Problem(422, "validation", "Invalid parameters", detail) from e


def _load(store: Store, subscription_id: int) -> Subscription:
    found = store.get_subscription(subscription_id)
    if found is None:
        raise Problem(404, "subscription-not-found", "Subscription not found",
                      f"No subscription has id {subscription_id}.")
    return found


@router.get("/subscriptions", response_model=list[Subscription], responses=problems(401, 403),
            summary="List subscriptions (API key)")
def list_subscriptions(email: str | None = Query(None, description="Only this address's"),
                       store: Store = Depends(get_store)) -> list[Subscription]:
    """Every subscription in id order, or one address's."""
    return store.list_subscriptions(email=email)


@router.post("/subscriptions", response_model=Subscription, status_code=201,
             responses=problems(400, 401, 403, 422), summary="Subscribe to a digest (API key)")
def create_subscription(body: SubscriptionChange, store: Store = Depends(get_store)) -> Subscription:
    """Store a new subscription; ``email`` is required, the rest has defaults (weekly, every article)."""
    if body.email is None:
        raise Problem(422, "validation", "Invalid parameters", "email: Field required")
    return store.add_subscription(_apply({}, body))


@router.get("/subscriptions/{subscription_id}", response_model=Subscription, responses=problems(401, 403, 404),
            summary="One subscription (API key)")
def get_subscription(subscription_id: SubscriptionId, store: Store = Depends(get_store)) -> Subscription:
    """One subscription by id."""
    return _load(store, subscription_id)


@router.patch("/subscriptions/{subscription_id}", response_model=Subscription,
              responses=problems(400, 401, 403, 404, 422), summary="Change a subscription (API key)")
def update_subscription(subscription_id: SubscriptionId, body: SubscriptionChange,
                        store: Store = Depends(get_store)) -> Subscription:
    """Change the fields sent; the others keep their values."""
    current = _load(store, subscription_id)
    updated = store.update_subscription(_apply(current.model_dump(), body))
    if updated is None:  # deleted meanwhile
        raise Problem(404, "subscription-not-found", "Subscription not found",
                      f"No subscription has id {subscription_id}.")
    return updated


@router.delete("/subscriptions/{subscription_id}", status_code=204, responses=problems(401, 403, 404),
               summary="Delete a subscription (API key)")
def delete_subscription(subscription_id: SubscriptionId, store: Store = Depends(get_store)) -> Response:
    """Delete the subscription and its send log."""
    if not store.delete_subscription(subscription_id):
        raise Problem(404, "subscription-not-found", "Subscription not found",
                      f"No subscription has id {subscription_id}.")
    return Response(status_code=204)


def _subscription_of(token: str, settings: Settings, store: Store) -> Subscription | None:
    """The subscription a token names (None when deleted since); InvalidToken when forged."""
    return store.get_subscription(read_token(token, signing_key(settings)))


@unsubscribe_router.get("/unsubscribe", response_class=HTMLResponse, include_in_schema=False)
def unsubscribe_page(request: Request, token: str = "", settings: Settings = Depends(get_settings),
                     store: Store = Depends(get_store)) -> HTMLResponse:
    """The confirmation page: a link prefetched by a mail scanner must not unsubscribe anyone."""
    try:
        subscription = _subscription_of(token, settings, store)
    except InvalidToken as e:
        return render_error(request, problem_body(400, "invalid-token", "Invalid unsubscribe link", str(e)))
    return render(request, "unsubscribe.html", subscription=subscription, token=token, done=False)


@unsubscribe_router.post("/unsubscribe", response_class=HTMLResponse, responses=problems(400),
                         summary="One-click unsubscribe (RFC 8058)")
def unsubscribe(request: Request, token: str = Query(description="The token of the email's link"),
                settings: Settings = Depends(get_settings), store: Store = Depends(get_store)) -> HTMLResponse:
    """Stop the subscription the token names (again: no harm); the body is ``List-Unsubscribe=One-Click``."""
    try:
        subscription = _subscription_of(token, settings, store)
    except InvalidToken as e:
        raise Problem(400, "invalid-token", "Invalid unsubscribe link", str(e)) from e
    if subscription is not None and subscription.active:
        store.update_subscription(subscription.model_copy(update={"active": False}))
    return render(request, "unsubscribe.html", subscription=subscription, token=token, done=True)
