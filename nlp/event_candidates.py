"""An activity found in one clause, before its date is settled and its retellings are merged."""

from __future__ import annotations

from dataclasses import dataclass

from newsmon.models import Event
from nlp.normalize import Sentence

__all__ = ["Candidate", "line_of", "line_start"]


@dataclass(slots=True)
class Candidate:
    """One event candidate with what dating and merging need.

    ``role`` is "headline", "caption", "caption_like" (a one-sentence line that may be a caption)
    or "body"; ``reference`` marks a clause that points back
    to an activity ("Tại buổi tập huấn, ...", "Hội nghị diễn ra vào ngày 30/11"); ``opener`` is
    "occasion" ("Dịp này, ...") or "same_day" ("Cùng ngày, ..."); ``dated`` says whether the
    clause or its sentence gave the date itself (even a list of days, which gives None);
    ``counted`` marks an aggregate ("80 cuộc tập huấn"); ``words`` are the content syllables
    around the trigger, to tell two reports of one activity.
    """

    kind: str
    start: int
    end: int
    text: str
    sentence: Sentence
    trigger: int
    role: str = "body"
    paragraph: int = 0
    reference: bool = False
    restated: bool = False
    counted: bool = False
    words: frozenset[str] = frozenset()
    opener: str | None = None
    scheduled: bool = False
    aggregate: bool = False
    second_actor: bool = False
    date: str | None = None
    dated: bool = False
    place: str | None = None
    organiser: str | None = None

    @property
    def has_day(self) -> bool:
        """Whether the date fixes a day ("YYYY-MM-DD")."""
        return self.date is not None and len(self.date) == 10

    def to_event(self) -> Event:
        """The public ``Event``."""
        return Event(type=self.kind, date=self.date, text=self.text, start=self.start, end=self.end,
                     sentence=self.sentence.text, scheduled=self.scheduled, place=self.place,
                     organiser=self.organiser)


def line_start(text: str, position: int) -> int:
    """Where the line (paragraph) holding ``position`` starts."""
    return text.rfind("\n", 0, position) + 1


def line_of(text: str, position: int) -> str:
    """The line (paragraph) holding ``position``."""
    start = line_start(text, position)
    end = text.find("\n", position)
    return text[start:end if end >= 0 else len(text)]
