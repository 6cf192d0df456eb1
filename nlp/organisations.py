"""Organisations named in the article, expanded to their full name and usual abbreviation.

Each entry of ``ORGANISATIONS`` gives the full name, the usual abbreviation and a pattern
covering both and the common spellings ("Ủy ban nhân dân", "Uỷ ban nhân dân", "UBND"). A
mention keeps the level and place the text gives ("UBND huyện Cam Lộ"): ``name`` is the full
form with that place ("Ủy ban nhân dân huyện Cam Lộ"), ``abbreviation`` the short form
("UBND"), ``place`` the place part and ``text`` the words as written. Mentions that expand to
the same name are one organisation (its first mention).
"""

from __future__ import annotations

import re

from newsmon.models import Organisation
from nlp.locations import _UPPER

__all__ = ["ORGANISATIONS", "find_organisations", "normalise_organisation", "organisation_mentions"]

_LĐTBXH = r"(?:Lao động\s?[-–]\s?Thương binh và Xã hội|LĐ\s?[-–]?\s?TB\s?(?:&|và)\s?XH|LĐTB&XH|LĐTBXH|LĐ-TBXH)"
_VHTTDL = r"(?:Văn hóa, Thể thao và Du lịch|Văn hoá, Thể thao và Du lịch|VH,?\s?TT\s?(?:&|và)\s?DL|VHTTDL|VH-TT&DL)"
_LHPN = r"(?:Liên hiệp Phụ nữ|Liên hiệp phụ nữ|liên hiệp phụ nữ|LHPN)"

