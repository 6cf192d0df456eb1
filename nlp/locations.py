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
from itertools import pairwise

from newsmon.text import fold
from nlp.gazetteer import Province, Unit, gazetteer, key_of, province_aliases
from nlp.lexicon import before_pattern, load, word_set

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
_MAX_SYLLABLES = 5
# The outlet's province only breaks a tie between options the text supports.
SOURCE_WEIGHT = 0.25
# A name that follows another after a comma, a dash or a bracket, with or without its level word:
# "xã Tân Lập, huyện Đan Phượng, tỉnh ..." names where the first one lies.
_FOLLOWS = re.compile(r"\s*[,–(-]\s*(?:(?:tỉnh|thành phố|tp\.?|huyện|quận|thị xã|tx\.?)\s+)?", re.I)


@dataclass(frozen=True, slots=True)
class _Words:
    """The word lists of ``nlp/data/places.yaml``."""

    village: re.Pattern[str]
    tier: re.Pattern[str]
    numbered_levels: frozenset[str]
    institution: re.Pattern[str]
    person_name_cues: frozenset[str]


_WORDS: list[_Words] = []


def _words() -> _Words:
    if not _WORDS:
        data = load("places")
        _WORDS.append(_Words(before_pattern(data["village_words"]), before_pattern(data["tier_words"]),
                             word_set(data["numbered_levels"]), before_pattern(data["institution_words"]),
                             word_set(data["person_name_cues"])))
    return _WORDS[0]


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


def _options(name: str, levels: tuple[str, ...], level_word: str) -> list[Unit | Province]:
    """The gazetteer's units (and province) of ``levels`` named ``name``. A commune-level word before a
    name known only as a district names the commune after the 2025 merger that took the old
    district's name ("phường Pleiku", "xã Mang Yang")."""
    gaz = gazetteer()
    units = gaz.lookup(name)
    options: list[Unit | Province] = [u for u in units if u.level in levels]
    if levels == ("commune",) and not options:
        options = [Unit(u.name, "commune", level_word, u.province) for u in units if u.level == "district"]
    province = gaz.province(name) if "province" in levels else None
    return [province, *options] if province else options


def _read_name(text: str, pos: int, levels: tuple[str, ...], level_word: str) -> _Candidate | None:
    """The longest gazetteer name of one of ``levels`` that starts at ``pos``."""
    parts = _syllables_after(text, pos)
    if not parts or not _is_name_start(parts[0].group()):
        return None
    if parts[0].group().isdigit():
        if level_word not in _words().numbered_levels:
            return None  # only quận and phường are numbered ("cấp huyện 5 chị" names no place)
        parts = parts[:1]
    for size in range(len(parts), 0, -1):
        end = parts[size - 1].end()
        name = text[pos:end]
        if not _is_name_start(parts[size - 1].group()) and size > 1 and text[end:end + 1] not in ",;.":
            continue
        options = _options(name, levels, level_word)
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
        if _words().tier.search(text[max(0, match.start() - 12):match.start()]):
            continue  # "cấp huyện", "các cấp tỉnh, huyện": tiers of government
        candidate = _read_name(text, match.end(), LEVEL_WORDS[word], word)
        while candidate:
            found.append(candidate)
            candidate = _next_in_list(text, candidate, word)
    return found


def _next_in_list(text: str, previous: _Candidate, word: str) -> _Candidate | None:
    """The next name of a list a level word opens ("quận 1, 3 và 5", "huyện Lâm Bình, Na Hang"); the
    province of the names before it ends the list ("huyện Đăk Glei, Kon Tum")."""
    joiner = _LIST_JOINER.match(text, previous.end)
    if not joiner or _LEVEL.match(text, joiner.end()):
        return None
    province = _read_name(text, joiner.end(), ("province",), "")
    if province and any(getattr(o, "province", o) == province.options[0] for o in previous.options):
        return province
    levels = previous.levels if joiner.group().strip() not in "–-" else ("district",)
    if "commune" in levels:
        levels = (*levels, "district")
    candidate = _read_name(text, joiner.end(), levels, word)
    if candidate and "commune" in levels and all(getattr(o, "level", "") == "district" for o in candidate.options) \
            and not any(_fits(o, u) for o in previous.options for u in candidate.options if o.level == "commune"):
        # "các xã Ia Tôr, Ia Pa": a district name in a list of communes is a commune named after it
        candidate.options = [Unit(u.name, "commune", word, u.province) for u in candidate.options]
    return candidate


