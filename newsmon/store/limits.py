"""Sizes both engines answer with, so the API and the UI see the same shape whatever the engine."""

FACET_SIZE = 20  # values listed per facet of a search page
AGGREGATE_LIMIT = 500  # figure aggregates (unit x subject groups) returned by ``Store.figures``
