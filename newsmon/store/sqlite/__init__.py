"""The embedded engine: one SQLite file, WAL, one writer and a read connection per thread.

Read this first. The tables (``schema`` creates and migrates them; ``PRAGMA user_version`` is the version):

- ``articles``: every article as crawled (text normalised), keyed by ``rowid`` (``rid`` elsewhere) and ``id``.
- ``articles_fts``: FTS5 over the accent-folded title, lead and text (``newsmon.text.fold``).
- ``article_keys``: one narrow row per article (day, week, published, source, is_copy) that every
  filter and date order reads instead of ``articles``.
- ``extractions``: the NLP stage's output as JSON, with the extractor version (``pending_extraction``).
- Side tables of an extraction, keyed by rid (``sides``): ``article_provinces`` (with the week, for trends),
  ``article_events``, ``article_topics``, ``figures`` (folded text, unit and province keys) and
  ``article_entities`` (people, organisations, places).
- ``fts_impact``, ``fts_impact_terms``, ``fts_impact_params``, ``fts_impact_pending``: the impact lists
  for relevance ranking (``impacts``).
- ``subscriptions`` and ``deliveries``: digest subscriptions and the send log (``subscriptions``).
- ``rollup_days``: article counts per day, source, copy and on-topic flag, and per province, topic and event
  type, kept by triggers (``rollups``): trends, totals and facets without words read days, not articles.
- ``text_pending`` and ``text_index_state``: the queue and identity of the tantivy text index in the folder
  ``<db>-text/`` (``text_index``, documents in ``text_docs``), derived from the tables above and rebuildable.

Which path answers a request (``store``): while the text index is current (nothing pending), search, trends,
figures and entity counts go to tantivy (``text_search``, ``text_figures``, query in ``text_query``): BM25 top-k
with block-max WAND, exact totals, facets and aggregations over fast fields, the page's rows from SQLite. A trend
(and a search's total and facets) without words over dates, sources and the two flags reads ``rollup_days``.
Stories, and everything while the index catches up (or for a store opened with ``text_index=False``), take the
FTS5 and SQL path below.

Bulk loads (``newsmon reindex``: ``text_store.bulk``): the writer set up for throughput (``bulk``), the text index
built by a second process (``text_worker``), the roll-ups counted and the FTS5 segments merged once, at the end.

The FTS5 and SQL path: ``query`` compiles the query tree and filters to an FTS5 MATCH plus SQL over ``article_keys k``;
``hits`` selects the matching articles once into ``temp.nm_hits`` (a sample above ``EXACT_LIMIT``), inside one
read snapshot; ``search``, ``trends`` and ``figures`` answer from there.

Which ranking path answers a relevance page, and why (``search._ranked_page``):

1. Few matches (up to ``search.RANK_LISTS_MIN``), or filters that leave few of them, or impact lists still
   pending after writes: ``bm25()`` over every selected article. Cheap at that size, and always exact.
2. An AND of phrases, some negated, over many matches: ``rank.top_k``, Fagin's threshold algorithm over the
   impact lists; it scores the articles it meets in Python, bit-equal to FTS5's ``bm25()`` (``bm25``).
3. Any other Boolean shape (OR, an AND under a NOT), or when 2 runs out of list or budget:
   ``rank_pass.top_k_one_pass`` lets FTS5 score only the lists' articles, and keeps the page when its last
   score beats the best an unlisted article can reach.
4. When neither can prove its page: ``bm25()`` over every match (prefixes, column filters, words most
   articles share).

Every path returns the page ``ORDER BY bm25(...), rowid`` would, ties included.
"""

from newsmon.store.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]
