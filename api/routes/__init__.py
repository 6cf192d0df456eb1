"""The JSON API's routers, one module per resource."""

from __future__ import annotations

from typing import Any

from api.schemas import ProblemDetail


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for problem+json errors."""
    return {
        status: {"model": ProblemDetail, "content": {"application/problem+json": {}}, "description": "Problem"}
        for status in statuses
    }
