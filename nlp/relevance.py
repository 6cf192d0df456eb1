"""How much an article is about gender-equality work (0..1), and its topics.

The score grows with weighted hits of ``RELEVANCE_TERMS`` per 1,000 characters and
saturates at 1. The headline sets a floor: naming the action month, "bình đẳng giới" or
gender-based violence gives at least 0.8; being about women or girls (women candidates
and leaders, women's unions, loans to women) at least 0.6. ``tests/relevance_labels.json``
holds on/off-topic labels for the devset that the test suite checks the score against.
"""

from __future__ import annotations

import math
import re

__all__ = ["RELEVANCE_TERMS", "TOPICS", "TOPIC_MIN_RELEVANCE", "relevance", "topics"]

_WOMEN_IN_POWER = (r"(?:số lượng |tỷ lệ |tỉ lệ )?nữ (?:ứng cử|đại biểu|lãnh đạo|cán bộ|trúng cử)|đại biểu nữ"
                   r"|cán bộ nữ|phụ nữ (?:vào|tham gia) (?:vị trí )?lãnh đạo")
RELEVANCE_TERMS: dict[str, float] = {
    r"bình đẳng giới|bđg": 3.0, r"bạo lực (?:trên cơ sở|dựa trên) giới": 3.0, r"bạo lực gia đình": 2.0,
    r"tiến bộ (?:của )?phụ nữ": 2.0, r"trao quyền cho phụ nữ|quyền năng (?:cho )?phụ nữ": 2.0,
    r"phụ nữ|trẻ em gái|lao động nữ|nữ giới": 1.0, r"hội (?:liên hiệp phụ nữ|lhpn)": 1.0,
    r"định kiến giới|khuôn mẫu giới|mất cân bằng giới tính": 2.0, r"dự án 8": 1.5,
    _WOMEN_IN_POWER: 2.0, r"chị em|hội viên": 0.5,
}
TOPICS: dict[str, str] = {
    "gender_equality": r"bình đẳng giới|bđg",
    "gender_based_violence": r"bạo lực (?:trên cơ sở|dựa trên) giới",
    "domestic_violence": r"bạo lực gia đình",
    "women_leadership": _WOMEN_IN_POWER,
    "economic_empowerment": r"vay vốn|sinh kế|giải ngân|việc làm|thoát nghèo",
    "sex_ratio_at_birth": r"mất cân bằng giới tính|giới tính khi sinh",
    "ethnic_minority_women": r"dự án 8|dân tộc thiểu số|dtts",
    "children": r"trẻ em",
}
_TERMS = [(re.compile(p, re.I), w) for p, w in RELEVANCE_TERMS.items()]
_TOPICS = {name: re.compile(p, re.I) for name, p in TOPICS.items()}
_HEADLINE = re.compile(r"bình đẳng giới|tháng hành động vì|bạo lực (?:gia đình|trên cơ sở giới)", re.I)
_WOMEN_HEADLINE = re.compile(r"phụ nữ|trẻ em gái|lao động nữ|nữ giới|hội lhpn|" + _WOMEN_IN_POWER, re.I)
_SCALE = 6.0
# Below this score the broad topics ("việc làm", "trẻ em", "dân tộc thiểu số") describe
# general news, not gender-equality coverage, so the pipeline leaves topics empty.
TOPIC_MIN_RELEVANCE = 0.3


def relevance(text: str, title: str = "") -> float:
    """A 0..1 score of gender-equality coverage."""
    if not text:
        return 0.0
    weight = sum(w * len(p.findall(text)) for p, w in _TERMS)
    score = 1.0 - math.exp(-weight * 1000 / max(len(text), 500) / _SCALE)
    if title and _HEADLINE.search(title):
        score = max(score, 0.8)
    elif title and _WOMEN_HEADLINE.search(title):
        score = max(score, 0.6)
    return round(score, 3)


def topics(text: str) -> list[str]:
    """Topic labels whose terms occur at least twice (once for the rarer ones) in ``text``."""
    return [name for name, pattern in _TOPICS.items() if len(pattern.findall(text)) >= (2 if name == "children" else 1)]
