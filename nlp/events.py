"""Activities reported as held or scheduled, typed with the devset's nine event types.

The trigger lexicon and its context cues are data: ``nlp/data/events.yaml`` and
``nlp/data/event_context.yaml``. A clause (a sentence piece between ";", ": " or a full stop)
yields one candidate per type whose trigger it contains, unless the trigger is only intended
("tăng cường tuyên truyền"), requested ("đề nghị", and what the request runs on to after ";"
or "Đồng thời"), a purpose ("nhằm ..."), an assessment ("Hội thi góp phần ...") or part of a
name ("tổ truyền thông"). The headline, the photo captions and every clause, the text's first
included, are searched. Then each candidate is dated (``nlp.event_dates``) and the retellings
of one activity are merged (``nlp.event_merge``). "sẽ", "dự kiến", "dự định", "định hướng"
mark an event as scheduled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsmon.models import Document, Event
from nlp.dates import DateMatch, find_dates, years_in
from nlp.event_candidates import Candidate, line_of, line_start
from nlp.event_dates import assign_dates
from nlp.event_lexicon import EventLexicon, event_lexicon
from nlp.event_merge import merge_retellings
from nlp.normalize import Sentence

__all__ = ["find_events"]

# A count right before the trigger noun: "04 cuộc", "01 cuốn", "hai lớp".
COUNTED = re.compile(r"(?:\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+(?:\S+\s+){0,2}$", re.I)
_CLAUSE_SPLIT = re.compile(r";\s*|:\s+(?=[a-zđ])|\.\s+|\),\s+")
_CAPTION = re.compile(r"\(?(?:Ảnh|ảnh)\s*:?\s*[A-ZĐ][^\n]{0,40}\)?\.?$|^Ảnh\b|^\(.*\)$")
# A line this short without a final full stop is a caption or a subheading.
CAPTION_MAX_CHARS = 90
# A one-sentence line this short, without a date or a tense word, reads as a photo caption.
CAPTION_SENTENCE_MAX_CHARS = 200
# How much of a clause from its trigger on tells what the activity is ("trao 25 suất quà Tết").
WINDOW_CHARS = 80
# How far a launch's name runs: "lễ phát động chiến dịch truyền thông".
SUBSUMED_GAP_CHARS = 30
# How far after "nhằm" a meeting's stated purpose is read.
PURPOSE_WINDOW_CHARS = 40


@dataclass
class _Scan:
    """The article being scanned and what carries from one sentence to the next."""

    text: str
    dates: list[DateMatch]
    headline_end: int
    places: list[tuple[int, int, str]]
    organisations: list[tuple[int, int, str]]
    documents: list[Document]
    lead: tuple[int, int]
    lex: EventLexicon = field(default_factory=event_lexicon)
    requested: bool = False


def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Offsets of the clauses of ``sentence``."""
    pieces, start = [], sentence.start
    for match in _CLAUSE_SPLIT.finditer(sentence.text):
        pieces.append((start, sentence.start + match.start()))
        start = sentence.start + match.end()
    pieces.append((start, sentence.end))
    return [(s, e) for s, e in pieces if e > s]


def _in_quotes(clause: str, position: int) -> bool:
    """Whether ``position`` lies inside quotation marks: a name ("mô hình “Trao yêu thương”")."""
    before = clause[:position]
    single = len(re.findall(r"(?<!\w)['‘]", before)) > len(re.findall(r"['’](?!\w)", before))
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1 or single


def _is_subject(segment: str) -> bool:
    """Whether the trigger opens its clause piece, as its subject ("Đoàn giám sát đề nghị")."""
    words = segment.split()
    return len(words) <= 3 and "tổ chức" not in segment.lower()


