"""The store interface: the only state the stages share.

Every engine (``sqlite``, ``elastic``) implements ``Store``; one contract test suite
checks them all. A feature an engine lacks raises ``NotImplementedError`` naming the
engine, never a wrong answer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from newsmon.models import Article, Delivery, DeliveryState, Extraction, Subscription
from newsmon.query import MatchAll, Node
from newsmon.store.analytics import (
    EntityCount,
    EntityKind,
    FigureAggregate,
    FigureFilters,
    FigurePage,
    FigureRow,
)
from newsmon.store.stories import StoryDetail, StoryRow, StorySummary

__all__ = [
    "STORED",
    "EntityCount",
    "EntityKind",
    "FacetCount",
    "FigureAggregate",
    "FigureFilters",
    "FigurePage",
    "FigureRow",
    "Interval",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "Series",
    "SortOrder",
    "SplitBy",
    "Store",
    "StoreStats",
    "StoryDetail",
    "StoryRow",
    "StorySummary",
    "TrendPoint",
    "TrendUnit",
    "UpsertReport",
]

# The validation context of a model read back from a store: what was checked on the way in (http(s)
# addresses) is not checked again, so a row stored before a check existed still reads.
STORED = {"stored": True}

Interval = Literal["day", "week", "month", "year"]
SortOrder = Literal["relevance", "date"]
SplitBy = Literal["source", "province", "topic", "event_type"]
TrendUnit = Literal["articles", "stories"]


class SearchFilters(BaseModel):
    """Filters applied on top of a query; empty lists mean "any"."""

    date_from: date | None = None
    date_to: date | None = None
    sources: list[str] = Field(default_factory=list)
    provinces: list[str] = Field(default_factory=list)
    event_types: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    has_figures: bool | None = None
    include_duplicates: bool = False
    on_topic_only: bool = Field(False, description="Only articles the extractor judged gender-equality coverage "
                                                   "(the API, the web UI and digests ask for it by default)")


class UpsertReport(BaseModel):
    """What an upsert did: new ids, updated ids, unchanged ids (re-crawls)."""

    new: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)

    def merge(self, other: UpsertReport) -> UpsertReport:
        """Combine two reports (batches of one crawl)."""
        return UpsertReport(
            new=self.new + other.new, updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
        )


class SearchHit(BaseModel):
    """One result: the article's summary, its score and highlighted snippets."""

    id: str
    url: str = Field(description="The article's own address (its canonical URL when the page gave one)")
    source: str
    title: str
    published_at: datetime | None
    score: float
    title_html: str = Field(description="Title, HTML-escaped, matches wrapped in <mark>")
    snippet_html: str = Field(description="Best passage, HTML-escaped, matches wrapped in <mark>")
    provinces: list[str] = Field(default_factory=list)
    duplicates: list[str] = Field(default_factory=list, description="ids of syndicated copies")
    story_id: str | None = Field(None, description="The story the article belongs to (once grouped)")


class FacetCount(BaseModel):
    """How many matching articles share one value of a facet."""

    value: str
    count: int


class SearchPage(BaseModel):
    """One page of results with the total, facet counts and the cursor to the next page."""

    hits: list[SearchHit]
    total: int
    total_is_estimate: bool = Field(
        False, description="total was estimated from a sample of the matches (very large result sets)",
    )
    facets: dict[str, list[FacetCount]] = Field(default_factory=dict)
    facets_estimated: bool = Field(
        False, description="Facet counts were scaled up from a sample of the matches (very large result sets)",
    )
    next_cursor: str | None = None


class TrendPoint(BaseModel):
    """Articles in one period (and one split value, when split)."""

    period: str
    count: int
    split: str | None = None


class Series(BaseModel):
    """Coverage over time: ``total`` matching articles, of which ``undated`` (no known publication date) are in
    no period."""

    interval: Interval
    points: list[TrendPoint]
    total: int
    undated: int = 0


class StoreStats(BaseModel):
    """What a store holds, for ``newsmon stats`` and ``/health``."""

    engine: str
    articles: int
    extracted: int
    figures: int
    sources: dict[str, int]
    first_day: str | None
    last_day: str | None


