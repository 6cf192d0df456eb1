"""The topic lexicon of ``nlp/data/topics.yaml``, matched on syllables.

Vietnamese writes a word as one or more space-separated syllables ("bạo lực gia đình" is
two words, four syllables), so a phrase is matched as a run of whole syllables: "đánh vợ"
is never found inside "đánh vợt". Word segmentation (underthesea) would cost about 2 ms a
headline; syllables cost microseconds. The ``joins`` of the lexicon stand in for it where
it matters: a phrase neither starts nor ends inside a two-syllable word ("sát hại vợ" is
not in "sát hại vợ chồng chủ tiệm").

Text is tokenised into lower-case syllables and numbers, with ``SOFT`` where
punctuation breaks a sentence ("," quotes, dashes) and ``HARD`` where a sentence ends.
Phrases never span a break; ``near`` rules span soft breaks, never hard ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import compress
from pathlib import Path
from typing import NamedTuple

import yaml

from newsmon.text import normalize

__all__ = ["HARD", "SOFT", "Hit", "Lexicon", "Topic", "find_hits", "lexicon", "lexicon_path", "load_lexicon",
           "strong_places", "syllables"]

SOFT = ","
HARD = "|"
_BREAKS = (SOFT, HARD)
# Feed summaries carry the remains of HTML (a cut "<a href=...") and bare addresses; neither is prose.
_JUNK = re.compile(r"<[^>]*>?|https?://\S+|www\.\S+")
# Punctuation followed by a digit is part of a number ("8.000", "1,6", "10:30", "283/2025"), unless it opens
# a bracket or a quotation. (Simple classes with a lookahead: a lookbehind here made tokenising 4x slower.)
_HARD_PUNCT = re.compile(r"[.:!?;…]+(?!\d)")
_SOFT_PUNCT = re.compile(r"[^\w\s|]+(?!\d)|[(\[{\"'“‘«]")  # other punctuation and symbols ("|" is HARD)
KINDS = ("strong", "cues")


@dataclass(frozen=True, slots=True)
class Topic:
    """A gender-equality topic: its code and how many cue places give it alone (its label: newsmon.labels)."""

    code: str
    min_cues: int | None = None


class Hit(NamedTuple):
    """A phrase of ``topic`` found at syllables ``start:end``; ``kind`` is "strong" or "cues".

    Fields in this order so that hits sort by position."""

    start: int
    end: int
    topic: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Near:
    topic: str
    within: int


@dataclass(frozen=True)
class Lexicon:
    """The parsed lexicon: topics in file order, phrases (with their owners), near rules, joins.

    ``phrases`` maps a phrase's syllables to (topic code or near-rule number, kind or side);
    ``lengths`` maps a first syllable to the lengths of the phrases that start with it.
    """

    topics: dict[str, Topic]
    phrases: dict[tuple[str, ...], list[tuple[str, str]]]
    lengths: dict[str, tuple[int, ...]]
    near: list[_Near]
    joins: frozenset[tuple[str, str]]


def syllables(text: str) -> list[str]:
    """Lower-case syllables (and numbers) of ``text``, with ``SOFT`` and ``HARD`` at punctuation.

    ``text`` is expected in newsmon's canonical form (``newsmon.text.normalize``), as stored
    articles are; the lexicon's phrases are put in that form when it is read. Breaks may repeat.
    """
    if "<" in text or "://" in text or "www." in text:
        text = _JUNK.sub(" ", text)
    text = _HARD_PUNCT.sub(f" {HARD} ", text.lower().replace("\n", f" {HARD} "))
    return _SOFT_PUNCT.sub(f" {SOFT} ", text).split()


def _phrase(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, str | int) or not syllables(normalize(str(value))):
        raise ValueError(f"topics lexicon: {where}: not a phrase: {value!r}")
    phrase = tuple(syllables(normalize(str(value))))
    if any(s in _BREAKS for s in phrase):
        raise ValueError(f"topics lexicon: {where}: a phrase cannot hold punctuation: {value!r}")
    return phrase


def _phrases(entry: dict, key: str, where: str) -> list[tuple[str, ...]]:
    values = entry.get(key) or []
    if not isinstance(values, list):
        raise ValueError(f"topics lexicon: {where}.{key} must be a list")
    return [_phrase(v, f"{where}.{key}") for v in values]


def _topic(entry: object, position: int) -> Topic:
    if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
        raise ValueError(f"topics lexicon: topic #{position + 1} needs a code")
    min_cues = entry.get("min_cues")
    if min_cues is not None and (not isinstance(min_cues, int) or min_cues < 1):
        raise ValueError(f"topics lexicon: {entry['code']}.min_cues must be a positive integer")
    return Topic(entry["code"], min_cues)


def load_lexicon(path: Path | str) -> Lexicon:
    """Parse and check a topics lexicon; a malformed entry raises ``ValueError`` naming it."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    topics: dict[str, Topic] = {}
    phrases: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for position, entry in enumerate(data.get("topics") or []):
        topic = _topic(entry, position)
        if topic.code in topics:
            raise ValueError(f"topics lexicon: topic {topic.code} is listed twice")
        topics[topic.code] = topic
        for kind in KINDS:
            for phrase in _phrases(entry, kind, topic.code):
                phrases.setdefault(phrase, []).append((topic.code, kind))
    near = []
    for position, rule in enumerate(data.get("near") or []):
        where = f"near #{position + 1}"
        if not isinstance(rule, dict) or rule.get("topic") not in topics or not isinstance(rule.get("within"), int):
            raise ValueError(f"topics lexicon: {where} needs a known topic and an integer `within`")
        for side in ("first", "then"):
            for phrase in _phrases(rule, side, where):
                phrases.setdefault(phrase, []).append((str(len(near)), side))
        near.append(_Near(rule["topic"], rule["within"]))
    joins = [_phrase(j, "joins") for j in data.get("joins") or []]
    if any(len(j) != 2 for j in joins):
        raise ValueError("topics lexicon: every join is two syllables")
    lengths: dict[str, set[int]] = {}
    for phrase in phrases:
        lengths.setdefault(phrase[0], set()).add(len(phrase))
    return Lexicon(topics, phrases, {k: tuple(sorted(v)) for k, v in lengths.items()}, near,
                   frozenset((a, b) for a, b in joins))


