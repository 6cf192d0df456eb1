"""The event lexicon (``nlp/data/events.yaml``) and its context cues (``nlp/data/event_context.yaml``),
compiled once into patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsmon.models import EVENT_TYPES
from nlp.lexicon import (
    after_pattern,
    before_pattern,
    load,
    lowered,
    phrase_pattern,
    phrases_regex,
    trigger_pattern,
    word_set,
)

__all__ = ["EventLexicon", "TypeLexicon", "event_lexicon"]


@dataclass(frozen=True, slots=True)
class TypeLexicon:
    """The triggers of one event type and the words around them that void a trigger."""

    kind: str
    triggers: re.Pattern[str]  # runs on lowered text: use ``finditer`` and ``search``
    unless_followed_by: re.Pattern[str] | None
    unless_preceded_by: re.Pattern[str] | None

    def finditer(self, text: str) -> list[re.Match[str]]:
        """The triggers in ``text``, in order (matched on its lower-case copy: same offsets)."""
        return list(self.triggers.finditer(lowered(text)))

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """The first trigger in ``text[start:end]``."""
        return self.triggers.search(lowered(text), start, len(text) if end is None else end)

    def is_voided(self, text: str, start: int, end: int) -> bool:
        """Whether the words around the trigger at ``start``-``end`` make it something else."""
        if self.unless_followed_by and self.unless_followed_by.match(text, end):
            return True
        return bool(self.unless_preceded_by and self.unless_preceded_by.search(text[max(0, start - 40):start]))


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """Everything ``nlp.events`` reads from the data files, compiled (see the files' comments)."""

    types: dict[str, TypeLexicon]
    plan_titles: re.Pattern[str]
    subsumed_by: dict[str, tuple[str, ...]]
    meetings: re.Pattern[str]
    typed_by_purpose: tuple[str, ...]
    retold_as: dict[str, tuple[str, ...]]
    not_an_event_before: re.Pattern[str]
    results_opener: re.Pattern[str]
    reference_words: re.Pattern[str]
    occasion_words: re.Pattern[str]
    right_before: re.Pattern[str]
    breakdown_words: re.Pattern[str]
    purpose: re.Pattern[str]
    purpose_opener: re.Pattern[str]
    done_markers: re.Pattern[str]
    document_before: re.Pattern[str]
    speaker: re.Pattern[str]
    evaluative: re.Pattern[str]
    evaluative_after: re.Pattern[str]
    retelling: re.Pattern[str]
    back_opener: re.Pattern[str]
    occasion_opener: re.Pattern[str]
    same_day_opener: re.Pattern[str]
    restatement_opener: re.Pattern[str]
    continuing_opener: re.Pattern[str]
    request_verbs: re.Pattern[str]
    purpose_words: re.Pattern[str]
    scheduled: re.Pattern[str]
    tense_words: re.Pattern[str]
    also_words: re.Pattern[str]
    period_words: re.Pattern[str]
    topic_list: re.Pattern[str]
    topic_words: frozenset[str]
    function_words: frozenset[str]


def _opener(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(r"\W*(?:" + phrases_regex(phrases) + ")", re.IGNORECASE)


def _type(kind: str, entry: dict, slots: dict[str, list[str]]) -> TypeLexicon:
    followed = entry.get("unless_followed_by") or []
    preceded = entry.get("unless_preceded_by") or []
    return TypeLexicon(kind, trigger_pattern(entry["triggers"], slots), after_pattern(followed) if followed else None,
                       before_pattern(preceded) if preceded else None)


def _head_then(phrases: list[str]) -> re.Pattern[str]:
    """The trigger noun phrase (at most four words) then one of ``phrases``: "Hội nghị diễn ra"."""
    return re.compile(r"\S*(?:[ \t]+[^\s,;:]+){0,3}?[ \t]+(?:đã[ \t]+|cũng[ \t]+)?(?:" + phrases_regex(phrases) + ")",
                      re.IGNORECASE)


def _syllables(phrases: list[str]) -> frozenset[str]:
    return frozenset(word for phrase in word_set(phrases) for word in phrase.split())


def _checked_types(events: dict) -> dict[str, TypeLexicon]:
    unknown = {k for k, v in events.items() if isinstance(v, dict) and "triggers" in v} - set(EVENT_TYPES)
    if unknown:
        raise ValueError(f"nlp/data/events.yaml: unknown event types {sorted(unknown)}")
    slots = events.get("slots") or {}
    return {kind: _type(kind, events[kind], slots) for kind in EVENT_TYPES if kind in events}


@cache
def event_lexicon() -> EventLexicon:
    """The compiled lexicon (read and compiled once)."""
    events, context = load("events"), load("event_context")
    return EventLexicon(
        types=_checked_types(events),
        plan_titles=re.compile(phrases_regex(events.get("plan_titles", []))),
        subsumed_by={k: tuple(v) for k, v in (events.get("subsumed_by") or {}).items()},
        meetings=phrase_pattern(events.get("meetings", [])),
        typed_by_purpose=tuple(events.get("typed_by_purpose", [])),
        retold_as={k: tuple(v) for k, v in (events.get("retold_as") or {}).items()},
        not_an_event_before=phrase_pattern(context["not_an_event_before"]),
        results_opener=_opener(context["results_openers"]),
        reference_words=before_pattern(context["reference_words"], gap_words=2),
        occasion_words=before_pattern(context["occasion_words"], gap_words=2),
        right_before=before_pattern(context["right_before"]),
        breakdown_words=before_pattern(context["breakdown_words"], gap_words=2),
        purpose=re.compile(r"(?:" + phrases_regex(context["purpose_words"]) + r")[ \t][^,]*$", re.IGNORECASE),
        purpose_opener=_opener(context["purpose_words"]),
        done_markers=phrase_pattern(context["done_markers"]),
        document_before=re.compile(r"(?:" + phrases_regex(context["document_nouns"]) + r")[^,;:()]*$", re.IGNORECASE),
        speaker=_head_then(context["speaker_verbs"]),
        evaluative=_head_then(context["evaluative_verbs"]),
        evaluative_after=re.compile(r"[^,;]*?(?:" + phrases_regex(context["judging_verbs"]) + ")", re.IGNORECASE),
        retelling=_head_then(context["retelling_verbs"]),
        back_opener=_opener(context["back_openers"]),
        occasion_opener=_opener(context["occasion_openers"]),
        same_day_opener=_opener(context["same_day_openers"]),
        restatement_opener=_opener(context["restatement_openers"]),
        continuing_opener=_opener(context["continuing_openers"]),
        request_verbs=phrase_pattern(context["request_verbs"]),
        purpose_words=phrase_pattern(context["purpose_words"]),
        scheduled=phrase_pattern(context["scheduled"]),
        tense_words=phrase_pattern(context["tense_words"]),
        also_words=phrase_pattern(context["also_words"]),
        period_words=phrase_pattern(context["period_words"]),
        topic_list=re.compile(r"(?:" + phrases_regex(context["topic_list_nouns"]) + r")(?:[ \t]+[^\s,;:()]+){0,12}?"
                              r"[ \t]*:", re.IGNORECASE),
        topic_words=_syllables(context["topic_words"]),
        function_words=_syllables(context["function_words"]),
    )
