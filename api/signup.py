"""Double opt-in for digest subscriptions made from the web UI: the signed request and its email.

Nothing is stored before the owner of the address confirms. The link in the confirmation email
carries a signed token that expires after ``TOKEN_DAYS`` (itsdangerous, keyed by
``newsmon.secrets.signing_key``, with a salt of its own so that no unsubscribe token passes for one);
it holds the address, the saved query, its filters and the frequency. ``confirm`` turns it into a
subscription: confirming again, or confirming a query and filters the address already has, adds
nothing (that subscription is switched on again, with the frequency asked for).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError

from newsmon.errors import NewsmonError
from newsmon.labels import EVENT_LABELS, TOPIC_LABELS
from newsmon.models import Subscription
from newsmon.query import parse
from newsmon.store import Store
from newsmon.store.base import SearchFilters
from newsmon.subscriptions import check_filters, saved_filters, search_filters_of

__all__ = ["FREQUENCY_LABELS", "TOKEN_DAYS", "SignupInvalid", "SignupRequest", "TokenRefused", "confirm",
           "confirm_url", "confirmation_message", "describe_filters", "make_token", "read_token", "signup_request"]

SALT = "newsmon.signup"
TOKEN_DAYS = 3
MAX_EMAIL_LENGTH = 254  # RFC 5321's path limit, less the angle brackets
FREQUENCY_LABELS = {"weekly": "hằng tuần", "daily": "hằng ngày"}
Outcome = Literal["new", "updated", "already"]
_FILTER_NAMES = {"sources": "Nguồn", "provinces": "Tỉnh/thành", "event_types": "Loại sự kiện", "topics": "Chủ đề"}
_VALUE_LABELS = {"event_types": EVENT_LABELS, "topics": TOPIC_LABELS}
_FLAG_LABELS = {("has_figures", True): "Chỉ bài có số liệu", ("has_figures", False): "Chỉ bài không có số liệu",
                ("include_duplicates", True): "Tính cả các bản đăng lại",
                ("on_topic_only", False): "Gồm cả bài ngoài chủ đề"}
_EMAILS = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates" / "email"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
_confirm_lock = threading.Lock()  # one process never adds the same subscription twice for two quick clicks


class SignupInvalid(NewsmonError, ValueError):
    """The form cannot become a subscription; the message is Vietnamese, for the page."""


class TokenRefused(NewsmonError, ValueError):
    """A confirmation link altered, signed by another key, or older than ``TOKEN_DAYS`` (``expired``)."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


@dataclass(frozen=True)
class SignupRequest:
    """Who asks for which saved query, with which filters, how often: what a confirmation token holds."""

    email: str
    query: str
    filters: dict[str, Any]
    frequency: Literal["daily", "weekly"]

    def subscription(self) -> Subscription:
        """The subscription confirming this request creates."""
        return Subscription(email=self.email, query=self.query, filters=self.filters, frequency=self.frequency)


def signup_request(email: str, query: str, filters: SearchFilters, frequency: str) -> SignupRequest:
    """The checked request; SignupInvalid (Vietnamese) for a bad address or frequency, QuerySyntaxError for
    a query that does not parse."""
    if frequency not in FREQUENCY_LABELS:
        raise SignupInvalid("Hãy chọn nhận bản tin hằng tuần hoặc hằng ngày.")
    if not email.strip():
        raise SignupInvalid("Hãy nhập địa chỉ email để nhận bản tin.")
    try:
        checked = Subscription(email=email, query=query.strip())  # the address checked, the query normalised
    except ValidationError as e:
        raise SignupInvalid(f"“{email.strip()[:100]}” không phải một địa chỉ email.") from e
    local, _, domain = checked.email.rpartition("@")
    try:  # a mail header carries an international domain as punycode; a non-ASCII local part needs SMTPUTF8
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as e:
        raise SignupInvalid(f"Tên miền “{domain[:100]}” không hợp lệ.") from e
    if not local.isascii() or len(checked.email) > MAX_EMAIL_LENGTH:
        raise SignupInvalid("Địa chỉ email này không dùng được: phần trước @ phải là chữ không dấu, "
                            f"và cả địa chỉ không quá {MAX_EMAIL_LENGTH} ký tự.")
    if checked.query:
        parse(checked.query)
    return SignupRequest(f"{local}@{domain}", checked.query, check_filters(saved_filters(filters)),
                         frequency)  # type: ignore[arg-type]


