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
    "forum": r"tọa đàm|toạ đàm|hội thảo|diễn đàn|đối thoại|(?<!dự )hội nghị(?! (?:triển khai|tuyên truyền|tập huấn))"
             r"|tổ chức (?:buổi )?(?:sơ kết|tổng kết)",  # a review meeting without the word "hội nghị"
    "communication": r"tuyên truyền(?! viên)|truyền thông|cổ động|văn nghệ|hội thi|cuộc thi|diễu hành|tờ rơi|bản tin"
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
    r"(?:tăng cường|đẩy mạnh|tập trung|yêu cầu|đề nghị|kiến nghị|kêu gọi|cần|phải|nhằm|khuyến khích|"
    r"tại (?:buổi )?|sau (?:buổi )?|khuôn khổ (?:buổi )?|trong (?:buổi )?|bấm nút|nghi thức|"
    r"công tác|việc|hoạt động|về|nội dung|kết quả|đã được|qua|tham gia|mục đích|mục tiêu|điểm nhấn)"
    r"\s*(?:\S+\s+){0,2}$"
    r"|chủ đề\s*(?:\S+\s+){0,4}$"
    r"|tiếp tục hướng dẫn|yêu cầu|đề nghị|kiến nghị|kêu gọi|tăng cường|đẩy mạnh",
    re.I,
)
# A purpose ("nhằm bồi dưỡng ...", "để xây dựng mô hình") between the last comma and the trigger.
PURPOSE = re.compile(r"(?<!\w)(?:nhằm|để|với mục đích|mục tiêu)\s[^,]*$", re.I)
# The trigger noun is the speaker of a request or an assessment: "Đoàn giám sát đề nghị ...".
SPEAKER = re.compile(r"^\S*(?:\s+\S+){0,3}?\s+(?:đã\s+)?(?:đề nghị|yêu cầu|kiến nghị|kêu gọi|nhận thấy|đánh giá"
                     r"|thảo luận|ghi nhận|nhấn mạnh|cho biết|chỉ ra|khẳng định)\b", re.I)
# A clause that opens by pointing back at an activity already reported ("Tại buổi truyền thông,",
# "Mở đầu Hội nghị,", "Qua hai cuộc làm việc ..."): triggers of that activity's type repeat it.
BACK_OPENER = re.compile(r"^(?:tại|mở đầu|kết thúc|bế mạc|khai mạc|sau|ngay sau|qua|trong|tham gia|tham dự"
                         r"|phát biểu tại|trong khuôn khổ|cũng tại)\s+(?:các\s+|những\s+)?(?:\S+\s+)?"
                         r"(?:buổi|cuộc|lễ|hội nghị|chương trình|đợt)?", re.I)
# Openers that place a clause inside the ceremony just reported: it takes the ceremony's date.
AT_THE_CEREMONY = re.compile(r"^(?:tại (?:buổi )?(?:lễ|chương trình|hội nghị)|trong khuôn khổ|ngay sau|sau (?:buổi )?lễ"
                             r"|nhân dịp này|dịp này|cũng tại|tại đây)\b", re.I)
# "Cùng ngày, ..." reports another activity on the date of the one just reported, whatever its type.
SAME_DAY = re.compile(r"^(?:cùng ngày|cũng (?:trong )?ngày này|cũng trong ngày|trong cùng ngày"
                      r"|cùng buổi (?:sáng|chiều))\b", re.I)
# A breakdown ("Trong đó, ...") or a total ("Tổng số tiền ...") of an activity already reported.
RESTATEMENT = re.compile(r"^(?:trong đó|tổng (?:số|cộng|kinh phí|giá trị)|tính chung|như vậy)\b", re.I)
# A count right before the trigger noun: "04 cuộc", "01 cuốn", "hai lớp".
COUNTED = re.compile(r"(?:\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+(?:\S+\s+){0,2}$", re.I)
# Each plan cited with its number and date is its own plan_issued event.
CITED_PLAN = re.compile(r"(?:kế hoạch|công văn|quyết định|chỉ thị|nghị quyết|hướng dẫn) số \S+ ngày", re.I)
# The topics listed after "3 nội dung:" are what a training covered, not activities.
TOPIC_LIST = re.compile(r"(?:nội dung|chuyên đề|chủ đề)\s*(?:chính\s*)?(?:như|gồm|là)?\s*:", re.I)
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
    before = clause[:trigger.start()]
    if PURPOSE.search(before) or SPEAKER.match(clause[trigger.start():]):
        return False
    segment = before[before.rfind(",") + 1:]
    if COUNTED.search(segment):
        # "..., tổ chức 04 cuộc đối thoại": a counted activity is concrete whatever the clause opened with.
        return not NOT_AN_EVENT.search(segment)
    return not NOT_AN_EVENT.search(before)


def _back_reference(clause: str) -> str | None:
    """The event type a clause opener points back to ("Tại buổi truyền thông," -> communication)."""
    opener = BACK_OPENER.match(clause)
    if not opener:
        return None
    head = clause[:clause.find(",")] if "," in clause[:80] else clause[:opener.end() + 30]
    for kind, pattern in _TRIGGERS.items():
        if pattern.search(head):
            return kind
    return None


def _is_caption(line: str) -> bool:
    """A photo caption, a credit line or a short line without a full stop."""
    line = line.strip()
    return bool(_CAPTION.search(line)) or (len(line) <= CAPTION_MAX_CHARS and not line.endswith((".", ":")))


