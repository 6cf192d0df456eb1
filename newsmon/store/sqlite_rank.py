"""Exact relevance top-k on the SQLite store without scoring every match.

FTS5's ``bm25()`` costs about 1.5 µs per matching article, and a top-k needs every score, so
a query that matches most of 100,000 articles spends ~150 ms ranking. BM25 is a sum over the
query's phrases of ``idf * tf_part(weighted tf, doc length)``, which allows Fagin's threshold
algorithm over *impact lists*: for every indexed token, ``fts_impact`` keeps the articles with
the highest tf-part (``g``, computed at a fixed reference average length ``avgdl0``), and
``fts_impact_terms.cutoff`` bounds ``g`` for every article of that token not in the list.

A ranked page reads the lists of the query's tokens best-first, scores each article it meets
exactly (the same floating-point operations as FTS5's ``fts5Bm25Function``, from the article's
token positions and length), and stops once the n-th best score beats the best score an unseen
article could reach. A phrase's weighted tf is at most any of its tokens', so token lists bound
phrases too. Queries must be an AND of phrases, some negated; with OR, prefixes or column filters,
or when the lists run out or the scoring budget is spent, ``top_k`` returns None and the caller
tries ``sqlite_rank_pass`` (any Boolean shape, scored by FTS5 in one pass), then ranks every match
with ``bm25()``. The result is the same page, ties included, as ``ORDER BY bm25(...), rowid``.

Writes only note the articles they add or change (``fts_impact_pending``); while any is pending the
lists are not used, and ``SqliteStore.refresh_ranking`` (run after each crawl and extraction batch)
brings them up to date: an article added or changed (``refresh``) enters a token's list
whenever its ``g`` reaches the list's cutoff, and its old rows go first; a list grown past twice
``LIST_SIZE`` is cut back and its cutoff raised to the best ``g`` it dropped.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence

# bm25() parameters: FTS5's constants and the column weights (title matches weigh most, then the lead, then the body).
K1, B = 1.2, 0.75
IDF_FLOOR = 1e-6  # FTS5's idf of a phrase in half of the articles or more
WEIGHTS = {"title": 10.0, "lead": 4.0, "text": 1.0}
BM25_SQL = f"bm25(articles_fts, {', '.join(str(w) for w in WEIGHTS.values())})"  # ranks as ORDER BY BM25_SQL, rowid
TOKENIZE = "unicode61 remove_diacritics 2"  # as articles_fts (schema version 1)
LIST_SIZE = 2_000  # articles kept per token when the lists are built
_FIRST_DEPTH = 32
_BATCH = 64  # articles scored at a time: each costs ~0.1 ms, so score few beyond the page
_SCORE_COST = 200  # scoring one met article costs as much as bm25() on ~60 matches: cap the waste at ~30%
_CHUNK = 500  # rowids per IN (...) list
_DEFAULT_AVGDL = 400.0  # reference length for a store built empty
_DRIFT = 1.25  # the lists are rebuilt when the average length moves further than this factor
PHRASE = re.compile(r'"((?:[^"]|"")*)"(\*?)')
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


def tf_part(weighted_tf: float, length: int, avgdl: float) -> float:
    """A phrase's BM25 factor for one article, in fts5Bm25Function's order of operations."""
    return (weighted_tf * (K1 + 1.0)) / (weighted_tf + K1 * (1 - B + B * length / avgdl))


def fts_totals(conn: sqlite3.Connection) -> tuple[int, float]:
    """FTS5's row count and average article length (its averages record, id 1)."""
    row = conn.execute("SELECT block FROM articles_fts_data WHERE id = 1").fetchone()
    if row is None or not row[0]:
        return 0, 0.0
    n_rows, *sizes = varints(row[0])
    return n_rows, (sum(sizes) / n_rows if n_rows else 0.0)


def _scratch(conn: sqlite3.Connection) -> None:
    """An empty temp FTS5 table with articles_fts's tokenizer, and its per-token instances.

    Contentless, so emptying it is one command instead of re-tokenizing every row it held.
    """
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nm_rank_docs USING "
        f"fts5(title, lead, text, content = '', tokenize = '{TOKENIZE}')"
    )
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.nm_rank_vocab USING fts5vocab(temp, nm_rank_docs, instance)")
    conn.execute("INSERT INTO temp.nm_rank_docs (nm_rank_docs) VALUES ('delete-all')")


