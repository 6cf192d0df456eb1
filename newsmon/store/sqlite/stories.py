"""Stories on the SQLite store: the rows the nlp stage's grouping writes (``article_stories``), the stories of
a query's articles ranked by reach, one story whole, and story ids for a page of hits.

``article_stories`` holds one row per grouped article, keyed by the article's rowid: its story id (the id of
the article that opened the story), its day and its story keys (JSON, read back only to rebuild the grouping).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from newsmon.store.sqlite.hits import Plan, select_hits, snapshot
from newsmon.store.stories import StoryArticle, StoryDetail, StoryRow, StorySummary

# Schema version 11.
SCHEMA = """
CREATE TABLE article_stories (
    rid INTEGER PRIMARY KEY, story TEXT NOT NULL, day TEXT NOT NULL, keys TEXT NOT NULL
);
CREATE INDEX article_stories_story ON article_stories(story);
CREATE INDEX article_stories_day ON article_stories(day);
CREATE TRIGGER article_stories_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_stories WHERE rid = old.rowid;
END;
"""
_REACH = (
    "SELECT s.story AS story, count(*) AS n, count(DISTINCT k.source) AS outlets, "
    "min(nullif(k.published, '')) AS first, max(nullif(k.published, '')) AS last "
    "FROM article_stories s CROSS JOIN article_keys k ON k.rid = s.rid"
)


def save_rows(conn: sqlite3.Connection, rows: Iterable[StoryRow]) -> int:
    """Write (or replace) the story row of each stored article; rows of unknown articles are skipped."""
    saved = 0
    for row in rows:
        found = conn.execute("SELECT rowid FROM articles WHERE id = ?", (row.article_id,)).fetchone()
        if found is None:
            continue
        conn.execute("INSERT OR REPLACE INTO article_stories VALUES (?, ?, ?, ?)",
                     (found[0], row.story_id, row.day.isoformat(), json.dumps(list(row.keys), ensure_ascii=False)))
        saved += 1
    return saved


def rows_between(conn: sqlite3.Connection, date_from: date | None, date_to: date | None) -> Iterator[StoryRow]:
    """Stored rows whose day is in the range (either end open), by day then article id."""
    sql = ("SELECT a.id, s.day, s.story, s.keys FROM article_stories s CROSS JOIN articles a ON a.rowid = s.rid "
           "WHERE s.day >= ? AND s.day <= ? ORDER BY s.day, a.id")
    bounds = ((date_from or date.min).isoformat(), (date_to or date.max).isoformat())
    for article_id, day, story, keys in conn.execute(sql, bounds):
        yield StoryRow.parse(article_id, day, story, keys)


def ranked(conn: sqlite3.Connection, plan: Plan, limit: int) -> list[StorySummary]:
    """The stories of the plan's articles, by how many outlets carried them (among those articles), then how
    many articles, then the latest; an article not grouped yet is a story of its own."""
    with snapshot(conn):
        select_hits(conn, plan)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS nm_story_hits "
                     "(rid INTEGER PRIMARY KEY, story TEXT, source TEXT, published TEXT)")
        conn.execute("DELETE FROM temp.nm_story_hits")
        conn.execute(
            "INSERT INTO temp.nm_story_hits SELECT k.rid, coalesce(s.story, a.id), k.source, k.published "
            "FROM temp.nm_hits h CROSS JOIN article_keys k ON k.rid = h.rid CROSS JOIN articles a ON a.rowid = k.rid "
            "LEFT JOIN article_stories s ON s.rid = k.rid")
        groups = conn.execute(
            "SELECT story, count(*) AS n, count(DISTINCT source) AS outlets, min(nullif(published, '')) AS first, "
            "max(nullif(published, '')) AS last FROM temp.nm_story_hits GROUP BY story "
            "ORDER BY outlets DESC, n DESC, last DESC, story LIMIT ?", (limit,),
        ).fetchall()
        return [_summary(conn, g, "temp.nm_story_hits") for g in groups]


def summaries(conn: sqlite3.Connection, story_ids: Sequence[str]) -> dict[str, StorySummary]:
    """Each of ``story_ids`` (that exists) with its whole reach."""
    if not story_ids:
        return {}
    marks = ",".join("?" * len(story_ids))
    groups = conn.execute(f"{_REACH} WHERE s.story IN ({marks}) GROUP BY s.story", list(story_ids)).fetchall()
    return {g["story"]: _summary(conn, g, "article_stories") for g in groups}


def detail(conn: sqlite3.Connection, story_id: str) -> StoryDetail | None:
    """One story with every article, oldest first; None if no article belongs to it."""
    found = summaries(conn, [story_id]).get(story_id)
    if found is None:
        return None
    items = [StoryArticle(id=r[0], source=r[1], title=r[2], url=r[3], published_at=_when(r[4]), duplicate_of=r[5])
             for r in conn.execute(
                 "SELECT a.id, a.source, a.title, coalesce(nullif(a.canonical_url, ''), a.url), a.published_at, "
                 "a.duplicate_of FROM article_stories s CROSS JOIN articles a ON a.rowid = s.rid "
                 "WHERE s.story = ? ORDER BY coalesce(a.published_at, a.crawled_at), a.id", (story_id,))]
    return StoryDetail(**found.model_dump(), items=items)


def story_ids(conn: sqlite3.Connection, rids: Sequence[int]) -> dict[int, str]:
    """The story of each of ``rids`` that has one."""
    if not rids:
        return {}
    marks = ",".join("?" * len(rids))
    return dict(conn.execute(f"SELECT rid, story FROM article_stories WHERE rid IN ({marks})", list(rids)))


def _summary(conn: sqlite3.Connection, group: sqlite3.Row, members: str) -> StorySummary:
    """A story's summary; ``members`` is the table (``t``) of its articles: ``rid``, ``story``."""
    story = group["story"]
    outlets = [r[0] for r in conn.execute(
        f"SELECT k.source FROM {members} t CROSS JOIN article_keys k ON k.rid = t.rid WHERE t.story = ? "
        "GROUP BY k.source ORDER BY count(*) DESC, k.source", (story,))]
    lead = conn.execute(  # the opener when it is among them, else their earliest article
        f"SELECT a.title, coalesce(nullif(a.canonical_url, ''), a.url) FROM {members} t "
        f"CROSS JOIN articles a ON a.rowid = t.rid WHERE t.story = ? "
        "ORDER BY a.id != ?, coalesce(a.published_at, a.crawled_at), a.id LIMIT 1", (story, story)).fetchone()
    return StorySummary(id=story, title=lead[0], url=lead[1], articles=group["n"], outlets=outlets,
                        first_published=_when(group["first"]), last_published=_when(group["last"]))


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
