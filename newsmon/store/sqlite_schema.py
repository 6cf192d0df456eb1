"""The SQLite schema and its migrations.

``PRAGMA user_version`` holds the schema version. ``MIGRATIONS[i]`` brings a database
from version ``i`` to ``i + 1``; a database is always migrated in order, in one
transaction per step, so an old file opens with every article intact.
"""

from __future__ import annotations

import sqlite3

from newsmon.errors import MigrationError

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

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


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
        try:
            conn.executescript(f"BEGIN;\n{MIGRATIONS[version]}\nPRAGMA user_version = {version + 1};\nCOMMIT;")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.rollback()
            raise MigrationError(f"migration to schema version {version + 1} failed: {e}") from e
        applied.append(version + 1)
    return applied
