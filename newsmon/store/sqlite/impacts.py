"""Impact lists: for every indexed token, the articles with the highest BM25 tf-part.

``fts_impact`` keeps, per token, the articles with the highest tf-part ``g`` (computed at a fixed
reference average length ``avgdl0``), and ``fts_impact_terms.cutoff`` bounds ``g`` for every article
of that token not in its list. ``rank`` and ``rank_pass`` read them to find exact relevance pages.

Writes only note the articles they add or change (``fts_impact_pending``); while any is pending the
lists are not used, and ``SqliteStore.refresh_ranking`` (run after each crawl and extraction batch)
brings them up to date: an article added or changed (``refresh``) enters a token's list
whenever its ``g`` reaches the list's cutoff, and its old rows go first; a list grown past twice
``LIST_SIZE`` is cut back and its cutoff raised to the best ``g`` it dropped.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Sequence

from newsmon.store.sqlite.bm25 import K1, WEIGHTS, B, tf_part

TOKENIZE = "unicode61 remove_diacritics 2"  # as articles_fts (schema version 1)
LIST_SIZE = 2_000  # articles kept per token when the lists are built
CHUNK = 500  # rowids per IN (...) list
_DEFAULT_AVGDL = 400.0  # reference length for a store built empty
_DRIFT = 1.25  # the lists are rebuilt when the average length moves further than this factor
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
# ASCII, and spaces and punctuation that unicode61 has always split on (Latin-1 ones, General Punctuation):
# such text tokenizes as runs of ASCII letters and digits.
_SPLITTABLE = re.compile("[\x00-\x7f\u00a0\u00ab\u00bb\u2000-\u2027\u2030-\u205e]*")
_COLUMN_INDEX = {"title": 0, "lead": 1, "text": 2}

# Schema version 5: the tables (``build`` creates them and fills them from the FTS5 index).
DDL = (
    "CREATE TABLE fts_impact (term TEXT NOT NULL, g REAL NOT NULL, rid INTEGER NOT NULL, "
    "PRIMARY KEY (term, g, rid)) WITHOUT ROWID",
    "CREATE INDEX fts_impact_rid ON fts_impact(rid)",
    "CREATE TABLE fts_impact_terms (term TEXT PRIMARY KEY, cutoff REAL NOT NULL) WITHOUT ROWID",
    "CREATE TABLE fts_impact_params (avgdl REAL NOT NULL)",
    "CREATE TRIGGER fts_impact_delete AFTER DELETE ON articles BEGIN DELETE FROM fts_impact WHERE rid = old.rowid; END",
)


def varints(blob: bytes) -> list[int]:
    """SQLite varints (FTS5's docsize and averages records)."""
    values, i = [], 0
    while i < len(blob):
        value = 0
        for n in range(9):
            byte = blob[i]
            i += 1
            if n == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def fts_totals(conn: sqlite3.Connection) -> tuple[int, float]:
    """FTS5's row count and average article length (its averages record, id 1)."""
    row = conn.execute("SELECT block FROM articles_fts_data WHERE id = 1").fetchone()
    if row is None or not row[0]:
        return 0, 0.0
    n_rows, *sizes = varints(row[0])
    return n_rows, (sum(sizes) / n_rows if n_rows else 0.0)


def scratch_table(conn: sqlite3.Connection) -> None:
    """An empty temp FTS5 table with articles_fts's tokenizer, and its per-token instances.

    Contentless, so emptying it is one command instead of re-tokenizing every row it held.
    """
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nm_rank_docs USING "
        f"fts5(title, lead, text, content = '', tokenize = '{TOKENIZE}')"
    )
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.nm_rank_vocab USING fts5vocab(temp, nm_rank_docs, instance)")
    conn.execute("INSERT INTO temp.nm_rank_docs (nm_rank_docs) VALUES ('delete-all')")


def copy_to_scratch(conn: sqlite3.Connection, rids: Sequence[int]) -> None:
    """Copy articles' indexed text into the scratch table (tokenized exactly as in articles_fts)."""
    for start in range(0, len(rids), CHUNK):
        chunk = rids[start:start + CHUNK]
        conn.execute(
            "INSERT INTO temp.nm_rank_docs (rowid, title, lead, text) SELECT rowid, title, lead, text "
            f"FROM articles_fts WHERE rowid IN ({','.join('?' * len(chunk))})",
            chunk,
        )


