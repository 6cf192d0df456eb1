"""Daily roll-ups on the SQLite store: article counts per day, source, copy flag and on-topic flag, and per
province, topic and event type, kept on write by triggers, so a trend over filters reads days, not articles.

``rollup_days`` holds one count per (dimension, value, day, source, is_copy, on_topic): the dimension ``''``
counts articles, ``province``/``topic``/``event_type`` count the articles with that value. Triggers on
``article_keys`` and the side tables add and remove an article's contributions in the transaction that writes
it (an article's keys changing moves all of them), so the counts are exact at every commit. Undated articles
count under the day ``''``, as in ``article_keys``.

A trend with no words, counting articles, filtered at most by dates, sources, the copy flag and the on-topic
flag is read from here (``serves``); anything else is counted from the articles.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from datetime import date, timedelta

from newsmon.query import MatchAll, Node
from newsmon.store.base import Interval, SearchFilters, Series, SplitBy, TrendUnit
from newsmon.store.periods import series_from_counts

_DIMENSIONS = (("province", "article_provinces", "province"), ("event_type", "article_events", "type"),
               ("topic", "article_topics", "topic"))
_ADD = "ON CONFLICT DO UPDATE SET n = n + excluded.n"


def _side_rows(rid: str, sign: str, keys: str) -> str:
    """INSERTs adding ``sign`` for each side value of article ``rid``, under the keys ``keys`` (old or new)."""
    return "\n".join(
        f"    INSERT INTO rollup_days SELECT '{dim}', s.{column}, {keys}.day, {keys}.source, {keys}.is_copy, "
        f"{keys}.on_topic, {sign} FROM {table} s WHERE s.rid = {rid} {_ADD};"
        for dim, table, column in _DIMENSIONS
    )


def _side_triggers() -> str:
    parts = []
    for dim, table, column in _DIMENSIONS:
        for event, row, sign in (("INSERT", "new", "1"), ("DELETE", "old", "-1")):
            parts.append(
                f"CREATE TRIGGER rollup_{table}_{event.lower()} AFTER {event} ON {table} BEGIN\n"
                f"    INSERT INTO rollup_days SELECT '{dim}', {row}.{column}, k.day, k.source, k.is_copy, "
                f"k.on_topic, {sign} FROM article_keys k WHERE k.rid = {row}.rid {_ADD};\nEND;"
            )
    return "\n".join(parts)


# The counts of what is stored (into an empty ``rollup_days``), and the triggers that keep them on write.
_COUNTS = f"""
INSERT INTO rollup_days SELECT '', '', day, source, is_copy, on_topic, count(*) FROM article_keys
    GROUP BY day, source, is_copy, on_topic;
{"".join(f'''
INSERT INTO rollup_days SELECT '{dim}', s.{column}, k.day, k.source, k.is_copy, k.on_topic, count(*)
    FROM {table} s CROSS JOIN article_keys k ON k.rid = s.rid GROUP BY 2, 3, 4, 5, 6;'''
         for dim, table, column in _DIMENSIONS)}
"""
_TRIGGERS = f"""
CREATE TRIGGER rollup_keys_insert AFTER INSERT ON article_keys BEGIN
    INSERT INTO rollup_days VALUES ('', '', new.day, new.source, new.is_copy, new.on_topic, 1) {_ADD};
