"""Find the provinces, districts and communes an article names.

Districts and communes count only after a level word ("huyện Hoài Đức", "xã Tân Hưng",
"Q.1", "phường 7") or inside a list that one opens ("quận 1, 3 và 5", "huyện Lâm Bình,
Na Hang"). Provinces count after a level word or by name alone, unless the name is part
of a person's name ("Nguyễn Thị Hà Nam"). Names shared by several units are resolved by
the other places of the article (and, weakly, by the outlet's domain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsmon.text import fold
from nlp.gazetteer import Province, Unit, gazetteer, key_of

__all__ = ["Mention", "find_places"]

_UPPER = "A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
# Level word -> the levels it can introduce.
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "tỉnh": ("province",), "thành phố": ("province", "district"), "tp": ("province", "district"),
    "quận": ("district",), "huyện": ("district",), "thị xã": ("district",), "tx": ("district",),
    "q": ("district",), "xã": ("commune",), "phường": ("commune",), "thị trấn": ("commune",),
    "tt": ("commune",), "p": ("commune",),
}
_LEVEL = re.compile(
    r"(?<![\w.])(?:(?i:(thành phố|thị xã|thị trấn|quận|huyện|phường|xã|tỉnh))"
    r"|(TP|TX|TT)\b\.?|(Q|P)\.(?=\s?[\d" + _UPPER + r"]))"
    r"[ \t]*(?P<list>,?[ \t]*(?:bao gồm|gồm|là)[ \t]*:?[ \t]*|:[ \t]*)?"
)
_SYLLABLE = re.compile(r"[^\W_][\w'’]*")
_LIST_JOINER = re.compile(r"\s*(?:,|;|\bvà\b|–|-)\s*")
# Words that, right before a capitalised name, mark it as a person's name.
PERSON_NAME_CUES = frozenset(
    [
        "thị", "văn", "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ",
        "hồ", "ngô", "dương", "lý", "ông", "bà", "anh", "chị"
    ]
)
_MAX_SYLLABLES = 5


@dataclass(frozen=True, slots=True)
class Mention:
    """A place mention resolved to the gazetteer."""

    start: int
    end: int
    name: str  # as written, capitalised
    level: str  # province | district | commune
    province: Province
    district: str | None = None


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    name: str
    levels: tuple[str, ...]
    level_word: str
    options: list[Unit | Province]


def _capitalise(name: str) -> str:
    """Normal capitalisation: "TÂN HƯNG" and "Trần phú" become "Tân Hưng", "Trần Phú"."""
    words = name.split(" ")
    if name.isupper():
        words = [w.lower() for w in words]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def _syllables_after(text: str, pos: int) -> list[re.Match[str]]:
    """Up to five syllables starting at ``pos``, separated only by spaces or hyphens."""
    found: list[re.Match[str]] = []
    while len(found) < _MAX_SYLLABLES:
        match = _SYLLABLE.match(text, pos)
        if not match:
            break
        found.append(match)
        gap = re.match(r"[ \t]|[ \t]?-[ \t]?(?=[" + _UPPER + r"])", text[match.end():match.end() + 3])
        if not gap:
            break
        pos = match.end() + gap.end()
    return found


def _is_name_start(word: str) -> bool:
    return word[:1].isupper() or word.isdigit()


def _read_name(text: str, pos: int, levels: tuple[str, ...], level_word: str) -> _Candidate | None:
    """The longest gazetteer name of one of ``levels`` that starts at ``pos``."""
    parts = _syllables_after(text, pos)
    if not parts or not _is_name_start(parts[0].group()):
        return None
    if parts[0].group().isdigit():
        parts = parts[:1]
    gaz = gazetteer()
    for size in range(len(parts), 0, -1):
        end = parts[size - 1].end()
        name = text[pos:end]
        if not _is_name_start(parts[size - 1].group()) and size > 1 and text[end:end + 1] not in ",;.":
            continue
        options: list[Unit | Province] = [u for u in gaz.lookup(name) if u.level in levels]
        province = gaz.province(name) if "province" in levels else None
        if province:
            options.insert(0, province)
        if options:
            return _Candidate(pos, end, _capitalise(name), levels, level_word, options)
    return None


def _level_candidates(text: str) -> list[_Candidate]:
    """Names after level words, then the lists they open."""
    found: list[_Candidate] = []
    for match in _LEVEL.finditer(text):
        word = (match.group(1) or match.group(2) or match.group(3)).lower()
        if match.group("list") and text[match.end():match.end() + 1].isdigit():
            continue
        candidate = _read_name(text, match.end(), LEVEL_WORDS[word], word)
        while candidate:
            found.append(candidate)
            joiner = _LIST_JOINER.match(text, candidate.end)
            if not joiner or _LEVEL.match(text, joiner.end()):
                break
            levels = candidate.levels if joiner.group().strip() not in "–-" else ("district",)
            if "commune" in levels:
                levels = (*levels, "district")
            candidate = _read_name(text, joiner.end(), levels, word)
    return found


def _province_pattern() -> re.Pattern[str]:
    names = sorted({p.name for p in gazetteer().provinces} | _aliases(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


def _aliases() -> set[str]:
    from nlp.gazetteer import PROVINCE_ALIASES

    return {alias for aliases in PROVINCE_ALIASES.values() for alias in aliases}


_PROVINCE_RE: list[re.Pattern[str]] = []


def _bare_provinces(text: str, taken: list[tuple[int, int]]) -> list[_Candidate]:
    """Province names with no level word, skipping spans taken and persons' names."""
    if not _PROVINCE_RE:
        _PROVINCE_RE.append(_province_pattern())
    found = []
    for match in _PROVINCE_RE[0].finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        before = text[max(0, match.start() - 12):match.start()].split()
        if before and before[-1].lower() in PERSON_NAME_CUES and before[-1][:1].isupper():
            continue
        province = gazetteer().province(match.group())
        if province:
            found.append(_Candidate(match.start(), match.end(), province.name, ("province",), "", [province]))
    return found


