"""Compose the extractors into one ``Extraction`` per article.

``extract`` never raises on odd text (empty, garbage, very long); it raises
``ExtractionError`` only for arguments of the wrong type.

It reads at most ``MAX_TEXT_CHARS`` characters of an article (cut at the last space before the cap):
extraction costs about 40 µs a character, so a 5 MB page would take minutes while no news article
is that long. The store keeps and indexes the whole text; offsets index the prefix that was read.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from newsmon.errors import ExtractionError
from newsmon.models import AdminUnit, Campaign, Extraction, Figure, Place, ProvinceRef
from newsmon.published import PublishedDate, parse_published
from nlp.campaigns import campaign_years, find_campaigns
from nlp.dates import find_dates, years_in
from nlp.documents import find_documents
from nlp.events import find_events
from nlp.figures import find_figures
from nlp.gazetteer import key_of
from nlp.keywords import keywords
from nlp.locations import Mention, find_places
from nlp.normalize import Sentence, prepare, sentence_at, sentences
from nlp.organisations import find_organisations, organisation_mentions
from nlp.people import find_people
from nlp.relevance import classify

__all__ = ["EXTRACTOR_VERSION", "MAX_TEXT_CHARS", "extract"]

EXTRACTOR_VERSION = "0.4.1"  # 0.4.1: the relevance lexicon names programmes for women
# The day the 63 provinces became 34.
MERGER_DATE = date(2025, 7, 1)
MAX_TEXT_CHARS = 100_000  # what extraction reads of one article (~4 s); long features are 20,000-40,000


def capped(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` up to ``limit`` characters, cut at the last whitespace before it (a word is never split)."""
    if len(text) <= limit:
        return text
    space = max(text.rfind(" ", 0, limit + 1), text.rfind("\n", 0, limit + 1))
    return text[:space if space > limit // 2 else limit]


def _after_merger(published: PublishedDate | None) -> bool:
    """Whether the article is surely from after the merger (a year alone counts from its 1 January)."""
    if published is None:
        return False
    return date(published.year, published.month or 1, published.day or 1) >= MERGER_DATE


def _check(text: object, title: object, published_at: object, source: object) -> None:
    if not isinstance(text, str) or not isinstance(title, (str, type(None))):
        raise ExtractionError(f"text must be str and title str or None, got {type(text).__name__}, "
                              f"{type(title).__name__}")
    if published_at is not None and not isinstance(published_at, (date, str, PublishedDate)):
        raise ExtractionError(f"published_at must be a date, datetime, string or None, got {published_at!r}")
    if source is not None and not isinstance(source, str):
        raise ExtractionError(f"source must be a str or None, got {source!r}")


def _text_year(text: str) -> int | None:
    """The year the text is about when it names one year only (periods and codes aside)."""
    years = set(years_in(text))
    return years.pop() if len(years) == 1 else None


def _sentence_text(sents: list[Sentence], position: int) -> str | None:
    found = sentence_at(sents, position)
    return found.text if found else None


def _merged_names(mentions: list[Mention]) -> set[str]:
    """Pre-2025 provinces that an article written after the merger names only as the merged province.

    After 1 July 2025 "tỉnh Tuyên Quang" is the province that absorbed Hà Giang. When the
    article's districts and communes all lie in another of its old provinces (xã Lũng Cú, in
    old Hà Giang), the same-named old province is not what the text is about.
    """
    evidenced = {m.province.name for m in mentions if m.level != "province"}
    evidenced |= {m.province.name for m in mentions if m.level == "province" and m.province.name != m.province.new_name}
    return {m.province.name for m in mentions
            if m.level == "province" and m.province.name == m.province.new_name and m.province.name not in evidenced
            and any(other != m.province.name and _new_name(mentions, other) == m.province.new_name
                    for other in evidenced)}


def _new_name(mentions: list[Mention], old: str) -> str | None:
    return next((m.province.new_name for m in mentions if m.province.name == old), None)


def _places(mentions: list[Mention], sents: list[Sentence], *, after_merger: bool = False,
            ) -> tuple[list[str], list[ProvinceRef], list[AdminUnit], list[Place]]:
    provinces: dict[str, ProvinceRef] = {}
    units: dict[tuple, AdminUnit] = {}
    places = []
    merged_only = _merged_names(mentions) if after_merger else set()
    for m in mentions:
        p = m.province
        if p.name not in merged_only:
            provinces.setdefault(p.name, ProvinceRef(name=p.name, new_name=p.new_name, new_code=p.new_code))
        if m.level != "province":
            units.setdefault((key_of(m.name), m.level, p.name),
                             AdminUnit(name=m.name, level=m.level, province=p.name, start=m.start, end=m.end))
        places.append(Place(name=m.name, level=m.level, province=p.name, province_new=p.new_name,
                            province_new_code=p.new_code, start=m.start, end=m.end,
                            sentence=_sentence_text(sents, m.start)))
    return list(provinces), list(provinces.values()), list(units.values()), places


def _main_province(mentions: list[Mention]) -> str | None:
    """The province the article is mostly about: the most often named, the first on a tie."""
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.province.name] = counts.get(m.province.name, 0) + 1
    return max(counts, key=lambda name: counts[name]) if counts else None


