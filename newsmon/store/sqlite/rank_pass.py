"""Exact relevance pages for OR and other Boolean shapes: the impact lists' articles scored in one pass.

``rank.top_k`` scores articles in Python and needs an AND of phrases. For any other query
(an OR, an AND under a NOT) every article in the impact lists of the query's tokens is a candidate:
FTS5's own bm25() scores the candidates that match in one pass over the MATCH (it scores ~1,000
candidates instead of, say, 40,000 matches), and the page stands when its last score beats the best
score an article in no list can reach, the sum over the query's phrases of ``idf × min over the
phrase's tokens of the tf-part bound at the list's cutoff``. The scores are bm25()'s, so the page is
``ORDER BY bm25(...), rowid``'s whenever it stands.

Before paying that pass the lists must promise a page: ``n`` candidates whose listed single-token
phrases alone score above the bound. When they do not (words most articles share, deep pages),
or the pass does not beat the bound, ``top_k_one_pass`` returns None and the caller ranks every match.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence

from newsmon.store.sqlite.bm25 import BM25_SQL, IDF_FLOOR, K1, PHRASE, bm25_idf, phrase_counts, quote
from newsmon.store.sqlite.impacts import fts_totals, reference_avgdl, tokenize


def phrase_texts(match: str) -> list[str] | None:
    """The texts of every phrase of a MATCH expression, or None with prefixes or column filters
    (whose articles the lists cannot bound)."""
    if ":" in PHRASE.sub(" ", match):
        return None
    texts = []
    for m in PHRASE.finditer(match):
        if m.group(2):
            return None
        texts.append(m.group(1).replace('""', '"'))
    return texts or None


def top_k_one_pass(
    conn: sqlite3.Connection, match: str, where_sql: str, params: Sequence[object],
    after: Sequence[object] | None, n: int,
) -> list[dict[str, float | int]] | None:
    """The first ``n`` articles by (bm25, rowid) after ``after`` that match and pass ``where_sql`` over
    ``article_keys k``, or None when the impact lists cannot decide."""
    texts = phrase_texts(match)
    if texts is None:
        return None
    phrases = tokenize(conn, texts)
    n_rows, avgdl = fts_totals(conn)
    if not n_rows or not all(phrases):
        return None
    counts = phrase_counts(conn, [quote(text) for text in texts])
    weights = [bm25_idf(n_rows, counts[quote(text)]) for text in texts]
    avgdl0 = reference_avgdl(conn)
    # A phrase in half of the articles or more adds at most IDF_FLOOR * (K1 + 1) to any score: its lists would
    # bring thousands of candidates for nothing, so the bound takes that maximum for it instead.
    listed = [w > IDF_FLOOR for w in weights]
    tokens = sorted({t for p, use in zip(phrases, listed, strict=True) if use for t in p})
    if not tokens:
        return None
    marks = ",".join("?" * len(tokens))
    cutoffs = dict(conn.execute(f"SELECT term, cutoff FROM fts_impact_terms WHERE term IN ({marks})", tokens))
    slack = max(1.0, avgdl / avgdl0)  # g was computed at avgdl0: the tf-part now is at most g * slack
    # No row for a token: no article has it (cutoff 0).
    bound = sum(
        w * (min(K1 + 1.0, min(cutoffs.get(t, 0.0) for t in p) * slack) if use else K1 + 1.0)
        for p, w, use in zip(phrases, weights, listed, strict=True)
    )
    if not _promising(conn, phrases, weights, listed, min(1.0, avgdl / avgdl0), bound, after, n):
        return None
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS nm_rank_cands (rid INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.nm_rank_cands")
    conn.execute(f"INSERT OR IGNORE INTO temp.nm_rank_cands SELECT rid FROM fts_impact WHERE term IN ({marks})", tokens)
    keyset = "WHERE (score, rid) > (?, ?)" if after else ""
    # "+rowid" keeps the candidate test a filter on FTS5's scan, evaluated before bm25().
    rows = conn.execute(
        f"SELECT rid, score FROM (SELECT articles_fts.rowid AS rid, {BM25_SQL} AS score FROM articles_fts "
        "CROSS JOIN article_keys k ON k.rid = articles_fts.rowid WHERE articles_fts MATCH ? "
        f"AND +articles_fts.rowid IN temp.nm_rank_cands AND {where_sql}) {keyset} ORDER BY score, rid LIMIT ?",
        (match, *params, *(after or ()), n),
    ).fetchall()
    if len(rows) < n or -rows[n - 1][1] <= bound * (1 + 1e-9):
        return None
    return [{"rid": rid, "score": score} for rid, score in rows]


def _promising(
    conn: sqlite3.Connection, phrases: list[list[str]], weights: list[float], listed: list[bool], shrink: float,
    bound: float, after: Sequence[object] | None, n: int,
) -> bool:
    """Whether at least ``n`` listed articles (after ``after``) score above ``bound`` on their listed
    single-token phrases alone (``g * shrink`` is at most the tf-part now): a prediction, not a proof."""
    single: dict[str, float] = defaultdict(float)
    for phrase, weight, use in zip(phrases, weights, listed, strict=True):
        if use and len(phrase) == 1:
            single[phrase[0]] += weight
    if not single:
        return False
    cases = " ".join("WHEN ? THEN ?" for _ in single)
    case_params = [x for term, weight in single.items() for x in (term, weight * shrink)]
    below = "AND lb <= ?" if after else ""
    found = conn.execute(
        f"SELECT count(*) FROM (SELECT sum(g * CASE term {cases} END) AS lb FROM fts_impact "
        f"WHERE term IN ({','.join('?' * len(single))}) GROUP BY rid) WHERE lb > ? {below}",
        (*case_params, *single, bound, *([-after[0]] if after else [])),
    ).fetchone()[0]
    return found >= n
