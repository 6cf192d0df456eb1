"""The date of each event candidate.

An activity takes the first date written in its clause, else in its sentence, leaving out
time frames (the action month "15/11-15/12"), cut-offs ("đến tháng 11-2018": by then) and
the dates of documents it cites (a plan cited with "ngày 2/11" takes that date itself; the
ceremony held to carry it out does not). Without a date of its own, it takes the date of:

- the occasion just reported, after an opener such as "Dịp này", "Tại buổi lễ", "Sau buổi ra mắt";
- the activity just reported, after "Cùng ngày";
- a sentence right before it in its paragraph that holds only a date and a place
  ("Ngày 16/01/2022 tại Hội trường xã.");
- an earlier occasion of its paragraph, unless it is planned or its sentence is about a period
  ("năm qua", "từ đầu năm") or a year of its own.

These only pass a date forward: an activity told before "Dịp này" does not take its date.
"""

from __future__ import annotations

import re

from newsmon.models import Document
from nlp.dates import DateMatch, years_in
from nlp.event_candidates import Candidate
from nlp.event_lexicon import event_lexicon
from nlp.normalize import Sentence

__all__ = ["assign_dates"]

# "đến tháng 11-2018", "tính đến ngày 30/6": a cut-off of a running total, not an activity's date.
_CUT_OFF = re.compile(r"(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?$", re.I)
# Types that are occasions other activities happen at.
OCCASION_TYPES = frozenset({"launch_ceremony", "forum", "training", "communication", "model_setup", "inspection",
                            "recognition", "support"})
# A sentence this short, with a date and no activity, dates the sentence after it.
FRAGMENT_MAX_WORDS = 14


def _usable(date: DateMatch, candidate: Candidate, text: str, documents: list[Document]) -> bool:
    if date.period or _CUT_OFF.search(text[max(0, date.start - 20):date.start]):
        return False
    cited = any((d.start or 0) <= date.start < (d.end or 0) for d in documents)
    return not cited or candidate.kind == "plan_issued"


def _own_date(candidate: Candidate, text: str, dates: list[DateMatch],
              documents: list[Document]) -> tuple[bool, str | None]:
    if candidate.kind == "plan_issued":
        cited = [d for d in documents if candidate.start <= (d.start or 0) < candidate.end
                 and (d.end or 0) > candidate.trigger]
        if cited:
            return True, cited[0].date
    sentence = candidate.sentence
    for lo, hi in ((candidate.start, candidate.end), (sentence.start, sentence.end)):
        inside = [d for d in dates if lo <= d.start < hi and _usable(d, candidate, text, documents)]
        if inside:
            return True, inside[0].value
    return False, None


def _fragment_date(candidate: Candidate, text: str, sentences: list[Sentence], dates: list[DateMatch],
                   busy: set[int]) -> str | None:
    """The date of a date-only sentence right before the candidate's sentence, in its paragraph."""
    index = next((i for i, s in enumerate(sentences) if s.start == candidate.sentence.start), 0)
    if index == 0:
        return None
    previous = sentences[index - 1]
    if previous.start in busy or len(previous.text.split()) > FRAGMENT_MAX_WORDS \
            or "\n" in text[previous.end:candidate.sentence.start]:
        return None
    inside = [d for d in dates if previous.start <= d.start < previous.end and d.value and not d.period]
    return inside[0].value if inside else None


def _inherited(candidate: Candidate, earlier: list[Candidate]) -> str | None:
    lex = event_lexicon()
    body = [c for c in earlier if c.role != "headline" and c.date and c.kind != "plan_issued"]
    if candidate.opener == "occasion":
        return body[-1].date if body else None
    if candidate.opener == "same_day":
        days = [c for c in body if c.has_day]
        return days[-1].date if days else None
    if candidate.scheduled or candidate.aggregate or candidate.role != "body":
        return None
    if lex.period_words.search(candidate.sentence.text) or years_in(candidate.sentence.text):
        return None
    same = [c for c in body if c.paragraph == candidate.paragraph and c.dated and c.has_day
            and c.kind in OCCASION_TYPES and not c.scheduled]
    return same[-1].date if same else None


def assign_dates(candidates: list[Candidate], text: str, sentences: list[Sentence], dates: list[DateMatch],
                 documents: list[Document]) -> None:
    """Set ``date`` and ``dated`` on every candidate, in text order (see the module docstring)."""
    busy = {c.sentence.start for c in candidates}
    for i, candidate in enumerate(candidates):
        candidate.dated, candidate.date = _own_date(candidate, text, dates, documents)
        if candidate.dated:
            continue
        candidate.date = _fragment_date(candidate, text, sentences, dates, busy) if candidate.role == "body" else None
        if candidate.date is None:
            candidate.date = _inherited(candidate, candidates[:i])
