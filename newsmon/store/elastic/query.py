"""Compile newsmon's query tree and filters to Elasticsearch bool queries.

Words match the accent-folded fields (``*_folded``) as phrases of their folded text, so user text is
only ever a value, never query syntax. A word typed with accents also scores on the fields as typed,
which ranks exact-accent matches above folded ones. Title matches weigh most, then the lead, then the
body (the same 10/4/1 weights as the SQLite engine's BM25).
"""

from __future__ import annotations

from typing import Any

from newsmon.query import Field, MatchAll, Node, Not, Or, Phrase, Prefix, Term
from newsmon.store.base import SearchFilters
from newsmon.text import fold

__all__ = ["compile_filters", "compile_query", "search_query"]

Query = dict[str, Any]
_WEIGHTS = {"title": 10.0, "lead": 4.0, "text": 1.0}
_EXACT_BOOST = 0.5  # an exact-accent match adds half its folded score: enough to win ties, not to outrank


def _fields(names: tuple[str, ...], suffix: str) -> list[str]:
    return [f"{name}{suffix}^{_WEIGHTS[name]}" for name in names]


def _words(node: Term | Phrase | Prefix, names: tuple[str, ...]) -> Query:
    if isinstance(node, Prefix):
        return {"bool": {"should": [
            {"prefix": {f"{name}_folded": {"value": node.folded, "boost": _WEIGHTS[name]}}} for name in names
        ], "minimum_should_match": 1}}
    folded = {"multi_match": {"query": node.folded, "type": "phrase", "fields": _fields(names, "_folded")}}
    if node.text.lower() == node.folded:
        return folded
    exact = {"multi_match": {"query": node.text, "type": "phrase", "fields": _fields(names, ""),
                             "boost": _EXACT_BOOST}}
    return {"bool": {"must": [folded], "should": [exact]}}


def _field(node: Field) -> Query:
    if node.name == "title":
        return _words(node.value, ("title",))
    value = node.value.text
    if node.name == "source":
        source = value.lower()
        return {"bool": {"should": [{"term": {"source": source}}, {"wildcard": {"source": f"*.{source}"}}],
                         "minimum_should_match": 1}}
    if node.name == "province":
        return {"term": {"province_keys": fold(value)}}
    return {"term": {"event_types" if node.name == "type" else "topics": value}}


def compile_query(node: Node) -> Query:
    """The bool query equivalent to the tree."""
    if isinstance(node, MatchAll):
        return {"match_all": {}}
    if isinstance(node, Term | Phrase | Prefix):
        return _words(node, ("title", "lead", "text"))
    if isinstance(node, Field):
        return _field(node)
    if isinstance(node, Not):
        return {"bool": {"must_not": [compile_query(node.child)]}}
    if isinstance(node, Or):
        return {"bool": {"should": [compile_query(c) for c in node.children], "minimum_should_match": 1}}
    must = [compile_query(c) for c in node.children if not isinstance(c, Not)]
    must_not = [compile_query(c.child) for c in node.children if isinstance(c, Not)]
    return {"bool": {"must": must or [{"match_all": {}}], "must_not": must_not}}


def compile_filters(filters: SearchFilters) -> list[Query]:
    """Non-scoring clauses for the search filters."""
    clauses: list[Query] = []
    if not filters.include_duplicates:
        clauses.append({"bool": {"must_not": [{"exists": {"field": "duplicate_of"}}]}})
    if filters.date_from or filters.date_to:
        bounds = {"gte": filters.date_from, "lte": filters.date_to}
        clauses.append({"range": {"day": {k: v.isoformat() for k, v in bounds.items() if v}}})
    if filters.sources:
        clauses.append({"terms": {"source": [s.lower() for s in filters.sources]}})
    if filters.provinces:
        clauses.append({"terms": {"province_keys": [fold(p) for p in filters.provinces]}})
    if filters.event_types:
        clauses.append({"terms": {"event_types": filters.event_types}})
    if filters.topics:
        clauses.append({"terms": {"topics": filters.topics}})
    if filters.has_figures is not None:
        clauses.append({"term": {"has_figures": filters.has_figures}})
    if filters.on_topic_only:
        clauses.append({"term": {"on_topic": True}})
    return clauses


def search_query(query: Node, filters: SearchFilters | None) -> Query:
    """The query tree (scoring) and the filters (not scoring) in one bool query."""
    return {"bool": {"must": [compile_query(query)], "filter": compile_filters(filters or SearchFilters())}}