def _verdict(lex: EventLexicon, clause: str, start: int, end: int) -> str | None:
    """What the trigger at ``start`` does: "event" when it reports an activity, "reference" when it
    points at or judges one, None when it names none (see the module docstring)."""
    before = clause[:start]
    if lex.purpose.search(before) or lex.right_before.search(before) or _in_quotes(clause, start):
        return None
    segment = before[before.rfind(",") + 1:]
    if lex.purpose_opener.match(clause) and not lex.done_markers.search(segment):
        return None
    subject = _is_subject(segment)
    if subject and lex.speaker.match(clause, start):
        return None
    # "..., tổ chức 04 cuộc đối thoại", "phát hành 01 cuốn sổ tay": a counted activity is concrete
    # whatever the clause opened with.
    scope = segment if COUNTED.search(segment) or re.search(r"\d", clause[start:end]) else before
    if lex.not_an_event_before.search(scope) or lex.reference_words.search(scope):
        return None
    if lex.occasion_words.search(before) or lex.evaluative_after.match(clause, end):
        return "reference"
    if subject and (lex.evaluative.match(clause, start) or lex.retelling.match(clause, start)):
        return "reference"
    return None if lex.results_opener.match(clause) else "event"


def _trigger(scan: _Scan, kind: str, clause: str, at_sentence_start: bool) -> tuple[re.Match[str], str] | None:
    lexicon = scan.lex.types[kind]
    for match in lexicon.finditer(clause):
        named = kind != "plan_issued" and scan.lex.document_before.search(clause, 0, match.start())
        if not named and not lexicon.is_voided(clause, match.start(), match.end()):
            verdict = _verdict(scan.lex, clause, match.start(), match.end())
            if verdict:
                return match, verdict
    if kind == "plan_issued":
        for match in scan.lex.plan_titles.finditer(clause):
            verdict = _verdict(scan.lex, clause, match.start(), match.end())
            if (match.start() or not at_sentence_start) and verdict:
                return match, verdict
    return None


def _back_reference(lex: EventLexicon, clause: str) -> str | None:
    """The event type a clause opener points back to ("Tại buổi truyền thông," -> communication)."""
    opener = lex.back_opener.match(clause)
    if not opener:
        return None
    head = clause[:clause.find(",")] if "," in clause[:80] else clause[:opener.end() + 30]
    return next((kind for kind, t in lex.types.items() if t.search(head)), None)


def _purpose_type(lex: EventLexicon, clause: str, meeting: re.Match[str]) -> str | None:
    """The type a meeting's stated purpose gives it ("hội nghị ... nhằm bồi dưỡng" -> training)."""
    if not lex.meetings.match(clause, meeting.start()):
        return None
    purpose = lex.purpose_words.search(clause, meeting.end())
    if purpose is None:
        return None
    window = (purpose.end(), purpose.end() + PURPOSE_WINDOW_CHARS)
    return next((kind for kind in lex.typed_by_purpose if lex.types[kind].search(clause, *window)), None)


def _kinds(scan: _Scan, clause: str, at_sentence_start: bool) -> dict[str, tuple[re.Match[str], str]]:
    found = {}
    for kind in scan.lex.types:
        trigger = _trigger(scan, kind, clause, at_sentence_start)
        if trigger is not None:
            found[kind] = trigger
    if "forum" in found:
        purpose = _purpose_type(scan.lex, clause, found["forum"][0])
        if purpose and purpose not in found:
            found[purpose] = found.pop("forum")
    for kind, subsumers in scan.lex.subsumed_by.items():
        if kind in found and any(_names(clause, found[s][0], found[kind][0]) for s in subsumers if s in found):
            del found[kind]
    return found


def _names(clause: str, name: re.Match[str], inside: re.Match[str]) -> bool:
    """Whether two triggers name one activity ("lễ phát động chiến dịch truyền thông", "hội nghị tập
    huấn"): a few words apart, no comma between."""
    first, second = sorted((name, inside), key=lambda m: m.start())
    gap = clause[first.end():second.start()]
    return len(gap) <= SUBSUMED_GAP_CHARS and not re.search(r"[,;:()]", gap)


