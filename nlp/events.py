"""Activities reported as held or scheduled, typed with the devset's nine event types.

A clause (a sentence piece between ";" or line breaks) yields one event per type whose
trigger it contains, unless the trigger is only intended ("tăng cường tuyên truyền"),
requested ("đề nghị", "yêu cầu"), or refers back to a ceremony already reported ("tại buổi
lễ"). Captions and the headline repeat the body and are skipped. The date is the date
written in the clause, else in its sentence; "sẽ", "dự kiến", "dự định", "định hướng"
mark the event as scheduled.
"""

from __future__ import annotations

import re

from newsmon.models import Event
from nlp.dates import DateMatch
from nlp.normalize import Sentence

__all__ = ["EVENT_TRIGGERS", "find_events"]

# Trigger patterns per type, matched case-insensitively.
EVENT_TRIGGERS: dict[str, str] = {
    "launch_ceremony": r"lễ phát động|lễ mít tinh|mít tinh hưởng ứng|lễ ra quân"
                       r"|(?<!nghi thức )phát động tháng hành động",
    "plan_issued": r"(?:ban hành|có|xây dựng|vừa có|triển khai) (?:kế hoạch|công văn|quyết định|chỉ thị|hướng dẫn)"
                   r"|(?:kế hoạch|công văn|quyết định|chỉ thị|nghị quyết) số \S+ ngày"
                   r"|^(?:theo )?kế hoạch số",
    "training": r"tập huấn|bồi dưỡng|hội nghị triển khai",
    "forum": r"tọa đàm|toạ đàm|hội thảo|diễn đàn|đối thoại|(?<!dự )hội nghị(?! (?:triển khai|tuyên truyền|tập huấn))",
    "communication": r"tuyên truyền|truyền thông|cổ động|văn nghệ|hội thi|cuộc thi|diễu hành|tờ rơi|bản tin"
                     r"|bảng điện tử|phát hành .{0,40}(?:sổ tay|tài liệu|sản phẩm)",
    "support": r"trao (?:tặng )?.{0,20}(?:quà|học bổng)|tặng quà|giải ngân|được vay vốn|thăm hỏi|trợ giúp"
               r"|(?:đã|đã trao) hỗ trợ|hỗ trợ (?:hơn |gần |trên )?\d",
    "inspection": r"giám sát|kiểm tra|đoàn công tác",
    "recognition": r"biểu dương|khen thưởng|tôn vinh|bằng khen|giấy khen",
    "model_setup": r"(?:thành lập|nâng cấp|kiện toàn|nhân rộng|ra mắt|xây dựng) .{0,40}"
                   r"(?:mô hình|câu lạc bộ|clb|địa chỉ tin cậy|nhà tạm lánh)",
}
_TRIGGERS = {kind: re.compile(pattern, re.I) for kind, pattern in EVENT_TRIGGERS.items()}
# Words before a trigger (in its clause) that make it an intention, a request or a reference.
NOT_AN_EVENT = re.compile(
    r"(?:tăng cường|đẩy mạnh|yêu cầu|đề nghị|kêu gọi|cần|phải|nhằm|chủ đề|khuyến khích|"
    r"tại (?:buổi )?|sau (?:buổi )?|khuôn khổ (?:buổi )?|trong (?:buổi )?|bấm nút|nghi thức|"
    r"công tác|việc|hoạt động|về|nội dung|kết quả|đã được|qua|tham gia|mục đích|mục tiêu|điểm nhấn)"
    r"\s*(?:\S+\s+){0,2}$"
    r"|tiếp tục hướng dẫn|yêu cầu|đề nghị|kêu gọi|tăng cường|đẩy mạnh",
    re.I,
)
# A trigger noun that opens its clause and is followed by one of these is a reference back.
REFERENCE_BACK = re.compile(r"^\S*\s?\S+\s(?:\S+\s)?(?:nhận thấy|đánh giá|do|là|có|được)\b", re.I)
# Types whose trigger words are part of another type's name in the same clause.
SUBSUMED_BY = {"communication": "launch_ceremony"}
SCHEDULED = re.compile(r"\b(?:sẽ|dự kiến|dự định|định hướng|kế hoạch tổ chức)\b", re.I)
_CLAUSE_SPLIT = re.compile(r";\s*|:\s+(?=[a-zđ])|\.\s+|\),\s+")
_CAPTION = re.compile(r"\(?(?:Ảnh|ảnh)\s*:?\s*[A-ZĐ][^\n]{0,40}\)?\.?$|^Ảnh\b|^\(.*\)$")
# A line this short without a final full stop is a caption or a subheading.
CAPTION_MAX_CHARS = 90


def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Offsets of the clauses of ``sentence``."""
    pieces, start = [], sentence.start
    for match in _CLAUSE_SPLIT.finditer(sentence.text):
        pieces.append((start, sentence.start + match.start()))
        start = sentence.start + match.end()
    pieces.append((start, sentence.end))
    return [(s, e) for s, e in pieces if e > s]


def _date_for(dates: list[DateMatch], start: int, end: int, sentence: Sentence) -> str | None:
    for lo, hi in ((start, end), (sentence.start, sentence.end)):
        inside = [d for d in dates if lo <= d.start < hi]
        if inside:
            return inside[0].value
    return None


def _is_event(clause: str, trigger: re.Match[str]) -> bool:
    if trigger.start() < 12 and REFERENCE_BACK.match(clause):
        return False
    return not NOT_AN_EVENT.search(clause[:trigger.start()])


def _is_caption(line: str) -> bool:
    """A photo caption, a credit line or a short line without a full stop."""
    line = line.strip()
    return bool(_CAPTION.search(line)) or (len(line) <= CAPTION_MAX_CHARS and not line.endswith((".", ":")))


def _line_of(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start:end if end >= 0 else len(text)]


def find_events(text: str, sentences: list[Sentence], dates: list[DateMatch], skip_until: int = 0) -> list[Event]:
    """Every reported activity of ``text``; sentences before ``skip_until`` (the headline) are skipped."""
    events: list[Event] = []
    launches: set[str | None] = set()
    for sentence in sentences:
        if sentence.start < skip_until or _is_caption(_line_of(text, sentence.start)):
            continue
        for start, end in _clauses(sentence):
            clause = text[start:end]
            kinds: set[str] = set()
            for kind, pattern in _TRIGGERS.items():
                trigger = next((m for m in pattern.finditer(clause) if _is_event(clause, m)), None)
                if trigger is None or SUBSUMED_BY.get(kind) in kinds:
                    continue
                date = _date_for(dates, start, end, sentence)
                if kind == "launch_ceremony" and launches and (date is None or date in launches):
                    continue
                kinds.add(kind)
                if kind == "launch_ceremony":
                    launches.add(date)
                events.append(Event(type=kind, date=date, text=clause, start=start, end=end,
                                    sentence=sentence.text, scheduled=bool(SCHEDULED.search(clause))))
    return events
