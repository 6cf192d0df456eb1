"""An inverted index of story keys, each key's articles sorted by day.

A posting is one 64-bit integer, ``day << 24 | article``, in an ``array('q')`` per key: sorted
order is day order, a day window is two binary searches, and 100,000 articles of ~40 keys take
~8 bytes a posting. Articles are numbered by the caller (below 2**24).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort

__all__ = ["MAX_ARTICLES", "Postings"]

_SHIFT = 24
MAX_ARTICLES = 1 << _SHIFT
_MASK = MAX_ARTICLES - 1


class Postings:
    """Key -> the (day, article number) pairs that have it, in day order."""

    def __init__(self) -> None:
        self._lists: dict[str, array] = {}

    def __len__(self) -> int:
        return len(self._lists)

    def df(self, key: str) -> int:
        """How many stored articles have ``key``."""
        found = self._lists.get(key)
        return len(found) if found is not None else 0

    def add(self, key: str, day: int, article: int) -> None:
        """Record that ``article`` (published on ordinal ``day``) has ``key``."""
        if not 0 <= article < MAX_ARTICLES:
            raise ValueError(f"article numbers must lie in [0, {MAX_ARTICLES}), got {article}")
        value = day << _SHIFT | article
        found = self._lists.get(key)
        if found is None:
            self._lists[key] = array("q", (value,))
        elif not found or found[-1] <= value:
            found.append(value)  # articles mostly arrive in day order
        else:
            insort(found, value)

    def discard(self, key: str, day: int, article: int) -> None:
        """Forget that ``article`` has ``key`` (nothing when it was not recorded)."""
        found = self._lists.get(key)
        value = day << _SHIFT | article
        if found is None:
            return
        at = bisect_left(found, value)
        if at < len(found) and found[at] == value:
            del found[at]
        if not found:
            del self._lists[key]

    def count(self, key: str, first: int, last: int) -> int:
        """How many articles published on days ``first``..``last`` have ``key``."""
        found = self._lists.get(key)
        if found is None:
            return 0
        lo = bisect_left(found, first << _SHIFT)
        return bisect_left(found, (last + 1) << _SHIFT, lo) - lo

    def window(self, key: str, first: int, last: int, cap: int) -> list[int] | None:
        """The articles with ``key`` published on days ``first``..``last``; None when more than ``cap``."""
        found = self._lists.get(key)
        if found is None:
            return []
        lo = bisect_left(found, first << _SHIFT)
        hi = bisect_left(found, (last + 1) << _SHIFT, lo)
        if hi - lo > cap:
            return None
        return [value & _MASK for value in found[lo:hi]]
