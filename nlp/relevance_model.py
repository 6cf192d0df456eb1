"""The learned half of the relevance classifier: a logistic regression over syllables and rule hits.

An item is read as a news feed gives it: the headline and the lead (the first
``LEAD_CHARS`` characters of the body), so a feed summary and a full article look alike.
Its features are each syllable and each pair of adjacent syllables (Vietnamese
words are one or two syllables, so pairs stand in for words without the cost of word
segmentation), and four pooled rule features from ``nlp.relevance_rules``: a strong phrase
or a cue in the headline or in the lead. Pooling lets a phrase the training data never
showed borrow the weight its kind earned (per-topic features were tried and fitted the few
positives of single topics, worse in cross-validation). Rule features have the value
``RULE_VALUE`` rather than 1, so that the regularised fit can lean on them.

The weights live in ``nlp/data/relevance_model.json`` (trained by ``nlp.train_relevance``,
provenance in ``nlp/data/README.md``), read on first use. The model is plain data: an
intercept and one weight per feature, so every score can be explained term by term.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from nlp.relevance_rules import HARD, SOFT, Hit

__all__ = ["LEAD_CHARS", "MODEL_PATH", "RULE_VALUE", "LinearModel", "default_model", "features", "is_rule_feature"]

LEAD_CHARS = 400  # about a feed summary: the stream's are 220 characters on average, 700 at most
RULE_VALUE = 3.0
MODEL_PATH = Path(str(files("nlp") / "data" / "relevance_model.json"))
_BREAKS = (SOFT, HARD)


def _ngrams(tokens: list[str], into: dict[str, float]) -> None:
    previous = None
    for token in tokens:
        if token in _BREAKS:
            previous = None
            continue
        token = "0" if token[0].isdigit() else token  # "3 nạn nhân" and "6 nạn nhân" are one feature
        into[token] = 1.0
        if previous is not None:
            into[f"{previous} {token}"] = 1.0
        previous = token


def is_rule_feature(name: str) -> bool:
    """True for the pooled rule features (``S@h``, ``C@l``...), false for n-grams."""
    return name[:2] in ("S@", "C@")


def _rule_features(hits: list[Hit], zone: str, into: dict[str, float]) -> None:
    for hit in hits:
        into[f"{'S' if hit.kind == 'strong' else 'C'}@{zone}"] = RULE_VALUE


def features(headline: list[str], lead: list[str], headline_hits: list[Hit], lead_hits: list[Hit]) -> dict[str, float]:
    """The model's features of one item: syllables and syllable pairs, then pooled rule hits.

    The n-grams together have unit length (each is 1/sqrt(count)), so that the score does not
    drift with the length of the lead; each rule feature is ``RULE_VALUE``. Rule features are
    named ``S@h``/``S@l`` (a strong phrase in the headline/lead) and ``C@h``/``C@l`` (a cue);
    n-grams are the syllables themselves.
    """
    result: dict[str, float] = {}
    _ngrams(headline, result)
    _ngrams(lead, result)
    if result:  # unit length: a 400-character lead weighs no more than a 100-character summary
        norm = 1.0 / math.sqrt(len(result))
        result = dict.fromkeys(result, norm)
    _rule_features(headline_hits, "h", result)
    _rule_features(lead_hits, "l", result)
    return result


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression as data: ``probability = 1 / (1 + exp(-(intercept + Σ weight·value)))``."""

    intercept: float
    weights: dict[str, float]
    meta: dict[str, object] = field(default_factory=dict)

    def margin(self, feats: dict[str, float]) -> float:
        """The log-odds of on-topic for these features."""
        weights = self.weights
        return self.intercept + sum(w * value for name, value in feats.items() if (w := weights.get(name)))

    def probability(self, feats: dict[str, float]) -> float:
        """The probability of on-topic for these features (0..1)."""
        z = self.margin(feats)
        return 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0

    def explain(self, feats: dict[str, float], top: int = 8) -> list[tuple[str, float]]:
        """The features that moved this item's score most, with their contribution to the log-odds."""
        parts = [(name, self.weights.get(name, 0.0) * value) for name, value in feats.items()]
        return sorted((p for p in parts if p[1]), key=lambda p: -abs(p[1]))[:top]

    def to_json(self) -> str:
        """The model as JSON (weights sorted by name, so a retrained model diffs cleanly)."""
        body = {"meta": self.meta, "intercept": round(self.intercept, 6),
                "weights": {k: round(v, 5) for k, v in sorted(self.weights.items())}}
        return json.dumps(body, ensure_ascii=False, indent=0)

    @classmethod
    def from_json(cls, text: str) -> LinearModel:
        """Parse ``to_json``'s output; a malformed file raises ``ValueError``."""
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
            raise ValueError("relevance model: expected an object with an intercept and weights")
        return cls(float(data["intercept"]), {str(k): float(v) for k, v in data["weights"].items()},
                   dict(data.get("meta") or {}))


@cache
def default_model() -> LinearModel:
    """The shipped model, read on first use."""
    return LinearModel.from_json(MODEL_PATH.read_text(encoding="utf-8"))
