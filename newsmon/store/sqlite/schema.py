"""The SQLite schema and its migrations.

``PRAGMA user_version`` holds the schema version. ``MIGRATIONS[i]`` (a SQL script, or a
function of the connection) brings a database from version ``i`` to ``i + 1``; a database
is always migrated in order, in one transaction per step, so an old file opens with every
article intact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from newsmon.errors import MigrationError
from newsmon.store.sqlite.impacts import build as build_impacts
from newsmon.store.sqlite.rollups import SCHEMA as _ROLLUPS
from newsmon.store.sqlite.stories import SCHEMA as _STORIES
from newsmon.store.sqlite.subscriptions import SCHEMA as _SUBSCRIPTIONS
from newsmon.store.sqlite.text_index import SCHEMA as _TEXT_INDEX
from newsmon.text import fold

# Version 1: articles and their accent-folded full-text index.
_V1 = """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    canonical_url TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    section TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    published_at TEXT,
    crawled_at TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'vi',
    content_hash TEXT NOT NULL
);
CREATE INDEX articles_source ON articles(source);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, lead, text, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE extractions (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    data TEXT NOT NULL
);
"""

# Version 2: a day column for date filters and trends, syndication links, and the
# extraction side tables that filters, facets and the figures table read.
_V2 = """
ALTER TABLE articles ADD COLUMN day TEXT;
ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
UPDATE articles SET day = substr(coalesce(published_at, crawled_at), 1, 10);
CREATE INDEX articles_day ON articles(day);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
ALTER TABLE extractions ADD COLUMN relevance REAL NOT NULL DEFAULT 0;
CREATE TABLE article_provinces (
    article_id TEXT NOT NULL, province TEXT NOT NULL, province_key TEXT NOT NULL,
    province_new TEXT, province_new_key TEXT,
    PRIMARY KEY (article_id, province)
) WITHOUT ROWID;
CREATE INDEX article_provinces_key ON article_provinces(province_key);
CREATE INDEX article_provinces_new_key ON article_provinces(province_new_key);
CREATE TABLE article_events (
    article_id TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (article_id, type)
) WITHOUT ROWID;
CREATE INDEX article_events_type ON article_events(type);
CREATE TABLE article_topics (
    article_id TEXT NOT NULL, topic TEXT NOT NULL, PRIMARY KEY (article_id, topic)
) WITHOUT ROWID;
CREATE INDEX article_topics_topic ON article_topics(topic);
CREATE TABLE figures (
    article_id TEXT NOT NULL, position INTEGER NOT NULL,
    value REAL NOT NULL, unit TEXT NOT NULL, subject TEXT, text TEXT NOT NULL,
    sentence TEXT, province TEXT, start INTEGER, "end" INTEGER,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX figures_unit ON figures(unit);
"""

# Version 3: what search, facets, trends, figures and entities read, keyed by the article's
# integer rowid (``rid``) instead of its 16-character text id, so a query never has to touch
# the wide ``articles`` rows. ``article_keys`` is a narrow copy of the sortable and filterable
# columns, kept in step with ``articles`` by triggers; ``figures`` gains folded search keys
# (``nm_fold``, registered on every connection) and ``article_entities`` replaces reading the
# extraction JSON per article.
_V3 = """
CREATE TABLE article_keys (
    rid INTEGER PRIMARY KEY, day TEXT NOT NULL, week TEXT NOT NULL, published TEXT NOT NULL,
    source TEXT NOT NULL, is_copy INTEGER NOT NULL
);
INSERT INTO article_keys
    SELECT rowid, coalesce(day, ''), coalesce(date(day, 'weekday 0', '-6 days'), ''),
           coalesce(published_at, ''), source, duplicate_of IS NOT NULL FROM articles;
CREATE INDEX article_keys_date ON article_keys(day, published);
CREATE TRIGGER article_keys_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_keys VALUES (
        new.rowid, coalesce(new.day, ''), coalesce(date(new.day, 'weekday 0', '-6 days'), ''),
        coalesce(new.published_at, ''), new.source, new.duplicate_of IS NOT NULL);
END;
CREATE TRIGGER article_keys_update AFTER UPDATE OF day, published_at, source, duplicate_of ON articles BEGIN
    UPDATE article_keys SET day = coalesce(new.day, ''),
        week = coalesce(date(new.day, 'weekday 0', '-6 days'), ''), published = coalesce(new.published_at, ''),
        source = new.source, is_copy = new.duplicate_of IS NOT NULL
    WHERE rid = new.rowid;
END;

CREATE TABLE provinces_v3 (
    rid INTEGER NOT NULL, province TEXT NOT NULL, province_key TEXT NOT NULL,
    province_new TEXT, province_new_key TEXT,
    PRIMARY KEY (rid, province)
) WITHOUT ROWID;
INSERT INTO provinces_v3
    SELECT a.rowid, p.province, p.province_key, p.province_new, p.province_new_key
    FROM article_provinces p JOIN articles a ON a.id = p.article_id;
DROP TABLE article_provinces;
ALTER TABLE provinces_v3 RENAME TO article_provinces;
CREATE INDEX article_provinces_key ON article_provinces(province_key);
CREATE INDEX article_provinces_new_key ON article_provinces(province_new_key);

CREATE TABLE events_v3 (rid INTEGER NOT NULL, type TEXT NOT NULL, PRIMARY KEY (rid, type)) WITHOUT ROWID;
INSERT INTO events_v3 SELECT a.rowid, e.type FROM article_events e JOIN articles a ON a.id = e.article_id;
DROP TABLE article_events;
ALTER TABLE events_v3 RENAME TO article_events;
CREATE INDEX article_events_type ON article_events(type);

CREATE TABLE topics_v3 (rid INTEGER NOT NULL, topic TEXT NOT NULL, PRIMARY KEY (rid, topic)) WITHOUT ROWID;
INSERT INTO topics_v3 SELECT a.rowid, t.topic FROM article_topics t JOIN articles a ON a.id = t.article_id;
DROP TABLE article_topics;
ALTER TABLE topics_v3 RENAME TO article_topics;
CREATE INDEX article_topics_topic ON article_topics(topic);

CREATE TABLE figures_v3 (
    rid INTEGER NOT NULL, position INTEGER NOT NULL,
    value REAL NOT NULL, unit TEXT NOT NULL, subject TEXT, text TEXT NOT NULL,
    sentence TEXT, province TEXT, start INTEGER, "end" INTEGER,
    text_key TEXT NOT NULL, unit_key TEXT NOT NULL, province_key TEXT,
    PRIMARY KEY (rid, position)
);
INSERT INTO figures_v3
    SELECT a.rowid, f.position, f.value, f.unit, f.subject, f.text, f.sentence, f.province, f.start, f."end",
           nm_fold(coalesce(f.subject, '') || ' ' || f.unit), nm_fold(f.unit), nm_fold(f.province)
    FROM figures f JOIN articles a ON a.id = f.article_id;
DROP TABLE figures;
ALTER TABLE figures_v3 RENAME TO figures;
-- Counts and sums read this narrow index, never the wide rows with their sentences.
CREATE INDEX figures_keys ON figures(rid, text_key, unit_key, province_key, province, unit, value);

CREATE TABLE article_entities (
    rid INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, detail TEXT,
    PRIMARY KEY (rid, kind, name)
) WITHOUT ROWID;
INSERT INTO article_entities
    SELECT a.rowid, k.kind, json_extract(j.value, '$.name') AS name, max(json_extract(j.value, k.detail))
    FROM extractions x JOIN articles a ON a.id = x.article_id
    JOIN (SELECT 'people' AS kind, '$.title' AS detail UNION ALL SELECT 'organisations', '$.abbreviation'
          UNION ALL SELECT 'places', '$.level') k,
    json_each(x.data, '$.' || k.kind) j
    WHERE name IS NOT NULL GROUP BY a.rowid, k.kind, name;
CREATE INDEX article_entities_kind ON article_entities(kind, rid, detail);

CREATE TRIGGER article_keys_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_keys WHERE rid = old.rowid;
    DELETE FROM article_provinces WHERE rid = old.rowid;
    DELETE FROM article_events WHERE rid = old.rowid;
    DELETE FROM article_topics WHERE rid = old.rowid;
    DELETE FROM figures WHERE rid = old.rowid;
    DELETE FROM article_entities WHERE rid = old.rowid;
END;
"""

# Subscriptions and the digest send log (the DDL lives with its SQL in ``subscriptions``).
# Version 5: impact lists for exact relevance top-k without scoring every match (``impacts``);
# a Python step, since the lists are computed from the FTS5 index.
# Version 6: each province row carries its article's week, indexed with the province, so trends by
# week and province read their groups in order instead of sorting every (week, province) row.
_V6 = """
ALTER TABLE article_provinces ADD COLUMN week TEXT NOT NULL DEFAULT '';
UPDATE article_provinces
    SET week = coalesce((SELECT k.week FROM article_keys k WHERE k.rid = article_provinces.rid), '');
CREATE INDEX article_provinces_week ON article_provinces(week, province);
CREATE TRIGGER article_keys_week AFTER UPDATE OF week ON article_keys BEGIN
    UPDATE article_provinces SET week = new.week WHERE rid = new.rid;
END;
"""
# Version 7: articles written since the impact lists were last brought up to date. Writes only
# note them here (cheap, on the crawl's path); ``SqliteStore.refresh_ranking`` updates the lists
# after the batch, and until then relevance search ranks with bm25() over every match.
_V7 = """
CREATE TABLE fts_impact_pending (rid INTEGER PRIMARY KEY);
"""
# Version 8: dates are never invented. An article whose page gave no date was filed under the day it was
# crawled, so it led date-sorted results and counted as that week's coverage; it is undated again (day
# NULL, '' in article_keys and in its province rows' week), out of dated trends, filters and digests.
_V8 = """
UPDATE articles SET day = NULL WHERE published_at IS NULL AND day IS NOT NULL;
"""
# Version 9: the figures' narrow index also holds the subject, so the aggregates (figures of a year with the
# same unit and subject) read no wide row.
_V9 = """
DROP INDEX figures_keys;
CREATE INDEX figures_keys ON figures(rid, text_key, unit_key, province_key, province, unit, value, subject);
"""
# Version 10: a publication month or year without its day, feed-only items (the page could not be read), and
# the extraction's on-topic verdict on the narrow keys every filter reads (search defaults to on-topic).
_V10 = """
ALTER TABLE articles ADD COLUMN published_period TEXT;
ALTER TABLE articles ADD COLUMN feed_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE article_keys ADD COLUMN on_topic INTEGER NOT NULL DEFAULT 0;
UPDATE article_keys SET on_topic = 1 WHERE rid IN (
    SELECT a.rowid FROM articles a JOIN extractions e ON e.article_id = a.id
    WHERE json_extract(e.data, '$.on_topic') = 1);
DROP TRIGGER article_keys_insert;
CREATE TRIGGER article_keys_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_keys (rid, day, week, published, source, is_copy) VALUES (
        new.rowid, coalesce(new.day, ''), coalesce(date(new.day, 'weekday 0', '-6 days'), ''),
        coalesce(new.published_at, ''), new.source, new.duplicate_of IS NOT NULL);
END;
"""
# Version 11: the story each article belongs to (``stories``).
# Version 12: daily roll-ups kept by triggers (``rollups``), and the queue and identity of the tantivy text
# index beside the file (``text_index``; the index itself is built from the articles when the store opens).
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    _V1, _V2, _V3, _SUBSCRIPTIONS, build_impacts, _V6, _V7, _V8, _V9, _V10, _STORIES, _ROLLUPS + _TEXT_INDEX,
)
SCHEMA_VERSION = len(MIGRATIONS)


def register_fold(conn: sqlite3.Connection) -> None:
    """Make ``nm_fold(text)`` available in SQL on this connection (version 3 fills folded keys with it)."""
    conn.create_function("nm_fold", 1, lambda s: fold(s) if s else s, deterministic=True)


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version a database is at (0 for a new file)."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Bring the database up to ``SCHEMA_VERSION``; return the versions applied."""
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise MigrationError(
            f"database schema version {current} is newer than this newsmon ({SCHEMA_VERSION}): "
            "upgrade newsmon or point NEWSMON_STORE_URL at another file"
        )
    applied = []
    for version in range(current, SCHEMA_VERSION):
        step = MIGRATIONS[version]
        try:
            if callable(step):
                conn.execute("BEGIN")
                step(conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
            else:
                conn.executescript(f"BEGIN;\n{step}\nPRAGMA user_version = {version + 1};\nCOMMIT;")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.rollback()
            raise MigrationError(f"migration to schema version {version + 1} failed: {e}") from e
        applied.append(version + 1)
    return applied
