"""Models of the figures table and the entity counts (``Store.figures`` / ``Store.entities``).

Kept apart from ``base.py`` so that file stays the short interface; ``base`` re-exports them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["RATE_UNITS", "EntityCount", "EntityKind", "FigureAggregate", "FigureFilters", "FigurePage", "FigureRow"]

EntityKind = Literal["people", "organisations", "places"]
RATE_UNITS = frozenset({"%"})  # units of a share: never summed


class FigureFilters(BaseModel):
    """Filters on extracted figures; ``None``/empty means "any"."""

    text: str | None = Field(None, description="Words in the subject or unit (accent-insensitive)")
    unit: str | None = Field(None, description="Exact unit, accent-insensitive")
    provinces: list[str] = Field(default_factory=list, description="Pre- or post-2025 province names")
    years: list[int] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    value_min: float | None = None
    value_max: float | None = None


class FigureRow(BaseModel):
    """One extracted figure with the sentence it came from and its article."""

    article_id: str
    position: int
    value: float
    unit: str
    subject: str | None
    text: str
    sentence: str | None
    province: str | None
    start: int | None
    end: int | None
    url: str
    title: str
    source: str
    published_at: datetime | None
    day: str | None


class FigureAggregate(BaseModel):
    """The figures of one year that count the same thing: the same unit and the same subject.

    Counts are summed; a rate (a unit of ``RATE_UNITS``) is never summed: its median and range are given.
    """

    year: str | None
    unit: str
    subject: str | None
    count: int = Field(description="How many figures")
    sources: int = Field(description="How many outlets reported them")
    is_rate: bool
    total: float | None = Field(description="Their sum; None for a rate")
    median: float | None = Field(description="The median of a rate's values; None for counts")
    min: float
    max: float


class FigurePage(BaseModel):
    """A page of figure rows, the total and the aggregates over all matching rows."""

    rows: list[FigureRow]
    total: int
    aggregates: list[FigureAggregate] = Field(default_factory=list)


class EntityCount(BaseModel):
    """A person, organisation or place and how many matching articles name it."""

    name: str
    count: int
    detail: str | None = Field(
        None, description="A person's title, an organisation's abbreviation or a place's level",
    )
