"""The story grouping's parameters, read from the commented ``data/stories.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

__all__ = ["KINDS", "StoryParams", "default_params", "load_params", "stopwords"]

# Key prefixes (what the store persists, kept short) and the kind each names in the weights.
KINDS: dict[str, str] = {
    "d": "document", "p": "person", "n": "name", "u": "unit", "#": "number",
    "o": "organisation", "w": "word", "v": "province", "e": "event",
    "c": "count", "h": "headline_province", "t": "headline_date",
}


@dataclass(frozen=True)
class StoryParams:
    """Weights, thresholds and windows of the grouping (see ``data/stories.yaml`` for their meaning)."""

    window_days: int
    threshold: float
    min_keys: int
    weights: dict[str, float]
    conflicts: dict[str, float]
    max_postings: int
    candidates: int
    cohesion: float = 0.0
    cohesion_members: int = 8
    anchors: frozenset[str] = frozenset()
    number_words: dict[str, int] = field(default_factory=dict)
    number_labels: frozenset[str] = frozenset()
    number_breaks: frozenset[str] = frozenset()

    def weight(self, key: str) -> float:
        """The weight of ``key``'s kind (0 for an unknown kind)."""
        return self.weights.get(KINDS.get(key.split(":", 1)[0], ""), 0.0)

    def with_window(self, days: int) -> StoryParams:
        """These parameters with another window (the setting ``story_window_days``)."""
        if days < 0:
            raise ValueError(f"the story window must be zero or more days, got {days}")
        return replace(self, window_days=days)


def _read(path: Path | None) -> dict:
    text = path.read_text(encoding="utf-8") if path else (files("nlp.stories") / "data" / "stories.yaml").read_text(
        encoding="utf-8")
    return yaml.safe_load(text)


def load_params(path: Path | None = None) -> StoryParams:
    """The parameters in ``path``, by default the shipped ``data/stories.yaml``."""
    raw = _read(path)
    unknown = (set(raw["weights"]) | set(raw.get("anchors", []))) - set(KINDS.values())
    if unknown:
        raise ValueError(f"unknown key kinds in the story weights: {sorted(unknown)}")
    return StoryParams(
        window_days=int(raw["window_days"]), threshold=float(raw["threshold"]), min_keys=int(raw["min_keys"]),
        weights={k: float(v) for k, v in raw["weights"].items()},
        conflicts={k: float(v) for k, v in raw["conflicts"].items()},
        max_postings=int(raw["max_postings"]), candidates=int(raw["candidates"]),
        anchors=frozenset(raw.get("anchors", [])),
        cohesion=float(raw["cohesion"]), cohesion_members=int(raw["cohesion_members"]),
        number_words={str(k): int(v) for k, v in raw.get("number_words", {}).items()},
        number_labels=frozenset(raw.get("number_labels", [])),
        number_breaks=frozenset(raw.get("number_breaks", [])),
    )


@cache
def default_params() -> StoryParams:
    """The shipped parameters, read once."""
    return load_params()


@cache
def stopwords() -> frozenset[str]:
    """Syllables that break headline/lead word pairs (``data/story_stopwords.txt``)."""
    text = (files("nlp.stories") / "data" / "story_stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