class Store(ABC):
    """One storage engine. Safe to share across threads for reads; writes are serialised."""

    engine: str = "abstract"

    @abstractmethod
    def upsert_articles(self, articles: Iterable[Article]) -> UpsertReport:
        """Insert or update articles by canonical URL; a re-crawl never duplicates one."""

    @abstractmethod
    def get_article(self, article_id: str) -> Article | None:
        """One article by id, or None."""

    @abstractmethod
    def get_extraction(self, article_id: str) -> Extraction | None:
        """The stored extraction of one article, or None."""

    def get_extractions(self, article_ids: list[str]) -> dict[str, Extraction]:
        """The stored extractions of ``article_ids`` by id, those without one left out (engines read them at once)."""
        return {i: x for i in article_ids if (x := self.get_extraction(i)) is not None}

    @abstractmethod
    def copies_of(self, article_ids: list[str]) -> dict[str, list[str]]:
        """The ids of the syndicated copies (articles whose ``duplicate_of`` names it) of each of
        ``article_ids`` that has any."""

    @abstractmethod
    def iter_articles(self, since: datetime | None = None) -> Iterator[Article]:
        """Every article (crawled at or after ``since``), oldest first."""

    @abstractmethod
    def count_articles(self) -> int:
        """How many articles are stored."""

    @abstractmethod
    def stats(self) -> StoreStats:
        """Counts per source, extraction coverage and the date range."""

    @abstractmethod
    def count_pending(self, version: str) -> int:
        """How many articles ``pending_extraction(version)`` would yield."""

    @abstractmethod
    def pending_extraction(self, version: str) -> Iterator[Article]:
        """Articles with no extraction, or one made by another extractor version."""

    @abstractmethod
    def mark_pending(self, article_ids: Iterable[str]) -> list[str]:
        """Queue articles for the nlp stage's next pass (``pending_extraction`` yields them, whatever the
        version) while their current extraction stays readable; return the ids of no stored article."""

    @abstractmethod
    def save_extractions(self, items: Iterable[tuple[str, Extraction]]) -> int:
        """Store extractions keyed by article id; return how many were saved."""

    @abstractmethod
    def search(
        self,
        query: Node = MatchAll(),
        filters: SearchFilters | None = None,
        sort: SortOrder = "relevance",
        cursor: str | None = None,
        limit: int = 20,
    ) -> SearchPage:
        """Articles matching the query tree and filters, best first (or newest first)."""

    @abstractmethod
    def trends(
        self,
        query: Node = MatchAll(),
        filters: SearchFilters | None = None,
        interval: Interval = "month",
        split_by: SplitBy | None = None,
        unit: TrendUnit = "articles",
    ) -> Series:
        """How many matching articles per period, optionally split; with ``unit="stories"`` how many stories
        (a story counts once in each period where it has a matching article, and once in the total)."""

    @abstractmethod
    def figures(
        self,
        query: Node = MatchAll(),
        filters: SearchFilters | None = None,
        figure_filters: FigureFilters | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> FigurePage:
        """Extracted figures of the matching articles, with their sentences and aggregates."""

    @abstractmethod
    def entities(
        self,
        kind: EntityKind,
        query: Node = MatchAll(),
        filters: SearchFilters | None = None,
        limit: int = 20,
    ) -> list[EntityCount]:
        """The people, organisations or places most matching articles mention."""

    # --- stories (see ``newsmon.store.stories``) ----------------------------------------

    @abstractmethod
    def save_story_rows(self, rows: Iterable[StoryRow]) -> int:
        """Store (or replace) the story row of each article; rows of articles not stored are skipped.
        Returns how many were saved."""

    @abstractmethod
    def story_rows(self, date_from: date | None = None, date_to: date | None = None) -> Iterator[StoryRow]:
        """The stored story rows whose day is in the range (either end open), by day then article id: the
        order to rebuild the grouping in."""

    @abstractmethod
    def stories(self, query: Node = MatchAll(), filters: SearchFilters | None = None,
                limit: int = 20) -> list[StorySummary]:
        """The stories of the matching articles (syndicated copies included), by how many outlets carried them
        among those articles, then how many articles, then the latest; counts and outlets are over them."""

    @abstractmethod
    def story_summaries(self, story_ids: list[str]) -> dict[str, StorySummary]:
        """Each of the stories (that exist) with its whole reach, by id: the label of a page of hits."""

    @abstractmethod
    def get_story(self, story_id: str) -> StoryDetail | None:
        """One story with every article, oldest first, and its whole reach; None if it has no article."""

    # --- subscriptions and the digest send log (see ``digest/__init__.py``) -------------

    @abstractmethod
    def add_subscription(self, subscription: Subscription) -> Subscription:
        """Store a new subscription (its ``id`` is ignored) and return it with the id the store gave it."""

    @abstractmethod
    def get_subscription(self, subscription_id: int) -> Subscription | None:
        """One subscription by id, or None."""

    @abstractmethod
    def list_subscriptions(self, *, email: str | None = None, active: bool | None = None) -> list[Subscription]:
        """Subscriptions in id order, optionally only one address's (case-insensitive) or only (in)active ones."""

    @abstractmethod
    def update_subscription(self, subscription: Subscription) -> Subscription | None:
        """Replace the stored subscription with the same id; None when no such id exists."""

    @abstractmethod
    def delete_subscription(self, subscription_id: int) -> bool:
        """Delete a subscription and its send log; False when no such id exists."""

    @abstractmethod
    def claim_delivery(
        self, subscription_id: int, period_start: date, period_end: date, message_id: str,
        *, now: datetime, lease: timedelta,
    ) -> Delivery | None:
        """Atomically take the digest of (subscription, period start) for sending, or None if it is not ours.

        Creates the record as ``claimed`` with ``attempts=1`` when it does not exist. Re-claims it (state
        ``claimed``, ``attempts + 1``, ``updated_at=now``) when its state is ``retry`` or ``ambiguous``, or
        ``claimed`` with ``updated_at`` older than ``now - lease`` (a sender that died). ``now`` is the real
        clock at the moment of the claim, so a lease runs from the claim, not from the start of a run.
        Returns None, changing nothing, when it is ``sent``, ``failed`` or ``empty``, or freshly claimed by
        another sender. Two concurrent callers never both get it. ``period_end`` and ``message_id`` are
        stored on creation only.
        """

    @abstractmethod
    def finish_delivery(
        self, subscription_id: int, period_start: date, state: DeliveryState, *,
        now: datetime, error: str | None = None,
    ) -> Delivery:
        """Record the outcome of a claimed delivery (``sent``, ``retry``, ``ambiguous``, ``failed`` or ``empty``).

        Raises ``StoreError`` when the record does not exist.
        """

    @abstractmethod
    def get_delivery(self, subscription_id: int, period_start: date) -> Delivery | None:
        """The send-log record of (subscription, period start), or None."""

    @abstractmethod
    def list_deliveries(self, subscription_id: int | None = None) -> list[Delivery]:
        """Send-log records, newest period first, then by subscription id; optionally of one subscription."""

    def refresh_ranking(self) -> int:
        """Bring derived ranking structures up to date after a batch of writes; return how many
        articles it caught up. Engines that keep them current on every write do nothing."""
        return 0

    def close(self) -> None:  # noqa: B027 - engines without resources need nothing
        """Release connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
