"""People the article reports on, with the position the text gives them.

A Vietnamese name is a surname from ``SURNAMES`` and one to three more capitalised
syllables; a foreign name is two or three unaccented capitalised words. A name counts
only next to a title ("Giám đốc Sở ... Bạch Liên Hương", "Hoàng Nam - Phó chủ tịch") or
an honorific ("bà", "đồng chí", "Thạc sĩ"), never as a byline or a photo credit, and
never where a place was found ("huyện Triệu Sơn") and never when its last word opens a
title ("Ủy viên Đoàn Chủ tịch").
"""

from __future__ import annotations

import re

from newsmon.models import Person
from nlp.locations import _UPPER
from nlp.normalize import Sentence, sentence_at

__all__ = ["HONORIFICS", "SURNAMES", "TITLES", "find_people"]

SURNAMES = frozenset([
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Bạch", "Đàm", "Đinh", "Trịnh", "Mai", "Lương", "Lưu", "Tạ", "Tô", "Triệu", "Cao", "Hà", "Đào",
    "Chu", "Lâm", "Kiều", "Quách", "Thái", "Tăng", "Vương", "Khổng", "Mạc", "Lò", "Lục", "Giàng", "Sùng", "Thào",
    "Vàng", "Hứa", "Doãn", "Nông", "La", "Kim", "Âu", "Khúc", "Tống", "Trương", "Thân", "Văn", "Hoa", "Đoàn",
    "Phùng", "Nghiêm", "Ninh", "Tôn", "Quan", "Từ", "Mẫn", "Viên",
    # Common family names of the northern mountain peoples (Mông, Dao, Thái, Tày).
    "Hờ", "Mùa", "Lầu", "Hạng", "Tráng", "Chảo", "Bàn", "Lường", "Quàng", "Cầm", "Tòng", "Hầu", "Vi", "Lèo",
])
TITLES = re.compile(
    r"(?:Phó |phó )?(?:Chủ tịch|chủ tịch|Giám đốc|giám đốc|Thứ trưởng|Bộ trưởng|Trưởng ban|trưởng ban|Bí thư|"
    r"bí thư|Trưởng phòng|trưởng phòng|Ủy viên|Uỷ viên|Điều phối viên|Đại sứ|Trưởng đại diện|Tổng Giám đốc|"
    r"Chủ nhiệm|Viện trưởng|Hiệu trưởng|Cục trưởng|Vụ trưởng|Chánh văn phòng|Tổng Thư ký|Trưởng Công an|"
    r"Trưởng đoàn|Trưởng Ban|Phó Trưởng Ban|Chủ tịch UBND|Trưởng khoa|Giảng viên|Tổng biên tập)"
)
HONORIFICS = re.compile(
    r"(?:đồng chí|bà|ông|thạc sĩ|tiến sĩ|thạc sỹ|tiến sỹ|TS\.|ThS\.|PGS\.|GS\.|PGS\.TS\.?|"
    r"luật sư|bác sĩ|BS\.|chị|anh)\s+$",
    re.I,
)
BYLINE_CUES = re.compile(r"(?:Ảnh|ảnh|Theo|Tin|Bài|Tin, ảnh|Bài, ảnh|Nguồn)\s*:?\s*$")
_SYL = r"[" + _UPPER + r"][a-zà-ỹđ]*"
_NAME_RUN = re.compile(r"(?<![\w])" + _SYL + r"(?:[ ]" + _SYL + r")+")
_TITLE_AFTER = re.compile(r"\s*[,–-]\s*((?:Phó |phó )?[A-ZĐ][^,.;()\n]{2,90})")
_MAX_GAP = 90
# "Bà X, Chủ tịch Hội LHPN xã cho biết": the title ends where the reporting verb starts.
_SPEECH_VERB = re.compile(r"\s+(?:cho biết|phát biểu|chia sẻ|nhấn mạnh|khẳng định|nói|cho rằng|đề nghị|thông tin|"
                          r"nêu rõ|báo cáo|trao đổi|yêu cầu|đánh giá)\b")


def _split_name(run: str) -> tuple[int, str] | None:
    """The person's name inside a capitalised run ("Hà Nội Bạch Liên Hương" -> "Bạch Liên Hương")."""
    words = run.split(" ")
    for i, word in enumerate(words):
        rest = words[i:]
        if word in SURNAMES and 2 <= len(rest) <= 4:
            return len(" ".join(words[:i])) + (1 if i else 0), " ".join(rest)
    tail = words[-2:]
    if all(w.isascii() for w in tail):
        return len(run) - len(" ".join(tail)), " ".join(tail)
    return None


def _title_before(text: str, start: int, sentence: Sentence) -> str | None:
    window_start = max(sentence.start, start - _MAX_GAP)
    window = text[window_start:start]
    titles = list(TITLES.finditer(window))
    if not titles:
        return None
    title = window[titles[-1].start():].strip(" ,-–")
    return title if title and not re.search(r"[;.:]", title) else None


def _person_at(text: str, start: int, name: str, sentence: Sentence) -> Person | None:
    before = text[max(sentence.start, start - 30):start]
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    if BYLINE_CUES.search(before) or line == name:
        return None
    title = _title_before(text, start, sentence)
    if title is None:
        after = _TITLE_AFTER.match(text, start + len(name))
        title = _SPEECH_VERB.split(after.group(1))[0].strip() if after and TITLES.match(after.group(1)) else None
    if title is None and not HONORIFICS.search(before):
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
        if any(s < end and start < e for s, e in places) or TITLES.match(text, last_word):
            continue
        person = _person_at(text, start, split[1], sentence)
        if person and (person.name not in people or (people[person.name].title is None and person.title)):
            people[person.name] = person
    return sorted(people.values(), key=lambda p: p.start or 0)
