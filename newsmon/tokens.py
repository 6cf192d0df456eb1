"""Signed one-click unsubscribe links (itsdangerous, keyed by ``Settings.secret_key``).

The token names one subscription and never expires: an unsubscribe link in a year-old
email must still work. A token signed with another key or altered is refused.
"""

from __future__ import annotations

from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeSerializer

from newsmon.errors import NewsmonError

__all__ = ["InvalidToken", "make_token", "read_token", "unsubscribe_url"]

_SALT = "newsmon.unsubscribe"


class InvalidToken(NewsmonError, ValueError):
    """An unsubscribe token that this server did not sign (or that was altered)."""


def make_token(subscription_id: int, secret: str) -> str:
    """The signed token of one subscription."""
    return URLSafeSerializer(secret, salt=_SALT).dumps(subscription_id)


def read_token(token: str, secret: str) -> int:
    """The subscription id a token names; InvalidToken when the signature does not hold."""
    try:
        value = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except BadSignature as e:
        raise InvalidToken("the unsubscribe link is invalid or was altered; use the link from the email") from e
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 1 << 63:
        raise InvalidToken("the unsubscribe link does not name a subscription")
    return value


def unsubscribe_url(public_url: str, subscription_id: int, secret: str) -> str:
    """The HTTPS endpoint of the List-Unsubscribe header and the link in the email."""
    return f"{public_url.rstrip('/')}/unsubscribe?{urlencode({'token': make_token(subscription_id, secret)})}"
