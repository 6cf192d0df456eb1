"""Opaque keyset-pagination cursors: the sort keys of the last hit, base64-encoded."""

from __future__ import annotations

import base64
import json

from newsmon.errors import InvalidCursor


def encode_cursor(sort: str, keys: list[object]) -> str:
    """A cursor that resumes after the hit whose sort keys are ``keys``."""
    raw = json.dumps({"s": sort, "k": keys}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, arity: int) -> list[object]:
    """The sort keys in ``cursor``; ``InvalidCursor`` if it is not one of ours for ``sort``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        keys = data["k"]
    except (ValueError, KeyError, TypeError) as e:
        raise InvalidCursor(f"invalid cursor {cursor[:40]!r}: pass next_cursor from a previous page") from e
    if data.get("s") != sort or not isinstance(keys, list) or len(keys) != arity:
        raise InvalidCursor(f"cursor was issued for another sort order than {sort!r}")
    return keys
