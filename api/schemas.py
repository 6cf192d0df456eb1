"""Response and request bodies of the JSON API (pydantic, with examples for OpenAPI)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from newsmon.models import Article, Extraction
from newsmon.store.analytics import EntityCount, FigureAggregate, FigureRow
from newsmon.store.base import FacetCount, Interval, SearchHit, SplitBy, TrendUnit, UpsertReport
from newsmon.store.stories import StorySummary

MAX_INGEST = 500


class ProblemDetail(BaseModel):
    """An RFC 9457 problem document."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "type": "/problems/query-syntax", "title": "Invalid query", "status": 400,
        "detail": "unbalanced parenthesis at position 7 of the query", "position": 7,
    }]})

    type: str
    title: str
    status: int
    detail: str
    position: int | None = Field(None, description="Offset in q of a query syntax error")


class Health(BaseModel):
    """Whether the API and its store work, and what the store holds."""

    status: str = Field(examples=["ok"])
    engine: str = Field(examples=["sqlite"])
    articles: int
    extracted: int
    figures: int
    first_day: str | None
    last_day: str | None


class SearchResponse(BaseModel):
    """One page of search results."""

    query: str = Field(examples=["bình đẳng giới"])
    sort: str
    total: int
    total_is_estimate: bool = Field(False, description="total was estimated from a sample (very many matches)")
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]]
    facets_estimated: bool = Field(False, description="facet counts were scaled up from a sample of the matches")
    next_cursor: str | None = Field(None, description="Pass as cursor= for the next page; null on the last")


class ArticleDetail(BaseModel):
    """An article (``duplicate_of`` names the original of a syndicated copy) and its extraction.

    ``extraction`` is null until NLP has run on the article.
    """

    article: Article
    extraction: Extraction | None


class TrendShare(BaseModel):
    """Articles in one period (and split), with the split's share of the period total."""

    period: str = Field(examples=["2024-11"])
    split: str | None = None
    count: int
    share: float = Field(description="count / all counts of this period (1.0 when not split)")


class TrendsResponse(BaseModel):
    """Coverage over time, optionally split, with share of voice."""

    interval: Interval
    split_by: SplitBy | None
    unit: TrendUnit = "articles"
    total: int
    undated: int = Field(0, description="matching articles with no known publication date: in no period")
    points: list[TrendShare]


class CampaignYear(BaseModel):
    """Coverage of one year's action month (15/11 to 15/12)."""

    year: int
    start: date
    end: date
    count: int
    per_day: float
    splits: list[FacetCount] = Field(default_factory=list)


class CampaignResponse(BaseModel):
    """The action month compared across years."""

    query: str
    split_by: SplitBy | None
    years: list[CampaignYear]


class FiguresResponse(BaseModel):
    """Extracted figures with their sentences, and sums per province, year and unit."""

    total: int
    offset: int
    limit: int
    rows: list[FigureRow]
    aggregates: list[FigureAggregate]


class EntitiesResponse(BaseModel):
    """Top people, organisations and places among the matching articles."""

    query: str
    people: list[EntityCount]
    organisations: list[EntityCount]
    places: list[EntityCount]


class IngestRequest(BaseModel):
    """Articles to insert or update (at most 500 per request)."""

    articles: list[Article] = Field(max_length=MAX_INGEST)


class IngestResponse(UpsertReport):
    """What the upsert did."""


class ReextractRequest(BaseModel):
    """Articles to run the NLP pipeline on again."""

    ids: list[str] = Field(min_length=1, max_length=200, examples=[["2f1c0a9b8e7d6c5b"]])


class ReextractResponse(BaseModel):
    """What was queued for the nlp stage's next pass (``newsmon extract --pending`` or ``newsmon watch``)."""

    queued: int = Field(description="articles marked pending")
    missing: list[str] = Field(description="ids that name no stored article")


class StoriesResponse(BaseModel):
    """The stories of the matching articles, most outlets first."""

    query: str
    stories: list[StorySummary]
