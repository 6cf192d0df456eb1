"""The query box of every page: the parsed query, or the error to show next to the box."""

from __future__ import annotations

from newsmon.errors import QuerySyntaxError
from newsmon.query import MatchAll, Node, parse


def parse_box(q: str) -> tuple[Node | None, QuerySyntaxError | None]:
    """The query tree of the box (everything when blank), or None and the syntax error."""
    try:
        return (parse(q) if q.strip() else MatchAll()), None
    except QuerySyntaxError as e:
        return None, e