END;
CREATE TRIGGER rollup_keys_update AFTER UPDATE OF day, source, is_copy, on_topic ON article_keys
WHEN (old.day, old.source, old.is_copy, old.on_topic) IS NOT (new.day, new.source, new.is_copy, new.on_topic) BEGIN
    INSERT INTO rollup_days VALUES ('', '', old.day, old.source, old.is_copy, old.on_topic, -1) {_ADD};
{_side_rows("old.rid", "-1", "old")}
    INSERT INTO rollup_days VALUES ('', '', new.day, new.source, new.is_copy, new.on_topic, 1) {_ADD};
{_side_rows("new.rid", "1", "new")}
END;
-- An article's keys go before its side rows (the delete trigger on articles): its side values are taken
-- off here, and the side rows' own triggers then find no keys and change nothing.
CREATE TRIGGER rollup_keys_delete AFTER DELETE ON article_keys BEGIN
    INSERT INTO rollup_days VALUES ('', '', old.day, old.source, old.is_copy, old.on_topic, -1) {_ADD};
{_side_rows("old.rid", "-1", "old")}
END;
{_side_triggers()}
"""
_TRIGGER_NAMES = re.findall(r"CREATE TRIGGER (\w+)", _TRIGGERS)
# Schema version 12 (with ``text_index.SCHEMA``): the table, its counts of what is stored, and its triggers.
SCHEMA = f"""
CREATE TABLE rollup_days (
    dim TEXT NOT NULL, value TEXT NOT NULL, day TEXT NOT NULL, source TEXT NOT NULL,
    is_copy INTEGER NOT NULL, on_topic INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (dim, value, day, source, is_copy, on_topic)
) WITHOUT ROWID;{_COUNTS}{_TRIGGERS}"""


def kept(conn: sqlite3.Connection) -> bool:
    """Whether the roll-ups are kept on write now, so exact (not during a bulk load: ``drop_triggers``)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                        (_TRIGGER_NAMES[0],)).fetchone() is not None


def drop_triggers(conn: sqlite3.Connection) -> None:
    """Stop keeping the roll-ups for a bulk load, which then ``recount``s them at its end, failed or not: readers
    count from the articles meanwhile (``kept``). A load that dies leaves the recount to the next opening
    (``repair``); one that opens meanwhile restores the triggers, and the load goes on keeping the counts."""
    conn.executescript(f"BEGIN IMMEDIATE;{_drops()}COMMIT;")


def recount(conn: sqlite3.Connection) -> None:
    """Make the counts anew from the rows, and restore the triggers that keep them."""
    conn.executescript(f"BEGIN IMMEDIATE;{_drops()}DELETE FROM rollup_days;{_COUNTS}{_TRIGGERS}COMMIT;")


def repair(conn: sqlite3.Connection) -> None:
    """Recount when a bulk load died without restoring the triggers (``drop_triggers``)."""
    if not kept(conn):
        recount(conn)


def _drops() -> str:
    return "".join(f"DROP TRIGGER IF EXISTS {name};" for name in _TRIGGER_NAMES)


def serves(query: Node, filters: SearchFilters, unit: TrendUnit) -> bool:
    """Whether the roll-ups can answer this trend exactly."""
    return (isinstance(query, MatchAll) and unit == "articles" and not filters.provinces
            and not filters.event_types and not filters.topics and filters.has_figures is None)


def _period(day: str, interval: Interval) -> str:
    if interval == "day":
        return day
    if interval == "week":
        start = date.fromisoformat(day)
        return (start - timedelta(days=start.weekday())).isoformat()
    return day[:7] if interval == "month" else day[:4]


def _conditions(filters: SearchFilters) -> tuple[str, list[object]]:
    where, params = [], []
    if not filters.include_duplicates:
        where.append("is_copy = 0")
    if filters.date_from:
        where.append("day >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to:  # an undated article's day '' is before any date, as in article_keys
        where.append("day <= ?")
        params.append(filters.date_to.isoformat())
    if filters.sources:
        where.append(f"source IN ({','.join('?' * len(filters.sources))})")
        params += [s.lower() for s in filters.sources]
    if filters.on_topic_only:
        where.append("on_topic = 1")
    return "".join(f" AND {w}" for w in where), params


def trends(conn: sqlite3.Connection, filters: SearchFilters, interval: Interval, split_by: SplitBy | None,
           ) -> Series:
    """Articles per period (optionally per split value) from the roll-ups; ``serves`` must hold."""
    where, params = _conditions(filters)
    dim = "" if split_by in (None, "source") else split_by
    split = {None: "NULL", "source": "source"}.get(split_by, "value")
    counts: dict[tuple[str, str | None], int] = defaultdict(int)
    for day, value, n in conn.execute(
        f"SELECT day, {split}, sum(n) FROM rollup_days WHERE dim = ?{where} GROUP BY day, {split}", [dim, *params],
    ):
        if day and n:
            counts[(_period(day, interval), value)] += n
    total, undated = conn.execute(
        f"SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN day = '' THEN n END), 0) FROM rollup_days "
        f"WHERE dim = ''{where}", params).fetchone()
    return series_from_counts(dict(counts), interval, total, undated)