def _copy_to_scratch(conn: sqlite3.Connection, rids: Sequence[int]) -> None:
    """Copy articles' indexed text into the scratch table (tokenized exactly as in articles_fts)."""
    for start in range(0, len(rids), _CHUNK):
        chunk = rids[start:start + _CHUNK]
        conn.execute(
            "INSERT INTO temp.nm_rank_docs (rowid, title, lead, text) SELECT rowid, title, lead, text "
            f"FROM articles_fts WHERE rowid IN ({','.join('?' * len(chunk))})",
            chunk,
        )


def _columns(conn: sqlite3.Connection, rids: Sequence[int]) -> dict[int, tuple[list[str], ...]]:
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
        _scratch(conn)
        _copy_to_scratch(conn, others)
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
    if len(rids) > _CHUNK:  # one IN (...) list per statement stays well under SQLite's variable limit
        for start in range(0, len(rids), _CHUNK):
            refresh(conn, rids[start:start + _CHUNK])
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
    for rid, columns in _columns(conn, rids).items():
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


def _phrases(match: str) -> tuple[list[str], list[bool]] | None:
    """The FTS5 strings of a MATCH expression in FTS5's phrase order and whether each is negated,
    or None if the lists do not apply.

    They do not with prefixes or column filters, nor with an AND or NOT under a NOT (FTS5 need not
    report every occurrence of the phrases under it), nor with OR: an unseen article may have every
    alternative, so the bound sums them all and stays above the page. (Splitting "a AND (b OR c)"
    into "a b c", "a b -c" and "a -b c" ranked exactly, but at 100,000 articles the part with every
    alternative scored 220-520 articles without deciding on "phụ nữ AND (vay OR vốn)" and "bình đẳng
    AND (giới OR nữ)": slower than bm25().) What is left is an AND of phrases, some negated.
    """
    phrases = []
    for m in PHRASE.finditer(match):
        if m.group(2):
            return None
        phrases.append(m.group(1).replace('""', '"'))
    rest = PHRASE.sub(" P ", match).replace("(", " ( ").replace(")", " ) ").split()
    if ":" in rest or "OR" in rest:
        return None
    negated = _polarity(_nest(rest))
    if negated is None or len(negated) != len(phrases) or all(negated):
        return None
    return phrases, negated


def _nest(tokens: list[str]) -> list[object]:
    """Parenthesised groups as nested lists."""
    stack: list[list[object]] = [[]]
    for token in tokens:
        if token == "(":
            stack.append([])
        elif token == ")" and len(stack) > 1:
            group = stack.pop()
            stack[-1].append(group)
        else:
            stack[-1].append(token)
    return stack[0]


def _polarity(group: list[object], negated: bool = False) -> list[bool] | None:
    """For each phrase ("P") in order, whether it is on a NOT's right side; None if an AND or a
    NOT is (FTS5 then need not report every occurrence of the phrases under it)."""
    if negated and {"AND", "NOT"} & {x for x in group if isinstance(x, str)}:
        return None
    found: list[bool] = []
    for i, item in enumerate(group):
        under_not = negated or (i > 0 and group[i - 1] == "NOT")
        if item == "P":
            found.append(under_not)
        elif isinstance(item, list):
            inner = _polarity(item, under_not)
            if inner is None:
                return None
            found += inner
    return found


def tokenize(conn: sqlite3.Connection, texts: Sequence[str]) -> list[list[str]]:
    """Each text's tokens, in order, as articles_fts indexes them."""
    _scratch(conn)
    conn.executemany(
        "INSERT INTO temp.nm_rank_docs (rowid, title, lead, text) VALUES (?, '', '', ?)",
        list(enumerate(texts, start=1)),
    )
    tokens: list[list[tuple[int, str]]] = [[] for _ in texts]
    for term, doc, offset in conn.execute("SELECT term, doc, offset FROM temp.nm_rank_vocab"):
        tokens[doc - 1].append((offset, term))
    return [[t for _, t in sorted(pairs)] for pairs in tokens]


