"""Stories on the store: what it keeps per article (``StoryRow``, written by the nlp stage's grouping) and
what it answers (``StorySummary``, ``StoryDetail``).

A story is a group of articles, from any outlets and a few days apart, that report the same event, case,
announcement or document. Its id is the id of the article that opened it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field

__all__ = ["StoryArticle", "StoryDetail", "StoryRow", "StorySummary"]


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One stored article's story state: its id, day (publication date), story id and story keys."""

    article_id: str
    day: date
    story_id: str
    keys: tuple[str, ...]

    @classmethod
    def parse(cls, article_id: object, day: object, story_id: object, keys: object) -> StoryRow:
        """A row from stored values: ``day`` a date or ISO string, ``keys`` a list of strings or its JSON.

        Raises ``ValueError`` naming the article when a value cannot be read.
        """
        try:
            if not isinstance(article_id, str) or not article_id or not isinstance(story_id, str) or not story_id:
                raise ValueError("article and story ids must be non-empty strings")
            parsed_day = _day(day)
            parsed_keys = json.loads(keys) if isinstance(keys, str) else keys
            if not isinstance(parsed_keys, Iterable) or not all(isinstance(k, str) for k in parsed_keys):
                raise ValueError("keys must be a list of strings")
        except (ValueError, TypeError) as error:
            raise ValueError(f"story row of article {article_id!r}: {error}") from error
        return cls(article_id, parsed_day, story_id, tuple(parsed_keys))


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise ValueError(f"day must be a date or an ISO date string, got {value!r}")


class StorySummary(BaseModel):
    """A story: its lead article, how many articles and which outlets carried it, and when."""

    id: str = Field(description="The id of the article that opened the story")
    title: str = Field(description="The headline of its earliest article")
    url: str
    articles: int = Field(description="How many articles, syndicated copies included")
    outlets: list[str] = Field(description="The outlets that carried it, most articles first")
    first_published: datetime | None
    last_published: datetime | None


class StoryArticle(BaseModel):
    """One article of a story."""

    id: str
    source: str
    title: str
    url: str
    published_at: datetime | None
    duplicate_of: str | None = None


class StoryDetail(StorySummary):
    """A story with every article, oldest first."""

    items: list[StoryArticle]