def _province_at(mentions: list[Mention], sentence: Sentence | None, position: int) -> str | None:
    """The province of the place named in ``sentence`` closest before ``position``, else the first after it."""
    if sentence is None:
        return None
    inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
    before = [m for m in inside if m.start < position]
    chosen = before[-1] if before else (inside[0] if inside else None)
    return chosen.province.name if chosen else None


def extract(text: str, *, title: str | None = "", published_at: datetime | date | str | PublishedDate | None = None,
            source: str | None = None, ner: object | None = None, segment: bool = True) -> Extraction:
    """Extract places, figures, campaigns, events, people, organisations and documents from one article.

    ``text`` is the full article, with or without its headline as its first line: when
    ``title`` (None or "" when there is none) is the start of ``text`` it is read as the
    headline, else every line of ``text`` is body. Offsets in the result index into ``text``
    after ``newsmon.text.normalize``, which leaves already-normalised text unchanged.

    ``published_at`` is a date, a datetime, a partial date ("2024", "2024-11") or a date string
    (``newsmon.published.parse_published``); whatever year and month it gives date the
    activities whose text gives none. An unreadable string counts as no date.

    ``ner`` is an optional model backend (``nlp.ner_transformers.TransformersNER`` or anything
    with its ``entities(text, sentences)`` method) whose people, organisations and places are
    merged into the rule results; without it, ``NEWSMON_NER_MODEL`` names one, else none runs.

    ``segment`` runs underthesea's word segmentation for the keywords, the slowest step of the
    default pipeline; ``segment=False`` leaves ``keywords`` empty.
    """
    _check(text, title, published_at, source)
    if ner is not None and not callable(getattr(ner, "entities", None)):
        raise ExtractionError(f"ner must have an entities(text, sentences) method, got {ner!r}")
    text = capped(prepare(capped(text, 2 * MAX_TEXT_CHARS)))  # normalising is local: cut, normalise, cut exactly
    title = prepare(capped(title or "", 1000))
    published = parse_published(published_at)
    sents = sentences(text)
    mentions = find_campaigns(text, title)
    year = published.year if published else None
    years = campaign_years(mentions, year)
    default_year = year or (years[0] if years else None) or _text_year(text)
    dates = find_dates(text, default_year, published.month if published else None)
    found_places = find_places(text, source)
    provinces, provinces_new, admin_units, places = _places(found_places, sents,
                                                            after_merger=_after_merger(published))
    headline_end = len(title) if title and text.startswith(title) else 0
    main_province = _main_province(found_places)
    figures = _figures(text, sents, dates, found_places, main_province)
    campaigns = [Campaign(name=c.name, kind=c.kind, year=c.year or (years[0] if c.kind == "action_month"
                                                                      and years else None),
                          period=c.period, start=c.start, end=c.end, sentence=_sentence_text(sents, c.start))
                 for c in mentions]
    org_mentions = organisation_mentions(text)
    verdict = classify(text, title)
    people = find_people(text, sents, [(m.start, m.end) for m in found_places])
    documents = find_documents(text, dates)
    events = find_events(text, sents, dates, headline_end,
                         places=[(m.start, m.end, m.name) for m in found_places], main_place=main_province,
                         organisations=[(o.start or 0, o.end or 0, o.name) for o in org_mentions],
                         documents=documents)
    result = Extraction(
        version=EXTRACTOR_VERSION, provinces=provinces, provinces_new=provinces_new, admin_units=admin_units,
        places=places, figures=figures, campaign_years=years, campaigns=campaigns, events=events, people=people,
        organisations=find_organisations(text, org_mentions), documents=documents,
        topics=verdict.topics, relevance=verdict.score, on_topic=verdict.on_topic,
        keywords=keywords(sents, title_end=headline_end, skip=[(m.start, m.end) for m in found_places]
                          + [(p.start or 0, p.end or 0) for p in people]) if segment else [],
    )
    return _with_model(result, ner, text, sents)


def _figures(text: str, sents: list[Sentence], dates: list, found_places: list[Mention],
             main_province: str | None) -> list[Figure]:
    return [Figure(value=f.value, unit=f.unit, text=text[f.start:f.end], optional=f.optional,
                   subject=f.subject, qualifier=f.qualifier, value_max=f.value_max, change=f.change,
                   baseline=f.baseline, time_scope=f.time_scope,
                   province=_province_at(found_places, sentence_at(sents, f.start), f.start) or main_province,
                   start=f.start, end=f.end, sentence=_sentence_text(sents, f.start))
            for f in find_figures(text, [(d.start, d.end) for d in dates])]


def _with_model(result: Extraction, ner: object | None, text: str, sents: list[Sentence]) -> Extraction:
    """``result`` merged with what the NER model (given, or named by ``NEWSMON_NER_MODEL``) finds."""
    if ner is None and os.environ.get("NEWSMON_NER_MODEL"):
        from nlp.ner_transformers import backend_from_env

        ner = backend_from_env()
    if ner is None:
        return result
    from nlp.ner_transformers import merge

    return merge(result, ner.entities(text, sents), sents)
