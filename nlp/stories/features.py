"""An article's story features: the typed keys that outlets retelling one news item share.

Outlets rewrite each other's headlines, but a retold case keeps its place, its people and
proper nouns, its numbers ("6 đối tượng", "bé 9 tuổi"), its document ("Nghị định 147") and
the content words of its headline and lead. Each is a key ``"kind:value"`` (prefixes in
``nlp.stories.params.KINDS``), lower case with accents kept:

- ``d:`` documents: the number as written ("d:147/2024/nđ-cp") and type + number ("d:nghị định 147"),
  from the extraction and from any code-shaped number in the text ("113/KHPH-BCĐ");
- ``p:`` people (and ``n:`` their names), ``o:`` organisations, ``u:`` communes and districts (with
  their province), ``e:`` event types;
- ``v:`` provinces named in the headline and lead, and the province the article names most;
- ``n:`` proper nouns of the headline and lead that the extractor did not place or name;
- ``#:`` a number and the first syllable of what it counts, in the headline and lead, and ``c:`` the
  number alone (outlets count the same people with other nouns: "5 đối tượng", "5 nghi phạm");
- ``w:`` two adjacent content syllables of the headline and lead ("w:mua bán");
- ``h:`` provinces and ``t:`` dates the headline names, only to tell stories apart (weight 0).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date

from newsmon.models import Extraction
from newsmon.text import fold, normalize
from nlp.numbers import parse_digits
from nlp.stories.params import StoryParams, default_params, stopwords

__all__ = ["headline_and_lead_end", "story_features"]

# Without a lead, this much of the body stands in for it.
_LEAD_FALLBACK_CHARS = 400
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[\w&]+(?:[.'’\-][\w&]+)*")
_NUMBER = re.compile(r"(?<![\w/.,\-])\d+(?:[.,]\d+)*(?![\w/\-]|[.,]\d)")
# Document numbers as the drafting rules write them: 147/2024/NĐ-CP, 113/KHPH-BCĐ, 21-CT/TW.
_CODE = re.compile(r"(?<![\w/])\d{1,5}(?:/\d{4})?(?:/[A-ZĐ][\w&]*(?:-[\w&]+)+|-[A-ZĐ]+/[A-ZĐ]+)(?![\w/])")
# An outlet or place dateline opening a lead: "VTV.vn - ", "(Dân trí) - ", "HÀ NỘI - ".
_DATELINE = re.compile(r"\n\(?[^\n()\-–:,;!?]{2,25}\)?\s*[-–]\s")
# One Vietnamese syllable, accents folded: onset, one vowel group, coda.
_SYLLABLE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]+(?:ch|ng|nh|[cmnpt])?$")
_SHORT_DATE = re.compile(r"(?<![\d/.,:\-])(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}))?(?![\d/]|[.,\-]\d)")
_DATE_RANGE_DAYS = 31
_SENTENCE_START = re.compile(r"(?:^|[\n.!?:;]\s*|[\"'“‘(\[–-]\s*)$")


def headline_and_lead_end(title: str, lead: str) -> int:
    """Where the headline and lead end in ``normalize(title + "\\n" + lead + ...)``."""
    return len(normalize("\n".join(part for part in (title, lead) if part)))


def story_features(extraction: Extraction, title: str, lead: str = "", body: str = "", *,
                   day: date | None = None, params: StoryParams | None = None) -> frozenset[str]:
    """The story keys of an article whose ``extraction`` was made from ``title``, ``lead`` and ``body``.

    The extraction's offsets must index into ``normalize("\\n".join([title, lead, body]))``, as
    ``nlp.pipeline.extract(article.full_text, ...)`` gives them. Without a lead, the first
    sentences of the body stand in for it. ``day`` (the publication date) lets dates written
    without a year in the headline ("20/7") become keys.
    """
    if not isinstance(extraction, Extraction) or not all(isinstance(p, str) for p in (title, lead, body)):
        raise TypeError("story_features needs an Extraction and the article's title, lead and body as str")
    params = params or default_params()
    text = normalize("\n".join(part for part in (title, lead, body) if part))
    end = headline_and_lead_end(title, lead) if lead else min(len(text), len(normalize(title)) + _LEAD_FALLBACK_CHARS)
    head = _without_dateline(text[:end])
    spans = _entity_spans(extraction, head)
    keys = set(_entity_keys(extraction, end))
    keys.update(_headline_keys(extraction, text[:len(normalize(title))], day))
    keys.update(_document_keys(extraction, text))
    names, name_spans = _names(head, spans)
    keys.update(f"n:{name}" for name in names)
    for number, noun in _numbers(head, params):
        keys.add(f"#:{number} {noun}" if noun else f"#:{number}")
        keys.add(f"c:{number.rstrip('%')}")
    keys.update(f"w:{pair}" for pair in _word_pairs(head, spans + name_spans))
    return frozenset(keys)


def _without_dateline(head: str) -> str:
    """The headline and lead with the lead's dateline blanked out (offsets unchanged): every item of
    an outlet carries it, so it says nothing about the story."""
    match = _DATELINE.search(head)
    if match is None or head.find("\n") != match.start():
        return head
    return head[:match.start() + 1] + " " * (match.end() - match.start() - 1) + head[match.end():]


def _headline_keys(extraction: Extraction, title: str, day: date | None) -> Iterator[str]:
    """The provinces the headline names (``h:``) and its dates (``t:``, when the publication day is known)."""
    yield from (f"h:{(p.province_new or p.province or '').lower()}" for p in extraction.places
                if p.province and p.start is not None and p.start < len(title))
    if day is not None:
        yield from (f"t:{found.isoformat()}" for found in _headline_dates(title, day))


def _headline_dates(title: str, day: date) -> Iterator[date]:
    """Dates a headline writes as day and month ("20/7", "3-8", "24.7"), within a month of ``day``.

    A "d-m" within a month of publication is a date; anything else ("2-1" in a score, "3/5" as
    a share) is not.
    """
    for match in _SHORT_DATE.finditer(title):
        d, m = int(match.group(1)), int(match.group(2))
        years = [int(match.group(3))] if match.group(3) else [day.year - 1, day.year, day.year + 1]
        for year in years:
            try:
                found = date(year, m, d)
            except ValueError:
                continue
            if abs((found - day).days) <= _DATE_RANGE_DAYS:
                yield found
                break


def _entity_spans(extraction: Extraction, head: str) -> list[tuple[int, int]]:
    """Where the extraction found places, people, organisations and documents, and code-shaped numbers."""
    items: Iterable = (*extraction.places, *extraction.people, *extraction.organisations, *extraction.documents)
    spans = [(item.start, item.end) for item in items if item.start is not None and item.end is not None]
    return spans + [match.span() for match in _CODE.finditer(head)]


def _entity_keys(extraction: Extraction, head_end: int) -> Iterator[str]:
    """People, organisations, communes, event types, and the provinces the headline/lead or most mentions name."""
    for person in extraction.people:  # also a name: another outlet may write it without the title that marks a person
        yield from (f"p:{person.name.lower()}", f"n:{person.name.lower()}")
    yield from (f"o:{o.name.lower()}" for o in extraction.organisations)
    yield from (f"u:{u.name.lower()}, {(u.province or '').lower()}" for u in extraction.admin_units)
    yield from (f"e:{e.type}" for e in extraction.events)
    provinces = Counter(p.province_new or p.province for p in extraction.places if p.province)
    if provinces:
        yield f"v:{provinces.most_common(1)[0][0].lower()}"
    yield from (f"v:{(p.province_new or p.province or '').lower()}" for p in extraction.places
                if p.province and p.start is not None and p.start < head_end)


def _document_keys(extraction: Extraction, text: str) -> Iterator[str]:
    for document in extraction.documents:
        if not document.number:
            continue
        yield f"d:{document.number.lower()}"
        leading = re.match(r"\d+", document.number)
        if leading:
            yield f"d:{document.type.lower()} {int(leading.group())}"
    yield from (f"d:{match.group().lower()}" for match in _CODE.finditer(text))


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper() or any(c.isupper() for c in token[1:])


def _names(head: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[tuple[int, int]]]:
    """Runs of capitalised words outside the extracted entities, and where they are.

    A capital at the start of a sentence says nothing, so a sentence-initial run also gives its
    words after the first. A single capitalised syllable is mostly the first word of an
    organisation's name ("Cơ quan Cảnh sát"), so alone it is a name only when written with
    inner capitals or digits ("EU", "HDBank", "D4vd").
    """
    names, name_spans = [], []
    for run in _capital_runs(head, spans):
        first = run[0]
        initial = _SENTENCE_START.search(head[:first.start()]) is not None
        if len(run) == 1 and not _is_coined(first.group()):
            continue
        words = [m.group().lower() for m in run]
        names.append(" ".join(words))
        if initial and (len(run) > 2 or (len(run) == 2 and _is_coined(run[1].group()))):
            names.append(" ".join(words[1:]))
        name_spans.append((first.start(), run[-1].end()))
    return names, name_spans


def _is_coined(word: str) -> bool:
    """A name even alone: written with capitals or digits inside ("EU", "HDBank", "D4vd"), or not shaped
    like a Vietnamese syllable ("Potsdam", "Meta"), so a foreign name."""
    return any(c.isupper() or c.isdigit() for c in word[1:]) or not _SYLLABLE.match(fold(word))


def _capital_runs(head: str, spans: list[tuple[int, int]]) -> Iterator[list[re.Match[str]]]:
    run: list[re.Match[str]] = []
    for token in _TOKEN.finditer(head):
        inside = any(s < token.end() and token.start() < e for s, e in spans)
        adjacent = not run or head[run[-1].end():token.start()] == " "
        if _is_capitalised(token.group()) and not inside and adjacent:
            run.append(token)
            continue
        if run:
            yield run
        run = [token] if _is_capitalised(token.group()) and not inside else []
    if run:
        yield run


def _numbers(head: str, params: StoryParams) -> Iterator[tuple[str, str | None]]:
    """Numbers of the headline and lead with the first syllable of what they count ("6", "đối"),
    percentages ("17%", None) and years ("2026", None)."""
    tokens = list(_TOKEN.finditer(head))
    for i, token in enumerate(tokens):
        value = _number_value(token, head, params)
        if value is None or (i and tokens[i - 1].group().lower() in params.number_labels):
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if head[token.end():token.end() + 2].strip().startswith("%"):
            yield f"{value}%", None
        elif isinstance(value, int) and 1900 <= value <= 2100 and token.group().isdigit():
            yield str(value), None  # a year (or a birth year: "SN 1985") counts nothing
        elif following and head[token.end():following.start()] == " " and following.group().isalpha() \
                and following.group().lower() not in params.number_breaks:
            yield str(value), following.group().lower()
        else:
            yield str(value), None


def _number_value(token: re.Match[str], head: str, params: StoryParams) -> int | float | None:
    """The number a token writes, unless it is part of a date, a range or a code ("23/7", "104-106")."""
    word = token.group().lower()
    if word in params.number_words:
        return params.number_words[word]
    if not _NUMBER.fullmatch(token.group()):
        return None
    before, after = head[token.start() - 1:token.start()], head[token.end():token.end() + 1]
    if before in ("/", "-", "–", ".", ",") or after in ("/", "-", "–"):
        return None
    parsed = parse_digits(token.group())
    return None if parsed is None else int(parsed) if parsed.is_integer() else parsed


def _word_pairs(head: str, spans: list[tuple[int, int]]) -> Iterator[str]:
    """Adjacent content syllables: no punctuation, number, stopword, name or entity between them."""
    stop = stopwords()
    previous: re.Match[str] | None = None
    for token in _TOKEN.finditer(head):
        word = token.group().lower()
        content = word.isalpha() and word not in stop and not any(s < token.end() and token.start() < e
                                                                 for s, e in spans)
        if not content:
            previous = None
            continue
        if previous and head[previous.end():token.start()] == " ":
            yield f"{previous.group().lower()} {word}"
        previous = token