# (full name, abbreviation, pattern of every spelling).
ORGANISATIONS: list[tuple[str, str | None, str]] = [
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", "MTTQ",
     r"(?:Ủy ban |Uỷ ban |UB )?(?:Mặt trận Tổ quốc|MTTQ)(?: Việt Nam| VN)?"),
    ("Ủy ban nhân dân", "UBND", r"Ủy ban nhân dân|Uỷ ban nhân dân|UBND"),
    ("Hội đồng nhân dân", "HĐND", r"Hội đồng nhân dân|HĐND"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở LĐTB&XH", r"Sở " + _LĐTBXH),
    ("Bộ Lao động - Thương binh và Xã hội", "Bộ LĐTB&XH", r"Bộ " + _LĐTBXH),
    ("Phòng Lao động - Thương binh và Xã hội", "Phòng LĐTB&XH", r"Phòng " + _LĐTBXH),
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL", r"Sở " + _VHTTDL),
    ("Bộ Văn hóa, Thể thao và Du lịch", "Bộ VHTTDL", r"Bộ " + _VHTTDL),
    ("Trung ương Hội Liên hiệp Phụ nữ Việt Nam", "TW Hội LHPN Việt Nam",
     r"(?:Trung ương|TW|T\.Ư|TƯ) Hội " + _LHPN + r"(?: Việt Nam| VN)"),
    ("Hội Liên hiệp Phụ nữ", "Hội LHPN", r"Hội " + _LHPN),
    ("Ban Vì sự tiến bộ của phụ nữ", "Ban VSTBPN", r"Ban [Vv]ì sự tiến bộ (?:của )?[Pp]hụ nữ|Ban VSTBPN|Ban VSTBCPN"),
    ("Ngân hàng Chính sách xã hội", "NHCSXH", r"Ngân hàng [Cc]hính sách [Xx]ã hội|NHCSXH|NH CSXH"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn TNCS Hồ Chí Minh",
     r"Đoàn Thanh niên(?: Cộng sản Hồ Chí Minh)?|Đoàn TNCS(?: Hồ Chí Minh| HCM)?"),
    ("Hội Nông dân", None, r"Hội Nông dân|Hội ND"),
    ("Hội Cựu chiến binh", "Hội CCB", r"Hội Cựu chiến binh|Hội CCB"),
    ("Liên đoàn Lao động", "LĐLĐ", r"Liên đoàn Lao động|LĐLĐ"),
    ("Cơ quan Liên hợp quốc về bình đẳng giới và trao quyền cho phụ nữ", "UN Women",
     r"Cơ quan Liên hợp quốc về bình đẳng giới và trao quyền cho phụ nữ|UN Women"),
    ("Quỹ Dân số Liên hợp quốc", "UNFPA", r"Quỹ Dân số Liên hợp quốc|UNFPA"),
    ("Bộ Nội vụ", None, r"Bộ Nội vụ"),
    ("Bộ Y tế", None, r"Bộ Y tế"),
    ("Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT", r"Bộ Giáo dục và Đào tạo|Bộ GD&ĐT|Bộ GDĐT"),
    ("Bộ Công an", None, r"Bộ Công an"),
    ("Bộ Tư pháp", None, r"Bộ Tư pháp"),
    ("Sở Y tế", None, r"Sở Y tế"),
    ("Sở Nội vụ", None, r"Sở Nội vụ"),
    ("Sở Tư pháp", None, r"Sở Tư pháp"),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", r"Sở Giáo dục và Đào tạo|Sở GD&ĐT|Sở GDĐT"),
    ("Công an", None, r"Công an(?= (?:tỉnh|thành phố|TP|quận|huyện|thị xã|xã|phường|thị trấn)\b)"),
    ("Hội Khuyến học", None, r"Hội Khuyến học"),
    ("Ban Dân tộc", None, r"Ban Dân tộc"),
    ("Ban Tuyên giáo", None, r"Ban Tuyên giáo"),
    ("Ban Dân vận", None, r"Ban Dân vận"),
    ("Tỉnh ủy", None, r"Tỉnh ủy|Tỉnh uỷ"),
    ("Thành ủy", None, r"Thành ủy|Thành uỷ"),
    ("Huyện ủy", None, r"Huyện ủy|Huyện uỷ"),
    ("Quận ủy", None, r"Quận ủy|Quận uỷ"),
]
_LEVEL_WORD = r"(?:[Tt]ỉnh|[Tt]hành phố|TP\.?|[Qq]uận|[Hh]uyện|[Tt]hị xã|TX\.?|xã|[Pp]hường|[Tt]hị trấn)"
_NAME = r"(?:\s(?:[" + _UPPER + r"][\w'’]*|\d{1,2})){1,4}"
# An optional "(UBND)" after a full name, then the level and place: "tỉnh Quảng Trị", "thành phố".
_SUFFIX = (r"(?P<abbr>\s?\([^()\n]{2,20}\))?"
           r"(?P<place>\s" + _LEVEL_WORD + r"(?:" + _NAME + r")?(?![\w])"
           r"|(?:\s[" + _UPPER + r"][\w'’]*){1,3}(?![\w])(?!\s[" + _UPPER + r"]))?")