class _Scorer:
    """Exact bm25() of articles for one query (an AND of phrases, some negated)."""

    def __init__(self, phrases: list[list[str]], negated: list[bool], idf: list[float], avgdl: float) -> None:
        self.phrases, self.negated, self.idf, self.avgdl = phrases, negated, idf, avgdl
        self.tokens = sorted({t for p, neg in zip(phrases, negated, strict=True) if not neg for t in p})

    def score(self, columns: tuple[list[str], ...]) -> float | None:
        """bm25() (negative: lower ranks first) of an article given its tokens per column, or None
        if it does not match (a positive phrase missing or a negated one present)."""
        length = sum(len(c) for c in columns)
        score = 0.0
        for phrase, idf, negated in zip(self.phrases, self.idf, self.negated, strict=True):
            weighted = 0.0
            for tokens, weight in zip(columns, WEIGHTS.values(), strict=True):
                weighted += weight * _occurrences(tokens, phrase)
            if (weighted > 0) == negated:
                return None
            score += idf * tf_part(weighted, length, self.avgdl)
        return -1.0 * score


def _occurrences(tokens: list[str], phrase: list[str]) -> int:
    """How many times a phrase occurs in a column's tokens."""
    if len(phrase) == 1:
        return tokens.count(phrase[0])
    size = len(phrase)
    return sum(1 for i, t in enumerate(tokens) if t == phrase[0] and tokens[i:i + size] == phrase)


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


def quote(text: str) -> str:
    """An FTS5 string of a phrase's text."""
    return '"' + text.replace('"', '""') + '"'


def bm25_idf(n_rows: int, n_hit: int) -> float:
    """FTS5 bm25()'s idf of a phrase matching ``n_hit`` of ``n_rows`` articles."""
    value = math.log((n_rows - n_hit + 0.5) / (n_hit + 0.5))
    return value if value > 0.0 else IDF_FLOOR


