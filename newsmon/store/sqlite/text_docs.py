"""The documents of the text index (``text_index``), built from SQLite's rows, and the keys they are sorted by.

Two tantivy indexes, one row of SQLite each:

- ``articles``: one document per article: its folded title, and title, lead and text together as ``body`` (as
  ``articles_fts`` holds them, with positions for phrases), the same text's adjacent word pairs as ``pairs`` (a
  phrase is matched on a few rarer pair terms, not on the positions of every common word), and as fast fields
  what filters, facets, trends and entity counts read.
- ``figures``: one document per extracted figure: its keys, value and unit, and its article's filter fields
  (not its text: a query with words is first resolved to articles, ``text_figures``).
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import tantivy

from newsmon.store.analytics import RATE_UNITS

SAMPLE_BUCKETS = 64
MISSING = "~"  # the bucket of documents without a value (an undated article's period)
DETAIL_SEPARATOR = "\x1f"  # "name<sep>detail": an entity's detail, counted with its name
TEXT_FIELDS = ("title", "body")  # body: the title, lead and text as three values (phrases never span two)
# Filter fields both kinds of document carry (the article's), then each kind's own keyword fields.
_FILTER_KEYWORDS = ("source", "province_key", "event_type", "topic", "year")
_ARTICLE_KEYWORDS = ("province", "people", "organisations", "places", "people_detail", "organisations_detail",
                     "places_detail", "day_key", "week", "month")
# A figure's group (year and text_key) alone and with its unit, subject, outlet or (a rate's) value, so each of
# the figures table's aggregates is one flat count (``text_figures``).
_FIGURE_KEYWORDS = ("text_key", "unit_key", "figure_province", "group", "group_unit", "group_subject",
                    "group_source", "group_value")
GROUP_SEPARATOR = "\x1e"
_FLAGS = ("is_copy", "on_topic", "has_figures")
_TOKEN = re.compile(r"[^\W_]+")  # tantivy's default tokenizer: runs of alphanumeric characters
_MAX_TOKEN_BYTES = 40  # ... of which longer ones are dropped (RemoveLongFilter)
# The same on text whose only letters are ASCII (folded text): bytes.translate lowers letters, blanks the rest.
_ASCII_WORDS = bytes(ord(chr(c).lower()) if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
PAIRS_TOKENIZER = "newsmon_pairs"  # ``pairs`` holds "word_word" terms split on spaces (``pair_analyzer``)
_NO_PAIR = "~"  # holds the place of a pair with a word the default tokenizer drops (no phrase can match it)
# Date order in one 64-bit key. Articles: 20 bits of day ordinal, 17 of seconds in the day, 27 of rid.
# Figures: 20 bits of day ordinal, 32 of rid, 12 of (4095 - position), so newest first lists positions in order.
_SECONDS_SHIFT, _DAY_SHIFT, _RID_MASK = 27, 44, (1 << 27) - 1


def tokens(folded: str) -> list[str]:
    """The tokens tantivy's default tokenizer makes of folded text (lower case already)."""
    return [t for t in _TOKEN.findall(folded.lower()) if len(t.encode()) <= _MAX_TOKEN_BYTES]


def word_pairs(words: list[str]) -> list[str]:
    """Each word joined to the next, as ``pairs`` indexes them: the pair at position i starts at word i."""
    return [a + "_" + b for a, b in itertools.pairwise(words)]


def _pairs_text(folded: str) -> str:
    """One value's pairs as ``pairs`` reads them; positions follow the default tokenizer's words, long ones too,
    and a closing place-holder keeps a phrase from joining the last pair of one value to the next value's."""
    if folded.isascii() or not any(c.isalnum() for c in set(_NON_ASCII.findall(folded))):
        # The common case: letters and digits are ASCII, anything else separates words (a quote, a dash). Bytes
        # split several times faster than the Unicode pattern; "?" stands for the non-ASCII separators.
        words = folded.encode("ascii", "replace").translate(_ASCII_WORDS).split()
        if max(map(len, words), default=0) <= _MAX_TOKEN_BYTES:
            pairs = b" ".join(map(b"_".join, itertools.pairwise(words))).decode()
            return f"{pairs} {_NO_PAIR}" if pairs else _NO_PAIR
    words = [w if len(w.encode()) <= _MAX_TOKEN_BYTES else _NO_PAIR for w in _TOKEN.findall(folded.lower())]
    return " ".join([*(_NO_PAIR if _NO_PAIR in p else p for p in word_pairs(words)), _NO_PAIR])


