"""Selecting, once per request, the articles a query and filters match on the SQLite store.

A request compiles to a ``Plan``: the FTS5 MATCH (None without words) and conditions over
``article_keys k``. Inside one read snapshot (``snapshot``) the selected rowids are written
once to the per-connection temp table ``nm_hits``; the total, the page, facets, trend buckets,
figures and entities then read it instead of re-running the match.

``select_hits`` writes every selected article; ``scan_sql`` reads them in one pass instead
(trends, figures and entities are exact). ``select_for_search`` writes all of them when few
match (up to ``EXACT_LIMIT`` pass the filters); above that it writes a fixed pseudo-random
sample of about ``SAMPLE_SIZE`` of them (a hash of the rowid, so the same articles every time)
and says by how much to scale counts over the sample. The total stays exact when it is cheap
(no words: one pass over ``article_keys``) and is estimated from the sample otherwise, because
checking the filters of 100,000 FTS matches one by one costs more than a search may take.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from newsmon.query import Node
from newsmon.store.base import SearchFilters
from newsmon.store.sqlite.impacts import fts_totals
from newsmon.store.sqlite.query import compile_query, filter_conditions

EXACT_LIMIT = 5_000
# Articles a sample aims at: facet counts over 2,500 are within a few percent for any value holding
# more than ~5% of the matches, and reading them costs ~10 ms at 100,000 articles.
SAMPLE_SIZE = 2_500
_FIRST_PASS_SHARE = 0.4  # a first sample this share of SAMPLE_SIZE or more is kept (matches >= 40% of articles)
_HASHES = 1 << 32
_FTS = "articles_fts CROSS JOIN article_keys k ON k.rid = articles_fts.rowid"  # CROSS: FTS5 drives the loop


def _hash(rid: str) -> str:
    """Knuth's multiplicative hash of a rowid, 0 to 2**32 - 1: a sample not tied to crawl order."""
    return f"(({rid} * 2654435761) % {_HASHES})"


@dataclass
class Plan:
    """The FTS5 expression (None for no words) and the conditions over ``article_keys k``."""

    match: str | None
    where_sql: str
    params: list[object]

    @property
    def ranked(self) -> bool:
        """Whether the query has words to rank by."""
        return self.match is not None


@dataclass
class Selection:
    """What ``temp.nm_hits`` holds for a search: all matches, or a sample and its scale."""

    total: int
    total_is_estimate: bool = False
    sampled: bool = False
    scale: float = 1.0  # a count over nm_hits times this estimates the count over all matches
    fts_matches: int = 0


def plan(query: Node, filters: SearchFilters) -> Plan:
    """Compile a query tree and filters to one FTS5 MATCH plus conditions over ``article_keys k``."""
    compiled = compile_query(query)
    filter_where, filter_params = filter_conditions(filters)
    where = [*compiled.where, *filter_where]
    return Plan(compiled.match, " AND ".join(where) or "1", [*compiled.params, *filter_params])


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction, so the hits, the page and the counts see the same data."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:  # an error may have ended it already
            conn.execute("COMMIT")  # nothing was written to the database: this only ends the read


def _reset(conn: sqlite3.Connection, table: str, columns: str) -> None:
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({columns})")
    conn.execute(f"DELETE FROM temp.{table}")


def scan_sql(plan: Plan, join: str = "") -> tuple[str, list[object]]:
    """``FROM … WHERE …`` that reads the plan's articles (as ``k``) in one pass, FTS5 first when there are words.

    ``join`` (CROSS JOINs on ``k.rid``) is placed before the WHERE; callers may append ``AND …``.
    """
    if plan.match:
        return f"FROM {_FTS} {join} WHERE articles_fts MATCH ? AND {plan.where_sql}", [plan.match, *plan.params]
    return f"FROM article_keys k {join} WHERE {plan.where_sql}", list(plan.params)


