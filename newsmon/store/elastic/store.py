"""The Elasticsearch store: the same interface as SQLite, for larger corpora and several readers.

``ElasticStore("http://host:9200")`` keeps its articles in an index ``newsmon-articles-<timestamp>``
behind the alias ``newsmon-articles`` (a URL path, ``http://host:9200/other``, changes the
``newsmon`` prefix); ``connection`` says how it reaches the cluster. Every index is made from one
composable template with explicit mappings (``mapping``) and the configured shards and replicas; a
reindex fills a new index and swaps the alias in one atomic call, so search never goes down (and
is how new shards or replicas reach a store). Writes go in bulk (``bulk``) and are refreshed before
this store's next read, so a write is visible to the next read as on SQLite. When the cluster
cannot take writes, they are kept in a local spool (``spool``) and replayed on the next write or
``replay_spool()``; reads raise ``StoreUnavailable``, which the API answers with 503.

Where the engines differ, within the contract: ties are broken by article id (SQLite: storage
order), ``iter_articles`` follows crawl time (SQLite: storage order), and the standard tokenizer
keeps "28.867" one word where FTS5 splits it at the dot, so ``28`` alone does not find it here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

try:
    from elasticsearch import Elasticsearch

    from newsmon.store.elastic.connection import connect, translated
except ImportError as e:  # pragma: no cover - depends on the installed extras
    raise ImportError("the Elasticsearch store needs its client: pip install 'newsmon[elasticsearch]'") from e

from newsmon.errors import ConfigError, StoreUnavailable
from newsmon.models import Article, Extraction
from newsmon.query import MatchAll, Node
from newsmon.settings import Settings, get_settings
from newsmon.store.base import (
    STORED,
    EntityCount,
    EntityKind,
    FigureFilters,
    FigurePage,
    Interval,
    SearchFilters,
    SearchPage,
    Series,
    SortOrder,
    SplitBy,
    Store,
    StoreStats,
    TrendUnit,
    UpsertReport,
)
from newsmon.store.elastic import bulk
from newsmon.store.elastic import figures as figures_es
from newsmon.store.elastic import search as search_es
from newsmon.store.elastic import trends as trends_es
from newsmon.store.elastic.mapping import ARTICLE_FIELDS, article_document, extraction_fields, index_template
from newsmon.store.elastic.mapping import index_settings as shards_and_replicas
from newsmon.store.elastic.spool import Spool, SpooledWrite
from newsmon.store.elastic.stories import StoriesMixin
from newsmon.store.elastic.subscriptions import SIDE_INDICES, SubscriptionsMixin
from newsmon.store.recrawl import keep_known_date

__all__ = ["ElasticStore"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_SCAN_BATCH = 1000


class ElasticStore(StoriesMixin, SubscriptionsMixin, Store):
    """Articles, extractions, figures and entities in one Elasticsearch index behind an alias."""

    engine = "elasticsearch"

    def __init__(
        self, url: str, *, spool_path: str | Path | None = None, timeout: float | None = None,
        client: Elasticsearch | None = None, index: str | None = None, settings: Settings | None = None,
    ) -> None:
        """``url``: the engine, a node and the index prefix; connection, shards and replicas: ``settings``
        (default: the environment's); ``timeout``: seconds per request (default: the settings')."""
        parts = urlsplit(url)
        if not parts.hostname:
            raise ConfigError("the Elasticsearch store URL has no host: use http://localhost:9200")
        self.settings = settings or get_settings()
        self.url = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"  # never the user information
        self.prefix = parts.path.strip("/") or "newsmon"
        self.alias = f"{self.prefix}-articles"
        if client is None:
            cluster = connect(parts, self.settings, timeout)
            self.client, self.where = cluster.client, cluster.where
        else:
            self.client, self.where = client, self.url
        self._index = index or self.alias  # a staging store writes to its own concrete index
        self._ready = index is not None
        self._ready_lock = threading.Lock()
        self._dirty = False
        if spool_path is None and index is None:
            spool_path = self.settings.elastic_spool_path
        self._spool_path = Path(spool_path) if spool_path else None  # a staging store never spools
        self._spool: Spool | None = None

    @property
    def spool(self) -> Spool | None:
        """The outage spool, opened on first need (the file exists only once something was spooled)."""
        if self._spool is None and self._spool_path is not None:
            self._spool = Spool(self._spool_path)
        return self._spool

    # --- index and alias ------------------------------------------------------------

    def _call(self, fn: Callable[[], T], *, write: bool = False) -> T:
        with translated(self.where):
            if not self._ready:
                with self._ready_lock:
                    self._ensure_index()
            if self._dirty and not write:  # read what this store wrote (refreshing once, not per batch)
                self._dirty = False
                self.client.indices.refresh(index=self._index)
            return fn()

    def _ensure_index(self) -> None:
        """Install the template; create the first index behind the alias unless the alias exists, else add to
        it the fields a newer newsmon maps (new fields can be added in place; a changed one needs a reindex)."""
        if self._ready:
            return
        template = index_template(f"{self.alias}-*", self.index_settings())
        self.client.indices.put_index_template(name=self.alias, **template)
        if self.client.indices.exists_alias(name=self.alias):
            self.client.indices.put_mapping(index=self.alias, **template["template"]["mappings"])
        else:
            self.client.indices.create(index=self._new_index_name(), aliases={self.alias: {}},
                                       settings=self.index_settings())
            # Two processes starting at once may each create one: keep the oldest, drop the other.
            extra = sorted(self.client.indices.get_alias(name=self.alias))[1:]
            if extra:
                self.client.options(ignore_status=404).indices.delete(index=",".join(extra))
        self._ready = True

    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def index_settings(self, shards: int | None = None) -> dict[str, Any]:
        """The shards (default: ``NEWSMON_ELASTIC_SHARDS``) and replicas of a new index."""
        return shards_and_replicas(shards or self.settings.elastic_shards, self.settings.elastic_replicas)

    def staging(self) -> ElasticStore:
        """A store writing to a new index with the configured shards and replicas, not yet behind the alias."""
        with translated(self.where):
            self._ensure_index()
            name = self._new_index_name()
            self.client.indices.create(index=name, settings=self.index_settings())
        staged = ElasticStore(self.url + "/" + self.prefix, client=self.client, index=name, settings=self.settings)
        staged.where = self.where
        return staged

    def promote(self, staging: ElasticStore) -> None:
        """Point the alias at ``staging``'s index in one atomic call, then delete the old indices.

        The small side indices (subscriptions, send log) take the configured replicas in place.
        """
        with translated(self.where):
            old = list(self.client.indices.get_alias(name=self.alias))
            actions = [{"remove": {"index": i, "alias": self.alias}} for i in old]
            actions.append({"add": {"index": staging._index, "alias": self.alias}})
            self.client.indices.update_aliases(actions=actions)
            if old:
                self.client.indices.delete(index=",".join(old))
            self._replicate_side_indices()

    def drop(self) -> None:
        """Delete everything this store holds: a staging store its index, a store its prefix's indices."""
        staging = self._index != self.alias
        everything = [f"{self.alias}-*", *(f"{self.prefix}-{n}" for n in SIDE_INDICES)]
        pattern = self._index if staging else ",".join(everything)
        with translated(self.where):
            # By name, not by wildcard: clusters refuse wildcard deletes by default.
            names = list(self.client.indices.get(index=pattern, ignore_unavailable=True, allow_no_indices=True))
            if names:
                self.client.indices.delete(index=",".join(names))
            if not staging:
                self.client.options(ignore_status=404).indices.delete_index_template(name=self.alias)
        self._ready = self._subscriptions_ready = staging

    def close(self) -> None:
        """Close the client and the spool."""
        if self._spool:
            self._spool.close()
        if self._index == self.alias:  # a staging store shares its parent's client
            self.client.close()

    # --- writes ---------------------------------------------------------------------

    def upsert_articles(self, articles: Iterable[Article]) -> UpsertReport:
        """Insert new articles, update changed ones, leave re-crawled ones alone.

        While the cluster is unreachable the batch is spooled and reported as new.
        """
        batch = list(articles)
        return self._write(("articles", batch), lambda: UpsertReport(new=[a.id for a in batch]))

    def save_extractions(self, items: Iterable[tuple[str, Extraction]]) -> int:
        """Store extractions on their articles; spooled while the cluster is unreachable."""
        batch = list(items)
        return self._write(("extractions", batch), lambda: len(batch))

    def mark_pending(self, article_ids: Iterable[str]) -> list[str]:
        """Queue articles for re-extraction (their ``extraction_version`` becomes '', which no extractor has)."""
        ids = list(dict.fromkeys(article_ids))
        found = self._call(lambda: self._sources(ids, ["id"]))
        self._call(lambda: self._bulk(
            {"_op_type": "update", "_id": i, "doc": {"extraction_version": ""}} for i in ids if i in found
        ), write=True)
        return [i for i in ids if i not in found]

    def _write(self, write: SpooledWrite, spooled: Callable[[], T]) -> T:
        try:
            self.replay_spool()
            return self._apply(write)  # type: ignore[return-value]
        except StoreUnavailable as e:
            if self._spool_path is None:
                raise
            getattr(self.spool, f"add_{write[0]}")(write[1])
            log.warning("%s; %d %s kept in %s until it returns", e, len(write[1]), write[0], self.spool.path)
            return spooled()

    def replay_spool(self) -> int:
        """Write what was spooled during an outage; return how many batches were replayed."""
        if self._spool_path is None or not self._spool_path.exists() or not len(self.spool):
            return 0
        done = self.spool.replay(self._apply)
        self._call(lambda: None)  # refresh now: the replay is news to every reader, not only to this process
        log.info("replayed %d spooled write(s) into %s", done, self.where)
        return done

    def _apply(self, write: SpooledWrite) -> UpsertReport | int:
        kind, batch = write
        if kind == "articles":
            return self._call(lambda: self._upsert(batch), write=True)  # type: ignore[arg-type]
        return self._call(lambda: self._save(batch), write=True)  # type: ignore[arg-type]

    def _upsert(self, articles: list[Article]) -> UpsertReport:
        report = UpsertReport()
        known = self._sources([a.id for a in articles], list(_COMPARED))
        docs: dict[str, dict[str, Any]] = {}
        for article in articles:
            seen = known.get(article.id)
            if seen is not None:
                article = keep_known_date(article, seen.get("published_at"), seen.get("published_period"))
            state = _compared(article)
            if seen is None:
                report.new.append(article.id)
            elif state == {k: seen.get(k) for k in _COMPARED} or (article.feed_only and not seen.get("feed_only")):
                report.unchanged.append(article.id)  # a feed item never replaces the page it stands for
                continue
            else:
                report.updated.append(article.id)
            known[article.id] = state
            docs[article.id] = article_document(article)
        self._bulk({"_op_type": "index", "_id": i, "_source": doc} for i, doc in docs.items())
        return report

    def _save(self, items: list[tuple[str, Extraction]]) -> int:
        articles = self._sources([i for i, _ in items], ["day", "source"])
        actions = [
            {"_op_type": "update", "_id": article_id,
             "doc": extraction_fields(extraction, articles[article_id].get("day"), articles[article_id]["source"])}
            for article_id, extraction in items if article_id in articles
        ]
        self._bulk(actions)
        return len(actions)

    def _bulk(self, actions: Iterable[dict[str, Any]]) -> None:
        """Write ``actions`` (see ``bulk.write``: transient item failures retried, then ``StoreUnavailable``).

        The next read through this store refreshes the index first; other processes see the writes
        after the index's periodic refresh (1 s).
        """
        batch = list(actions)
        if batch:
            self._dirty = True  # even a write that fails half-way may have written some
            bulk.write(self.client, self._index, batch, self.where)

    def _sources(self, ids: list[str], fields: list[str]) -> dict[str, dict[str, Any]]:
        return bulk.sources(self.client, self._index, ids, fields, self.where)

    # --- reads ----------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article | None:
        """One article by id, or None."""
        found = self._call(lambda: self._sources([article_id], list(ARTICLE_FIELDS)))
        return Article.model_validate(found[article_id], context=STORED) if article_id in found else None

    def get_extraction(self, article_id: str) -> Extraction | None:
        """The stored extraction of one article, or None."""
        found = self._call(lambda: self._sources([article_id], ["extraction"]))
        data = found.get(article_id, {}).get("extraction")
        return Extraction.model_validate(data) if data else None

    def _scan(self, query: dict[str, Any], fields: list[str] | bool) -> Iterator[dict[str, Any]]:
        """Every matching document's source, oldest crawl first, read in pages with ``search_after``."""
        after = None
        while True:
            result = self._call(lambda a=after: self.client.search(
                index=self._index, query=query, size=_SCAN_BATCH, sort=[{"crawled_at": "asc"}, {"id": "asc"}],
                _source=fields, search_after=a,
            ))
            hits = result["hits"]["hits"]
            yield from ({"_id": h["_id"], **h.get("_source", {})} for h in hits)
            if len(hits) < _SCAN_BATCH:
                return
            after = hits[-1]["sort"]

    def iter_articles(self, since: datetime | None = None) -> Iterator[Article]:
        """Every article crawled at or after ``since``, oldest first."""
        query = {"range": {"crawled_at": {"gte": since.isoformat()}}} if since else {"match_all": {}}
        for doc in self._scan(query, list(ARTICLE_FIELDS)):
            doc.pop("_id")
            yield Article.model_validate(doc, context=STORED)

    def count_articles(self) -> int:
        """How many articles are stored (syndicated copies included)."""
        return self._call(lambda: self.client.count(index=self._index)["count"])

    @staticmethod
    def _pending_query(version: str) -> dict[str, Any]:
        return {"bool": {"must_not": [{"term": {"extraction_version": version}}]}}

    def count_pending(self, version: str) -> int:
        """How many articles ``pending_extraction(version)`` would yield."""
        return self._call(lambda: self.client.count(index=self._index, query=self._pending_query(version))["count"])

    def pending_extraction(self, version: str) -> Iterator[Article]:
        """Articles never extracted or extracted by another version (ids first, so saving as we go is safe)."""
        ids = [doc["_id"] for doc in self._scan(self._pending_query(version), False)]
        for start in range(0, len(ids), _SCAN_BATCH):
            batch = self._call(lambda s=start: self._sources(ids[s:s + _SCAN_BATCH], list(ARTICLE_FIELDS)))
            yield from (Article.model_validate(doc, context=STORED) for doc in batch.values())

    def stats(self) -> StoreStats:
        """Counts per source, extraction coverage and the date range."""
        result = self._call(lambda: self.client.search(index=self._index, size=0, track_total_hits=True, aggs={
            "sources": {"terms": {"field": "source", "size": 10_000}},
            "extracted": {"filter": {"exists": {"field": "extraction_version"}}},
            "figures": {"nested": {"path": "figures"}},
            "first": {"min": {"field": "day", "format": "yyyy-MM-dd"}},
            "last": {"max": {"field": "day", "format": "yyyy-MM-dd"}},
        }))
        aggs = result["aggregations"]
        return StoreStats(
            engine=self.engine, articles=result["hits"]["total"]["value"],
            extracted=aggs["extracted"]["doc_count"], figures=aggs["figures"]["doc_count"],
            sources={b["key"]: b["doc_count"] for b in aggs["sources"]["buckets"]},
            first_day=aggs["first"].get("value_as_string"), last_day=aggs["last"].get("value_as_string"),
        )

    def search(
        self, query: Node = MatchAll(), filters: SearchFilters | None = None, sort: SortOrder = "relevance",
        cursor: str | None = None, limit: int = 20,
    ) -> SearchPage:
        """Ranked (BM25, exact accents boosted) or newest-first results with snippets, facets and a cursor."""
        return self._call(lambda: search_es.search(self.client, self._index, query, filters, sort, cursor, limit))

    def trends(
        self, query: Node = MatchAll(), filters: SearchFilters | None = None, interval: Interval = "month",
        split_by: SplitBy | None = None, unit: TrendUnit = "articles",
    ) -> Series:
        """Matching articles (or stories) per period, optionally split by source, province, topic or event type."""
        return self._call(lambda: trends_es.trends(self.client, self._index, query, filters, interval, split_by,
                                                   unit))

    def figures(
        self, query: Node = MatchAll(), filters: SearchFilters | None = None,
        figure_filters: FigureFilters | None = None, limit: int = 50, offset: int = 0,
    ) -> FigurePage:
        """Extracted figures of the matching articles (see ``figures``)."""
        return self._call(lambda: figures_es.figures(
            self.client, self._index, query, filters, figure_filters or FigureFilters(), limit, offset))

    def entities(
        self, kind: EntityKind, query: Node = MatchAll(), filters: SearchFilters | None = None, limit: int = 20,
    ) -> list[EntityCount]:
        """Top people, organisations or places of the matching articles (see ``figures``)."""
        return self._call(lambda: figures_es.entities(self.client, self._index, kind, query, filters, limit))


_COMPARED = ("content_hash", "duplicate_of", "published_at", "published_period", "feed_only")


def _compared(article: Article) -> dict[str, Any]:
    """What decides whether a re-crawled article changed, as its document stores it."""
    return {"content_hash": article.content_hash, "duplicate_of": article.duplicate_of,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "published_period": article.published_period, "feed_only": article.feed_only}
