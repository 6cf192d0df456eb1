"""Exact relevance top-k from the impact lists (``newsmon.store.sqlite.rank``, ``rank_pass``) against FTS5's own
bm25() ranking.

The corpus recombines sentences of the real devset articles (read from ../shared/devset). The
impact lists are rebuilt with ``LIST_SIZE = 15`` so the threshold algorithm runs out of list and
relies on the cutoffs, as at 100,000 articles; every page is compared, score and order, with
``ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0), rowid`` over all matches. Nothing is mocked.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsmon.query import parse
from newsmon.store.base import SearchFilters
from newsmon.store.sqlite import SqliteStore, bm25, impacts, rank, rank_pass, search
from newsmon.store.sqlite.hits import plan, snapshot
from newsmon.store.sqlite.schema import SCHEMA_VERSION
from tests.old_schemas import UNDO_V10_AND_LATER
from tests.shared_data import DEVSET, skip_without
from tests.store_contract import make_article

pytestmark = skip_without(DEVSET)  # the corpus recombines devset sentences

WORDS = ["phụ", "nữ", "bình", "đẳng", "giới", "trẻ", "em", "gia", "đình", "lao", "động", "hội", "tỉnh", "việc"]
PHRASES = ['"phụ nữ"', '"bình đẳng giới"', '"trẻ em"', '"gia đình"', '"lao động"']
# Text Python cannot split like unicode61 on its own (FTS5 tokenizes it), and punctuation it can.
ODD = [" Giới ½ phụ² nữ CO₂ Straße", " “Phụ nữ” – giới…", " bình😀đẳng 平等 giới", " Ǆ phụ\u00adnữ ﬁ giới"]


def _sentences() -> list[str]:
    pool = []
    for path in sorted(DEVSET.glob("*.json")):
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        pool += [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if 30 <= len(s.strip()) <= 300]
    assert pool, f"no devset sentences under {DEVSET}"
    return pool


def _articles(count: int, seed: int, offset: int = 0) -> list:
    rng, pool = random.Random(seed), _sentences()
    articles = []
    for n in range(offset, offset + count):
        picked = rng.sample(pool, rng.randint(1, 6))
        articles.append(make_article(
            n, " ".join(picked[0].split()[: rng.randint(3, 12)]), " ".join(picked[1:]) or picked[0],
            day=date(2024, 1, 1) + timedelta(days=n), source=f"bao{n % 3}.vn",
        ))
    return articles


def _reference(conn: sqlite3.Connection, query: str, filters: SearchFilters, after, n: int) -> list[tuple]:
    p = plan(parse(query), filters)
    keyset = "WHERE (score, rid) > (?, ?)" if after else ""
    return [tuple(r) for r in conn.execute(
        "SELECT rid, score FROM (SELECT articles_fts.rowid AS rid, bm25(articles_fts, 10.0, 4.0, 1.0) AS score "
        "FROM articles_fts CROSS JOIN article_keys k ON k.rid = articles_fts.rowid "
        f"WHERE articles_fts MATCH ? AND {p.where_sql}) {keyset} ORDER BY score, rid LIMIT ?",
        (p.match, *p.params, *(after or ()), n),
    )]


def _fast(conn: sqlite3.Connection, query: str, filters: SearchFilters, after, n: int,
          one_pass: bool = True) -> list[tuple] | None:
    """The page from the lists as search takes it: the threshold algorithm, then (``one_pass``) the one-pass
    scoring of the lists' articles; None if neither decides."""
    p = plan(parse(query), filters)
    with snapshot(conn):
        page = rank.top_k(conn, p.match, p.where_sql, p.params, after, n)
        if page is None and one_pass:
            page = rank_pass.top_k_one_pass(conn, p.match, p.where_sql, p.params, after, n)
    return None if page is None else [(r["rid"], r["score"]) for r in page]


