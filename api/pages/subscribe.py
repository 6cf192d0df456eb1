"""``/ui/subscribe``: a search becomes a digest subscription, confirmed by email (double opt-in).

    GET  /ui/subscribe?q=…&<filters>       the form, with what would be saved
    POST /ui/subscribe?q=…&<filters>       body ``email=…&frequency=weekly|daily``: sends the confirmation
    GET  /ui/subscribe/confirm?token=…     what the link subscribes to, and a button
    POST /ui/subscribe/confirm?token=…     subscribes (again: nothing new)

The query and filters travel in the form's action URL, as on the search page, and are read by the
same dependency (``search_filters``); dates are not kept, each digest's period sets them. No API key:
the confirmation email proves the address, and nothing is stored before it is confirmed
(``api.signup``). The link opens a page with a button instead of subscribing on GET, because mail
scanners open the links in emails on their own.

Limits, counted in this process (``api.ratelimit``, ``NEWSMON_SIGNUP_*``): requests per client address
per hour, confirmation emails per address per day and per process per hour; over one, 429 with
Retry-After. A confirmation the SMTP server did not take answers 503 and gives its count back.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.deps import get_settings, get_store, search_filters
from api.errors import Problem
from api.ratelimit import RateLimit, client_key
from api.signup import (
    FREQUENCY_LABELS,
    TOKEN_DAYS,
    SignupInvalid,
    SignupRequest,
    TokenRefused,
    confirm,
    confirm_url,
    confirmation_message,
    describe_filters,
    make_token,
    read_token,
    signup_request,
)
from api.ui import render
from newsmon.errors import ConfigError
from newsmon.mail import Mailer, classify
from newsmon.query import parse
from newsmon.secrets import public_url, signing_key
from newsmon.settings import Settings
from newsmon.store import Store
from newsmon.store.base import SearchFilters
from newsmon.subscriptions import saved_filters
from newsmon.tokens import make_token as unsubscribe_token

router = APIRouter()
log = logging.getLogger(__name__)
MAX_FORM_BYTES = 4096
_limits_lock = threading.Lock()


@dataclass
class SignupLimits:
    """The three counters of one app: per client address, per email address, and in all."""

    per_client: RateLimit
    per_email: RateLimit
    overall: RateLimit

    @classmethod
    def from_settings(cls, settings: Settings) -> SignupLimits:
        """The limits ``NEWSMON_SIGNUP_*`` set."""
        return cls(RateLimit(settings.signup_per_ip_hour, 3600), RateLimit(settings.signup_per_email_day, 86_400),
                   RateLimit(settings.signup_emails_per_hour, 3600))


async def signup_limits(request: Request, settings: Settings = Depends(get_settings)) -> SignupLimits:
    """The app's counters, made on first use."""
    state = request.app.state
    with _limits_lock:
        if getattr(state, "signup_limits", None) is None:
            state.signup_limits = SignupLimits.from_settings(settings)
        return state.signup_limits


async def form_fields(request: Request) -> dict[str, str]:
    """The fields of a urlencoded form body: the first value of each, blank ones absent."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise Problem(413, "too-large", "Request too large", f"A form body is at most {MAX_FORM_BYTES} bytes.")
    fields: dict[str, str] = {}
    for key, value in parse_qsl(body.decode("utf-8", errors="replace")):
        if value.strip():
            fields.setdefault(key, value.strip())
    return fields


def _page(request: Request, state: str, status: int = 200, headers: dict[str, str] | None = None,
          **context: Any) -> HTMLResponse:
    response = render(request, "subscribe.html", status_code=status, state=state, days=TOKEN_DAYS,
                      frequencies=FREQUENCY_LABELS, **context)
    response.headers.update({"Cache-Control": "no-store", **(headers or {})})
    return response


def _problem(request: Request, status: int, title: str, message: str, retry_after: int | None = None) -> HTMLResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return _page(request, "problem", status, headers, title=title, message=message)


def _too_many(request: Request, seconds: int) -> HTMLResponse:
    wait = f"{math.ceil(seconds / 60)} phút" if seconds <= 3600 else f"{math.ceil(seconds / 3600)} giờ"
    return _problem(request, 429, "Quá nhiều yêu cầu đăng ký",
                    f"Đã có quá nhiều yêu cầu đăng ký từ bạn hoặc tới địa chỉ này. Hãy thử lại sau khoảng {wait}.",
                    retry_after=seconds)


def _form(request: Request, q: str, filters: SearchFilters, status: int = 200, **context: Any) -> HTMLResponse:
    action = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return _page(request, "form", status, query=q.strip(), lines=describe_filters(saved_filters(filters)),
                 subscribe_action=action, **context)


def _same_origin(request: Request) -> bool:
    """Whether a POST comes from newsmon's own page (Sec-Fetch-Site, else Origin against Host). A client that
    sends neither, like curl, passes: the confirmation email, not this, proves the address."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


