"""Is an article gender-equality coverage? A calibrated score, a decision and the topics.

Rules decide the unambiguous cases, a small learned model the rest:

- **Headline rule**: a strong phrase of ``nlp/data/topics.yaml`` in the headline ("hiếp dâm",
  "bình đẳng giới", "Hội LHPN", a husband killing his wife by a ``near`` rule) makes the item
  on-topic. On the labelled stream (``../shared/stream``) it fired on 16 items: 13 on-topic,
  3 marginal, none off-topic.
- **Body rule** (full articles): strong phrases at ``BODY_MIN_PLACES`` or more places of the
  body, at least ``BODY_MIN_DENSITY`` per 1,000 characters: an article that keeps naming the
  issue is about it.
- **Model** (``nlp.relevance_model``): a logistic regression over the headline and the lead,
  trained on the stream without class weights, so its output is a probability of on-topic
  for an item of a general news feed.

``relevance`` is the model's probability, raised to ``RULE_SCORE`` when a rule fires;
``on_topic`` is ``relevance >= THRESHOLD``. 0.5 is the point where on-topic becomes the more
likely label. ``nlp.relevance_eval`` measures precision and recall on a labelled stream, where
``marginal`` items (gender a secondary angle) count neither way, as the stream's guide scores
them; the classifier may call them either way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from newsmon.labels import TOPIC_LABELS
from nlp.relevance_model import LEAD_CHARS, LinearModel, default_model, features
from nlp.relevance_rules import Hit, find_hits, lexicon, strong_places, syllables

__all__ = ["BODY_MIN_DENSITY", "BODY_MIN_PLACES", "RULE_SCORE", "THRESHOLD", "Reading", "Relevance", "classify",
           "judge", "read_item", "relevance", "split_item", "topic_labels"]

THRESHOLD = 0.5
# What a rule's verdict is worth: the headline rule's items on the stream were all on-topic or marginal.
RULE_SCORE = 0.9
BODY_MIN_PLACES = 3
BODY_MIN_DENSITY = 2.0  # per 1,000 characters of body


@dataclass(frozen=True)
class Relevance:
    """The verdict on one item: ``on_topic``, the 0..1 ``score``, ``topics`` (codes) and the rule that fired."""

    on_topic: bool
    score: float
    topics: list[str] = field(default_factory=list)
    rule: str | None = None  # "headline", "body", or None when the model alone decided


def split_item(text: str, title: str = "") -> tuple[str, str]:
    """(headline, body) of an item: ``title`` when given (and dropped from the start of ``text``),
    else the first line of ``text``, as in ``Article.full_text`` and the devset."""
    text = text.strip()
    if title:
        title = title.strip()
        return title, text[len(title):].lstrip() if text.startswith(title) else text
    headline, _, body = text.partition("\n")
    return headline, body.lstrip()


def _lead_end(body: str) -> int:
    """Where the lead ends: after ``LEAD_CHARS`` characters, at the last space before that."""
    if len(body) <= LEAD_CHARS:
        return len(body)
    space = body.rfind(" ", 0, LEAD_CHARS)
    return space if space > 0 else LEAD_CHARS


def _topics(hits: list[Hit]) -> list[str]:
    """Topics with a strong hit, or with cue hits at their ``min_cues`` places or more (lexicon order)."""
    strong = {h.topic for h in hits if h.kind == "strong"}
    cues = Counter(h.topic for h in hits if h.kind == "cues")
    return [code for code, topic in lexicon().topics.items()
            if code in strong or (topic.min_cues is not None and cues[code] >= topic.min_cues)]


@dataclass(frozen=True)
class Reading:
    """What the classifier reads of an item: syllables of the headline and lead, and rule hits."""

    headline: list[str]
    lead: list[str]
    headline_hits: list[Hit]
    lead_hits: list[Hit]
    rest_hits: list[Hit]  # in the body after the lead
    body_chars: int

    def features(self) -> dict[str, float]:
        """The learned model's features (``nlp.relevance_model.features``)."""
        return features(self.headline, self.lead, self.headline_hits, self.lead_hits)

    def rule(self) -> str | None:
        """The rule that makes the item on-topic: "headline", "body" or None."""
        if any(h.kind == "strong" for h in self.headline_hits):
            return "headline"
        places = strong_places(self.lead_hits) + strong_places(self.rest_hits)
        if places >= BODY_MIN_PLACES and places * 1000 >= BODY_MIN_DENSITY * self.body_chars:
            return "body"
        return None


def read_item(text: str, title: str = "") -> Reading:
    """Tokenise an item (see ``classify``) and find the lexicon's phrases in it."""
    headline, body = split_item(text, title)
    cut = _lead_end(body)
    head_tokens, lead_tokens = syllables(headline), syllables(body[:cut])
    rest_hits = find_hits(syllables(body[cut:])) if cut < len(body) else []
    return Reading(head_tokens, lead_tokens, find_hits(head_tokens), find_hits(lead_tokens), rest_hits, len(body))


def judge(reading: Reading, model: LinearModel | None = None) -> Relevance:
    """The verdict on a read item, with ``model`` (default: the shipped one)."""
    probability = (model or default_model()).probability(reading.features())
    rule = reading.rule()
    score = round(max(probability, RULE_SCORE) if rule else probability, 4)
    on_topic = score >= THRESHOLD
    hits = reading.headline_hits + reading.lead_hits + reading.rest_hits
    return Relevance(on_topic, score, _topics(hits) if on_topic else [], rule)


def classify(text: str, title: str = "", *, model: LinearModel | None = None) -> Relevance:
    """The relevance verdict on a headline with a feed summary or on a full article.

    ``text`` is the item (headline first, as ``Article.full_text`` gives it, or only the body);
    ``title`` its headline if known, both in newsmon's canonical form (``newsmon.text.normalize``,
    as stored articles are). ``model`` defaults to the shipped one.
    """
    return judge(read_item(text, title), model)


def relevance(text: str, title: str = "") -> float:
    """The 0..1 relevance score of an item (``classify(...).score``)."""
    return classify(text, title).score


def topic_labels() -> dict[str, str]:
    """Topic code -> Vietnamese label (``newsmon.labels``, which the web UI and the digest read), in the
    lexicon's order; a code without a label reads as itself."""
    return {code: TOPIC_LABELS.get(code, code) for code in lexicon().topics}