def lexicon_path() -> Path:
    """Where the shipped lexicon lives (``nlp/data/topics.yaml``)."""
    return Path(str(files("nlp") / "data" / "topics.yaml"))


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon (read once)."""
    return load_lexicon(lexicon_path())


def _matches(tokens: list[str], lex: Lexicon) -> list[tuple[str, str, int, int]]:
    """(topic or near-rule number, kind or side, start, end) of every phrase at a word boundary."""
    found = []
    n, joins, phrases = len(tokens), lex.joins, lex.phrases
    starts = list(map(lex.lengths.get, tokens))
    for i in compress(range(n), starts):  # only where a phrase may start
        if i and (tokens[i - 1], tokens[i]) in joins:
            continue
        for length in starts[i]:  # type: ignore[union-attr]
            j = i + length
            owners = phrases.get(tuple(tokens[i:j])) if j <= n else None
            if owners and not (j < n and (tokens[j - 1], tokens[j]) in joins):
                found += [(owner, kind, i, j) for owner, kind in owners]
    return found


def _gap(tokens: list[str], end: int, start: int) -> int | None:
    """Syllables between ``end`` and ``start``, or None when a sentence ends between them."""
    between = tokens[end:start]
    return None if HARD in between else sum(1 for t in between if t != SOFT)


def _near_hits(lex: Lexicon, sides: dict[tuple[str, str], list[tuple[int, int]]], tokens: list[str]) -> list[Hit]:
    hits = []
    for number, rule in enumerate(lex.near):
        for f_start, f_end in sides.get((str(number), "first"), ()):
            for t_start, t_end in sides.get((str(number), "then"), ()):
                gap = _gap(tokens, f_end, t_start) if t_start >= f_end else None
                if gap is not None and gap <= rule.within:
                    hits.append(Hit(f_start, t_end, rule.topic, "strong"))
    return hits


def find_hits(tokens: list[str], lex: Lexicon | None = None) -> list[Hit]:
    """Every strong phrase, cue and near-rule match in ``tokens`` (from ``syllables``), in text order."""
    lex = lex or lexicon()
    hits, sides = [], {}
    for owner, kind, start, end in _matches(tokens, lex):
        if kind in KINDS:
            hits.append(Hit(start, end, owner, kind))
        else:
            sides.setdefault((owner, kind), []).append((start, end))
    if sides:
        hits += _near_hits(lex, sides, tokens)
        hits.sort()
    return hits


def strong_places(hits: Iterable[Hit]) -> int:
    """How many separate places the strong hits cover (overlapping phrases count once)."""
    places, last_end = 0, -1
    for hit in sorted(h for h in hits if h.kind == "strong"):
        if hit.start >= last_end:
            places += 1
        last_end = max(last_end, hit.end)
    return places
