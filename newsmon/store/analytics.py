"""Models of the figures table and the entity counts (``Store.figures`` / ``Store.entities``).

Kept apart from ``base.py`` so that file stays the short interface; ``base`` re-exports them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["EntityCount", "EntityKind", "FigureAggregate", "FigureFilters", "FigurePage", "FigureRow"]

EntityKind = Literal["people", "organisations", "places"]


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
    """Figures summed per province, year and unit (sums only where units agree)."""

    province: str | None
    year: str | None
    unit: str
    count: int
    total: float
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