def pair_analyzer() -> tantivy.TextAnalyzer:
    """The analyzer of ``pairs``: the terms are made in Python (``_pairs_text``), tantivy splits them on spaces."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def day_number(day: str) -> int:
    """The day as a number for range filters: its ordinal, 0 for an undated article (as '' sorts first)."""
    return date.fromisoformat(day).toordinal() if day else 0


def sort_key(day: str, published: str, rid: int) -> int:
    """An article's date-order key: ``(day, time of day to the second, rid)``; an undated article's day is 0."""
    seconds = 0
    if len(published) >= 19:
        seconds = int(published[11:13]) * 3600 + int(published[14:16]) * 60 + int(published[17:19])
    return (day_number(day) << _DAY_SHIFT) | (seconds << _SECONDS_SHIFT) | (rid & _RID_MASK)


def figure_key(day: str, rid: int, position: int) -> int:
    """A figure's order key: newest day first, then rid descending, then position ascending."""
    return (day_number(day) << 44) | ((rid & 0xFFFFFFFF) << 12) | (4095 - min(position, 4095))


def sample_bucket(rid: int) -> int:
    """One of ``SAMPLE_BUCKETS`` for an article, from Knuth's multiplicative hash of its rid: a fixed sample not
    tied to crawl order (facets of very many matches are counted on a few buckets and scaled)."""
    return ((rid * 2654435761) % (1 << 32)) * SAMPLE_BUCKETS >> 32


def _common_fields(builder: tantivy.SchemaBuilder, keywords: tuple[str, ...]) -> None:
    builder.add_unsigned_field("rid", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("sample", indexed=True, fast=True)
    for name in (*_FILTER_KEYWORDS, *keywords):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in _FLAGS:
        builder.add_unsigned_field(name, indexed=True, fast=True)
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("sort", fast=True)


def article_schema() -> tantivy.Schema:
    """Folded text with positions (phrases), and fast fields for filters and counts."""
    builder = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="default", index_option="position")
    builder.add_text_field("pairs", tokenizer_name=PAIRS_TOKENIZER, index_option="position")
    _common_fields(builder, _ARTICLE_KEYWORDS)
    return builder.build()


def figure_schema() -> tantivy.Schema:
    """A figure's keys and value, and its article's filter fields."""
    builder = tantivy.SchemaBuilder()
    _common_fields(builder, _FIGURE_KEYWORDS)
    builder.add_unsigned_field("position", fast=True)
    builder.add_float_field("value", indexed=True, fast=True)
    return builder.build()


def _article_rows(conn: sqlite3.Connection, rids: list[int], marks: str) -> sqlite3.Cursor:
    """Each article's keys and its folded title, lead and text, as FTS5 holds them (folded once, on write)."""
    return conn.execute(
        "SELECT k.rid, k.day, k.week, k.published, k.source, k.is_copy, k.on_topic, f.title, f.lead, f.text "
        f"FROM article_keys k CROSS JOIN articles_fts f ON f.rowid = k.rid WHERE k.rid IN ({marks})", rids)


def _filters(document: tantivy.Document, rid: int, day: str, source: str, is_copy: int, on_topic: int,
             sides: dict[str, dict[int, list[str]]]) -> None:
    """The article's filter fields, on its own document or one of its figures'."""
    document.add_unsigned("rid", rid)
    document.add_unsigned("sample", sample_bucket(rid))
    document.add_text("source", source)
    if day:
        document.add_text("year", day[:4])
    document.add_integer("day", day_number(day))
    document.add_unsigned("is_copy", int(is_copy))
    document.add_unsigned("on_topic", int(on_topic))
    document.add_unsigned("has_figures", int(rid in sides["figures"]))
    for name in ("province_key", "event_type", "topic"):
        for value in sides[name].get(rid, ()):
            document.add_text(name, value)