def _serializer(secret: str, issued_at: float | None = None) -> URLSafeTimedSerializer:
    if issued_at is None:
        return URLSafeTimedSerializer(secret, salt=SALT)

    class Backdated(TimestampSigner):  # a token as if made at ``issued_at``: how old links are made in tests
        def get_timestamp(self) -> int:
            return int(issued_at)

    return URLSafeTimedSerializer(secret, salt=SALT, signer=Backdated)


def make_token(request: SignupRequest, secret: str, *, issued_at: float | None = None) -> str:
    """The signed, timestamped token of a request (``issued_at``: a Unix time other than now)."""
    payload = {"e": request.email, "q": request.query, "f": request.filters, "r": request.frequency}
    return _serializer(secret, issued_at).dumps(payload)


def read_token(token: str, secret: str) -> SignupRequest:
    """The request a token holds; TokenRefused (Vietnamese message) when altered, foreign or expired."""
    try:
        data = _serializer(secret).loads(token, max_age=TOKEN_DAYS * 86_400)
    except SignatureExpired as e:
        raise TokenRefused(f"Liên kết xác nhận đã hết hạn: liên kết chỉ dùng được trong {TOKEN_DAYS} ngày. "
                           "Hãy đăng ký lại từ trang tìm kiếm để nhận liên kết mới.", expired=True) from e
    except BadSignature as e:
        raise TokenRefused("Liên kết xác nhận không hợp lệ hoặc đã bị thay đổi. Hãy mở đúng liên kết trong thư, "
                           "hoặc đăng ký lại từ trang tìm kiếm.") from e
    try:
        filters = search_filters_of(data["f"])
        return signup_request(str(data["e"]), str(data["q"]), filters, str(data["r"]))
    except (ValueError, TypeError, KeyError) as e:  # signed by us, but no longer a valid subscription
        raise TokenRefused("Yêu cầu trong liên kết này không còn hợp lệ. Hãy đăng ký lại từ trang tìm kiếm.") from e


def confirm_url(public_url: str, token: str) -> str:
    """The link of the confirmation email."""
    return f"{public_url.rstrip('/')}/ui/subscribe/confirm?{urlencode({'token': token})}"


def describe_filters(filters: dict[str, Any]) -> list[str]:
    """The saved filters as Vietnamese lines ("Nguồn: vnexpress.net"), for the pages and the email."""
    lines = []
    for key, value in filters.items():
        if key in _FILTER_NAMES:
            labels = _VALUE_LABELS.get(key, {})
            lines.append(f"{_FILTER_NAMES[key]}: {', '.join(labels.get(v, v) for v in value)}")
        else:
            lines.append(_FLAG_LABELS.get((key, value), f"{key}: {value}"))
    return lines


def confirmation_message(request: SignupRequest, *, sender: str, link: str, now: datetime) -> EmailMessage:
    """The Vietnamese confirmation email (plain text and HTML) with the link, addressed to the request's email."""
    context = {"signup": request, "link": link, "filters": describe_filters(request.filters), "days": TOKEN_DAYS,
               "frequency": FREQUENCY_LABELS[request.frequency]}
    message = EmailMessage(policy=SMTP)
    message["Subject"] = "Xác nhận đăng ký nhận bản tin newsmon"
    message["From"] = sender
    message["To"] = Address(addr_spec=request.email)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("signup", domain=parseaddr(sender)[1].rpartition("@")[2] or "newsmon.local")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(_EMAILS.get_template("confirm.txt").render(context), charset="utf-8")
    message.add_alternative(_EMAILS.get_template("confirm.html").render(context), subtype="html", charset="utf-8")
    return message


def _same_search(stored: Subscription, request: SignupRequest) -> bool:
    if stored.query.strip() != request.query:
        return False
    try:
        filters = saved_filters(search_filters_of(stored.filters))
    except ValueError:
        return False
    return _canonical(filters) == _canonical(request.filters)


def _canonical(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, list) else v for k, v in filters.items()}


def confirm(store: Store, request: SignupRequest) -> tuple[Subscription, Outcome]:
    """The request's subscription and what confirming did: ``new``, ``updated`` (switched on again or
    another frequency) or ``already`` (nothing to do)."""
    with _confirm_lock:
        for stored in store.list_subscriptions(email=request.email):
            if not _same_search(stored, request):
                continue
            if stored.active and stored.frequency == request.frequency:
                return stored, "already"
            updated = store.update_subscription(
                stored.model_copy(update={"active": True, "frequency": request.frequency}))
            if updated is not None:
                return updated, "updated"
        return store.add_subscription(request.subscription()), "new"
