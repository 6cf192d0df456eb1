"""How strongly two articles' story keys say "the same story".

Each shared key counts its kind's weight times its rarity among the stored articles (idf); the sum
is divided by the smaller article's total, so a short teaser whose every key recurs in a long
report scores high. Two cases on one topic share the topic's words but differ in what identifies
a case (the province, the counts, the document), and those disagreements scale the score down.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nlp.stories.params import StoryParams

__all__ = ["Match", "conflict_factor", "idf", "similarity"]

_DOCUMENT_TYPED = re.compile(r"^d:(\D+) (\d+)$")


def idf(df: int, total: int) -> float:
    """The rarity of a key found in ``df`` of ``total`` stored articles (``df`` counts the article itself)."""
    return math.log(1.0 + total / max(df, 1))


@dataclass(frozen=True, slots=True)
class Match:
    """The score of a pair (0..1), the weight of the keys they share, and the conflict factor applied."""

    score: float
    shared: float
    conflict: float


def similarity(a: frozenset[str], b: frozenset[str], weight: Callable[[str], float],
               params: StoryParams, total_a: float | None = None) -> Match:
    """How much ``a`` and ``b`` agree, from 0 to 1: shared weight over the smaller total, times conflicts.

    Conflicts can only lower a score, so they are looked at only when the score before them
    reaches ``params.threshold`` (below it ``conflict`` is reported as 1). ``total_a`` is the
    weight of all of ``a``'s keys, when the caller compares ``a`` with many articles.
    """
    shared = sum(weight(k) for k in a & b)
    if not shared:
        return Match(0.0, 0.0, 1.0)
    if total_a is None:
        total_a = sum(weight(k) for k in a)
    score = shared / min(total_a, sum(weight(k) for k in b))
    factor = conflict_factor(a, b, params) if score >= params.threshold else 1.0
    return Match(factor * score, shared, factor)


def conflict_factor(a: frozenset[str], b: frozenset[str], params: StoryParams) -> float:
    """The product of the conflict multipliers that apply to ``a`` and ``b`` (1 when they agree)."""
    factor = 1.0
    for prefix, conflict in (("v:", "province"), ("h:", "headline_province"), ("t:", "headline_date")):
        if _disjoint(_of_kind(a, prefix), _of_kind(b, prefix)):
            factor *= params.conflicts[conflict]
    for prefix, split, conflict in (("#:", _counted, "number"), ("d:", _typed, "document")):
        if not (_of_kind(a, prefix) & _of_kind(b, prefix)) and _differ(_grouped(a, prefix, split),
                                                                        _grouped(b, prefix, split)):
            factor *= params.conflicts[conflict]
    return factor


def _of_kind(keys: Iterable[str], prefix: str) -> set[str]:
    return {k for k in keys if k.startswith(prefix)}


def _disjoint(a: set[str], b: set[str]) -> bool:
    return bool(a) and bool(b) and not (a & b)


def _counted(key: str) -> tuple[str, str] | None:
    """("đối", "6") for "#:6 đối": what is counted and how many."""
    value, _, noun = key[2:].partition(" ")
    return (noun, value) if noun else None


def _typed(key: str) -> tuple[str, str] | None:
    """("nghị định", "147") for "d:nghị định 147"."""
    match = _DOCUMENT_TYPED.match(key)
    return (match.group(1), match.group(2)) if match else None


def _grouped(keys: Iterable[str], prefix: str, split: Callable[[str], tuple[str, str] | None]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        if key.startswith(prefix) and (parts := split(key)):
            groups[parts[0]].add(parts[1])
    return groups


def _differ(a: dict[str, set[str]], b: dict[str, set[str]]) -> bool:
    """Both give values for one thing (one counted noun, one document type) and none agree."""
    return any(a[name].isdisjoint(b[name]) for name in a.keys() & b.keys())
