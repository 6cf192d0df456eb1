"""Vietnamese text normalisation, applied once where text enters newsmon.

``normalize`` makes text canonical (NFC, one tone-mark placement, tidy whitespace and
quotes); ``fold`` maps it to the accent-insensitive form used by the search index and
by queries. ``fold`` is length-preserving on normalised text, so offsets found in the
folded text are offsets in the original (highlighting relies on this).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_char", "normalize", "normalize_tone_placement"]

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
_TONE_ON_SECOND_VOWEL = re.compile(
    r"(?:(?<![qQ])[oO](?:[àáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸ]|[aAeE][" + _TONE_MARKS + r"])"
    r"|(?<![qQ])[uU](?:[ýỳỹỷỵÝỲỸỶỴ]|[yY][" + _TONE_MARKS + r"]))" + _END_OF_SYLLABLE
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


def fold(text: str) -> str:
    """Accent-fold ``text`` for search: "Bình Đẳng Giới" -> "binh dang gioi".

    One output character per input character, so offsets carry over.
    """
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)
