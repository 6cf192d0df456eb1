"""What a number counts: the counted noun after it ("28.867 lao động nữ"), "%", a currency, a
noun in quotation marks (3 "Mái ấm"), or the noun named before it ("Số vụ bạo lực là 74")."""

from __future__ import annotations

import re

from nlp.figure_words import figure_words
from nlp.numbers import MULTIPLIERS

__all__ = ["apply_multipliers", "measure", "read_unit", "unit_before", "words_at"]

_WORD = re.compile(r"[^\W\d_][\w]*")
_GAP = re.compile(r"[ \t]+")
_MULTIPLIER = re.compile(r"\s+(" + "|".join(MULTIPLIERS) + r")(?![\w])", re.I)
_PERCENT = re.compile(r"\s?(%|phần trăm)")
_QUOTED = re.compile(r"[ \t]+[“\"]([^”\"\n]{1,60})[”\"]")
_SIBLING = re.compile(r",[ \t]*((?:[^\W\d_][\w]*)(?:[ \t]+[^\W\d_][\w]*)??)(?=[\s,.;:)]|$)")
_SIBLING_PAIR = re.compile(r",[ \t]*([^\W\d_][\w]*[ \t]+[^\W\d_][\w]*)(?=[\s,.;:)]|$)")
# "phòng, chống bạo lực": the legal spelling of the verb "phòng chống", split by a comma.
_COMMA_CHONG = re.compile(r",\s*chống\b")
_COMMA_GAP = re.compile(r",\s*")


def words_at(text: str, pos: int, limit: int) -> list[re.Match[str]]:
    """Up to ``limit`` words that follow ``pos``, separated by spaces or tabs only."""
    found: list[re.Match[str]] = []
    end = pos
    while len(found) < limit:
        gap = _GAP.match(text, end)
        if gap is None and found and found[-1].group().lower() == "phòng" and _COMMA_CHONG.match(text, end):
            gap = _COMMA_GAP.match(text, end)  # "phòng, chống" is one verb
        word = _WORD.match(text, gap.end()) if gap else None
        if not word:
            break
        found.append(word)
        end = word.end()
    return found


def _ends_unit(words: list[str], lower: str, two: str, subject: bool) -> bool:
    """Whether the word ``lower`` ends the counted noun read so far (``words``)."""
    lists = figure_words()
    pair = f"{words[-1].lower()} {lower}" if words else ""
    if pair in lists.compounds:
        return False
    if lower in lists.unit_stopwords:
        return True
    breaks = lists.verbs_after_unit if subject else lists.verbs_after_unit | lists.modifiers_after_unit
    in_compound = two in lists.compounds
    return bool(words) and ((lower in breaks and not in_compound) or two in breaks)


def read_unit(text: str, pos: int, *, subject: bool = False) -> tuple[str, int]:
    """The counted noun phrase starting at ``pos`` ("lao động nữ") and its end; with ``subject``,
    the whole counted noun phrase with its modifiers ("câu lạc bộ phòng chống bạo lực gia đình")."""
    lists = figure_words()
    limit = lists.max_subject_words if subject else lists.max_unit_words
    ahead = words_at(text, pos, limit + 3)
    words: list[str] = []
    end, i = pos, 0
    while i < len(ahead) and len(words) < limit:
        word, lower = ahead[i].group(), ahead[i].group().lower()
        following = ahead[i + 1].group() if i + 1 < len(ahead) else ""
        two = f"{lower} {following.lower()}" if following else ""
        if _ends_unit(words, lower, two, subject):
            break
        if words and word[0].isupper():
            if following and f"{word} {following}" in lists.capitalised_modifiers:
                words += [word, following]
                end, i = ahead[i + 1].end(), i + 2
                continue
            if word not in lists.capitalised_modifiers or following[:1].isupper():
                break
        words.append(word)
        end, i = ahead[i].end(), i + 1
    if words and len(words) == limit and i < len(ahead):
        # Never cut a two-syllable word in half: "chi hội trưởng phụ nữ", not "... phụ".
        pair = f"{words[-1].lower()} {ahead[i].group().lower()}"
        if pair in lists.compounds and ahead[i].group()[0].islower():
            words.append(ahead[i].group())
            end = ahead[i].end()
    return _with_sibling(text, text[ahead[0].start():end] if words else "", end)


def _with_sibling(text: str, unit: str, end: int) -> tuple[str, int]:
    """Extend "quận" to "quận, huyện" and "hộ nghèo" to "hộ nghèo, hộ cận nghèo"."""
    match = _SIBLING.match(text, end)
    if not unit or not match:
        return unit, end
    for candidate in (match, _SIBLING_PAIR.match(text, end)):
        nxt = candidate.group(1) if candidate else ""
        for group in figure_words().sibling_nouns:
            if unit.lower() in group and nxt.lower() in group:
                return f"{unit}, {nxt}", candidate.end(1)
    head = unit.split()[0].lower()
    if " " in unit and match.group(1).split()[0].lower() == head:
        rest, rest_end = _read_plain(text, match.start(1), len(unit.split()) + 1)
        if rest.split()[0].lower() == head:
            return f"{unit}, {rest}", rest_end
    return unit, end


def _read_plain(text: str, pos: int, limit: int) -> tuple[str, int]:
    words = []
    end = pos - 1
    for word in words_at(text, pos - 1, limit):
        if word.group().lower() in figure_words().unit_stopwords or (words and word.group()[0].isupper()):
            break
        words.append(word.group())
        end = word.end()
    return " ".join(words), end


def apply_multipliers(text: str, value: float, end: int) -> tuple[float, int, bool]:
    """Multiply by the scale words after ``end``, chained ones included ("1,5 nghìn tỷ"); also
    says whether a money scale ("triệu", "tỷ") was read."""
    money = False
    while multiplier := _MULTIPLIER.match(text, end):
        word = multiplier.group(1).lower()
        value *= MULTIPLIERS[word]
        money = money or word in figure_words().money_scales
        end = multiplier.end()
    return value, end, money


def unit_before(text: str, start: int) -> str | None:
    """The counted noun named before a number that has none after it ("Số vụ bạo lực là 74" -> "vụ")."""
    clause_start = max(text.rfind(c, 0, start) for c in ".;\n(")
    match = figure_words().count_before.search(text[clause_start + 1:start])
    if not match:
        return None
    unit, _ = read_unit(" " + match.group(1).strip(), 0)
    return unit or None


def measure(text: str, value: float, end: int) -> tuple[float, str, int] | None:
    """Apply a multiplier, then read "%", a currency, a counted noun or a quoted noun after the number.

    An amount with a money scale and nothing counted after it is money ("cấp tỉnh 15 tỷ")."""
    lists = figure_words()
    value, end, money = apply_multipliers(text, value, end)
    percent = _PERCENT.match(text, end)
    if percent:
        return value, "%", percent.end()
    currency = lists.currency.match(text, end)
    if currency:
        return value, lists.currencies[currency.group(1)], currency.end()
    quoted = _QUOTED.match(text, end)
    unit, unit_end = (quoted.group(1).strip(), quoted.end()) if quoted else read_unit(text, end)
    first = unit.split()[0].lower() if unit else ""
    if not unit or first in lists.time_units or first in lists.not_units:
        return (value, "đồng", end) if money and not unit else None
    return value, unit, unit_end