def top_k(
    conn: sqlite3.Connection, match: str, where_sql: str, params: Sequence[object],
    after: Sequence[object] | None, n: int, match_count: int | None = None,
) -> list[dict[str, float | int]] | None:
    """The first ``n`` articles by (bm25, rowid) after ``after`` that match and pass ``where_sql`` over
    ``article_keys k``; None when the impact lists cannot decide (the caller then ranks with bm25()).

    ``match_count``, about how many articles ``match`` matches, sizes the scoring budget."""
    parsed = _phrases(match)
    if parsed is None:
        return None
    texts, negated = parsed
    phrases = tokenize(conn, texts)
    if not all(phrases):
        return None
    n_rows, avgdl = fts_totals(conn)
    if not n_rows:
        return None
    quoted = [quote(text) for text, neg in zip(texts, negated, strict=True) if not neg]
    counts = phrase_counts(conn, quoted)
    idf = [  # a negated phrase adds idf * 0 to every match: its idf is never needed
        0.0 if neg else bm25_idf(n_rows, counts[quote(text)]) for text, neg in zip(texts, negated, strict=True)
    ]
    # Scoring one article costs about as much as bm25() on _SCORE_COST matches: beyond this many
    # the lists cannot beat ranking every match.
    budget = max(4 * n + _BATCH, (match_count or n_rows) // _SCORE_COST)
    slack = max(1.0, avgdl / reference_avgdl(conn))  # g was computed at avgdl0: f <= g * slack
    page = _threshold(conn, _Scorer(phrases, negated, idf, avgdl), slack, where_sql, params, after, n, budget)
    return None if page is None else [{"rid": rid, "score": score} for score, rid in page]


def _threshold(
    conn: sqlite3.Connection, scorer: _Scorer, slack: float, where_sql: str, params: Sequence[object],
    after: Sequence[object] | None, n: int, budget: int,
) -> list[tuple[float, int]] | None:
    """Fagin's threshold algorithm over the lists of the scorer's required tokens: the best ``n``
    (score, rid) after ``after``, or None if the lists run out or more than ``budget`` articles
    would have to be scored."""
    lists = {t: _List(conn, t) for t in scorer.tokens}
    required = [(p, i) for p, i, neg in zip(scorer.phrases, scorer.idf, scorer.negated, strict=True) if not neg]

    def bound(g: Callable[[str], float]) -> float:
        """The best score an article can reach whose tf-part per token is at most ``g(token)``."""
        return sum(i * min(K1 + 1.0, min(g(t) for t in p) * slack) for p, i in required)  # negated: 0

    known: dict[int, dict[str, float]] = defaultdict(dict)  # g of the articles met, per list they were met in
    pending: set[int] = set()  # met, passing the filters, not scored yet
    ranked: list[tuple[float, int]] = []  # scored, matching, passing the filters
    depth = _FIRST_DEPTH
    while True:
        met = []
        for term, lst in lists.items():
            for g, rid in lst.read(depth):
                if rid not in known:
                    met.append(rid)
                known[rid][term] = g
        pending.update(_passing_filters(conn, met, where_sql, params))
        # Score the met articles that could still make the page, most promising first.
        limits = {rid: bound(lambda t, k=known[rid]: k.get(t, lists[t].front)) for rid in pending}
        order = sorted(pending, key=lambda r: -limits[r])
        for start in range(0, len(order), _BATCH):
            kth = -ranked[n - 1][0] if len(ranked) >= n else 0.0
            batch = [rid for rid in order[start:start + _BATCH] if limits[rid] * (1 + 1e-9) >= kth]
            if not batch:  # the rest are less promising still
                break
            budget -= len(batch)
            if budget < 0:
                return None
            pending.difference_update(batch)
            ranked = sorted(ranked + _score(conn, scorer, batch, after))
        kth = -ranked[n - 1][0] if len(ranked) >= n else 0.0
        pending = {rid for rid in pending if limits[rid] * (1 + 1e-9) >= kth}  # the rest can never make it
        # Done when no unseen article can reach the page, or none is left: a required token's list
        # read to its end with cutoff 0 holds every article that has the token.
        complete = any(lists[t].exhausted and lists[t].cutoff == 0.0 for p, _ in required for t in p)
        if (kth > 0.0 and kth > bound(lambda t: lists[t].front) * (1 + 1e-9)) or (complete and not pending):
            return ranked[:n]
        if all(lst.exhausted for lst in lists.values()) or len(known) > 8 * max(budget, _BATCH):
            return None
        depth *= 2


def _passing_filters(conn: sqlite3.Connection, rids: list[int], where_sql: str, params: Sequence[object]) -> list[int]:
    """Those of ``rids`` whose ``article_keys k`` row passes ``where_sql``."""
    passing = []
    for start in range(0, len(rids), _CHUNK):
        chunk = rids[start:start + _CHUNK]
        passing += [r[0] for r in conn.execute(
            f"SELECT k.rid FROM article_keys k WHERE k.rid IN ({','.join('?' * len(chunk))}) AND {where_sql}",
            (*chunk, *params),
        )]
    return passing


def _score(
    conn: sqlite3.Connection, scorer: _Scorer, rids: list[int], after: Sequence[object] | None,
) -> list[tuple[float, int]]:
    """Exact (score, rid) of those of ``rids`` that match the query, after ``after``."""
    found = []
    for rid, columns in _columns(conn, rids).items():
        score = scorer.score(columns)
        if score is not None and (not after or (score, rid) > (after[0], after[1])):
            found.append((score, rid))
    return found


class _List:
    """One token's impact list, read best-first."""

    def __init__(self, conn: sqlite3.Connection, term: str) -> None:
        self.conn, self.term = conn, term
        row = conn.execute("SELECT cutoff FROM fts_impact_terms WHERE term = ?", (term,)).fetchone()
        self.cutoff = row[0] if row else 0.0  # no row: no article has the token
        self.read_so_far = 0
        self.next_g: float | None = None
        self.exhausted = False

    def read(self, depth: int) -> list[tuple[float, int]]:
        """The (g, rowid) entries from the current position down to ``depth`` entries."""
        if self.exhausted or depth <= self.read_so_far:
            return []
        rows = self.conn.execute(
            "SELECT g, rid FROM fts_impact WHERE term = ? ORDER BY g DESC, rid DESC LIMIT ? OFFSET ?",
            (self.term, depth - self.read_so_far + 1, self.read_so_far),
        ).fetchall()
        taken = rows[: depth - self.read_so_far]
        self.read_so_far += len(taken)
        if len(rows) > len(taken):
            self.next_g = rows[-1][0]
        else:
            self.next_g, self.exhausted = None, True
        return [(g, rid) for g, rid in taken]

    @property
    def front(self) -> float:
        """An upper bound on ``g`` of every article with this token not read yet."""
        return max(self.cutoff, self.next_g) if self.next_g is not None else self.cutoff
