"""ASGI middleware of the app: blank query parameters dropped, request bodies capped."""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PROBLEM_JSON, problem_body

MAX_BODY_BYTES = 5 * 1024 * 1024


class BlankParamsAreAbsent:
    """Drop query parameters whose value is blank before the routes read them.

    A filter form submits every field, so an empty date or an untouched "Tất cả" select arrives
    as ``date_from=`` or ``source=``; to the API and the UI alike that means "no filter".
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            pieces = scope["query_string"].split(b"&")
            kept = [piece for piece in pieces if _has_value(piece)]
            if len(kept) != len(pieces):  # the others keep their bytes exactly
                scope = {**scope, "query_string": b"&".join(kept)}
        await self.app(scope, receive, send)


def _has_value(piece: bytes) -> bool:
    """Whether ``key=value`` carries a value that is not blank (``+`` and ``%20`` are spaces)."""
    _, equals, value = piece.partition(b"=")
    return bool(equals) and bool(unquote_plus(value.decode("latin-1")).strip())


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
    body = json.dumps(problem_body(413, "too-large", "Request too large",
                                   f"The request body exceeds {max_bytes} bytes.")).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
