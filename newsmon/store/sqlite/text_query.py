"""Compile newsmon's query tree and filters to one tantivy query over the text index (``text_index``).

The same meaning as ``query`` gives them in SQL: a word or a quoted phrase matches the folded title, lead or
text (a phrase within one of them), ``title:`` only the title, a prefix the words that start with it; facet
fields and filters are exact terms on the document's keyword and flag fields. Only the words score: filters
and facet terms are wrapped to add nothing, as SQL conditions add nothing to ``bm25()``. The column weights
are ``bm25.WEIGHTS`` (title 10, lead 4, text 1).
"""

from __future__ import annotations

import re

import tantivy

from newsmon.query import Field, MatchAll, Node, Not, Or, Phrase, Prefix, Term
from newsmon.store.base import SearchFilters
from newsmon.store.sqlite.bm25 import WEIGHTS
from newsmon.store.sqlite.text_docs import day_number, tokens
from newsmon.text import fold

Q = tantivy.Query
_MUST, _SHOULD, _NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


def _filter(query: tantivy.Query) -> tantivy.Query:
    """A condition that adds nothing to the score."""
    return Q.const_score_query(query, 0.0)


def _words(schema: tantivy.Schema, field: str, node: Term | Phrase | Prefix) -> tantivy.Query:
    words = tokens(node.folded)
    if not words:
        return Q.empty_query()
    if isinstance(node, Prefix):
        return Q.phrase_prefix_query(schema, field, words)
    if len(words) == 1:
        return Q.term_query(schema, field, words[0], index_option="freq")
    return Q.phrase_query(schema, field, words)


def _text(schema: tantivy.Schema, node: Term | Phrase | Prefix, fields: tuple[str, ...]) -> tantivy.Query:
    """Words in any of ``fields``, each weighted as in ``bm25.WEIGHTS``."""
    parts = [(_SHOULD, Q.boost_query(_words(schema, f, node), WEIGHTS[f])) for f in fields]
    return parts[0][1] if len(parts) == 1 else Q.boolean_query(parts)


def _facet(schema: tantivy.Schema, node: Field) -> tantivy.Query:
    value = node.value.text
    if node.name == "source":  # the domain or any of its subdomains, as in SQL
        escaped = re.escape(value.lower())
        return _filter(Q.regex_query(schema, "source", f"(.*\\.)?{escaped}"))
    if node.name == "province":
        return _filter(Q.term_query(schema, "province_key", fold(value)))
    return _filter(Q.term_query(schema, "event_type" if node.name == "type" else "topic", value))


def compile_node(schema: tantivy.Schema, node: Node) -> tantivy.Query:
    """The tantivy query of a query tree."""
    if isinstance(node, MatchAll):
        return Q.all_query()
    if isinstance(node, Term | Phrase | Prefix):
        return _text(schema, node, tuple(WEIGHTS))
    if isinstance(node, Field):
        return _text(schema, node.value, ("title",)) if node.name == "title" else _facet(schema, node)
    if isinstance(node, Not):
        return Q.boolean_query([(_MUST, Q.all_query()), (_NOT, compile_node(schema, node.child))])
    if isinstance(node, Or):
        return Q.boolean_query([(_SHOULD, compile_node(schema, c)) for c in node.children])
    positives = [(_MUST, compile_node(schema, c)) for c in node.children if not isinstance(c, Not)]
    negatives = [(_NOT, compile_node(schema, c.child)) for c in node.children if isinstance(c, Not)]
    return Q.boolean_query((positives or [(_MUST, Q.all_query())]) + negatives)


def filter_queries(schema: tantivy.Schema, filters: SearchFilters) -> list[tantivy.Query]:
    """The filters as tantivy conditions (as ``query.filter_conditions`` in SQL)."""
    conditions: list[tantivy.Query] = []
    if not filters.include_duplicates:
        conditions.append(Q.term_query(schema, "is_copy", 0))
    if filters.date_from or filters.date_to:  # an undated article has day 0: in "up to", as '' in SQL
        low = day_number(filters.date_from.isoformat()) if filters.date_from else None
        high = day_number(filters.date_to.isoformat()) if filters.date_to else None
        conditions.append(Q.range_query(schema, "day", tantivy.FieldType.Integer, low, high))
    for field, values in (("source", [s.lower() for s in filters.sources]),
                          ("province_key", [fold(p) for p in filters.provinces]),
                          ("event_type", filters.event_types), ("topic", filters.topics)):
        if values:
            conditions.append(Q.term_set_query(schema, field, values))
    if filters.on_topic_only:
        conditions.append(Q.term_query(schema, "on_topic", 1))
    if filters.has_figures is not None:
        conditions.append(Q.term_query(schema, "has_figures", int(filters.has_figures)))
    return conditions


def compile_request(schema: tantivy.Schema, node: Node, filters: SearchFilters,
                    extra: list[tantivy.Query] = ()) -> tantivy.Query:  # type: ignore[assignment]
    """The query tree and the filters (and ``extra`` conditions) as one tantivy query."""
    conditions = [*filter_queries(schema, filters), *extra]
    if not conditions:
        return compile_node(schema, node)
    clauses = [(_MUST, _filter(c)) for c in conditions]
    if not isinstance(node, MatchAll):
        clauses.insert(0, (_MUST, compile_node(schema, node)))
    return Q.boolean_query(clauses)