@router.get("/ui/subscribe", response_class=HTMLResponse)
def subscribe_form(request: Request, q: str = "", filters: SearchFilters = Depends(search_filters)) -> HTMLResponse:
    """The form on a page of its own, with the query and filters it would save."""
    if q.strip():
        parse(q)  # a syntax error answers 400, as on the search page
    return _form(request, q, filters)


@router.post("/ui/subscribe", response_class=HTMLResponse)
def subscribe(request: Request, q: str = "", filters: SearchFilters = Depends(search_filters),
              form: dict[str, str] = Depends(form_fields), settings: Settings = Depends(get_settings),
              limits: SignupLimits = Depends(signup_limits)) -> HTMLResponse:
    """Send the confirmation email of the search to the address in the form; store nothing yet."""
    if not _same_origin(request):
        return _problem(request, 403, "Yêu cầu bị từ chối", "Hãy đăng ký từ trang tìm kiếm của newsmon.")
    wait = limits.per_client.take(client_key(request.client.host if request.client else None))
    if wait:
        return _too_many(request, wait)
    try:
        signup = signup_request(form.get("email", ""), q, filters, form.get("frequency", "weekly"))
    except SignupInvalid as e:
        return _form(request, q, filters, 422, error=str(e), email=form.get("email", ""),
                     frequency=form.get("frequency"))
    try:
        link = confirm_url(public_url(settings), make_token(signup, signing_key(settings)))
    except ConfigError as e:
        log.error("cannot send signup confirmations: %s", e)
        return _problem(request, 503, "Chưa thể đăng ký qua email", "Máy chủ này chưa được cấu hình để gửi thư "
                        "xác nhận; quản trị viên xem nhật ký (log) của máy chủ để biết cần sửa gì.")
    return _send(request, signup, link, settings, limits)


def _send(request: Request, signup: SignupRequest, link: str, settings: Settings,
          limits: SignupLimits) -> HTMLResponse:
    """Send the confirmation within the email limits; a failure gives the counts back (unless the server may
    have taken the message) and answers 503."""
    address = signup.email.lower()
    wait = limits.per_email.take(address)
    if not wait:
        wait = limits.overall.take("*")
        if wait:
            limits.per_email.give_back(address)
    if wait:
        return _too_many(request, wait)
    message = confirmation_message(signup, sender=settings.smtp_from, link=link, now=datetime.now(UTC))
    try:
        with Mailer(settings) as mailer:
            mailer.send(message)
    except Exception as e:  # every SMTP, socket or TLS error: the mail did not go, or may not have
        failure = classify(e)
        log.warning("signup confirmation to %s not sent: %s", signup.email, failure.error)
        if not failure.ambiguous:
            limits.per_email.give_back(address)
            limits.overall.give_back("*")
        return _problem(request, 503, "Không gửi được thư xác nhận",
                        f"Máy chủ thư không nhận thư xác nhận tới {signup.email} lúc này, nên chưa có gì được "
                        "đăng ký. Hãy thử lại sau ít phút.", retry_after=300)
    return _page(request, "sent", signup=signup, query=signup.query, lines=describe_filters(signup.filters))


def _read(request: Request, token: str, settings: Settings) -> SignupRequest | HTMLResponse:
    """The request a token holds, or the page that says why the link is refused (410 once expired)."""
    try:
        return read_token(token, signing_key(settings))
    except TokenRefused as e:
        if e.expired:
            return _problem(request, 410, "Liên kết xác nhận đã hết hạn", str(e))
        return _problem(request, 400, "Liên kết xác nhận không hợp lệ", str(e))


@router.get("/ui/subscribe/confirm", response_class=HTMLResponse)
def confirm_page(request: Request, token: str = "", settings: Settings = Depends(get_settings)) -> HTMLResponse:
    """What the link would subscribe to, and the button that does it; nothing changes on GET."""
    signup = _read(request, token, settings)
    if isinstance(signup, HTMLResponse):
        return signup
    return _page(request, "confirm", signup=signup, query=signup.query, lines=describe_filters(signup.filters),
                 token=token)


@router.post("/ui/subscribe/confirm", response_class=HTMLResponse)
def confirm_subscription(request: Request, token: str = "", settings: Settings = Depends(get_settings),
                         store: Store = Depends(get_store)) -> HTMLResponse:
    """Create the subscription the token holds (or switch it on again); a second click adds nothing."""
    signup = _read(request, token, settings)
    if isinstance(signup, HTMLResponse):
        return signup
    subscription, outcome = confirm(store, signup)
    stop = f"/unsubscribe?{urlencode({'token': unsubscribe_token(subscription.id or 0, signing_key(settings))})}"
    return _page(request, "done", signup=signup, query=signup.query, lines=describe_filters(signup.filters),
                 outcome=outcome, unsubscribe=stop)
