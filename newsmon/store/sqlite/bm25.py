"""BM25 as FTS5's ``bm25()`` computes it, for ranking outside SQL with bit-equal scores.

The same constants, the same floating-point order of operations (``fts5Bm25Function``) and the
same idf (from how many articles each phrase matches, kept per connection in ``phrase_counts``).
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Sequence

# bm25() parameters: FTS5's constants and the column weights (title matches weigh most, then the lead, then the body).
K1, B = 1.2, 0.75
IDF_FLOOR = 1e-6  # FTS5's idf of a phrase in half of the articles or more
WEIGHTS = {"title": 10.0, "lead": 4.0, "text": 1.0}
BM25_SQL = f"bm25(articles_fts, {', '.join(str(w) for w in WEIGHTS.values())})"  # ranks as ORDER BY BM25_SQL, rowid
PHRASE = re.compile(r'"((?:[^"]|"")*)"(\*?)')  # an FTS5 string, and a prefix star after it


def tf_part(weighted_tf: float, length: int, avgdl: float) -> float:
    """A phrase's BM25 factor for one article, in fts5Bm25Function's order of operations."""
    return (weighted_tf * (K1 + 1.0)) / (weighted_tf + K1 * (1 - B + B * length / avgdl))


def bm25_idf(n_rows: int, n_hit: int) -> float:
    """FTS5 bm25()'s idf of a phrase matching ``n_hit`` of ``n_rows`` articles."""
    value = math.log((n_rows - n_hit + 0.5) / (n_hit + 0.5))
    return value if value > 0.0 else IDF_FLOOR


def quote(text: str) -> str:
    """An FTS5 string of a phrase's text."""
    return '"' + text.replace('"', '""') + '"'


def phrase_counts(conn: sqlite3.Connection, phrases: Sequence[str]) -> dict[str, int]:
    """How many articles each FTS5 phrase matches (bm25()'s nHit for its idf).

    A count reads the phrase's whole doclist (~4 ms for a word most articles have), so counts are
    kept per connection in a temp table until the index changes: the key is ``PRAGMA data_version``
    (commits by other connections) and FTS5's structure record, which every write to the index changes.
    """
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS nm_phrase_counts (phrase TEXT PRIMARY KEY, n INTEGER NOT NULL, "
        "version BLOB NOT NULL)"
    )
    structure = conn.execute("SELECT block FROM articles_fts_data WHERE id = 10").fetchone()
    version = b"%d:" % conn.execute("PRAGMA data_version").fetchone()[0] + (structure[0] if structure else b"")
    marks = ",".join("?" * len(phrases))
    counts = dict(conn.execute(
        f"SELECT phrase, n FROM temp.nm_phrase_counts WHERE version = ? AND phrase IN ({marks})", (version, *phrases)
    ).fetchall())
    missing = [phrase for phrase in dict.fromkeys(phrases) if phrase not in counts]
    if missing:
        conn.execute("DELETE FROM temp.nm_phrase_counts WHERE version != ?", (version,))
    for phrase in missing:
        counts[phrase] = conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (phrase,)
        ).fetchone()[0]
        conn.execute("INSERT OR REPLACE INTO temp.nm_phrase_counts VALUES (?, ?, ?)", (phrase, counts[phrase], version))
    return counts