def documents(conn: sqlite3.Connection, rids: list[int]) -> tuple[list[tantivy.Document], list[tantivy.Document]]:
    """The article documents and the figure documents of the articles among ``rids`` that exist."""
    marks = ",".join("?" * len(rids))
    sides = _side_values(conn, rids, marks)
    articles, figures = [], []
    for rid, day, week, published, source, is_copy, on_topic, title, lead, text in _article_rows(conn, rids, marks):
        document = tantivy.Document()
        document.add_text("title", title)
        for value in (title, lead, text):
            document.add_text("body", value)
            document.add_text("pairs", _pairs_text(value))
        _filters(document, rid, day, source, is_copy, on_topic, sides)
        if day:
            for name, value in (("day_key", day), ("week", week), ("month", day[:7])):
                document.add_text(name, value)
        document.add_unsigned("sort", sort_key(day, published, rid))
        for name in ("province", *(n for n in _ARTICLE_KEYWORDS if n.startswith(("people", "org", "places")))):
            for value in sides[name].get(rid, ()):
                document.add_text(name, value)
        articles.append(document)
        figures += _figure_documents(rid, day, source, is_copy, on_topic, sides)
    return articles, figures


def _figure_documents(rid: int, day: str, source: str, is_copy: int, on_topic: int,
                      sides: dict[str, dict[int, list[str]]]) -> Iterator[tantivy.Document]:
    for position, value, unit, subject, province, text_key, unit_key, province_key in sides["figures"].get(rid, ()):
        document = tantivy.Document()
        _filters(document, rid, day, source, is_copy, on_topic, sides)
        document.add_unsigned("sort", figure_key(day, rid, position))
        document.add_unsigned("position", position)
        document.add_float("value", float(value))
        for name, text in (("text_key", text_key), ("unit_key", unit_key)):
            document.add_text(name, text)
        group = f"{day[:4]}{GROUP_SEPARATOR}{text_key}"
        document.add_text("group", group)
        for name, part in (("group_unit", unit), ("group_subject", subject), ("group_source", source),
                           ("group_value", repr(float(value)) if unit in RATE_UNITS else None)):
            if part is not None:
                document.add_text(name, f"{group}{GROUP_SEPARATOR}{part}")
        for key in _figure_provinces(rid, province, province_key, sides):
            document.add_text("figure_province", key)
        yield document


def _figure_provinces(rid: int, province: str | None, province_key: str | None,
                      sides: dict[str, dict[int, list[str]]]) -> set[str]:
    """The province keys a figure answers to (``figures._province_condition``): its own province under its old or
    new name, else every province of its article."""
    if province is None:
        return set(sides["province_key"].get(rid, ()))
    keys = {province_key} if province_key else set()
    return keys | {new for name, new in sides["province_new"].get(rid, ()) if name == province and new}


def _side_values(conn: sqlite3.Connection, rids: list[int], marks: str) -> dict[str, dict[int, list]]:
    """Per side field, each article's values, read from the side tables."""
    values: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for rid, province, key, new_key in conn.execute(
        f"SELECT rid, province, province_key, province_new_key FROM article_provinces WHERE rid IN ({marks})", rids,
    ):
        values["province"][rid].append(province)
        values["province_key"][rid].extend(k for k in dict.fromkeys((key, new_key)) if k)
        values["province_new"][rid].append((province, new_key))
    for name, sql in (("event_type", "SELECT rid, type FROM article_events"),
                      ("topic", "SELECT rid, topic FROM article_topics")):
        for rid, value in conn.execute(f"{sql} WHERE rid IN ({marks})", rids):
            values[name][rid].append(value)
    for rid, kind, name, detail in conn.execute(
        f"SELECT rid, kind, name, detail FROM article_entities WHERE rid IN ({marks})", rids,
    ):
        values[kind][rid].append(name)
        if detail is not None:
            values[f"{kind}_detail"][rid].append(f"{name}{DETAIL_SEPARATOR}{detail}")
    for row in conn.execute(
        "SELECT rid, position, value, unit, subject, province, text_key, unit_key, province_key FROM figures "
        f"WHERE rid IN ({marks})", rids,
    ):
        values["figures"][row[0]].append(row[1:])
    return values
