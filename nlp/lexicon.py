"""Word lists a linguist edits, in ``nlp/data/*.yaml``, turned into patterns.

A phrase is a run of whole words, matched ignoring case, with "…" standing for up to
``GAP_WORDS`` words of the same clause (no comma, colon, semicolon or bracket between) and
"<số>" for a number ("12", "1.250", "hai"); "<name>" for any phrase of a named list (the
``slots`` a data file defines: "ra mắt … <nhóm>").
Phrases are normalised like article text (``newsmon.text.normalize``), so the tone placement
written in the file does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml

from newsmon.text import normalize

__all__ = ["DATA_DIR", "GAP_WORDS", "after_pattern", "before_pattern", "load", "lowered", "phrase_pattern",
           "phrases_regex", "slot_patterns", "trigger_pattern", "word_set"]

DATA_DIR = Path(__file__).parent / "data"
GAP_WORDS = 5
_GAP = rf"(?:[^\s,;:()]+[ \t]+){{0,{GAP_WORDS}}}?"
_SPACE = r"[ \t]+"
NUMBER_SLOT = "<số>"
_NUMBER = r"(?:\d+(?:[.,]\d+)*|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)"


@cache
def load(name: str) -> dict:
    """The YAML file ``nlp/data/<name>.yaml`` as a dict (read once)."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{DATA_DIR / name}.yaml: expected a mapping at the top level")
    return data


def _word(word: str, slots: dict[str, str]) -> str:
    if word == NUMBER_SLOT:
        return _NUMBER
    if word.startswith("<") and word.endswith(">"):
        if word[1:-1] not in slots:
            raise ValueError(f"unknown slot {word}: define it under 'slots' in the data file")
        return slots[word[1:-1]]
    return re.escape(word)


def _one(phrase: str, slots: dict[str, str] | None = None) -> str:
    """The regex of one phrase: its words separated by spaces, "…" by a short gap of words."""
    parts = [p.strip() for p in normalize(phrase).replace("...", "…").split("…")]
    regex = ""
    for i, part in enumerate(parts):
        words = _SPACE.join(_word(word, slots or {}) for word in part.split())
        regex = words if i == 0 else regex + (_SPACE if regex else "") + _GAP + words
    return regex


def slot_patterns(slots: dict[str, list[str]], *, lower: bool = False) -> dict[str, str]:
    """Each named list of phrases as one regex alternation, for "<name>" in phrases."""
    return {name: "(?:" + "|".join(_one(p.lower() if lower else p) for p in sorted(phrases, key=len, reverse=True))
            + ")" for name, phrases in slots.items()}


def phrases_regex(phrases: Iterable[str]) -> str:
    """One alternation of ``phrases``, longest first, each bounded by word edges."""
    parts = []
    for phrase in sorted({p for p in phrases if p and p.strip()}, key=len, reverse=True):
        body = _one(phrase)
        edge = phrase.strip().replace(NUMBER_SLOT, "0")
        start = r"(?<!\w)" if edge[0].isalnum() else ""
        end = r"(?!\w)" if edge[-1].isalnum() else ""
        parts.append(start + body + end)
    return "|".join(parts) if parts else r"(?!)"


def trigger_pattern(phrases: Iterable[str], slots: dict[str, list[str]] | None = None) -> re.Pattern[str]:
    """A fast pattern of ``phrases`` (each starting with a letter) to run on ``lowered`` text:
    lower-cased, one word-start check for the whole alternation, no case folding while matching."""
    words = sorted({normalize(p).lower().strip() for p in phrases if p and p.strip()}, key=len, reverse=True)
    if any(not w[0].isalnum() for w in words):
        raise ValueError(f"trigger phrases must start with a letter or digit: {words}")
    compiled = slot_patterns(slots or {}, lower=True)
    parts = [_one(w, compiled) + (r"(?!\w)" if re.sub(r"<[^>]+>", "0", w)[-1].isalnum() else "") for w in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


def lowered(text: str) -> str:
    """``text`` in lower case, of the same length (offsets stay valid)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def phrase_pattern(phrases: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """A pattern that finds any of ``phrases`` anywhere."""
    return re.compile(phrases_regex(phrases), flags)


def after_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """A pattern to ``match`` right after a word: one of ``phrases`` follows (after a space)."""
    return re.compile(r"[ \t]*(?:" + phrases_regex(phrases) + ")", re.IGNORECASE)


def before_pattern(phrases: Iterable[str], *, gap_words: int = 0) -> re.Pattern[str]:
    """A pattern to ``search`` in the text before a word: it ends with one of ``phrases``
    and then at most ``gap_words`` words, "và" not among them."""
    gap = rf"(?:(?!và[ \t])[^\s,;:()]+[ \t]+){{0,{gap_words}}}" if gap_words else ""
    return re.compile(r"(?:" + phrases_regex(phrases) + r")[ \t]*" + gap + "$", re.IGNORECASE)


def word_set(phrases: Iterable[str]) -> frozenset[str]:
    """Phrases as a set of normalised lower-case strings, for exact look-ups."""
    return frozenset(normalize(p).lower() for p in phrases if p)
