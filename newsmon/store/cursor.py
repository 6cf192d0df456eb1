"""Opaque keyset-pagination cursors: the sort keys of the last hit, base64-encoded.

A cursor comes back from the client, so nothing in it is trusted: it must decode to the keys of
the sort order asked for, each a string, a finite number, an integer that fits in 64 bits (what
SQLite and Elasticsearch compare), or null. Anything else is ``InvalidCursor`` (a 400).
"""

from __future__ import annotations

import base64
import binascii
import json
import math

from newsmon.errors import InvalidCursor

MAX_CURSOR_CHARS = 1024  # ours are under 200: a longer one is not ours, and is never decoded
_INT64 = (-(1 << 63), (1 << 63) - 1)


def encode_cursor(sort: str, keys: list[object]) -> str:
    """A cursor that resumes after the hit whose sort keys are ``keys``."""
    raw = json.dumps({"s": sort, "k": keys}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _valid_key(key: object) -> bool:
    if key is None or isinstance(key, str):
        return True
    if isinstance(key, bool):
        return False
    if isinstance(key, int):
        return _INT64[0] <= key <= _INT64[1]
    return isinstance(key, float) and math.isfinite(key)


def decode_cursor(cursor: str, sort: str, arity: int) -> list[object]:
    """The sort keys in ``cursor``; ``InvalidCursor`` if it is not one of ours for ``sort``."""
    invalid = InvalidCursor(f"invalid cursor {cursor[:40]!r}: pass next_cursor from a previous page")
    if len(cursor) > MAX_CURSOR_CHARS:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        keys = data["k"]
    except (ValueError, KeyError, TypeError, IndexError, RecursionError, binascii.Error) as e:
        raise invalid from e
    if data.get("s") != sort or not isinstance(keys, list) or len(keys) != arity:
        raise InvalidCursor(f"cursor was issued for another sort order than {sort!r}")
    if not all(_valid_key(key) for key in keys):
        raise invalid
    return keys