def _context(candidates: list[_Candidate], source: str | None) -> tuple[set[str], set[str]]:
    """Provinces and districts that unambiguous mentions establish."""
    provinces, districts = set(), set()
    for cand in candidates:
        if len(cand.options) == 1:
            only = cand.options[0]
            if isinstance(only, Province):
                provinces.add(only.name)
            else:
                provinces.add(only.province.name)
                if only.level == "district":
                    districts.add(only.name)
    if source:
        domain = fold(source).replace(".", " ")
        provinces |= {p.name for p in gazetteer().provinces if key_of(p.name) in domain.split()}
    return provinces, districts


def _score(option: Unit | Province, cand: _Candidate, provinces: set[str], districts: set[str]) -> float:
    if isinstance(option, Province):
        return 3.0 + (option.name in provinces)
    score = 2.0 * (option.district in districts) + 1.0 * (option.province.name in provinces)
    score += 2.0 * (option.level == "district" and option.name in districts)
    return score + 0.5 * (option.level_word == cand.level_word)


def _resolve(cand: _Candidate, provinces: set[str], districts: set[str]) -> Mention | None:
    scored = sorted(((_score(o, cand, provinces, districts), i) for i, o in enumerate(cand.options)), reverse=True)
    best, index = scored[0]
    option = cand.options[index]
    if len(scored) > 1 and (best < 1.0 or scored[1][0] == best):
        tied = [cand.options[i] for s, i in scored if s == best]
        if best < 1.0 or any(isinstance(o, Province) for o in tied):
            return None
        if len({(o.province.name, o.level) for o in tied}) > 1:
            return None
        return Mention(cand.start, cand.end, cand.name, tied[0].level, tied[0].province)
    if isinstance(option, Province):
        return Mention(cand.start, cand.end, option.name, "province", option)
    return Mention(cand.start, cand.end, cand.name, option.level, option.province, option.district)


_CAPITALISED_RUN = re.compile(r"(?<![\w'])[" + _UPPER + r"][\w'’]*(?:[ ][" + _UPPER + r"][\w'’]*){1,3}")


def _bare_districts(text: str, taken: list[tuple[int, int]], provinces: set[str]) -> list[_Candidate]:
    """District names with no level word ("Lạc Dương: ..."), when the article supports them.

    A name counts when every district of that name lies in one province, the name is not
    glued to other capitalised words, and either that province is named or the name recurs.
    """
    found = []
    folded = fold(text)
    for run in _CAPITALISED_RUN.finditer(text):
        if any(s < run.end() and run.start() < e for s, e in taken):
            continue
        before = text[max(0, run.start() - 12):run.start()]
        last = before.split()[-1] if before.strip() else ""
        if before.endswith(" ") and last[-1:].isalpha() and (last[:1].isupper() or last.lower() in PERSON_NAME_CUES):
            continue
        options = [u for u in gazetteer().lookup(run.group()) if u.level == "district"]
        if not options or len({u.province.name for u in options}) > 1:
            continue
        recurs = folded.count(fold(run.group())) > 1
        if options[0].province.name in provinces or recurs:
            found.append(_Candidate(run.start(), run.end(), run.group(), ("district",), "", options[:1]))
    return found


def find_places(text: str, source: str | None = None, *, after_merger: bool = False) -> list[Mention]:
    """Every place mention of ``text`` resolved to the gazetteer, in text order."""
    candidates = _level_candidates(text)
    candidates += _bare_provinces(text, [(c.start, c.end) for c in candidates])
    provinces, districts = _context(candidates, source)
    candidates += _bare_districts(text, [(c.start, c.end) for c in candidates], provinces)
    mentions = [m for m in (_resolve(c, provinces, districts) for c in candidates) if m]
    return sorted(mentions, key=lambda m: m.start)
