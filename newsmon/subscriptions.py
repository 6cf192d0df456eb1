"""Checks on a subscription's saved filters, shared by the API, the CLI and the digest."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from newsmon.store.base import SearchFilters

__all__ = ["FILTER_KEYS", "IMPLIED", "check_filters", "saved_filters", "search_filters_of"]

# A subscription's period sets the dates; every other search filter may be saved.
FILTER_KEYS = frozenset(SearchFilters.model_fields) - {"date_from", "date_to"}
# What a saved filter that is absent means, where it differs from SearchFilters' own default: a digest,
# like the API and the web UI, covers on-topic articles unless asked otherwise.
IMPLIED: dict[str, Any] = {"on_topic_only": True}


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


def search_filters_of(filters: dict[str, Any]) -> SearchFilters:
    """The search filters a subscription's saved filters mean (``IMPLIED`` where absent); ValueError if invalid."""
    return SearchFilters.model_validate({**IMPLIED, **check_filters(dict(filters))})


def saved_filters(filters: SearchFilters) -> dict[str, Any]:
    """What a subscription saves of a search's filters: no dates, and only what differs from what an absent key
    means, so that ``search_filters_of(saved_filters(f))`` is ``f`` without its dates."""
    implied = SearchFilters.model_validate(IMPLIED).model_dump(mode="json", include=set(FILTER_KEYS))
    current = filters.model_dump(mode="json", include=set(FILTER_KEYS))
    return {key: value for key, value in current.items() if value != implied[key]}