def select_hits(conn: sqlite3.Connection, plan: Plan) -> int:
    """Fill ``temp.nm_hits`` with every rowid the plan selects; return how many."""
    _reset(conn, "nm_hits", "rid INTEGER PRIMARY KEY")
    sql, params = scan_sql(plan)
    return conn.execute(f"INSERT INTO temp.nm_hits SELECT k.rid {sql}", params).rowcount


def select_for_search(conn: sqlite3.Connection, plan: Plan) -> Selection:
    """Fill ``temp.nm_hits`` with all matches, or a sample of them when there are many."""
    if plan.match is None:
        total = conn.execute(f"SELECT count(*) FROM article_keys k WHERE {plan.where_sql}", plan.params).fetchone()[0]
        if total <= EXACT_LIMIT:
            return Selection(select_hits(conn, plan))
        _reset(conn, "nm_hits", "rid INTEGER PRIMARY KEY")
        sampled = conn.execute(
            f"INSERT INTO temp.nm_hits SELECT k.rid FROM article_keys k WHERE {_hash('k.rid')} < ? "
            f"AND {plan.where_sql}",
            [_threshold(total), *plan.params],
        ).rowcount
        return Selection(total, sampled=True, scale=total / max(sampled, 1))
    # Reading the FTS5 matches is the cost (a count takes as long as a sample), so the first pass samples
    # at the rate that keeps SAMPLE_SIZE of all articles: a query matching most of them, the expensive
    # kind, is then estimated in one pass. A smaller first sample only sizes the second pass.
    articles, _ = fts_totals(conn)
    bound = _threshold(articles)
    scanned, passed = _sample(conn, plan, bound)
    if bound >= _HASHES:  # the "sample" held every match
        return Selection(passed, fts_matches=scanned)
    matches = scanned * _HASHES / bound
    if scanned < SAMPLE_SIZE * _FIRST_PASS_SHARE:
        if matches <= 2 * EXACT_LIMIT:  # also when the small sample underestimates: exact stays affordable
            return Selection(select_hits(conn, plan), fts_matches=round(matches))
        bound = _threshold(round(matches))
        scanned, passed = _sample(conn, plan, bound)
        matches = scanned * _HASHES / bound
    estimate = passed * _HASHES / bound
    if estimate <= EXACT_LIMIT:  # few pass the filters: counting them exactly is affordable
        return Selection(select_hits(conn, plan), fts_matches=round(matches))
    return Selection(
        _round_estimate(estimate), total_is_estimate=True, sampled=True, scale=_HASHES / bound,
        fts_matches=round(matches),
    )


def _sample(conn: sqlite3.Connection, plan: Plan, bound: int) -> tuple[int, int]:
    """Write the FTS5 matches whose hash is under ``bound`` and pass the filters to ``nm_hits``.

    Returns how many matches the sample read and how many of them passed.
    """
    _reset(conn, "nm_scan", "rid INTEGER PRIMARY KEY, pass INTEGER")
    scanned = conn.execute(
        f"INSERT INTO temp.nm_scan SELECT articles_fts.rowid, {plan.where_sql} FROM {_FTS} "
        f"WHERE articles_fts MATCH ? AND {_hash('articles_fts.rowid')} < ?",
        [*plan.params, plan.match, bound],
    ).rowcount
    _reset(conn, "nm_hits", "rid INTEGER PRIMARY KEY")
    passed = conn.execute("INSERT INTO temp.nm_hits SELECT rid FROM temp.nm_scan WHERE pass").rowcount
    return scanned, passed


def _threshold(population: int) -> int:
    """The hash bound that keeps about ``SAMPLE_SIZE`` of ``population`` rows."""
    return (SAMPLE_SIZE * _HASHES) // max(population, 1)


def _round_estimate(value: float) -> int:
    """An estimate to three significant digits, so it does not look exact."""
    digits = max(len(str(int(value))) - 3, 0)
    return int(round(value, -digits))
