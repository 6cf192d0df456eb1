"""Campaigns: the yearly action month for gender equality, "Dự án 8", the national strategy.

The action month ("Tháng hành động vì bình đẳng giới [và phòng ngừa, ứng phó với /
phòng, chống bạo lực trên cơ sở giới]", 15 November - 15 December) is named in many
variants; its year is the year written just after a mention ("... năm 2024", "... 2019",
"từ 15/11 đến 15/12/2024"), else the article's year. Look-alikes such as the June
"Tháng hành động quốc gia về phòng, chống bạo lực gia đình" are not the action month.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["CampaignMatch", "campaign_years", "find_campaigns"]

ACTION_MONTH = re.compile(r"tháng hành động(?: quốc gia)? vì (?:sự )?(?:bình đẳng giới|bđg)", re.I)
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


def find_campaigns(text: str, title: str = "") -> list[CampaignMatch]:
    """Every mention of the action month and of the programmes, in text order."""
    found = [
        CampaignMatch(m.start(), m.end(), "Tháng hành động vì bình đẳng giới", "action_month",
                      _year_after(text, m.end()))
        for m in ACTION_MONTH.finditer(text)
    ]
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
