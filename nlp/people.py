"""People the article reports on, with the position the text gives them.

A Vietnamese name is a family name (``nlp/data/people.yaml``: Kinh, ethnic-minority and
monastic names) and one to three more capitalised syllables; a foreign name is two or three
unaccented capitalised words. A name counts only next to a title ("Giám đốc Sở ... Bạch Liên
Hương", "Hoàng Nam - Phó chủ tịch") or an honorific ("bà", "đồng chí", "Thạc sĩ", "Hòa thượng"),
never as a byline or a photo credit, never right after a place level word ("huyện Romeas Haek"),
never where a place was found ("huyện Triệu Sơn") and never when its last word opens a title
("Ủy viên Đoàn Chủ tịch").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsmon.models import Person
from nlp.lexicon import before_pattern, load, phrases_regex
from nlp.locations import _UPPER
from nlp.normalize import Sentence, sentence_at

__all__ = ["PeopleWords", "find_people", "people_words"]

_SYL = r"[" + _UPPER + r"][a-zà-ỹđ]*"
_NAME_RUN = re.compile(r"(?<![\w])" + _SYL + r"(?:[ ]" + _SYL + r")+")
_MAX_GAP = 90


@dataclass(frozen=True, slots=True)
class PeopleWords:
    """The lists of ``nlp/data/people.yaml``, compiled."""

    surnames: frozenset[str]
    titles: re.Pattern[str]
    honorifics: re.Pattern[str]
    byline: re.Pattern[str]
    speech_verb: re.Pattern[str]
    title_after: re.Pattern[str]
    place_word: re.Pattern[str]


@cache
def people_words() -> PeopleWords:
    """The compiled lists (read once)."""
    data = load("people")
    titles = phrases_regex(data["titles"])
    return PeopleWords(
        surnames=frozenset(name for group in data["surnames"].values() for name in group),
        titles=re.compile(r"(?:" + titles + ")", re.I),
        honorifics=before_pattern(data["honorifics"]),
        byline=re.compile(r"(?:" + "|".join(re.escape(c) for c in data["byline_cues"]) + r")\s*:?\s*$"),
        speech_verb=re.compile(r"\s+(?:" + phrases_regex(data["speech_verbs"]) + ")"),
        title_after=re.compile(r"\s*[,–-]\s*((?:Phó |phó )?[A-ZĐ][^,.;()\n]{2,90})"),
        place_word=before_pattern(data["place_words"]),
    )


def _split_name(run: str) -> tuple[int, str] | None:
    """The person's name inside a capitalised run ("Hà Nội Bạch Liên Hương" -> "Bạch Liên Hương")."""
    words = run.split(" ")
    for i, word in enumerate(words):
        rest = words[i:]
        if word in people_words().surnames and 2 <= len(rest) <= 4:
            return len(" ".join(words[:i])) + (1 if i else 0), " ".join(rest)
    tail = words[-2:]
    if all(w.isascii() for w in tail):
        return len(run) - len(" ".join(tail)), " ".join(tail)
    return None


def _title_before(text: str, start: int, sentence: Sentence) -> str | None:
    window_start = max(sentence.start, start - _MAX_GAP)
    window = text[window_start:start]
    titles = list(people_words().titles.finditer(window))
    if not titles:
        return None
    title = window[titles[-1].start():].strip(" ,-–")
    return title if title and not re.search(r"[;.:]", title) else None


def _person_at(text: str, start: int, name: str, sentence: Sentence) -> Person | None:
    words = people_words()
    before = text[max(sentence.start, start - 30):start]
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    if words.byline.search(before) or line == name:
        return None
    if name.split()[0] not in words.surnames and words.place_word.search(before):
        return None
    title = _title_before(text, start, sentence)
    if title is None:
        after = words.title_after.match(text, start + len(name))
        title = words.speech_verb.split(after.group(1))[0].strip() if after and words.titles.match(after.group(1)) \
            else None
    if title is None and not words.honorifics.search(before):
        return None
    return Person(name=name, title=title, start=start, end=start + len(name), sentence=sentence.text)


def find_people(text: str, sentences: list[Sentence], places: list[tuple[int, int]]) -> list[Person]:
    """Every person of ``text`` with a title or an honorific, first mention each.

    ``places`` are the spans of place mentions; a name overlapping one is a place.
    """
    people: dict[str, Person] = {}
    for run in _NAME_RUN.finditer(text):
        split = _split_name(run.group())
        sentence = sentence_at(sentences, run.start())
        if not split or sentence is None:
            continue
        start = run.start() + split[0]
        end = start + len(split[1])
        last_word = start + split[1].rfind(" ") + 1
        if any(s < end and start < e for s, e in places) or people_words().titles.match(text, last_word):
            continue
        person = _person_at(text, start, split[1], sentence)
        if person and (person.name not in people or (people[person.name].title is None and person.title)):
            people[person.name] = person
    return sorted(people.values(), key=lambda p: p.start or 0)