def _opener(lex: EventLexicon, clause: str) -> str | None:
    if lex.occasion_opener.match(clause):
        return "occasion"
    return "same_day" if lex.same_day_opener.match(clause) else None


def _is_scheduled(lex: EventLexicon, text: str, sentence_start: int, trigger: int, end: int) -> bool:
    """A planning word before the trigger in its sentence, or after it before the next comma
    ("Tập huấn sẽ được tổ chức ...")."""
    comma = text.find(",", trigger, end)
    return bool(lex.scheduled.search(text, sentence_start, trigger)
                or lex.scheduled.search(text, trigger, comma if comma >= 0 else end))


def _words(lex: EventLexicon, text: str) -> frozenset[str]:
    """The content syllables of ``text``: no numbers, function words or words of the domain's topic."""
    words = {w.strip(".,;:()“”\"'").lower() for w in text.split()}
    return frozenset(w for w in words if w and not w[0].isdigit()
                     and w not in lex.function_words and w not in lex.topic_words)


def _clause_candidates(scan: _Scan, sentence: Sentence, start: int, end: int, role: str) -> list[Candidate]:
    clause = scan.text[start:end]
    back = _back_reference(scan.lex, clause)
    return [_candidate(scan, sentence, (start, end), role, kind, trigger, kind == back or verdict == "reference")
            for kind, (trigger, verdict) in _kinds(scan, clause, start == sentence.start).items()]


def _candidate(scan: _Scan, sentence: Sentence, span: tuple[int, int], role: str, kind: str,
               trigger: re.Match[str], reference: bool) -> Candidate:
    lex, (start, end) = scan.lex, span
    clause = scan.text[start:end]
    at = start + trigger.start()
    before = clause[:trigger.start()]
    count = COUNTED.search(before[before.rfind(",") + 1:])
    return Candidate(
        kind=kind, start=start, end=end, text=clause, sentence=sentence, trigger=at, role=role,
        paragraph=line_start(scan.text, start), reference=reference,
        restated=bool(lex.restatement_opener.match(clause) or lex.breakdown_words.search(before)),
        counted=bool(count) and count.group().split()[0].lower() not in ("1", "01", "một"),
        words=_words(lex, scan.text[at:min(end, at + WINDOW_CHARS)]),
        opener=_opener(lex, clause), scheduled=_is_scheduled(lex, scan.text, sentence.start, at, end),
        aggregate=bool(lex.period_words.search(clause)), second_actor=bool(lex.also_words.search(before)),
        place=_place_for(scan.text, scan.places, start, end, sentence),
        organiser=_organiser_for(scan.organisations, start, end, at))


def _more_plans(scan: _Scan, first: Candidate) -> list[Candidate]:
    """The second and later documents a clause cites, each a plan of its own."""
    cited = [d for d in scan.documents if first.start <= (d.start or 0) < first.end and (d.end or 0) > first.trigger]
    more = []
    for i, document in enumerate(cited[1:], start=1):
        lo = document.start or 0
        hi = (cited[i + 1].start or 0) if i + 1 < len(cited) else first.end
        more.append(Candidate(kind="plan_issued", start=lo, end=hi, text=scan.text[lo:hi].rstrip(" ,"),
                              sentence=first.sentence, trigger=lo, role=first.role, paragraph=first.paragraph,
                              place=first.place, organiser=first.organiser))
    return more


def _is_short_line(line: str) -> bool:
    """A photo credit, a caption in brackets, or a short line without a full stop."""
    return bool(_CAPTION.search(line)) or (len(line) <= CAPTION_MAX_CHARS and not line.endswith((".", ":")))


def _role(scan: _Scan, sentence: Sentence) -> str:
    """The sentence's role: "headline"; "caption" for a photo credit or a short line without a full
    stop; "caption_like" for a one-sentence line without a date, a year or a tense word (a caption
    when it retells an activity of the body); else "body". The lead paragraph is body."""
    if sentence.start < scan.headline_end:
        return "headline"
    if scan.lead[0] <= sentence.start < scan.lead[1]:
        return "body"
    line = line_of(scan.text, sentence.start).strip()
    if _is_short_line(line):
        return "caption"
    one_sentence = line == sentence.text and len(line) <= CAPTION_SENTENCE_MAX_CHARS
    dated = any(sentence.start <= d.start < sentence.end for d in scan.dates) or bool(years_in(line))
    return "caption_like" if one_sentence and not dated and not scan.lex.tense_words.search(line) else "body"