def _rebuild(store: SqliteStore) -> None:
    with store._writer as conn:
        for table in ("fts_impact", "fts_impact_terms", "fts_impact_params"):
            conn.execute(f"DELETE FROM {table}")
        impacts.fill(conn)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(impacts, "LIST_SIZE", 15)
        patch.setattr(impacts, "CHUNK", 7)  # batches of articles split as a 100,000-article upsert's are
        patch.setattr(rank, "CHUNK", 7)
        with SqliteStore(tmp_path_factory.mktemp("rank") / "rank.db", text_index=False) as s:
            s.upsert_articles(_articles(120, seed=5))
            _rebuild(s)  # short lists with cutoffs, as a big corpus has
            # Then writes: new articles and changed texts go through refresh_ranking().
            s.upsert_articles(_articles(30, seed=6, offset=120))
            s.refresh_ranking()
            changed = _articles(10, seed=7)
            for i, a in enumerate(changed):
                a.text += " Phụ nữ và trẻ em gái được hỗ trợ vay vốn." + ODD[i % len(ODD)]
            s.upsert_articles(changed)
            assert s.refresh_ranking() == 10
            yield s


queries = st.one_of(
    st.lists(st.sampled_from(WORDS + PHRASES), min_size=1, max_size=3).map(" ".join),
    st.tuples(st.sampled_from(WORDS + PHRASES), st.sampled_from(WORDS)).map(lambda t: f"{t[0]} OR {t[1]}"),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(WORDS + PHRASES)).map(
        lambda t: f"{t[0]} AND ({t[1]} OR {t[2]})"),
    st.tuples(st.sampled_from(WORDS + PHRASES), st.sampled_from(WORDS)).map(lambda t: f"{t[0]} -{t[1]}"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries, n=st.integers(1, 12), source=st.sampled_from([None, "bao1.vn"]))
def test_impact_lists_give_bm25s_exact_pages(store: SqliteStore, query: str, n: int, source: str | None) -> None:
    conn = store._reader
    filters = SearchFilters(sources=[source] if source else [])
    fast = _fast(conn, query, filters, None, n)
    if fast is None:  # the lists could not decide: the caller ranks with bm25()
        return
    assert fast == _reference(conn, query, filters, None, n)  # same rowids, bit-equal scores, same tie order
    if fast:
        after = [fast[-1][1], fast[-1][0]]
        assert _fast(conn, query, filters, after, n) in (None, _reference(conn, query, filters, after, n))


@pytest.mark.parametrize("query", ["bình đẳng giới", '"phụ nữ"', '"trẻ em" giới', "phụ nữ -trẻ"])
def test_common_queries_are_decided_by_the_lists(store: SqliteStore, query: str) -> None:
    fast = _fast(store._reader, query, SearchFilters(), None, 5)
    assert fast is not None and len(fast) == 5
    assert fast == _reference(store._reader, query, SearchFilters(), None, 5)


@pytest.mark.parametrize("query", ["giới OR vay", "phụ nữ AND (vay OR vốn)", "giới OR (trẻ AND em)"])
def test_or_queries_are_decided_in_one_pass(store: SqliteStore, query: str) -> None:
    # The threshold algorithm needs an AND of phrases; the one pass scores the lists' articles with bm25().
    conn = store._reader
    assert _fast(conn, query, SearchFilters(), None, 3, one_pass=False) is None
    fast = _fast(conn, query, SearchFilters(), None, 3)
    assert fast is not None and len(fast) == 3
    assert fast == _reference(conn, query, SearchFilters(), None, 3)


@pytest.mark.parametrize("query", ["phụ*", "title:giới", "phụ OR nữ OR hội OR động", "giới NOT (phụ AND nữ)"])
def test_queries_the_lists_do_not_decide_fall_back(store: SqliteStore, query: str) -> None:
    # A prefix or a column filter (the lists cannot bound their articles), words most articles share
    # and an AND under a NOT (no listed article promises to beat the bound): bm25() ranks them.
    assert _fast(store._reader, query, SearchFilters(), None, 5) is None


