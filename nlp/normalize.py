"""Sentences and words with character offsets, on text made canonical by ``newsmon.text``.

Sentence splitting is a regex (fast, offset-preserving). Word segmentation uses
underthesea's ``word_tokenize``, loaded lazily on first use and aligned back to offsets.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from newsmon.text import fold, normalize

__all__ = ["Sentence", "Token", "fold", "prepare", "sentence_at", "sentences", "words"]

_LOWER = "a-zđàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
# A sentence ends at a line break, at . ! ? … followed by a space and an upper-case letter, or at
# a full stop typed without its space between a lower-case word and a capitalised one
# ("huyện Sốp Cộp.Diễu hành"; "TP.Hà Nội" has an upper-case letter before the dot).
_SENTENCE_END = re.compile(r"\n+|(?<=[.!?…])\s+(?=[\"“(]?[^\W\d_a-zđ])"
                           r"|(?<=[" + _LOWER + r"]{2}\.)(?=[^\W\d_" + _LOWER + r"][" + _LOWER + r"])")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence and where it sits in the text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Token:
    """A segmented word ("lao động") and its offsets in the text."""

    start: int
    end: int
    text: str


def prepare(text: str) -> str:
    """Return ``text`` in newsmon's canonical form (NFC, one tone placement, tidy spaces)."""
    return normalize(text)


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with offsets; empty pieces are dropped."""
    result, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        _append(result, text, start, match.start())
        start = match.end()
    _append(result, text, start, len(text))
    return result


def _append(result: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped)
        result.append(Sentence(offset, offset + len(stripped), stripped))


def sentence_at(sents: list[Sentence], position: int) -> Sentence | None:
    """The sentence that contains character ``position``, if any."""
    for sentence in sents:
        if sentence.start <= position < sentence.end:
            return sentence
    return None


# underthesea's package init also imports its deep-learning pipelines whenever torch and
# transformers are installed (+500 MB, +3 s); the word segmenter is a CRF that needs neither.
_HEAVY_OPTIONAL = ("torch", "transformers")


@lru_cache(maxsize=1)
def _tokenizer():
    hidden = [name for name in _HEAVY_OPTIONAL if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import name" fail fast
    try:
        from underthesea import word_tokenize
    finally:
        for name in hidden:
            del sys.modules[name]
    return word_tokenize


def words(sentence: Sentence) -> list[Token]:
    """Segment ``sentence`` into words ("Bạch Liên Hương", "lao động") with text offsets."""
    tokens, cursor = [], 0
    for word in _tokenizer()(sentence.text):
        found = sentence.text.find(word, cursor)
        if found < 0:
            continue
        tokens.append(Token(sentence.start + found, sentence.start + found + len(word), word))
        cursor = found + len(word)
    return tokens