def _sentence_candidates(scan: _Scan, sentence: Sentence) -> list[Candidate]:
    lex = scan.lex
    role = _role(scan, sentence)
    requested = scan.requested and bool(lex.continuing_opener.match(sentence.text))
    topics = _topics_start(lex, sentence)
    found: list[Candidate] = []
    for start, end in _clauses(sentence):
        if requested or start >= topics:
            continue
        end = min(end, topics)  # the topics listed after "gồm:" are no activities
        clause_found = _clause_candidates(scan, sentence, start, end, role)
        for candidate in clause_found:
            found.append(candidate)
            if candidate.kind == "plan_issued":
                found += _more_plans(scan, candidate)
        # A request, or a purpose that names no activity, runs on after ";" to the sentence's end.
        requested = bool(lex.request_verbs.search(scan.text, start, end)) or (
            not clause_found and bool(lex.purpose_words.search(scan.text, start, end)))
    scan.requested = bool(lex.request_verbs.search(sentence.text))
    return found


def _topics_start(lex: EventLexicon, sentence: Sentence) -> int:
    """Where a list of topics starts ("3 nội dung: ..."), or the sentence's end; a quoted theme
    ("Với chủ đề năm nay là: “...”, ...") ends at its closing quote."""
    topics = lex.topic_list.search(sentence.text)
    if topics is None:
        return sentence.end
    quoted = re.match(r"\s*[“\"][^”\"]*[”\"]", sentence.text[topics.end():])
    if quoted:
        return _topics_start_after(lex, sentence, topics.end() + quoted.end())
    return sentence.start + topics.end()


def _topics_start_after(lex: EventLexicon, sentence: Sentence, offset: int) -> int:
    later = lex.topic_list.search(sentence.text, offset)
    return sentence.start + later.end() if later else sentence.end


def _lead_span(text: str, sentences: list[Sentence], headline_end: int) -> tuple[int, int]:
    """The first paragraph of the body: after the headline, not a date line, a byline or a photo credit."""
    for sentence in sentences:
        line = line_of(text, sentence.start)
        if sentence.start >= headline_end and not _is_short_line(line.strip()):
            start = line_start(text, sentence.start)
            return start, start + len(line)
    return 0, 0


def find_events(text: str, sentences: list[Sentence], dates: list[DateMatch] | None = None, headline_end: int = 0,
                *, places: list[tuple[int, int, str]] | None = None, main_place: str | None = None,
                organisations: list[tuple[int, int, str]] | None = None,
                documents: list[Document] | None = None) -> list[Event]:
    """Every reported activity of ``text``, one event per activity, in text order.

    ``headline_end`` is where the headline ends (0: no headline in ``text``). ``places`` and
    ``organisations`` are ``(start, end, name)`` mentions; an event's ``place`` is the one named
    in its clause (after "tại"/"ở" first), else in its sentence, else ``main_place``; its
    ``organiser`` is the organisation named last before the trigger in its clause, else the first
    one after it. ``documents`` are the documents cited (their dates belong to them).
    """
    dates = find_dates(text) if dates is None else dates
    scan = _Scan(text, dates, headline_end, places or [], organisations or [], documents or [],
                 _lead_span(text, sentences, headline_end))
    candidates = [c for sentence in sentences for c in _sentence_candidates(scan, sentence)]
    assign_dates(candidates, text, sentences, dates, scan.documents)
    merged = merge_retellings(candidates, scan.lead)
    for candidate in merged:
        candidate.place = candidate.place or main_place
    return [c.to_event() for c in merged]


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
