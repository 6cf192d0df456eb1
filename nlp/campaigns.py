"""Campaigns: the yearly action month for gender equality, "Dự án 8", the national strategy.

The action month ("Tháng hành động vì bình đẳng giới [và phòng ngừa, ứng phó với /
phòng, chống bạo lực trên cơ sở giới]", 15 November - 15 December) is named in many
variants; its year is the year written just after a mention ("... năm 2024", "... 2019",
"từ 15/11 đến 15/12/2024"), else the article's year. Look-alikes such as the June
"Tháng hành động quốc gia về phòng, chống bạo lực gia đình" are not the action month. The short
form "Tháng hành động năm 2025" is the action month when the title or the text names it in full,
or speaks of gender equality ("bình đẳng giới") and names no look-alike.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["CampaignMatch", "campaign_years", "find_campaigns"]

ACTION_MONTH = re.compile(r"tháng hành động(?: quốc gia)? vì (?:sự )?(?:bình đẳng giới|bđg)", re.I)
# "Tháng hành động" not followed by what names another campaign.
SHORT_FORM = re.compile(r"tháng hành động(?!\s*(?:quốc gia\s+)?(?:vì|về|phòng|phòng,|chống|hưởng ứng))", re.I)
# Another campaign called "Tháng hành động": for children, food safety, against domestic violence ...
LOOK_ALIKE = re.compile(r"tháng hành động\s*(?:quốc gia\s+)?(?:vì|về|phòng|chống)"
                        r"(?!\s+(?:sự\s+)?(?:bình đẳng giới|bđg))", re.I)
GENDER_EQUALITY = re.compile(r"bình đẳng giới", re.I)
PROGRAMMES: dict[str, re.Pattern[str]] = {
    "Dự án 8": re.compile(r"Dự án (?:số )?8\b"),
    "Chiến lược quốc gia về bình đẳng giới": re.compile(
        r"Chiến lược quốc gia (?:về )?bình đẳng giới(?: giai đoạn (\d{4}\s*[-–]\s*\d{4}))?", re.I),
}
_YEAR_AFTER = re.compile(r"(?<![\d])((?:19|20)\d\d)(?![\d])(?!\s*[-–]\s*\d{4})")
_SENTENCE_END = re.compile(r"[.!?\n]\s")
_WINDOW = 160


@dataclass(frozen=True, slots=True)
class CampaignMatch:
    """A campaign mention; ``year`` is set for the action month when the text gives it."""

    start: int
    end: int
    name: str
    kind: str
    year: int | None = None
    period: str | None = None


def _year_after(text: str, end: int) -> int | None:
    window = text[end:end + _WINDOW]
    stop = _SENTENCE_END.search(window)
    window = window[:stop.start()] if stop else window
    match = _YEAR_AFTER.search(window)
    return int(match.group(1)) if match else None


def _short_forms_count(text: str, title: str) -> bool:
    """Whether "Tháng hành động" alone is the action month in this article (see the module docstring)."""
    if ACTION_MONTH.search(title) or ACTION_MONTH.search(text):
        return True
    return bool(GENDER_EQUALITY.search(title) or GENDER_EQUALITY.search(text)) and not LOOK_ALIKE.search(text)


def _action_months(text: str, title: str) -> list[CampaignMatch]:
    spans = [m.span() for m in ACTION_MONTH.finditer(text)]
    if _short_forms_count(text, title):
        spans += [m.span() for m in SHORT_FORM.finditer(text) if not any(s <= m.start() < e for s, e in spans)]
    return [CampaignMatch(start, end, "Tháng hành động vì bình đẳng giới", "action_month", _year_after(text, end))
            for start, end in sorted(spans)]


def find_campaigns(text: str, title: str = "") -> list[CampaignMatch]:
    """Every mention of the action month and of the programmes, in text order.

    ``title`` is the headline when it is not the first line of ``text``: it can say which campaign
    the short form "Tháng hành động" is."""
    found = _action_months(text, title)
    for name, pattern in PROGRAMMES.items():
        for m in pattern.finditer(text):
            period = m.group(1) if m.groups() else None
            found.append(CampaignMatch(m.start(), m.end(), name, "programme", period=period))
    return sorted(found, key=lambda c: c.start)


def campaign_years(mentions: list[CampaignMatch], article_year: int | None) -> list[int]:
    """The year of the action month the article is about: the most written one, else the article's."""
    months = [m for m in mentions if m.kind == "action_month"]
    if not months:
        return []
    years = Counter(m.year for m in months if m.year)
    if years:
        return [years.most_common(1)[0][0]]
    return [article_year] if article_year else []
