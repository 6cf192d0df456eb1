"""The side tables an extraction fills on the SQLite store, keyed by the article's rowid.

Filters, facets, trends, the figures table and entity counts read these narrow tables
(schema version 3) instead of the articles or the extraction JSON. Folded keys are
computed here once, on write, so no query calls ``fold`` per row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

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


def save(conn: sqlite3.Connection, items: Iterable[tuple[str, Extraction]]) -> tuple[int, list[int]]:
    """Store extractions (an article given twice keeps the last) and the side rows of those whose article is
    stored, a statement per table for the whole batch; how many were given, and the stored articles' rowids."""
    given = list(items)
    latest = dict(given)
    ids, rids, extracted = list(latest), {}, set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rids.update((row[0], row[1]) for row in conn.execute(f"SELECT id, rowid FROM articles WHERE id IN ({marks})",
                                                             chunk))
        extracted.update(row[0] for row in conn.execute(
            f"SELECT article_id FROM extractions WHERE article_id IN ({marks})", chunk))
    for article_id in extracted:
        delete_extraction(conn, article_id)
    conn.executemany("INSERT INTO extractions (article_id, version, data, relevance) VALUES (?, ?, ?, ?)",
                     [(i, x.version, x.model_dump_json(), x.relevance) for i, x in latest.items()])
    stored = [(rids[i], x) for i, x in latest.items() if i in rids]  # else the JSON only, until it is stored
    insert_side_rows(conn, stored)
    return len(given), [rid for rid, _ in stored]


def insert_side_rows(conn: sqlite3.Connection, items: list[tuple[int, Extraction]]) -> None:
    """Write the provinces, events, topics, figures and entities of extractions by rowid, and their on-topic flags."""
    conn.executemany("UPDATE article_keys SET on_topic = ? WHERE rid = ?", [(int(x.on_topic), rid) for rid, x in items])
    provinces, events, topics, figures, entities = [], [], [], [], []
    for rid, x in items:
        new_names = {ref.name: ref.new_name for ref in x.provinces_new}
        provinces += [(rid, p, fold(p), new_names.get(p), fold(new_names[p]) if new_names.get(p) else None, rid)
                      for p in x.provinces]
        events += [(rid, e.type) for e in x.events]
        topics += [(rid, t) for t in x.topics]
        figures += [(rid, i, f.value, f.unit, f.subject, f.text, f.sentence, f.province, f.start, f.end,
                     fold(f"{f.subject or ''} {f.unit}"), fold(f.unit), fold(f.province) if f.province else None)
                    for i, f in enumerate(x.figures)]
        entities += _entity_rows(rid, x)
    conn.executemany(
        "INSERT OR IGNORE INTO article_provinces (rid, province, province_key, province_new, province_new_key, week) "
        "VALUES (?, ?, ?, ?, ?, coalesce((SELECT week FROM article_keys WHERE rid = ?), ''))", provinces)
    conn.executemany("INSERT OR IGNORE INTO article_events VALUES (?, ?)", events)
    conn.executemany("INSERT OR IGNORE INTO article_topics VALUES (?, ?)", topics)
    conn.executemany(
        'INSERT INTO figures (rid, position, value, unit, subject, text, sentence, province, start, "end", '
        "text_key, unit_key, province_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", figures)
    conn.executemany("INSERT INTO article_entities VALUES (?, ?, ?, ?)", entities)


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
