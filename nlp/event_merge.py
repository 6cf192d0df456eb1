"""One activity, one event: merge the retellings of an activity into one candidate.

News tells an activity several times: in the headline, the lead, the body and the photo
captions, and refers back to it ("Tại buổi lễ, ...", "Hội nghị diễn ra vào ngày 30/11").
Each retelling is merged into the activity's report in the body, which takes the retelling's
date when it has none. A retelling that is the only mention of its activity is the event.
Two reports are of one activity when their dates agree and they share what the activity was
(at least ``SHARED_WORDS`` content syllables after the trigger: "trao quà Tết" and "trao 25
suất quà Tết"). A count ("80 cuộc tập huấn") is a total, never one activity retold. A second
organiser's launch ("Cùng ngày, huyện Y cũng tổ chức lễ phát động") is a second event, and a
plan's scheduled activities are one event per type and sentence.
"""

from __future__ import annotations

from nlp.event_candidates import Candidate
from nlp.event_lexicon import event_lexicon

__all__ = ["merge_retellings"]

SHARED_WORDS = 3
# A one-sentence line retells a body report when it shares this many ("trao quà" under the photo).
CAPTION_SHARED_WORDS = 2


def _compatible(a: Candidate, b: Candidate) -> bool:
    """Two reports can be of one activity: their dates do not disagree."""
    if a.date is None or b.date is None or a.date == b.date:
        return True
    return (len(a.date) == 7 or len(b.date) == 7) and a.date[:7] == b.date[:7]


def _similar(a: Candidate, b: Candidate, shared: int = SHARED_WORDS) -> bool:
    return len(a.words & b.words) >= shared


def _retells(retelling: Candidate, other: Candidate) -> bool:
    """Whether ``other`` is of a type ``retelling`` may retell ("Hội nghị" under a training's photo)."""
    return other.kind == retelling.kind or other.kind in event_lexicon().retold_as.get(retelling.kind, ())


def _absorb(kept: Candidate, retelling: Candidate) -> None:
    if kept.date is None and retelling.date is not None:
        kept.date = retelling.date
    elif kept.date and retelling.date and len(kept.date) < len(retelling.date) \
            and retelling.date.startswith(kept.date):
        kept.date = retelling.date  # the month, then the day of it


def _targets(candidates: list[Candidate], retelling: Candidate, *, references: bool) -> list[Candidate]:
    return [c for c in candidates if c is not retelling and c.role == "body" and (references or not c.reference)
            and _retells(retelling, c) and _compatible(c, retelling)]


def _references(candidates: list[Candidate]) -> list[Candidate]:
    """A clause pointing back at an activity adds its date; it is the event when nothing came before."""
    kept: list[Candidate] = []
    for candidate in candidates:
        if candidate.reference or candidate.restated:
            earlier = _targets(kept, candidate, references=True)
            if earlier:
                _absorb(earlier[-1], candidate)
                continue
            if candidate.restated:
                continue
        kept.append(candidate)
    return kept


def _is_second_actor(first: Candidate, other: Candidate) -> bool:
    if other.second_actor or other.opener == "same_day":
        return True
    return bool(first.organiser and other.organiser and first.organiser != other.organiser)


def _launches(candidates: list[Candidate]) -> list[Candidate]:
    """Launch ceremonies told twice are one, unless a second organiser held its own."""
    kept: list[Candidate] = []
    for candidate in candidates:
        if candidate.kind == "launch_ceremony" and candidate.role == "body":
            first = next((k for k in kept if k.kind == candidate.kind and k.role == "body"), None)
            if first is not None and _compatible(first, candidate) and not _is_second_actor(first, candidate):
                _absorb(first, candidate)
                continue
        kept.append(candidate)
    return kept


def _headline_and_captions(candidates: list[Candidate]) -> list[Candidate]:
    """The headline and captions retell the body; an activity they alone name is kept once."""
    kept: list[Candidate] = []
    for candidate in candidates:
        if candidate.role == "body":
            kept.append(candidate)
            continue
        body = _targets(candidates, candidate, references=True)
        if body:
            _absorb(next((b for b in body if _similar(b, candidate)), body[0]), candidate)
        elif not any(k.kind == candidate.kind and k.role != "body" for k in kept):
            kept.append(candidate)
    return kept


def _settle_captions(candidates: list[Candidate]) -> None:
    """A line that only reads like a caption is one when it says what a body report says."""
    for candidate in candidates:
        if candidate.role == "caption_like":
            targets = _targets(candidates, candidate, references=True)
            similar = any(_similar(c, candidate, CAPTION_SHARED_WORDS) for c in targets)
            candidate.role = "caption" if similar else "body"


def _lead(candidates: list[Candidate], lead: tuple[int, int]) -> list[Candidate]:
    """An activity of the lead that the body tells again is kept once: where its date is written,
    else at the body's (more detailed) report."""
    result = list(candidates)
    for first in [c for c in candidates if lead[0] <= c.start < lead[1] and c.role == "body"]:
        if first.kind == "launch_ceremony" or first.counted or first not in result:
            continue
        again = next((c for c in result if c.kind == first.kind and c.start >= lead[1] and c.role == "body"
                      and not c.counted and not c.scheduled and _compatible(c, first) and _similar(c, first)), None)
        if again is None:
            continue
        kept, dropped = (first, again) if first.dated and not again.dated else (again, first)
        _absorb(kept, dropped)
        result.remove(dropped)
    return result


def _scheduled_once(candidates: list[Candidate]) -> list[Candidate]:
    """A plan's scheduled activities: one event per type, organiser and sentence."""
    kept: list[Candidate] = []
    for candidate in candidates:
        if candidate.scheduled and any(k.scheduled and k.kind == candidate.kind and k.sentence == candidate.sentence
                                       and k.organiser == candidate.organiser for k in kept):
            continue
        kept.append(candidate)
    return kept


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """The same activity told twice in the same words (a repeated sentence) is one event."""
    kept: list[Candidate] = []
    for candidate in candidates:
        if not any(k.kind == candidate.kind and k.text == candidate.text for k in kept):
            kept.append(candidate)
    return kept


def merge_retellings(candidates: list[Candidate], lead: tuple[int, int]) -> list[Candidate]:
    """The candidates left once every retelling is merged, in text order.

    ``lead`` is the span of the lead paragraph (the first paragraph of the body).
    """
    _settle_captions(candidates)
    merged = _references(candidates)
    merged = _launches(merged)
    merged = _lead(merged, lead)
    merged = _scheduled_once(merged)
    merged = _headline_and_captions(merged)
    return sorted(_dedupe(merged), key=lambda c: c.start)
