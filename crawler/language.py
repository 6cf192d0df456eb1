"""Is a text Vietnamese? A share of Vietnamese-specific letters among its letters, by table lookup."""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from crawler.encoding import VIETNAMESE_LETTERS

__all__ = ["VIETNAMESE_MIN_SHARE", "is_vietnamese", "letter_counts", "warm_up"]

#: Minimum share of Vietnamese letters among letters for Vietnamese text.
VIETNAMESE_MIN_SHARE = 0.08
LETTER = re.compile(r"[^\W\d_]")
VIETNAMESE_LETTER = re.compile("[" + "".join(sorted(VIETNAMESE_LETTERS)) + "]")


def is_vietnamese(text: str) -> bool:
    """True when enough of the letters in ``text`` are Vietnamese-specific."""
    letters, vietnamese = letter_counts(text[:2000])
    if letters < 20:
        return False
    return vietnamese / letters >= VIETNAMESE_MIN_SHARE


@cache
def _letter_flags() -> np.ndarray:
    """Per Basic Multilingual Plane code point: bit 0 set for a letter, bit 1 for a Vietnamese letter."""
    flags = np.zeros(0x10000, dtype=np.uint8)
    for code in range(0x10000):
        char = chr(code)
        flags[code] = (LETTER.match(char) is not None) | (VIETNAMESE_LETTER.match(char) is not None) << 1
    return flags


def letter_counts(sample: str) -> tuple[int, int]:
    """How many letters, and how many Vietnamese letters, ``sample`` has (one table lookup per character)."""
    codes = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if codes.size and codes.max() > 0xFFFF:  # beyond the table: count with the regexes
        return len(LETTER.findall(sample)), len(VIETNAMESE_LETTER.findall(sample))
    counts = np.bincount(_letter_flags()[codes], minlength=4)
    return int(counts[1] + counts[3]), int(counts[2] + counts[3])


def warm_up() -> None:
    """Build the lookup table now (before the page workers fork, so they share it)."""
    _letter_flags()
