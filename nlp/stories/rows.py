"""What the store persists per article (``StoryRow``) and why an article got its story (``Decision``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["Decision", "StoryRow"]


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


@dataclass(frozen=True, slots=True)
class Decision:
    """Why an article got its story: the best-matching stored article, its score and the cohesion.

    ``matched`` is None for a new story; a syndicated copy reports its original with 1.0 and 1.0.
    """

    story_id: str
    matched: str | None
    score: float
    cohesion: float
