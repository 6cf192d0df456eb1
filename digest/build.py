"""What a digest says: the period's coverage of a subscription's saved query, read from the store.

Only ``Store.search``, ``trends``, ``figures``, ``get_article`` and ``get_extraction`` are used,
so a digest is the same on every engine.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from markupsafe import Markup

from digest.period import Period
from newsmon.labels import EVENT_LABELS
from newsmon.models import Subscription, http_url
from newsmon.query import MatchAll, Node, parse
from newsmon.store.analytics import FigureRow
from newsmon.store.base import SearchFilters, SearchHit, Store, StorySummary
from newsmon.subscriptions import search_filters_of

__all__ = ["Digest", "EventItem", "FigureItem", "FigureSentence", "Story", "build_digest", "filters_for"]

TOP_STORIES = 8
STORY_HITS = 50  # ranked articles read to tell each top story by its best one
SNIPPET_CHARS = 240
TOP_FACETS = 5
TOP_FIGURES = 10
EVENT_ARTICLES = 50  # events are read from the extractions of this many of the period's newest articles
TOP_EVENTS = 12
CHART_PERIODS = 8
# Subscription filters are the search filters minus the dates, which the period sets.


@dataclass
class Story:
    """A top story: its lead article, and the other outlets that carried it (retold or syndicated)."""

    title: str
    url: str
    source: str
    published_at: datetime | None
    snippet_html: Markup
    provinces: list[str]
    copies: list[str]
    articles: int = 1


@dataclass
class FigureItem:
    """A statistic extracted in the period."""

    value: float
    unit: str
    subject: str | None
    province: str | None


@dataclass
class FigureSentence:
    """A sentence of the period that states figures, quoted once with all of them, and its article."""

    sentence: str
    title: str
    url: str
    figures: list[FigureItem] = field(default_factory=list)


@dataclass
class EventItem:
    """An event reported in the period."""

    day: str
    label: str
    text: str
    place: str | None
    title: str
    url: str


@dataclass
class Digest:
    """Everything one email says about one subscription's period."""

    subscription: Subscription
    period: Period
    total: int
    previous_total: int
    top_sources: list[tuple[str, int]] = field(default_factory=list)
    top_provinces: list[tuple[str, int]] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    figures: list[FigureSentence] = field(default_factory=list)
    events: list[EventItem] = field(default_factory=list)
    coverage: list[tuple[Period, int]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Whether nothing matching was published in the period."""
        return self.total == 0


def filters_for(subscription: Subscription, period: Period) -> SearchFilters:
    """The subscription's filters limited to the period's days; on-topic articles unless it asks for every one
    (``"on_topic_only": false`` among its filters)."""
    return search_filters_of(subscription.filters).model_copy(
        update={"date_from": period.start, "date_to": period.last_day})


def query_for(subscription: Subscription) -> Node:
    """The subscription's saved query as a tree (everything when blank)."""
    return parse(subscription.query) if subscription.query.strip() else MatchAll()


def build_digest(store: Store, subscription: Subscription, period: Period) -> Digest:
    """Read the period's numbers, top stories, statistics, events and coverage from the store."""
    query = query_for(subscription)
    filters = filters_for(subscription, period)
    page = store.search(query, filters, sort="relevance", limit=TOP_STORIES)
    previous = store.search(query, filters_for(subscription, period.previous()), limit=1)
    digest = Digest(subscription=subscription, period=period, total=page.total, previous_total=previous.total,
                    coverage=_coverage(store, query, subscription, period))
    if digest.is_empty:
        return digest
    digest.top_sources = [(f.value, f.count) for f in page.facets.get("source", [])[:TOP_FACETS]]
    digest.top_provinces = [(f.value, f.count) for f in page.facets.get("province", [])[:TOP_FACETS]]
    digest.stories = _stories(store, query, filters)
    rows = store.figures(query, filters, limit=TOP_FIGURES).rows
    digest.figures = _by_sentence(rows)
    digest.events = _events(store, query, filters, period)
    return digest


def _by_sentence(rows: list[FigureRow]) -> list[FigureSentence]:
    """The figures grouped under the sentence they came from (in the rows' order): a sentence with three
    figures is quoted once, not three times."""
    sentences: dict[tuple[str, str], FigureSentence] = {}
    for r in rows:
        text = r.sentence or r.text
        group = sentences.setdefault((r.article_id, text), FigureSentence(text, r.title, _link(r.url)))
        group.figures.append(FigureItem(r.value, r.unit, r.subject, r.province))
    return list(sentences.values())


def _link(url: str | None) -> str:
    """An article's address for a link in the email: http(s) only, else none."""
    return http_url(url) or ""


def _stories(store: Store, query: Node, filters: SearchFilters) -> list[Story]:
    """The period's top stories, by how many outlets carried them (then how well they match), each told by its
    best-ranked article."""
    hits = store.search(query, filters, sort="relevance", limit=STORY_HITS).hits  # originals tell their story
    best: dict[str, SearchHit] = {}
    for hit in hits:
        best.setdefault(hit.story_id or hit.id, hit)
    rank = {story: n for n, story in enumerate(best)}
    summaries = sorted(store.stories(query, filters, limit=TOP_STORIES),  # equal reach: the better ranked first
                       key=lambda s: (-len(s.outlets), -s.articles, rank.get(s.id, len(rank))))
    stories = []
    for summary in summaries:
        hit = best.get(summary.id) or _hit_of(store, summary)
        outlets = [hit.source, *(o for o in summary.outlets if o != hit.source)]
        stories.append(Story(hit.title, _link(hit.url), hit.source, hit.published_at, Markup(hit.snippet_html),
                             hit.provinces, outlets[1:], summary.articles))
    return stories


def _hit_of(store: Store, summary: StorySummary) -> SearchHit:
    """The story's lead article as a hit, when the search did not rank any of its articles."""
    article = store.get_article(summary.id)
    text = (article.lead or article.text) if article else ""
    snippet = html.escape(text[:SNIPPET_CHARS]) + ("…" if len(text) > SNIPPET_CHARS else "")
    return SearchHit(id=summary.id, url=summary.url, source=summary.outlets[0], title=summary.title,
                     published_at=summary.first_published, score=0.0, title_html=html.escape(summary.title),
                     snippet_html=snippet)


def _events(store: Store, query: Node, filters: SearchFilters, period: Period) -> list[EventItem]:
    """Events of the period's articles, by date; ones dated long before the period (history) are left out."""
    oldest = (period.start - timedelta(days=31)).isoformat()
    items = []
    for hit in store.search(query, filters, sort="date", limit=EVENT_ARTICLES).hits:
        extraction = store.get_extraction(hit.id)
        published = hit.published_at.date().isoformat() if hit.published_at else ""
        for event in extraction.events if extraction else []:
            day = event.date or published
            if day >= oldest:
                items.append(EventItem(day, EVENT_LABELS.get(event.type, event.type), event.text, event.place,
                                       hit.title, _link(hit.url)))
    return sorted(items, key=lambda e: e.day)[:TOP_EVENTS]


def _coverage(store: Store, query: Node, subscription: Subscription, period: Period) -> list[tuple[Period, int]]:
    """Matching articles in this period and the ones before it, summed from daily counts."""
    periods = [period]
    while len(periods) < CHART_PERIODS:
        periods.insert(0, periods[0].previous())
    daily = store.trends(query, filters_for(subscription, Period(periods[0].start, period.end)), interval="day")
    counts = {date.fromisoformat(p.period): p.count for p in daily.points}
    return [(p, sum(counts.get(p.start + timedelta(days=d), 0) for d in range((p.end - p.start).days)))
            for p in periods]
