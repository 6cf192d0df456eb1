"""Why an article got its story (``Decision``); what the store persists per article is the core's ``StoryRow``."""

from __future__ import annotations

from dataclasses import dataclass

from newsmon.store.stories import StoryRow  # what the store persists per article: defined in the core

__all__ = ["Decision", "StoryRow"]


@dataclass(frozen=True, slots=True)
class Decision:
    """Why an article got its story: the best-matching stored article, its score and the cohesion.

    ``matched`` is None for a new story; a syndicated copy reports its original with 1.0 and 1.0.
    """

    story_id: str
    matched: str | None
    score: float
    cohesion: float
