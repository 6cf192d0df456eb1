"""Compile newsmon's query tree and filters to SQLite (FTS5 MATCH + SQL conditions).

Words become FTS5 strings over the accent-folded index, always quoted, so user text is
never FTS5 syntax. Facet fields (``source:``, ``province:``, ``type:``, ``topic:``)
become SQL conditions. Parts FTS5 cannot express (a NOT with nothing to subtract from,
an OR mixing words and facets) become ``rid IN (subquery)`` conditions. Every condition is
over ``article_keys k`` and the side tables, keyed by the article's integer rowid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsmon.query import And, Field, MatchAll, Node, Not, Or, Phrase, Prefix, Term
from newsmon.store.base import SearchFilters
from newsmon.text import fold

_FTS_COLUMNS = {"title": "title"}


@dataclass
class Compiled:
    """A WHERE clause over ``article_keys k`` plus, when the query has words, an FTS5 expression."""

    match: str | None = None
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)


def fts_string(text: str) -> str:
    """An FTS5 string literal: quotes doubled, so nothing inside is syntax."""
    return '"' + text.replace('"', '""') + '"'


def _fts_leaf(node: Term | Phrase | Prefix) -> str:
    if isinstance(node, Prefix):
        return fts_string(node.folded) + "*"
    return fts_string(node.folded)


def to_fts(node: Node) -> str | None:
    """The FTS5 expression for a tree of words, or None if FTS5 cannot express it alone."""
    if isinstance(node, Term | Phrase | Prefix):
        return _fts_leaf(node)
    if isinstance(node, Field):
        if node.name in _FTS_COLUMNS:
            return f"{_FTS_COLUMNS[node.name]} : {_fts_leaf(node.value)}"
        return None
    if isinstance(node, Or):
        parts = [to_fts(child) for child in node.children]
        return None if None in parts else "(" + " OR ".join(parts) + ")"  # type: ignore[arg-type]
    if isinstance(node, And):
        positives = [to_fts(c) for c in node.children if not isinstance(c, Not)]
        negatives = [to_fts(c.child) for c in node.children if isinstance(c, Not)]
        if not positives or None in positives or None in negatives:
            return None
        expr = "(" + " AND ".join(positives) + ")"  # type: ignore[arg-type]
        for negative in negatives:
            expr = f"({expr} NOT {negative})"
        return expr
    return None


def _facet_condition(node: Field) -> tuple[str, list[object]]:
    value = node.value.text
    if node.name == "source":
        return "(k.source = ? OR k.source LIKE ?)", [value.lower(), "%." + value.lower()]
    if node.name == "province":
        key = fold(value)
        return (
            "k.rid IN (SELECT rid FROM article_provinces WHERE province_key = ? "
            "OR province_new_key = ?)",
            [key, key],
        )
    if node.name == "type":
        return "k.rid IN (SELECT rid FROM article_events WHERE type = ?)", [value]
    return "k.rid IN (SELECT rid FROM article_topics WHERE topic = ?)", [value]


def to_sql(node: Node) -> tuple[str, list[object]]:
    """A SQL condition over ``article_keys k`` equivalent to the tree."""
    expr = to_fts(node)
    if expr is not None:
        return "k.rid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", [expr]
    if isinstance(node, MatchAll):
        return "1", []
    if isinstance(node, Field):
        return _facet_condition(node)
    if isinstance(node, Not):
        inner, params = to_sql(node.child)
        return f"NOT ({inner})", params
    parts = [to_sql(child) for child in node.children]  # type: ignore[union-attr]
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def compile_query(node: Node) -> Compiled:
    """Split the tree into one ranked FTS5 MATCH and the SQL conditions around it."""
    compiled = Compiled()
    if isinstance(node, MatchAll):
        return compiled
    children = node.children if isinstance(node, And) else (node,)
    text_parts = [c for c in children if to_fts(c) is not None and not isinstance(c, Not)]
    negatives = [c for c in children if isinstance(c, Not) and to_fts(c.child) is not None]
    rest = [c for c in children if c not in text_parts and c not in negatives]
    if text_parts:
        compiled.match = to_fts(And(tuple(text_parts + negatives))) if len(children) > 1 else to_fts(node)
    else:
        rest += negatives
    for child in rest:
        sql, params = to_sql(child)
        compiled.where.append(sql)
        compiled.params.extend(params)
    return compiled


def filter_conditions(filters: SearchFilters) -> tuple[list[str], list[object]]:
    """SQL conditions over ``article_keys k`` for the search filters."""
    where: list[str] = []
    params: list[object] = []
    if not filters.include_duplicates:
        where.append("k.is_copy = 0")
    if filters.date_from:
        where.append("k.day >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        where.append("k.day <= ?")
        params.append(filters.date_to.isoformat())
    if filters.sources:
        where.append(f"k.source IN ({','.join('?' * len(filters.sources))})")
        params.extend(s.lower() for s in filters.sources)
    if filters.provinces:
        marks = ",".join("?" * len(filters.provinces))
        where.append(
            "k.rid IN (SELECT rid FROM article_provinces "
            f"WHERE province_key IN ({marks}) OR province_new_key IN ({marks}))"
        )
        keys = [fold(p) for p in filters.provinces]
        params.extend(keys + keys)
    for column, table, values in (
        ("type", "article_events", filters.event_types),
        ("topic", "article_topics", filters.topics),
    ):
        if values:
            marks = ",".join("?" * len(values))
            where.append(f"k.rid IN (SELECT rid FROM {table} WHERE {column} IN ({marks}))")
            params.extend(values)
    if filters.on_topic_only:
        where.append("k.on_topic = 1")
    if filters.has_figures is not None:
        op = "IN" if filters.has_figures else "NOT IN"
        where.append(f"k.rid {op} (SELECT rid FROM figures)")
    return where, params
