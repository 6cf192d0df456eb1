"""Checks on a subscription's saved filters, shared by the API, the CLI and the digest."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from newsmon.store.base import SearchFilters

__all__ = ["FILTER_KEYS", "check_filters"]

# A subscription's period sets the dates; every other search filter may be saved.
FILTER_KEYS = frozenset(SearchFilters.model_fields) - {"date_from", "date_to"}


def check_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Validate a subscription's filters; raise ValueError naming the bad key or value."""
    unknown = set(filters) - FILTER_KEYS
    if unknown:
        raise ValueError(f"unknown filter(s) {sorted(unknown)}: use {sorted(FILTER_KEYS)}")
    try:
        SearchFilters.model_validate(filters)
    except ValidationError as e:
        raise ValueError(f"invalid filters: {e.errors()[0]['loc'][0]}: {e.errors()[0]['msg']}") from e
    return filters
