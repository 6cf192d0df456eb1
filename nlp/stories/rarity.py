"""How telling a shared key is: its kind's weight times its rarity among the articles of the window.

Rarity is measured within the window around the article being assigned, not over the whole
store: news comes in bursts, and a campaign's name or a week's big topic is in hundreds of that
week's articles however rare it is over a year. Within the window it counts little, and what
tells one local event from the next (a commune, a person, a count) counts a lot.

Weights are cached for the day in focus; a key's weight is dropped from the cache when an
article with that key is added or removed, and the whole cache when the focus moves to another
day or the window's article count crosses a 5 % step (the count is taken on that scale, so the
same stored articles always give the same weights).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from nlp.stories.postings import Postings
from nlp.stories.score import idf

__all__ = ["KeyStats"]

_SCALE_STEP = 1.05


class KeyStats:
    """The stored articles' keys by day, and each key's weight within the window of the day in focus."""

    def __init__(self, prefix_weight: dict[str, float], window_days: int) -> None:
        self.postings = Postings()
        self._prefix_weight = prefix_weight
        self._window = window_days
        self._per_day: dict[int, int] = defaultdict(int)
        self._cache: dict[str, float] = {}
        self._day: int | None = None
        self._scale = 1.0

    def add(self, keys: Iterable[str], day: int, article: int) -> None:
        """Record an article's keys."""
        self._per_day[day] += 1
        for key in keys:
            self.postings.add(key, day, article)
            self._cache.pop(key, None)

    def discard(self, keys: Iterable[str], day: int, article: int) -> None:
        """Forget an article's keys."""
        self._per_day[day] -= 1
        for key in keys:
            self.postings.discard(key, day, article)
            self._cache.pop(key, None)

    def focus(self, day: int) -> None:
        """Measure rarity within the window around ``day`` from now on."""
        total = sum(self._per_day.get(d, 0) for d in range(day - self._window, day + self._window + 1))
        scale = _SCALE_STEP ** math.floor(math.log(max(total, 1), _SCALE_STEP))
        if day != self._day or scale != self._scale:
            self._day, self._scale = day, scale
            self._cache.clear()

    def weight(self, key: str) -> float:
        """The key's kind weight times its rarity within the window of the day in focus."""
        found = self._cache.get(key)
        if found is None:
            if self._day is None:
                raise RuntimeError("focus(day) first: rarity is measured within a window")
            count = self.postings.count(key, self._day - self._window, self._day + self._window)
            found = self._cache[key] = self._prefix_weight.get(key[:1], 0.0) * idf(count, self._scale)
        return found