def _province_pattern() -> re.Pattern[str]:
    aliases = {alias for names in province_aliases().values() for alias in names}
    names = sorted({p.name for p in gazetteer().provinces} | aliases, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")


_PROVINCE_RE: list[re.Pattern[str]] = []


def _bare_provinces(text: str, taken: list[tuple[int, int]]) -> list[_Candidate]:
    """Province names with no level word, skipping spans taken, persons' names ("Nguyễn Thị Hà Nam"),
    villages ("thôn Thái Bình") and institutions ("Đại học Thái Nguyên")."""
    if not _PROVINCE_RE:
        _PROVINCE_RE.append(_province_pattern())
    found = []
    words = _words()
    for match in _PROVINCE_RE[0].finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        window = text[max(0, match.start() - 20):match.start()]
        before = window.split()
        if before and before[-1].lower() in words.person_name_cues and before[-1][:1].isupper():
            continue
        if words.village.search(window) or words.institution.search(window):
            continue
        province = gazetteer().province(match.group())
        if province:
            found.append(_Candidate(match.start(), match.end(), province.name, ("province",), "", [province]))
    return found


def _context(candidates: list[_Candidate]) -> tuple[set[str], set[str]]:
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
    return provinces, districts


def _source_provinces(source: str | None) -> set[str]:
    """Provinces the outlet's domain names ("baogialai.com.vn"): a tie-breaker, never evidence alone."""
    if not source:
        return set()
    domain = fold(source).replace(".", " ").split()
    return {p.name for p in gazetteer().provinces if key_of(p.name) in domain}


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What the article establishes: provinces and districts named unambiguously, and the
    provinces of the outlet's domain (a tie-breaker)."""

    provinces: set[str]
    districts: set[str]
    source: set[str]


def _score(option: Unit | Province, cand: _Candidate, evidence: _Evidence) -> float:
    if isinstance(option, Province):
        return 3.0 + (option.name in evidence.provinces)
    score = 2.0 * (option.district in evidence.districts) + 1.0 * (option.province.name in evidence.provinces)
    score += 2.0 * (option.level == "district" and option.name in evidence.districts)
    score += SOURCE_WEIGHT * (option.province.name in evidence.source)
    return score + 0.5 * (option.level_word == cand.level_word)


def _resolve(cand: _Candidate, evidence: _Evidence) -> Mention | None:
    same_word = [o for o in cand.options if isinstance(o, Unit) and o.level_word == cand.level_word]
    if cand.level_word and len(same_word) == 1 and not any(isinstance(o, Province) for o in cand.options):
        cand.options = same_word  # "phường Kim Tân": the only ward of that name
    scored = sorted(((_score(o, cand, evidence), i) for i, o in enumerate(cand.options)), reverse=True)
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
        if before.endswith(" ") and last[-1:].isalpha() and (last[:1].isupper()
                                                             or last.lower() in _words().person_name_cues):
            continue
        options = [u for u in gazetteer().lookup(run.group()) if u.level == "district"]
        if not options or len({u.province.name for u in options}) > 1:
            continue
        recurs = folded.count(fold(run.group())) > 1
        if options[0].province.name in provinces or recurs:
            found.append(_Candidate(run.start(), run.end(), run.group(), ("district",), "", options[:1]))
    return found


def _fits(lower: Unit | Province, upper: Unit | Province) -> bool:
    """Whether ``lower`` lies in ``upper`` (a commune in its district or province, a district in its
    province); anything fits a unit of its own level (a list)."""
    if isinstance(lower, Province):
        return True
    if isinstance(upper, Province):
        return lower.province.name == upper.name
    if upper.level == "district" and lower.level == "commune":
        return lower.district == upper.name and lower.province == upper.province
    return upper.level == lower.level


def _narrow(text: str, candidates: list[_Candidate]) -> None:
    """ "xã A, huyện B, tỉnh C": each name keeps the options that fit the names right after it."""
    ordered = sorted(candidates, key=lambda c: c.start)
    pairs = [(a, b) for a, b in pairwise(ordered) if _FOLLOWS.fullmatch(text, a.end, b.start)]
    for first, second in [*reversed(pairs), *pairs]:  # the province narrows the district, which narrows the commune
        lower = [o for o in first.options if any(_fits(o, u) for u in second.options)]
        upper = [u for u in second.options if any(_fits(o, u) for o in first.options)]
        first.options, second.options = lower or first.options, upper or second.options


def find_places(text: str, source: str | None = None) -> list[Mention]:
    """Every place mention of ``text`` resolved to the gazetteer, in text order."""
    candidates = _level_candidates(text)
    candidates += _bare_provinces(text, [(c.start, c.end) for c in candidates])
    _narrow(text, candidates)
    provinces, districts = _context(candidates)
    candidates += _bare_districts(text, [(c.start, c.end) for c in candidates], provinces)
    evidence = _Evidence(provinces, districts, _source_provinces(source))
    mentions = [m for m in (_resolve(c, evidence) for c in candidates) if m]
    return sorted(mentions, key=lambda m: m.start)
