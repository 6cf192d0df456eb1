"""Organisations named in the article, with their usual abbreviation.

Each entry of ``ORGANISATIONS`` is a pattern covering the full name and its
abbreviations ("Ủy ban nhân dân", "UBND"); the name kept is the text as written, followed
by its level and place when the text gives them ("UBND huyện Cam Lộ").
"""

from __future__ import annotations

import re

from newsmon.models import Organisation
from nlp.locations import _UPPER

__all__ = ["ORGANISATIONS", "find_organisations"]

ORGANISATIONS: list[tuple[str, str]] = [
    (r"Ủy ban nhân dân|Uỷ ban nhân dân|UBND", "UBND"),
    (r"Hội đồng nhân dân|HĐND", "HĐND"),
    (r"(?:Ủy ban |Uỷ ban )?(?:Mặt trận Tổ quốc|MTTQ)(?: Việt Nam)?", "MTTQ"),
    (r"Sở (?:Lao động\s?-\s?Thương binh và Xã hội|LĐTB&XH|LĐ-TB&XH|LĐ-TB và XH|LĐTBXH)", "Sở LĐTB&XH"),
    (r"Bộ (?:Lao động\s?-\s?Thương binh và Xã hội|LĐTB&XH|LĐ-TB&XH|LĐ-TB và XH|LĐTBXH)", "Bộ LĐTB&XH"),
    (r"Hội (?:Liên hiệp Phụ nữ|Liên hiệp phụ nữ|liên hiệp phụ nữ|LHPN)", "Hội LHPN"),
    (r"Ban Vì sự tiến bộ (?:của )?[Pp]hụ nữ", None),
    (r"Ngân hàng [Cc]hính sách [Xx]ã hội|NHCSXH", "NHCSXH"),
    (r"Đoàn Thanh niên(?: Cộng sản Hồ Chí Minh)?", "Đoàn TN"),
    (r"Hội Nông dân", None),
    (r"Liên đoàn Lao động", "LĐLĐ"),
    (r"Cơ quan Liên hợp quốc về bình đẳng giới và trao quyền cho phụ nữ|UN Women", "UN Women"),
    (r"Bộ (?:Nội vụ|Y tế|Văn hóa, Thể thao và Du lịch|Giáo dục và Đào tạo|Công an|Tư pháp)", None),
    (r"Sở (?:Văn hóa, Thể thao và Du lịch|Y tế|Nội vụ|Tư pháp|Giáo dục và Đào tạo)", None),
    (r"Hội Khuyến học", None),
    (r"Ban Dân tộc", None),
]
_LEVEL_SUFFIX = (r"(?:\s(?:tỉnh|thành phố|TP\.?|quận|huyện|thị xã|xã|phường|thị trấn)"
                 r"(?:\s[" + _UPPER + r"][\w']*){1,4})?")
_PATTERNS = [(re.compile(r"(?<![\w])(?:" + p + r")" + _LEVEL_SUFFIX), abbr) for p, abbr in ORGANISATIONS]


def find_organisations(text: str) -> list[Organisation]:
    """Every distinct organisation mention of ``text``, first occurrence each, in text order."""
    found: dict[str, Organisation] = {}
    for pattern, abbreviation in _PATTERNS:
        for match in pattern.finditer(text):
            name = match.group()
            if name not in found:
                found[name] = Organisation(name=name, abbreviation=abbreviation,
                                           start=match.start(), end=match.end())
    return sorted(found.values(), key=lambda o: o.start or 0)
