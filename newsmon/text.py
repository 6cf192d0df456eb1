"""Vietnamese text normalisation, applied once where text enters newsmon.

``normalize`` makes text canonical (NFC, one tone-mark placement, tidy whitespace and
quotes); ``fold`` maps it to the accent-insensitive form used by the search index and
by queries. ``fold`` is length-preserving on normalised text, so offsets found in the
folded text are offsets in the original (highlighting relies on this).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["NO_MAPPING", "bmp_table", "fold", "fold_char", "map_chars", "normalize", "normalize_tone_placement"]

# Tone placement: "hoà"/"hòa", "thuỷ"/"thủy", "khoẻ"/"khỏe" are both in print. newsmon's
# canonical form is the one most outlets use: in the open syllables oa, oe, uy the tone
# sits on the first vowel. Closed syllables ("hoàn", "thuyền") and "qu" ("quý") differ.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
# The tone must be the vowel's only mark: in NFD "ặ" is a + dot below + breve, and the
# syllable "oặ" (hoặc) is not one of these.
_END_OF_SYLLABLE = r"(?![^\W\d_]|[\u0300-\u036f])"
_SECOND_VOWEL_TONE = re.compile(
    r"(?<![qQ])([oO])([aAeE])([" + _TONE_MARKS + r"])" + _END_OF_SYLLABLE
    + r"|(?<![qQ])([uU])([yY])([" + _TONE_MARKS + r"])" + _END_OF_SYLLABLE
)
# The same syllables as they look in NFC (or NFD) text, to find whether there is anything to move.
# It starts with a plain character class (the "not after q" check comes after it, as a lookbehind)
# so that the regex engine can skip ahead to the next o/u: ~6x faster on article text.
_TONE_ON_SECOND_VOWEL = re.compile(
    r"[oOuU](?<![qQ].)(?:(?<=[oO])(?:[àáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸ]|[aAeE][" + _TONE_MARKS + r"])"
    r"|(?<=[uU])(?:[ýỳỹỷỵÝỲỸỶỴ]|[yY][" + _TONE_MARKS + r"]))" + _END_OF_SYLLABLE
)
_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u00a0": " ", "\u2007": " ", "\u202f": " ",
    "\u200b": "", "\ufeff": "",
})
# Runs of white space other than a single space (replacing every lone space would cost as much again).
_SPACES = re.compile(r"[\t\r\f\v][ \t\r\f\v]*| [ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalize_tone_placement(text: str) -> str:
    """Put the tone of open ``oa``, ``oe``, ``uy`` syllables on the first vowel.

    "hoà" becomes "hòa", "thuỷ" becomes "thủy"; "hoàn" (closed) and "quý" are untouched.
    """
    if not _TONE_ON_SECOND_VOWEL.search(text):  # most text: nothing to move, skip the NFD round trip
        return unicodedata.normalize("NFC", text)
    decomposed = unicodedata.normalize("NFD", text)
    moved = _SECOND_VOWEL_TONE.sub(_move_tone, decomposed)
    return unicodedata.normalize("NFC", moved)


def _move_tone(match: re.Match[str]) -> str:
    first, second, tone = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
    return first + tone + second


def normalize(text: str, *, quotes: bool = False) -> str:
    """Return ``text`` in newsmon's canonical form.

    NFC, one tone-mark placement, no zero-width characters, runs of spaces collapsed,
    at most one blank line between paragraphs. With ``quotes=True`` typographic quotes
    become ASCII ones too (useful for queries; stored article text keeps its quotes).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = normalize_tone_placement(text)
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\u00a0", " ")
    if quotes:
        text = text.translate(_QUOTES)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Fold one character: strip diacritics, map đ/Đ to d, lowercase."""
    return _fold_one(char)


def _fold_one(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    return base.lower() if len(base.lower()) == 1 else char


class _FoldTable(dict[int, str]):
    """``str.translate`` table that folds each code point once, on first sight."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()
# Below this length str.translate beats the numpy round trip of map_chars.
_VECTOR_MIN_CHARS = 200
#: A ``bmp_table`` entry meaning "no single-character answer": ``map_chars`` then returns None.
NO_MAPPING = 0xFFFFFFFF


def bmp_table(char_map: Callable[[str], str]) -> np.ndarray:
    """A lookup table for ``map_chars``: ``char_map`` applied to every Basic Multilingual Plane character.

    Characters whose ``char_map`` is not exactly one character get ``NO_MAPPING``.
    """
    import numpy as np  # lazily: most importers of this module never need it

    table = np.empty(0x10000, dtype=np.uint32)
    for code in range(0x10000):
        mapped = char_map(chr(code))
        table[code] = ord(mapped) if len(mapped) == 1 else NO_MAPPING
    return table


def map_chars(text: str, table: np.ndarray) -> str | None:
    """``text`` with every character ``c`` replaced by ``chr(table[ord(c)])``, in one vectorised pass.

    None when the table cannot answer: a character outside the Basic Multilingual Plane, a lone
    surrogate, or a ``NO_MAPPING`` entry. Callers then take their exact, slower path.
    """
    import numpy as np

    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # lone surrogates
        return None
    if codes.size and codes.max() > 0xFFFF:
        return None
    try:
        return table[codes].tobytes().decode("utf-32-le")
    except UnicodeDecodeError:  # a NO_MAPPING entry
        return None


@cache
def _fold_array() -> np.ndarray:
    return bmp_table(_fold_one)


def fold(text: str) -> str:
    """Accent-fold ``text`` for search: "Bình Đẳng Giới" -> "binh dang gioi".

    One output character per input character, so offsets carry over. Long texts go through a
    lookup table (``map_chars``, ~10x faster than ``str.translate`` on article text).
    """
    if text.isascii():
        return text.lower()
    if len(text) >= _VECTOR_MIN_CHARS and (folded := map_chars(text, _fold_array())) is not None:
        return folded
    return text.translate(_FOLD_TABLE)