_LEVEL_SPELLING = [
    (re.compile(r"^(?:TP\.?|Thành phố)(?=\s|$)"), "thành phố"), (re.compile(r"^(?:TX\.?|Thị xã)(?=\s|$)"), "thị xã"),
    (re.compile(r"^Tỉnh(?=\s|$)"), "tỉnh"), (re.compile(r"^Huyện(?=\s|$)"), "huyện"),
    (re.compile(r"^Quận(?=\s|$)"), "quận"), (re.compile(r"^Phường(?=\s|$)"), "phường"),
    (re.compile(r"^Thị trấn(?=\s|$)"), "thị trấn"),
]
# A person's name often follows an organisation ("Thứ trưởng Bộ LĐTB&XH Nguyễn Thị Hà"): a place
# name stops at a family name.
FAMILY_NAMES = frozenset(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
                          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Trịnh", "Đinh", "Lương", "Mai"])
_LEVEL_ONLY = re.compile(_LEVEL_WORD)


def _is_place(name: str) -> bool:
    from nlp.gazetteer import gazetteer

    return bool(gazetteer().lookup(name) or gazetteer().province(name))


def _place(text: str, match: re.Match[str]) -> tuple[str, int]:
    """The place part of a mention, in the usual spelling of its level word ("TP Huế" -> "thành phố
    Huế") and cut before a person's name, and where the mention then ends."""
    if not match.group("place"):
        return "", match.end("abbr") if match.group("abbr") else match.start("place")
    start = match.start("place")
    words = list(re.finditer(r"\S+", text[start:match.end()]))
    level = _LEVEL_ONLY.match(text, start + words[0].start())
    first_name = 1 if level else 0
    if level and len(level.group().split()) == 2:
        first_name = 2
    keep = len(words)
    for i, word in enumerate(words):
        if word.group() in FAMILY_NAMES and (i == first_name if not level else i > first_name):
            keep = i
            break
    if level and keep > first_name and words[first_name].group() in FAMILY_NAMES:
        # "UBND huyện Trần Thị Minh Châu": a person unless the gazetteer knows the name ("huyện Hoàng Su Phì").
        names = [w.group() for w in words[first_name:keep]]
        known = next((n for n in range(len(names), 0, -1) if _is_place(" ".join(names[:n]))), 0)
        keep = first_name + known
    if keep <= first_name - (1 if level else 0):
        return "", start
    end = start + words[keep - 1].end()
    place = text[start:end].strip()
    for pattern, spelling in _LEVEL_SPELLING:
        place = pattern.sub(spelling, place)
    return place, end


_PATTERNS = [(re.compile(r"(?<![\w/-])(?:" + pattern + r")(?![\w&])" + _SUFFIX), full, abbreviation)
             for full, abbreviation, pattern in ORGANISATIONS]
# All names in one pattern, earlier entries first, for one pass over the text.
_ANY = re.compile(r"(?<![\w/-])(?:" + "|".join(f"(?P<o{i}>{pattern})" for i, (_, _, pattern)
                                                  in enumerate(ORGANISATIONS)) + r")(?![\w&])" + _SUFFIX)


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("Uỷ", "Ủy").replace("uỷ", "ủy")).strip().casefold()


def normalise_organisation(text: str) -> tuple[str, str | None] | None:
    """Full name and abbreviation of an organisation written as ``text`` ("UBND tỉnh Nghệ An"
    -> ("Ủy ban nhân dân tỉnh Nghệ An", "UBND")), or None when ``text`` does not start with one."""
    for pattern, full, abbreviation in _PATTERNS:
        match = pattern.match(text.strip())
        if match:
            place, _ = _place(text.strip(), match)
            return (f"{full} {place}" if place else full), abbreviation
    return None


def _entry(match: re.Match[str]) -> int:
    """Which entry of ``ORGANISATIONS`` matched (the named group that took part)."""
    return next(i for i in range(len(ORGANISATIONS)) if match.group(f"o{i}") is not None)


def organisation_mentions(text: str) -> list[Organisation]:
    """Every organisation mention of ``text``, repeats included, in text order."""
    mentions: list[Organisation] = []
    for match in _ANY.finditer(text):
        full, abbreviation, _ = ORGANISATIONS[_entry(match)]
        place, end = _place(text, match)
        end = max(end, match.end(0) - len(match.group("place") or ""))
        written = text[match.start():end]
        if match.group("abbr"):
            written = written.replace(match.group("abbr"), "")
        mentions.append(Organisation(name=f"{full} {place}" if place else full, abbreviation=abbreviation,
                                     text=written.strip(), place=place or None, start=match.start(), end=end))
    return mentions


def find_organisations(text: str, mentions: list[Organisation] | None = None) -> list[Organisation]:
    """Every distinct organisation of ``text`` (same full name = same organisation), at its first
    mention, in text order."""
    found: dict[str, Organisation] = {}
    for mention in organisation_mentions(text) if mentions is None else mentions:
        found.setdefault(_key(mention.name), mention)
    return list(found.values())
