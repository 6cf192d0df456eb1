"""Articles on the SQLite store: an Article's row, and the upsert that never duplicates or downgrades one.

An article is keyed by its canonical URL. A re-crawl with the same content changes nothing; changed content
replaces the row and its full-text entry and drops the extraction (the text must be extracted again). A date
found on a later crawl is added, and a later crawl that finds none keeps the stored one. A feed-only item
(``Article.feed_only``: the page could not be read) never replaces the full article of the same address.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from newsmon.errors import ConflictError
from newsmon.models import Article
from newsmon.store.base import STORED, UpsertReport
from newsmon.store.recrawl import keep_known_date
from newsmon.store.sqlite.sides import delete_extraction
from newsmon.text import fold

ARTICLE_COLUMNS = (
    "id, url, canonical_url, source, title, lead, text, authors, section, tags, "
    "published_at, published_period, crawled_at, language, content_hash, duplicate_of, feed_only"
)
_COMPARED = "rowid, id, content_hash, duplicate_of, published_at, published_period, feed_only"


def row_to_article(row: sqlite3.Row) -> Article:
    """Rebuild an Article from a row of ``articles`` (its ``ARTICLE_COLUMNS``)."""
    data = dict(row)
    data.pop("rowid", None)
    data["authors"] = json.loads(data["authors"])
    data["tags"] = json.loads(data["tags"])
    data["feed_only"] = bool(data["feed_only"])
    return Article.model_validate(data, context=STORED)


def upsert(conn: sqlite3.Connection, articles: Iterable[Article]) -> tuple[UpsertReport, list[int]]:
    """Insert new articles and update changed ones; the report, and the rowids written."""
    report, written, fts = UpsertReport(), [], _FullText()
    for article in articles:
        row = conn.execute(f"SELECT {_COMPARED} FROM articles WHERE canonical_url = ?",
                           (article.canonical_url,)).fetchone()
        if row is None:
            written.append(insert(conn, article, fts))
            report.new.append(article.id)
            continue
        if row["id"] != article.id:
            raise ConflictError(f"article id {article.id!r} does not match the stored article of "
                                f"{article.canonical_url!r} ({row['id']!r})")
        article = keep_known_date(article, row["published_at"], row["published_period"])
        published = article.published_at.isoformat() if article.published_at else None
        same = (row["content_hash"], row["duplicate_of"], row["published_at"], row["published_period"],
                bool(row["feed_only"])) == (article.content_hash, article.duplicate_of, published,
                                            article.published_period, article.feed_only)
        if same or (article.feed_only and not row["feed_only"]):  # a feed item never replaces the page
            report.unchanged.append(article.id)
        else:
            update(conn, row["rowid"], article, fts)
            written.append(row["rowid"])
            report.updated.append(article.id)
    fts.write(conn)
    return report, written


class _FullText:
    """The full-text entries of one upsert, written after its article rows: FTS5 writes its pending terms out as
    a segment of their own whenever another statement of the transaction opens a savepoint (an insert into
    ``articles`` does), so entries written between rows make one tiny segment each, and costly merges."""

    def __init__(self) -> None:
        self.new: dict[int, tuple[str, str, str]] = {}
        self.changed: dict[int, tuple[str, str, str]] = {}

    def add(self, rowid: int, article: Article, *, new: bool) -> None:
        """Note the folded title, lead and text of a new or changed article."""
        folded = (fold(article.title), fold(article.lead), fold(article.text))
        (self.new if new or rowid in self.new else self.changed)[rowid] = folded

    def write(self, conn: sqlite3.Connection) -> None:
        """Write the entries noted."""
        conn.executemany("INSERT INTO articles_fts (rowid, title, lead, text) VALUES (?, ?, ?, ?)",
                         [(rowid, *folded) for rowid, folded in self.new.items()])
        conn.executemany("UPDATE articles_fts SET title = ?, lead = ?, text = ? WHERE rowid = ?",
                         [(*folded, rowid) for rowid, folded in self.changed.items()])


def insert(conn: sqlite3.Connection, article: Article, fts: _FullText) -> int:
    """Insert a new article (its full-text entry into ``fts``); its rowid."""
    values = _values(article)
    try:
        cursor = conn.execute(
            f"INSERT INTO articles ({ARTICLE_COLUMNS}, day) VALUES ({','.join('?' * len(values))})", values,
        )
    except sqlite3.IntegrityError as e:  # the id of another address (an id given by the client)
        raise ConflictError(f"article id {article.id!r} already belongs to another address") from e
    fts.add(cursor.lastrowid, article, new=True)
    return cursor.lastrowid


def update(conn: sqlite3.Connection, rowid: int, article: Article, fts: _FullText) -> None:
    """Replace a stored article's row (its full-text entry into ``fts``), and drop its extraction (extract again)."""
    columns = [c.strip() for c in ARTICLE_COLUMNS.split(",")] + ["day"]
    assignments = ", ".join(f"{c} = ?" for c in columns)
    conn.execute(f"UPDATE articles SET {assignments} WHERE rowid = ?", (*_values(article), rowid))
    fts.add(rowid, article, new=False)
    delete_extraction(conn, article.id)


def _values(article: Article) -> tuple[object, ...]:
    published = article.published_at.isoformat() if article.published_at else None
    day = article.published_at.date().isoformat() if article.published_at else None  # undated stays undated
    return (
        article.id, article.url, article.canonical_url, article.source.lower(), article.title, article.lead,
        article.text, json.dumps(article.authors, ensure_ascii=False), article.section,
        json.dumps(article.tags, ensure_ascii=False), published, article.published_period,
        article.crawled_at.isoformat(), article.language, article.content_hash, article.duplicate_of,
        int(article.feed_only), day,
    )
