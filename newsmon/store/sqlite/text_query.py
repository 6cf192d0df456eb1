"""Compile newsmon's query tree and filters to one tantivy query over the text index (``text_index``).

The same matches as ``query`` gives in SQL: a word or a quoted phrase matches the folded title, lead or text
(``body``, a phrase within one of them), ``title:`` only the title, a prefix the words that start with it; facet
fields and filters are exact terms on the document's keyword and flag fields. Matching reads one field per word,
so a condition can seek through it (a sample, a filter). Only the words score: BM25 over ``body``, plus
``TITLE_BOOST`` times BM25 over the title for each positive word of a ranked search (``scored``); filters and
facet terms add nothing, as SQL conditions add nothing to ``bm25()``.
"""

from __future__ import annotations

import re

import tantivy

from newsmon.query import Field, MatchAll, Node, Not, Or, Phrase, Prefix, Term, positive_terms
from newsmon.store.base import SearchFilters
from newsmon.store.sqlite.text_docs import day_number, tokens, word_pairs
from newsmon.text import fold

Q = tantivy.Query
TITLE_BOOST = 9.0  # a title's words weigh 10 in all (the title is in ``body`` too), as in ``bm25.WEIGHTS``
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
    if field == "body":
        return _pairs(schema, words)
    return Q.phrase_query(schema, field, words)


def _pairs(schema: tantivy.Schema, words: list[str]) -> tantivy.Query:
    """A phrase of the body as its word pairs: every other pair, and the last, at their offsets (pairs at i and
    i + 2 cover words i to i + 3), so the same articles match as a phrase of the words, reading fewer postings."""
    pairs = word_pairs(words)
    if len(pairs) == 1:
        return Q.term_query(schema, "pairs", pairs[0], index_option="freq")
    offsets = sorted({*range(0, len(pairs), 2), len(pairs) - 1})
    return Q.phrase_query(schema, "pairs", [(i, pairs[i]) for i in offsets])


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
        return _words(schema, "body", node)
    if isinstance(node, Field):
        return _words(schema, "title", node.value) if node.name == "title" else _facet(schema, node)
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
                    extra: list[tantivy.Query] = (), scored: bool = False) -> tantivy.Query:  # type: ignore[assignment]
    """The query tree and the filters (and ``extra`` conditions) as one tantivy query; ``scored`` adds the title
    weight of each positive word (only a relevance page needs it: counts and aggregations read the matches)."""
    conditions = [*filter_queries(schema, filters), *extra]
    clauses = [(_MUST, _filter(c)) for c in conditions]
    if not isinstance(node, MatchAll):
        clauses.insert(0, (_MUST, compile_node(schema, node)))
    if scored:
        clauses += [(_SHOULD, Q.boost_query(_words(schema, "title", term), TITLE_BOOST))
                    for term in positive_terms(node)]
    if len(clauses) == 1 and clauses[0][0] == _MUST and not conditions:
        return clauses[0][1]
    return Q.boolean_query(clauses) if clauses else Q.all_query()
