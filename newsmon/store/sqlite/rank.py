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
tries ``rank_pass`` (any Boolean shape, scored by FTS5 in one pass), then ranks every match
with ``bm25()``. The result is the same page, ties included, as ``ORDER BY bm25(...), rowid``.

The lists themselves, and how writes keep them current, are in ``impacts``; the BM25 arithmetic in ``bm25``.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence

from newsmon.store.sqlite.bm25 import K1, PHRASE, WEIGHTS, bm25_idf, phrase_counts, quote, tf_part
from newsmon.store.sqlite.impacts import CHUNK, article_tokens, fts_totals, reference_avgdl, tokenize

_FIRST_DEPTH = 32
_BATCH = 64  # articles scored at a time: each costs ~0.1 ms, so score few beyond the page
_SCORE_COST = 200  # scoring one met article costs as much as bm25() on ~60 matches: cap the waste at ~30%


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
    for start in range(0, len(rids), CHUNK):
        chunk = rids[start:start + CHUNK]
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
    for rid, columns in article_tokens(conn, rids).items():
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