def tokenize(conn: sqlite3.Connection, texts: Sequence[str]) -> list[list[str]]:
    """Each text's tokens, in order, as articles_fts indexes them."""
    scratch_table(conn)
    conn.executemany(
        "INSERT INTO temp.nm_rank_docs (rowid, title, lead, text) VALUES (?, '', '', ?)",
        list(enumerate(texts, start=1)),
    )
    tokens: list[list[tuple[int, str]]] = [[] for _ in texts]
    for term, doc, offset in conn.execute("SELECT term, doc, offset FROM temp.nm_rank_vocab"):
        tokens[doc - 1].append((offset, term))
    return [[t for _, t in sorted(pairs)] for pairs in tokens]


def article_tokens(conn: sqlite3.Connection, rids: Sequence[int]) -> dict[int, tuple[list[str], ...]]:
    """Each article's tokens per column (title, lead, text), exactly as articles_fts indexes them.

    Text of ASCII and common punctuation (folded Vietnamese mostly is) splits in Python, checked
    against FTS5's own token counts; anything else goes through a scratch FTS5 table.
    """
    marks = ",".join("?" * len(rids))
    sizes = {r[0]: varints(r[1]) for r in conn.execute(f"SELECT id, sz FROM articles_fts_docsize WHERE id IN ({marks})",
                                                        list(rids))}
    found: dict[int, tuple[list[str], ...]] = {}
    for rid, *texts in conn.execute(f"SELECT rowid, title, lead, text FROM articles_fts WHERE rowid IN ({marks})",
                                    list(rids)):
        if all(_SPLITTABLE.fullmatch(t or "") for t in texts):
            columns = tuple(_ASCII_TOKEN.findall((t or "").lower()) for t in texts)
            if [len(c) for c in columns] == sizes.get(rid):
                found[rid] = columns
    others = [rid for rid in rids if rid not in found]
    if others:
        scratch_table(conn)
        copy_to_scratch(conn, others)
        placed: dict[int, tuple[dict[int, str], ...]] = {rid: ({}, {}, {}) for rid in others}
        for term, rid, col, offset in conn.execute("SELECT term, doc, col, offset FROM temp.nm_rank_vocab"):
            placed[rid][_COLUMN_INDEX[col]][offset] = term
        for rid, columns in placed.items():
            found[rid] = tuple([c[i] for i in sorted(c)] for c in columns)
    return found


def reference_avgdl(conn: sqlite3.Connection) -> float:
    """The average length ``g`` is computed at (fixed when the lists are built)."""
    row = conn.execute("SELECT avgdl FROM fts_impact_params").fetchone()
    return row[0] if row else _DEFAULT_AVGDL


def build(conn: sqlite3.Connection) -> None:
    """Create and fill the impact lists from articles_fts (schema version 5)."""
    for statement in DDL:
        conn.execute(statement)
    fill(conn)


def fill(conn: sqlite3.Connection) -> None:
    """Fill the (empty) impact lists from articles_fts, ``LIST_SIZE`` articles per token."""
    _, avgdl = fts_totals(conn)
    avgdl0 = avgdl or _DEFAULT_AVGDL
    conn.execute("INSERT INTO fts_impact_params VALUES (?)", (avgdl0,))
    conn.execute("CREATE TEMP TABLE nm_rank_len (rid INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    conn.executemany(
        "INSERT INTO temp.nm_rank_len VALUES (?, ?)",
        [(rid, sum(varints(size))) for rid, size in conn.execute("SELECT id, sz FROM articles_fts_docsize")],
    )
    conn.execute("CREATE VIRTUAL TABLE temp.nm_rank_main USING fts5vocab(main, articles_fts, instance)")
    conn.execute("CREATE VIRTUAL TABLE temp.nm_rank_rows USING fts5vocab(main, articles_fts, row)")
    weight = " ".join(f"WHEN '{c}' THEN {w}" for c, w in WEIGHTS.items())
    for (term,) in conn.execute("SELECT term FROM temp.nm_rank_rows").fetchall():
        ranked = conn.execute(
            f"SELECT (w * {K1 + 1.0}) / (w + {K1} * ({1 - B} + {B} * l.n / ?)) AS g, v.doc "
            f"FROM (SELECT doc, sum(CASE col {weight} END) AS w FROM temp.nm_rank_main WHERE term = ? GROUP BY doc) v "
            "JOIN temp.nm_rank_len l ON l.rid = v.doc "
            "ORDER BY g DESC, v.doc DESC LIMIT ?",
            (avgdl0, term, LIST_SIZE + 1),
        ).fetchall()
        cutoff = ranked[LIST_SIZE][0] if len(ranked) > LIST_SIZE else 0.0
        conn.executemany("INSERT INTO fts_impact VALUES (?, ?, ?)", [(term, g, rid) for g, rid in ranked[:LIST_SIZE]])
        conn.execute("INSERT INTO fts_impact_terms VALUES (?, ?)", (term, cutoff))
    for table in ("nm_rank_main", "nm_rank_rows", "nm_rank_len"):
        conn.execute(f"DROP TABLE temp.{table}")


