"""The figure word lists (``nlp/data/figures.yaml``), loaded once into sets and patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nlp.lexicon import load, phrases_regex, word_set

__all__ = ["FigureWords", "figure_words"]


@dataclass(frozen=True, slots=True)
class FigureWords:
    """Everything the figure modules read from the data file (see its comments)."""

    label_words: frozenset[str]
    count_before_so: frozenset[str]
    count_before: re.Pattern[str]
    qualifiers: tuple[str, ...]
    qualifier: re.Pattern[str]
    optional_qualifiers: frozenset[str]
    change_qualifiers: frozenset[str]
    time_units: frozenset[str]
    duration_units: frozenset[str]
    not_durations: frozenset[str]
    household_type_units: frozenset[str]
    household_nouns: frozenset[str]
    currencies: dict[str, str]
    currency: re.Pattern[str]
    money_scales: frozenset[str]
    unit_stopwords: frozenset[str]
    not_units: frozenset[str]
    ambiguous_number_words: frozenset[str]
    max_unit_words: int
    max_subject_words: int
    compounds: frozenset[str]
    verbs_after_unit: frozenset[str]
    modifiers_after_unit: frozenset[str]
    capitalised_modifiers: frozenset[str]
    sibling_nouns: tuple[frozenset[str], ...]
    fraction_cue: re.Pattern[str]
    not_a_subject_start: frozenset[str]
    money_noun: re.Pattern[str]


def _currency(currencies: dict[str, str]) -> re.Pattern[str]:
    """A currency word after a number, spaced ("120 triệu đồng") or glued ("3.000.000đ")."""
    names = sorted(currencies, key=len, reverse=True)
    return re.compile(r"[ \t]*(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


@cache
def figure_words() -> FigureWords:
    """The compiled word lists (read once)."""
    data = load("figures")
    qualifiers = tuple(sorted(word_set(data["qualifiers"]), key=len, reverse=True))
    return FigureWords(
        label_words=word_set(data["label_words"]),
        count_before_so=word_set(data["count_before_so"]),
        count_before=re.compile(r"(?<!\w)(?:tổng\s+)?số\s+(?:lượng\s+)?((?:[^\W\d_][\w]*[ \t]*){1,10}?)(?:"
                                + phrases_regex(data["count_links"]) + r")[ \t]*$", re.I),
        qualifiers=qualifiers,
        qualifier=re.compile(r"(?<!\w)(" + "|".join(re.escape(q) for q in qualifiers) + r")[ \t]+$", re.I),
        optional_qualifiers=word_set(data["optional_qualifiers"]),
        change_qualifiers=word_set(data["change_qualifiers"]),
        time_units=word_set(data["time_units"]),
        duration_units=word_set(data["duration_units"]),
        not_durations=word_set(data["not_durations"]),
        household_type_units=word_set(data["household_type_units"]),
        household_nouns=word_set(data["household_nouns"]),
        currencies=dict(data["currencies"]),
        currency=_currency(data["currencies"]),
        money_scales=word_set(data["money_scales"]),
        unit_stopwords=word_set(data["unit_stopwords"]),
        not_units=word_set(data["not_units"]),
        ambiguous_number_words=word_set(data["ambiguous_number_words"]),
        max_unit_words=int(data["max_unit_words"]),
        max_subject_words=int(data["max_subject_words"]),
        compounds=word_set(data["compounds"]),
        verbs_after_unit=word_set(data["verbs_after_unit"]),
        modifiers_after_unit=word_set(data["modifiers_after_unit"]),
        capitalised_modifiers=frozenset(data["capitalised_modifiers"]),
        sibling_nouns=tuple(word_set(group) for group in data["sibling_nouns"]),
        fraction_cue=re.compile(r"(?:" + phrases_regex(data["fraction_cues"]) + r")[ \t]+$", re.I),
        not_a_subject_start=word_set(data["not_a_subject_start"]),
        money_noun=re.compile(r"(?:với\s+)?(?:tổng\s+)?(?:" + phrases_regex(data["money_nouns"]) + ")", re.I),
    )
