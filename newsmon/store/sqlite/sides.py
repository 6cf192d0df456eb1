"""The side tables an extraction fills on the SQLite store, keyed by the article's rowid.

Filters, facets, trends, the figures table and entity counts read these narrow tables
(schema version 3) instead of the articles or the extraction JSON. Folded keys are
computed here once, on write, so no query calls ``fold`` per row.
"""

from __future__ import annotations

import sqlite3

from newsmon.models import Extraction
from newsmon.text import fold

SIDE_TABLES = ("article_provinces", "article_events", "article_topics", "figures", "article_entities")
# Which field of each entity kind is its detail (shown next to the name).
ENTITY_DETAIL = {"people": "title", "organisations": "abbreviation", "places": "level"}


def article_rowid(conn: sqlite3.Connection, article_id: str) -> int | None:
    """The rowid of an article, or None if it is not stored."""
    row = conn.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def delete_side_rows(conn: sqlite3.Connection, rid: int) -> None:
    """Remove what an earlier extraction of the article wrote (its side rows, its on-topic flag)."""
    for table in SIDE_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE rid = ?", (rid,))
    conn.execute("UPDATE article_keys SET on_topic = 0 WHERE rid = ?", (rid,))


def delete_extraction(conn: sqlite3.Connection, article_id: str) -> None:
    """Remove an article's extraction and what it wrote in the side tables."""
    conn.execute("DELETE FROM extractions WHERE article_id = ?", (article_id,))
    rid = article_rowid(conn, article_id)
    if rid is not None:
        delete_side_rows(conn, rid)


def insert_side_rows(conn: sqlite3.Connection, rid: int, extraction: Extraction) -> None:
    """Write the provinces, events, topics, figures and entities of one extraction, and its on-topic flag."""
    conn.execute("UPDATE article_keys SET on_topic = ? WHERE rid = ?", (int(extraction.on_topic), rid))
    new_names = {ref.name: ref.new_name for ref in extraction.provinces_new}
    conn.executemany(
        "INSERT OR IGNORE INTO article_provinces (rid, province, province_key, province_new, province_new_key, week) "
        "VALUES (?, ?, ?, ?, ?, coalesce((SELECT week FROM article_keys WHERE rid = ?), ''))",
        [(rid, p, fold(p), new_names.get(p), fold(new_names[p]) if new_names.get(p) else None, rid)
         for p in extraction.provinces],
    )
    conn.executemany("INSERT OR IGNORE INTO article_events VALUES (?, ?)", [(rid, e.type) for e in extraction.events])
    conn.executemany("INSERT OR IGNORE INTO article_topics VALUES (?, ?)", [(rid, t) for t in extraction.topics])
    conn.executemany(
        'INSERT INTO figures (rid, position, value, unit, subject, text, sentence, province, start, "end", '
        "text_key, unit_key, province_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (rid, i, f.value, f.unit, f.subject, f.text, f.sentence, f.province, f.start, f.end,
             fold(f"{f.subject or ''} {f.unit}"), fold(f.unit), fold(f.province) if f.province else None)
            for i, f in enumerate(extraction.figures)
        ],
    )
    conn.executemany("INSERT INTO article_entities VALUES (?, ?, ?, ?)", _entity_rows(rid, extraction))


def _entity_rows(rid: int, extraction: Extraction) -> list[tuple[object, ...]]:
    """One row per (kind, name); the detail is the greatest one given, as ``max()`` in SQL would pick."""
    rows: dict[tuple[str, str], str | None] = {}
    for kind, field in ENTITY_DETAIL.items():
        for entity in getattr(extraction, kind):
            detail = getattr(entity, field)
            key = (kind, entity.name)
            known = rows.get(key)
            rows[key] = detail if known is None or (detail is not None and detail > known) else known
    return [(rid, kind, name, detail) for (kind, name), detail in rows.items()]