def _line_of(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start:end if end >= 0 else len(text)]


def find_events(text: str, sentences: list[Sentence], dates: list[DateMatch], skip_until: int = 0, *,
                places: list[tuple[int, int, str]] | None = None, main_place: str | None = None,
                organisations: list[tuple[int, int, str]] | None = None) -> list[Event]:
    """Every reported activity of ``text``; sentences before ``skip_until`` (the headline) are skipped.

    ``places`` and ``organisations`` are ``(start, end, name)`` mentions; an event's ``place`` is
    the one named in its clause (after "tại"/"ở" first), else in its sentence, else ``main_place``;
    its ``organiser`` is the organisation named last before the trigger in its clause, else the
    first one after it.
    """
    places, organisations = places or [], organisations or []
    events: list[Event] = []
    launches: set[str | None] = set()
    last_dated: str | None = None
    for sentence in sentences:
        if sentence.start < skip_until or _is_caption(_line_of(text, sentence.start)):
            continue
        topics = TOPIC_LIST.search(sentence.text)
        for start, end in _clauses(sentence):
            if topics and start >= sentence.start + topics.end():
                continue
            clause = text[start:end]
            back = _back_reference(clause)
            restated = bool(RESTATEMENT.match(clause))
            kinds: set[str] = set()
            for kind, pattern in _TRIGGERS.items():
                trigger = next((m for m in pattern.finditer(clause) if _is_event(clause, m)), None)
                if trigger is None or SUBSUMED_BY.get(kind) in kinds or kind == back:
                    continue
                if restated and any(e.type == kind for e in events):
                    continue
                date = _date_for(dates, start, end, sentence)
                if date is None and AT_THE_CEREMONY.match(clause):
                    date = last_dated
                elif date is None and SAME_DAY.match(clause):
                    date = next((e.date for e in reversed(events) if e.date and len(e.date) == 10), None)
                if kind == "launch_ceremony" and launches and (date is None or date in launches):
                    continue
                kinds.add(kind)
                if kind == "launch_ceremony":
                    launches.add(date)
                events.append(Event(
                    type=kind, date=date, text=clause, start=start, end=end, sentence=sentence.text,
                    scheduled=bool(SCHEDULED.search(clause)),
                    place=_place_for(text, places, start, end, sentence) or main_place,
                    organiser=_organiser_for(organisations, start, end, start + trigger.start())))
                if date and kind in CEREMONY_TYPES:
                    last_dated = date
                if kind == "plan_issued":
                    events += _more_plans(text, dates, events[-1], clause, start)
    return _merge_lead(text, _dedupe(events), skip_until)


def _more_plans(text: str, dates: list[DateMatch], first: Event, clause: str, start: int) -> list[Event]:
    """The second and later plans a clause cites with their own number and date."""
    cited = list(CITED_PLAN.finditer(clause))
    more = []
    for i, match in enumerate(cited[1:], start=1):
        lo = start + match.start()
        hi = start + (cited[i + 1].start() if i + 1 < len(cited) else len(clause))
        date = next((d.value for d in dates if lo <= d.start < hi), None)
        if date and date != first.date:
            more.append(first.model_copy(update={"date": date, "text": text[lo:hi].rstrip(" ,"), "start": lo,
                                                 "end": hi}))
    return more


def _dedupe(events: list[Event]) -> list[Event]:
    """The same activity told twice in the same words (a repeated sentence) is one event."""
    kept: list[Event] = []
    for event in events:
        if any(k.type == event.type and k.text == event.text for k in kept):
            continue
        kept.append(event)
    return kept


def _merge_lead(text: str, events: list[Event], skip_until: int) -> list[Event]:
    """The lead paragraph sums up the article: an activity it reports that the body reports again
    is kept once, at the body's (more specific) mention, which takes the lead's date if it has none."""
    lead_start = text.find("\n", skip_until) + 1 if skip_until else 0
    lead_end = text.find("\n", lead_start)
    if lead_start <= 0 or lead_end < 0:
        return events
    result = list(events)
    for event in events:
        if not lead_start <= (event.start or 0) < lead_end or event.type == "launch_ceremony":
            continue
        body = next((i for i, e in enumerate(result) if e.type == event.type and (e.start or 0) >= lead_end), None)
        if body is not None:
            if result[body].date is None and event.date:
                result[body] = result[body].model_copy(update={"date": event.date})
            result.remove(event)
    return result


# Types that are occasions others happen at ("Tại lễ phát động, ... trao quà").
CEREMONY_TYPES = frozenset({"launch_ceremony", "forum", "training", "communication"})


def _place_for(text: str, places: list[tuple[int, int, str]], start: int, end: int,
               sentence: Sentence) -> str | None:
    inside = [p for p in places if start <= p[0] < end]
    located = [p for p in inside if re.search(r"(?:tại|ở)\s+(?:\S+\s+){0,2}$", text[max(0, p[0] - 25):p[0]], re.I)]
    if located or inside:
        return (located or inside)[0][2]
    in_sentence = [p for p in places if sentence.start <= p[0] < sentence.end]
    return in_sentence[0][2] if in_sentence else None


def _organiser_for(organisations: list[tuple[int, int, str]], start: int, end: int, trigger: int) -> str | None:
    before = [o for o in organisations if start <= o[0] and o[1] <= trigger]
    after = [o for o in organisations if trigger <= o[0] < end]
    chosen = before[-1] if before else (after[0] if after else None)
    return chosen[2] if chosen else None