def refresh(conn: sqlite3.Connection, rids: Sequence[int]) -> None:
    """Bring the impact lists up to date for articles just inserted or changed in articles_fts."""
    if len(rids) > CHUNK:  # one IN (...) list per statement stays well under SQLite's variable limit
        for start in range(0, len(rids), CHUNK):
            refresh(conn, rids[start:start + CHUNK])
        return
    if not rids:
        return
    avgdl0 = reference_avgdl(conn)
    _, avgdl = fts_totals(conn)
    if avgdl and not avgdl0 / _DRIFT <= avgdl <= avgdl0 * _DRIFT:
        # Bounds loosen by avgdl / avgdl0: rebuild at the new average. A store's average settles
        # while it is small (and the rebuild cheap), so this rarely runs on a large one.
        for table in ("fts_impact", "fts_impact_terms", "fts_impact_params"):
            conn.execute(f"DELETE FROM {table}")
        fill(conn)
        return
    marks = ",".join("?" * len(rids))
    conn.execute(f"DELETE FROM fts_impact WHERE rid IN ({marks})", list(rids))
    per_term: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for rid, columns in article_tokens(conn, rids).items():
        weighted: dict[str, float] = defaultdict(float)
        for tokens, weight in zip(columns, WEIGHTS.values(), strict=True):
            for token in tokens:
                weighted[token] += weight
        length = sum(len(c) for c in columns)
        for token, tf in weighted.items():
            per_term[token].append((tf_part(tf, length, avgdl0), rid))
    rows = []
    for term, entries in per_term.items():
        found = conn.execute("SELECT cutoff FROM fts_impact_terms WHERE term = ?", (term,)).fetchone()
        if found is None:
            conn.execute("INSERT INTO fts_impact_terms VALUES (?, 0.0)", (term,))
        cutoff = found[0] if found else 0.0
        rows += [(term, g, rid) for g, rid in entries if g >= cutoff]
    conn.executemany("INSERT INTO fts_impact VALUES (?, ?, ?)", rows)
    for term in {term for term, _, _ in rows}:
        _trim(conn, term)


def _trim(conn: sqlite3.Connection, term: str) -> None:
    """Cut a list grown past twice ``LIST_SIZE`` back to about ``LIST_SIZE``, raising its cutoff."""
    row = conn.execute(
        "SELECT g FROM fts_impact WHERE term = ? ORDER BY g DESC, rid DESC LIMIT 1 OFFSET ?", (term, 2 * LIST_SIZE)
    ).fetchone()
    if row is None:
        return
    cutoff = conn.execute(
        "SELECT g FROM fts_impact WHERE term = ? ORDER BY g DESC, rid DESC LIMIT 1 OFFSET ?", (term, LIST_SIZE)
    ).fetchone()[0]
    # Everything dropped has g <= cutoff, and so has everything never listed (the old cutoff is lower).
    conn.execute("DELETE FROM fts_impact WHERE term = ? AND g <= ?", (term, cutoff))
    conn.execute("UPDATE fts_impact_terms SET cutoff = max(cutoff, ?) WHERE term = ?", (cutoff, term))
