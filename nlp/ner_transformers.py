"""Optional NER backend: any Hugging Face token-classification model, merged with the rules.

    from nlp.ner_transformers import TransformersNER
    ner = TransformersNER("NlpHUST/ner-vietnamese-electra-base")   # hub id or local folder
    extraction = extract(text, ner=ner)

or set ``NEWSMON_NER_MODEL`` to a model id or folder and every ``extract`` call uses it.
``transformers`` and ``torch`` are imported only here, when a backend is built (``pip install
'newsmon[transformers]'``); the default pipeline never imports them.

The model runs over the sentences of the article (long ones in pieces). Its PER, ORG and LOC
entities (also PERSON, ORGANIZATION, LOCATION, GPE spellings, with or without B-/I- prefixes)
are merged into the rule results by ``merge``: the rules win on every conflict (an entity
that overlaps any person, organisation or place the rules found is dropped), and new entities
are added with ``source="model"`` and the model's ``confidence``. A LOC is added only when the
gazetteer resolves it to a province, district or commune, since every place carries its level.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from newsmon.models import Extraction, Organisation, Person, Place
from nlp.gazetteer import gazetteer
from nlp.normalize import Sentence, sentence_at

__all__ = ["ENV_VAR", "LABELS", "NerEntity", "TransformersNER", "backend_from_env", "merge"]

ENV_VAR = "NEWSMON_NER_MODEL"
INSTALL_HINT = "pip install 'newsmon[transformers]'"
# Model label (without B-/I-) -> newsmon kind.
LABELS = {
    "PER": "person", "PERSON": "person", "ORG": "organisation", "ORGANIZATION": "organisation",
    "ORGANISATION": "organisation", "LOC": "place", "LOCATION": "place", "GPE": "place",
}
# Sentences longer than this are cut at spaces, to stay inside the model's maximum length.
MAX_CHARS = 400


@dataclass(frozen=True, slots=True)
class NerEntity:
    """One entity the model found: offsets in the article text, kind, text and score."""

    start: int
    end: int
    kind: str  # person | organisation | place
    text: str
    score: float


def _pieces(sentence: Sentence) -> list[tuple[int, str]]:
    """``sentence`` as (offset, text) pieces of at most ``MAX_CHARS`` characters, cut at spaces."""
    pieces, start, text = [], sentence.start, sentence.text
    while len(text) > MAX_CHARS:
        cut = text.rfind(" ", 0, MAX_CHARS)
        cut = cut if cut > 0 else MAX_CHARS
        pieces.append((start, text[:cut]))
        skipped = len(text[cut:]) - len(text[cut:].lstrip())
        start, text = start + cut + skipped, text[cut:].lstrip()
    if text:
        pieces.append((start, text))
    return pieces


class TransformersNER:
    """A token-classification model from a local folder or the Hugging Face hub."""

    def __init__(self, model: str, *, device: str | int = -1, batch_size: int = 16, min_score: float = 0.5,
                 local_files_only: bool | None = None) -> None:
        try:
            import torch  # noqa: F401
            from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline
        except ImportError as error:  # pragma: no cover - exercised only without the extra
            raise ImportError(INSTALL_HINT) from error
        if local_files_only is None:
            local_files_only = os.path.isdir(model) or os.environ.get("HF_HUB_OFFLINE") == "1"
        tokenizer = AutoTokenizer.from_pretrained(model, local_files_only=local_files_only)
        network = AutoModelForTokenClassification.from_pretrained(model, local_files_only=local_files_only)
        network.eval()
        self.model_id = model
        self.min_score = min_score
        self.batch_size = batch_size
        self._pipe = pipeline("token-classification", model=network, tokenizer=tokenizer,
                              aggregation_strategy="simple", device=device)

    def entities(self, text: str, sentences: list[Sentence]) -> list[NerEntity]:
        """The model's PER/ORG/LOC entities in ``text``, with offsets into ``text``."""
        pieces = [piece for sentence in sentences for piece in _pieces(sentence)]
        if not pieces:
            return []
        outputs = self._pipe([p[1] for p in pieces], batch_size=self.batch_size)
        found = []
        for (offset, _), entities in zip(pieces, outputs, strict=True):
            for entity in entities:
                label = str(entity.get("entity_group") or entity.get("entity", "")).upper()
                kind = LABELS.get(label.split("-", 1)[-1])
                score = float(entity.get("score", 0.0))
                if kind is None or score < self.min_score or entity.get("start") is None:
                    continue
                start, end = offset + int(entity["start"]), offset + int(entity["end"])
                span = text[start:end]
                stripped = span.strip(" ,.;:()\"“”")
                if not stripped:
                    continue
                start += span.index(stripped)
                found.append(NerEntity(start, start + len(stripped), kind, stripped, score))
        return found

    __call__ = entities


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def merge(extraction: Extraction, entities: list[NerEntity], sentences: list[Sentence]) -> Extraction:
    """Add the model's new people, organisations and places to ``extraction``; the rules win."""
    taken = [(item.start, item.end) for group in (extraction.people, extraction.organisations, extraction.places)
             for item in group if item.start is not None and item.end is not None]
    known = {name.casefold() for name in [p.name for p in extraction.people] + [o.name for o in
                                                                                 extraction.organisations]}
    people, organisations, places = list(extraction.people), list(extraction.organisations), list(extraction.places)
    for entity in entities:
        if _overlaps(entity.start, entity.end, taken) or entity.text.casefold() in known:
            continue
        sentence = sentence_at(sentences, entity.start)
        common = {"start": entity.start, "end": entity.end, "sentence": sentence.text if sentence else None,
                  "source": "model", "confidence": round(entity.score, 4)}
        if entity.kind == "person":
            people.append(Person(name=entity.text, **common))
        elif entity.kind == "organisation":
            organisations.append(Organisation(name=entity.text, text=entity.text, **common))
        else:
            place = _resolve(entity.text, common)
            if place is None:
                continue
            places.append(place)
        taken.append((entity.start, entity.end))
        known.add(entity.text.casefold())
    order = lambda item: item.start or 0  # noqa: E731
    return extraction.model_copy(update={"people": sorted(people, key=order),
                                         "organisations": sorted(organisations, key=order),
                                         "places": sorted(places, key=order)})


def _resolve(name: str, common: dict) -> Place | None:
    """A place the gazetteer knows without doubt (one province, or one district or commune)."""
    province = gazetteer().province(name)
    if province:
        return Place(name=province.name, level="province", province=province.name, province_new=province.new_name,
                     province_new_code=province.new_code, **common)
    units = gazetteer().lookup(name)
    if len(units) != 1:
        return None
    unit = units[0]
    return Place(name=unit.name, level=unit.level, province=unit.province.name,
                 province_new=unit.province.new_name, province_new_code=unit.province.new_code, **common)


@lru_cache(maxsize=4)
def _cached(model: str) -> TransformersNER:
    return TransformersNER(model)


def backend_from_env() -> TransformersNER | None:
    """The backend ``NEWSMON_NER_MODEL`` names (built once per model), or None when it is unset."""
    model = os.environ.get(ENV_VAR, "").strip()
    return _cached(model) if model else None
