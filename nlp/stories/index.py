"""The incremental story index: each new article joins an existing story or opens one.

Candidates come from an inverted index of story keys by day (``nlp.stories.postings``): only
articles within the window that share a *distinctive* key (one that at most ``max_postings``
articles of the window have) are looked at, so assigning costs about the same at 1,000 or
1,000,000 stored articles. The best few by shared weight are compared in full
(``nlp.stories.score``); the article joins the story of the best one that clears the threshold,
shares an anchor key (document, person, name, commune, number or organisation) and is close to
the story as a whole (``cohesion``), as long as the story stays within the window. A story's id
is the id of the article that opened it.

All the store has to keep is one ``StoryRow`` per article; ``rebuild`` restores the index from
them, and gives the same later decisions as the index that wrote them.
"""

from __future__ import annotations

import heapq
import sys
from bisect import insort
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from nlp.stories.params import KINDS, StoryParams, default_params
from nlp.stories.rarity import KeyStats
from nlp.stories.rows import Decision, StoryRow
from nlp.stories.score import similarity

__all__ = ["StoryIndex", "regroup"]


@dataclass(slots=True)
class _Story:
    first: int
    last: int
    members: list[int]  # article numbers in (day, article id) order


class StoryIndex:
    """Stories of the stored articles, kept up to date one article at a time."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = params or default_params()
        self._prefix_weight = {prefix: self.params.weights.get(kind, 0.0) for prefix, kind in KINDS.items()}
        self._anchor_prefixes = frozenset(p for p, kind in KINDS.items() if kind in self.params.anchors)
        self._reset()

    def _reset(self) -> None:
        self._number: dict[str, int] = {}
        self._ids: list[str] = []
        self._days: list[int] = []
        self._keys: list[tuple[str, ...]] = []
        self._story: list[str] = []
        self._stats = KeyStats(self._prefix_weight, self.params.window_days)
        self._stories: dict[str, _Story] = {}
        self.last: Decision | None = None  # the latest assignment's decision, for diagnostics

    def __len__(self) -> int:
        return len(self._number)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._number

    def story_of(self, article_id: str) -> str | None:
        """The story id of a stored article, or None."""
        number = self._number.get(article_id)
        return None if number is None else self._story[number]

    def members(self, story_id: str) -> list[str]:
        """The ids of a story's stored articles, by day ([] for an unknown story)."""
        story = self._stories.get(story_id)
        return [self._ids[n] for n in story.members] if story else []

    def row(self, article_id: str) -> StoryRow:
        """The row the store persists for ``article_id`` (KeyError when it is not stored)."""
        n = self._number[article_id]
        return StoryRow(article_id, date.fromordinal(self._days[n]), self._story[n], self._keys[n])

    def rows(self) -> list[StoryRow]:
        """Every stored article's row."""
        return [self.row(article_id) for article_id in self._number]

    def assign(self, article_id: str, keys: Iterable[str], day: date, duplicate_of: str | None = None) -> str:
        """Store an article and return its story's id: an existing story's, or its own for a new story.

        A syndicated copy (``duplicate_of`` names a stored article) joins its original's story.
        Assigning a stored article again (its text or extraction changed) replaces it.
        """
        if not isinstance(article_id, str) or not article_id or not isinstance(day, date):
            raise TypeError(f"assign needs an article id (str) and a day (date), got {article_id!r}, {day!r}")
        if article_id in self._number:
            self.remove(article_id)
        number = self._add(article_id, keys, day.toordinal())
        story = self.story_of(duplicate_of) if duplicate_of else None
        self.last = Decision(story, duplicate_of, 1.0, 1.0) if story else self._best_story(number)
        self._join(number, self.last.story_id)
        return self.last.story_id

    def rebuild(self, rows: Iterable[StoryRow]) -> None:
        """Replace the state with the store's rows (any order)."""
        self._reset()
        for row in sorted(rows, key=lambda r: (r.day, r.article_id)):
            self._join(self._add(row.article_id, row.keys, row.day.toordinal()), row.story_id)

    def remove(self, article_id: str) -> None:
        """Forget a stored article; its story keeps the others (KeyError when it is not stored)."""
        n = self._number.pop(article_id)
        self._stats.discard(self._keys[n], self._days[n], n)
        self._stories[self._story[n]].members.remove(n)
        self._keys[n] = ()

    def weight(self, key: str, day: date) -> float:
        """How much sharing ``key`` says "same story" for an article of ``day`` (see ``nlp.stories.rarity``)."""
        self._stats.focus(day.toordinal())
        return self._stats.weight(key)

    def _add(self, article_id: str, keys: Iterable[str], ordinal: int) -> int:
        number = len(self._ids)
        interned = tuple(sorted({sys.intern(k) for k in keys}))
        self._number[article_id] = number
        self._ids.append(article_id)
        self._days.append(ordinal)
        self._keys.append(interned)
        self._story.append(article_id)
        self._stats.add(interned, ordinal, number)
        return number

    def _join(self, number: int, story_id: str) -> None:
        self._story[number] = story_id
        day = self._days[number]
        story = self._stories.get(story_id)
        if story is None:
            self._stories[story_id] = _Story(day, day, [number])
            return
        story.first, story.last = min(story.first, day), max(story.last, day)
        insort(story.members, number, key=lambda n: (self._days[n], self._ids[n]))

    def _candidates(self, number: int) -> list[int]:
        """The stored articles of the window sharing the most weight of distinctive keys with ``number``."""
        day, window, scores = self._days[number], self.params.window_days, defaultdict(float)
        for key in self._keys[number]:
            others = self._stats.postings.window(key, day - window, day + window, self.params.max_postings)
            if others:
                weight = self._stats.weight(key)
                for other in others:
                    scores[other] += weight
        scores.pop(number, None)
        return heapq.nlargest(self.params.candidates, scores, key=scores.__getitem__)

    def _best_story(self, number: int) -> Decision:
        """The story of the best-matching candidate that accepts the article, else a new story."""
        ordinal = self._days[number]
        self._stats.focus(ordinal)
        keys = frozenset(self._keys[number])
        total = sum(self._stats.weight(k) for k in keys)
        ranked = [(score, other) for other in self._candidates(number)
                  if (score := self._score(keys, total, other)) >= self.params.threshold]
        tried: set[str] = set()
        for score, other in sorted(ranked, reverse=True):
            story_id = self._story[other]
            if story_id in tried:
                continue
            tried.add(story_id)
            cohesion = self._cohesion(self._stories[story_id], keys, total, ordinal)
            if cohesion >= self.params.cohesion:
                return Decision(story_id, self._ids[other], score, cohesion)
        return Decision(self._ids[number], None, 0.0, 0.0)

    def _score(self, keys: frozenset[str], total: float, other: int) -> float:
        """The pair's score, or 0 when it shares no anchor key or fewer than ``min_keys`` keys."""
        other_keys = frozenset(self._keys[other])
        shared = keys & other_keys
        if len(shared) < self.params.min_keys or not any(k[:1] in self._anchor_prefixes for k in shared):
            return 0.0
        return similarity(keys, other_keys, self._stats.weight, self.params, total).score

    def _cohesion(self, story: _Story, keys: frozenset[str], total: float, ordinal: int) -> float:
        """The article's mean score over the story's latest members; -1 when the story would outgrow the window.

        Single links let a story drift (A like B, B like C, C unlike A); the mean over the story's
        latest few members keeps every member close to the story as a whole.
        """
        if max(story.last, ordinal) - min(story.first, ordinal) > self.params.window_days:
            return -1.0
        latest = story.members[-self.params.cohesion_members:]
        return sum(self._score(keys, total, member) for member in latest) / len(latest)


def regroup(articles: Iterable[tuple[str, Iterable[str], date, str | None]],
            params: StoryParams | None = None) -> StoryIndex:
    """A fresh index of ``(article_id, keys, day, duplicate_of)`` assigned in day order, originals first.

    For recomputing every story when the extractor or the parameters change.
    """
    index = StoryIndex(params)
    for article_id, keys, day, duplicate_of in sorted(articles, key=lambda a: (a[2], a[3] is not None, a[0])):
        index.assign(article_id, keys, day, duplicate_of)
    return index