@pytest.mark.parametrize("query", ["bình đẳng giới", "phụ nữ AND (vay OR vốn)", "phụ nữ OR vay"])
def test_search_pages_are_the_same_with_and_without_the_lists(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    monkeypatch.setattr(search, "RANK_LISTS_MIN", 0)
    fast = store.search(parse(query), limit=4)
    fast_next = store.search(parse(query), limit=4, cursor=fast.next_cursor)
    monkeypatch.setattr(search, "RANK_LISTS_MIN", 10**9)
    slow = store.search(parse(query), limit=4)
    slow_next = store.search(parse(query), limit=4, cursor=slow.next_cursor)
    assert [(h.id, h.score) for h in fast.hits] == [(h.id, h.score) for h in slow.hits]
    assert fast.next_cursor == slow.next_cursor
    assert [(h.id, h.score) for h in fast_next.hits] == [(h.id, h.score) for h in slow_next.hits]


def test_lists_keep_every_article_above_their_cutoff(store: SqliteStore) -> None:
    conn = store._reader
    cutoffs = dict(conn.execute("SELECT term, cutoff FROM fts_impact_terms"))
    assert any(c > 0 for c in cutoffs.values())  # the lists were truncated: cutoffs are in use
    listed = {tuple(r) for r in conn.execute("SELECT term, rid FROM fts_impact")}
    avgdl0 = impacts.reference_avgdl(conn)
    with snapshot(conn):
        impacts.scratch_table(conn)  # the slow, always exact path: FTS5 tokenizes every article
        impacts.copy_to_scratch(conn, [r[0] for r in conn.execute("SELECT rid FROM article_keys")])
        weighted: dict[tuple[str, int], float] = {}
        for term, rid, col, n in conn.execute(
            "SELECT term, doc, col, count(*) FROM temp.nm_rank_vocab GROUP BY term, doc, col"
        ).fetchall():
            weighted[term, rid] = weighted.get((term, rid), 0.0) + bm25.WEIGHTS[col] * n
        sizes = conn.execute("SELECT id, sz FROM articles_fts_docsize").fetchall()
    lengths = {rid: sum(impacts.varints(sz)) for rid, sz in sizes}
    assert len(lengths) == 150
    for (term, rid), tf in weighted.items():
        g = bm25.tf_part(tf, lengths[rid], avgdl0)
        assert (term, rid) in listed or g <= cutoffs[term] * (1 + 1e-12), (term, rid)


def test_writes_wait_for_refresh_ranking_and_search_stays_exact_meanwhile(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RANK_LISTS_MIN", 10)
    with SqliteStore(tmp_path / "pending.db", text_index=False) as s:
        s.upsert_articles(_articles(60, seed=11))
        conn = s._reader
        assert conn.execute("SELECT count(*) FROM fts_impact_pending").fetchone()[0] == 60
        assert conn.execute("SELECT count(*) FROM fts_impact").fetchone()[0] == 0
        stale = [h.id for h in s.search(parse("bình đẳng giới"), limit=8).hits]  # ranked by bm25() meanwhile
        assert s.refresh_ranking() == 60 and s.refresh_ranking() == 0
        assert conn.execute("SELECT count(DISTINCT rid) FROM fts_impact").fetchone()[0] == 60
        assert [h.id for h in s.search(parse("bình đẳng giới"), limit=8).hits] == stale
        assert _fast(conn, "bình đẳng giới", SearchFilters(), None, 8) == _reference(
            conn, "bình đẳng giới", SearchFilters(), None, 8)


def test_version_4_database_migrates_with_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    with SqliteStore(path, text_index=False) as s:
        s.upsert_articles(_articles(40, seed=8))
    conn = sqlite3.connect(path)  # back to version 4: the impact lists did not exist
    conn.executescript(
        UNDO_V10_AND_LATER + "DROP TRIGGER fts_impact_delete; DROP TABLE fts_impact; DROP TABLE fts_impact_terms; "
        "DROP TABLE fts_impact_params; DROP TRIGGER article_keys_week; DROP INDEX article_provinces_week; "
        "ALTER TABLE article_provinces DROP COLUMN week; DROP TABLE fts_impact_pending; "
        "PRAGMA user_version = 4;"  # and version 6's week, version 7's pending list
    )
    conn.close()
    with SqliteStore(path, text_index=False) as s:
        conn = s._reader
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert s.count_articles() == 40
        assert conn.execute("SELECT count(DISTINCT rid) FROM fts_impact").fetchone()[0] == 40
        for query in ("bình đẳng giới", '"phụ nữ"'):
            assert _fast(conn, query, SearchFilters(), None, 6) == _reference(conn, query, SearchFilters(), None, 6)


def test_articles_split_in_python_exactly_as_fts5_tokenizes_them(store: SqliteStore) -> None:
    conn = store._reader
    rids = [r[0] for r in conn.execute("SELECT rid FROM article_keys")]
    with snapshot(conn):
        fast = impacts.article_tokens(conn, rids)
        impacts.scratch_table(conn)
        impacts.copy_to_scratch(conn, rids)
        placed: dict[tuple[int, str], dict[int, str]] = {}
        for term, rid, col, offset in conn.execute("SELECT term, doc, col, offset FROM temp.nm_rank_vocab"):
            placed.setdefault((rid, col), {})[offset] = term
    for rid in rids:
        by_fts5 = tuple([t for _, t in sorted(placed.get((rid, col), {}).items())] for col in ("title", "lead", "text"))
        assert fast[rid] == by_fts5, rid
    odd = [t for t in fast[rids[0]][2]]  # the changed articles are the first ten
    assert "gioi" in odd


def test_lists_follow_the_average_length_of_a_store_that_started_empty(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "grow.db", text_index=False) as s:
        conn = s._reader
        assert impacts.reference_avgdl(conn) == 400.0  # nothing to measure yet
        s.upsert_articles(_articles(30, seed=9))  # short articles: far below 400 tokens
        s.refresh_ranking()
        # (Inside the writing transaction FTS5's averages record may lag a batch: the reference is
        # only near the average, which the bounds allow for.)
        _, avgdl = impacts.fts_totals(conn)
        assert avgdl < 200 and abs(impacts.reference_avgdl(conn) / avgdl - 1) < 0.25
        long_ones = _articles(30, seed=10, offset=30)
        for a in long_ones:
            a.text = " ".join([a.text] * 6)
        s.upsert_articles(long_ones)
        s.refresh_ranking()
        _, grown = impacts.fts_totals(conn)
        assert grown > avgdl * 1.25 and abs(impacts.reference_avgdl(conn) / grown - 1) < 0.25
        assert conn.execute("SELECT count(DISTINCT rid) FROM fts_impact").fetchone()[0] == 60
        for query in ("bình đẳng giới", '"phụ nữ" -trẻ'):
            assert _fast(conn, query, SearchFilters(), None, 4) == _reference(conn, query, SearchFilters(), None, 4)


def test_phrase_counts_are_remembered_until_the_index_changes(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "counts.db", text_index=False) as s:
        s.upsert_articles(_articles(20, seed=12))
        conn = s._reader
        truth = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"vay\"'").fetchone()[0]
        assert bm25.phrase_counts(conn, ['"vay"']) == {'"vay"': truth}
        assert conn.execute("SELECT count(*) FROM temp.nm_phrase_counts").fetchone()[0] == 1  # remembered
        # Another connection adds an article with the word: the count follows.
        s.upsert_articles([make_article(500, "Vay vốn", "Phụ nữ được vay vốn.", day=date(2024, 6, 1))])
        assert bm25.phrase_counts(conn, ['"vay"']) == {'"vay"': truth + 1}
        # The connection that writes keeps counts too; an edit of the same length changes them.
        own = s._writer
        assert bm25.phrase_counts(own, ['"vay"']) == {'"vay"': truth + 1}
        s.upsert_articles([make_article(500, "Nhận vốn", "Phụ nữ được nhận vốn.", day=date(2024, 6, 1))])
        assert bm25.phrase_counts(own, ['"vay"']) == {'"vay"': truth}
