"""Decode HTML bytes to text, including legacy Vietnamese encodings.

Vietnamese pages come in UTF-8 mostly, but older sites still serve windows-1258
(whose tones are *combining* marks, so the decoded text is NFD-ish) or VISCII
(which Python lacks: see ``crawler.viscii``), declared or not. The chain is:
BOM, HTTP ``charset``, ``<meta charset>``, then strict UTF-8, then the legacy
candidate that reads most like Vietnamese. Every step falls back, none raises.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import crawler.viscii  # noqa: F401 - registers the "viscii" codec

__all__ = ["VIETNAMESE_LETTERS", "declared_charset", "decode_html", "vietnamese_score"]

#: Charset names seen in the wild, mapped to Python codec names.
CHARSET_ALIASES: dict[str, str] = {
    "windows-1258": "cp1258", "x-cp1258": "cp1258", "cp1258": "cp1258",
    "viscii": "viscii", "x-viet-viscii": "viscii", "csviscii": "viscii", "viscii1.1-1": "viscii",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    # Browsers read latin-1 declarations as windows-1252 (WHATWG Encoding Standard).
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
}
#: Undeclared non-UTF-8 bytes are tried as these, best Vietnamese score wins.
LEGACY_CANDIDATES: tuple[str, ...] = ("cp1258", "viscii", "cp1252")

_HEADER_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

_VN_LOWER = (
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_WORD = re.compile(r"[^\s<>\"'=/;:,.()\[\]{}!?0-9-]+")
#: Every precomposed Vietnamese letter (NFC), both cases.
VIETNAMESE_LETTERS: frozenset[str] = frozenset(_VN_LOWER + _VN_LOWER.upper())


def codec_for(charset: str | None) -> str | None:
    """The Python codec for a declared charset name, or None when unknown."""
    if not charset:
        return None
    name = charset.strip().lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name if name != "viscii" else "viscii"
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset a page declares: the HTTP header first, then ``<meta>`` in the first 4 KiB."""
    if content_type:
        match = _CT_CHARSET.search(content_type)
        if match and codec_for(match.group(1)):
            return codec_for(match.group(1))
    match = _HEADER_CHARSET.search(body[:4096])
    if match:
        return codec_for(match.group(1).decode("ascii", "ignore"))
    return None


def _tone_count(word: str) -> int:
    return sum(1 for c in unicodedata.normalize("NFD", word) if c in _TONE_MARKS)


def vietnamese_score(text: str) -> float:
    """How Vietnamese a decoded text reads, per word: syllables with Vietnamese letters and at
    most one tone mark count for it; odd characters and multi-tone "syllables" (mojibake) against."""
    good = bad = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if word.isascii():
            continue
        if any(not c.isascii() and c not in VIETNAMESE_LETTERS for c in word) or _tone_count(word) > 1:
            bad += 1
        else:
            good += 1
    return (good - 2 * bad) / max(good + bad, 1)


def _try_decode(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _best_legacy(body: bytes) -> tuple[str, str]:
    best: tuple[float, str, str] | None = None
    for codec in LEGACY_CANDIDATES:
        text = _try_decode(body, codec)
        if text is None:
            continue
        score = vietnamese_score(text)
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is None:
        return body.decode("cp1258", errors="replace"), "cp1258"
    return best[1], best[2]


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode ``body`` to NFC text; return ``(text, codec used)``. Never raises.

    A declaration that fails to decode strictly is distrusted (sites lie about charsets);
    a legacy declaration that decodes but reads less Vietnamese than another candidate
    is overridden too (VISCII pages declared as windows-1258 exist).
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return unicodedata.normalize("NFC", body.decode(codec, errors="replace")), codec
    declared = declared_charset(body, content_type)
    if declared:
        text = _try_decode(body, declared)
        if text is not None and (declared == "utf-8" or body.isascii()):
            return unicodedata.normalize("NFC", text), declared
        if text is not None:
            alt_text, alt_codec = _best_legacy(body)
            if vietnamese_score(alt_text) > vietnamese_score(text) + 0.5:
                text, declared = alt_text, alt_codec
            return unicodedata.normalize("NFC", text), declared
    text = _try_decode(body, "utf-8")
    if text is not None:
        return unicodedata.normalize("NFC", text), "utf-8"
    text, codec = _best_legacy(body)
    return unicodedata.normalize("NFC", text), codec
