"""The data model every stage shares, as pydantic models with stable JSON.

``Article`` is what the crawler stores; ``Extraction`` is what ``nlp`` derives from one
article, versioned so articles can be re-extracted when the extractor improves. Field
names and value conventions of the extraction follow ``shared/devset/README.md``.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from newsmon.published import parse_published
from newsmon.text import normalize

__all__ = [
    "EVENT_TYPES",
    "VN_TZ",
    "AdminUnit",
    "Article",
    "Campaign",
    "Delivery",
    "DeliveryState",
    "Document",
    "Event",
    "EventType",
    "Extraction",
    "Figure",
    "Organisation",
    "Person",
    "Place",
    "ProvinceRef",
    "Subscription",
    "article_id_for",
    "content_hash_for",
    "http_url",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

EventType = Literal[
    "launch_ceremony", "plan_issued", "training", "forum", "communication",
    "support", "inspection", "recognition", "model_setup",
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]


def http_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) address with a host, else None.

    Everything a page or an email links to passes through this: a ``javascript:`` or ``data:``
    address must never become a link.
    """
    if not url or any(ord(c) < 32 or ord(c) == 127 for c in url):  # "java\tscript:" reads as javascript:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def article_id_for(canonical_url: str) -> str:
    """An article's id: the first 16 hex digits of the SHA-1 of its canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]


def content_hash_for(title: str, text: str) -> str:
    """Hash of what an article says, to tell a changed article from a re-crawl."""
    return hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()


def to_vn_time(value: datetime | None) -> datetime | None:
    """Express an aware datetime in Asia/Ho_Chi_Minh; a naive one is taken as local time there."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=VN_TZ)
    return value.astimezone(VN_TZ)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Article(_Model):
    """One news article as crawled, text normalised (NFC, one tone placement).

    ``title`` may be missing or null (many excerpts have no headline). ``published_at`` may be
    given as a datetime, a date or a string (ISO or Vietnamese, "14/11/2024 08:30"); a partial
    date ("2024-11", "2024") leaves ``published_at`` empty and is kept in ``published_period``,
    so the extractor still has its year and month; an unreadable one is dropped.
    """

    id: str = ""
    url: str
    canonical_url: str = ""
    source: str
    title: str = ""
    lead: str = ""
    text: str
    authors: list[str] = Field(default_factory=list)
    section: str | None = None
    tags: list[str] = Field(default_factory=list)
    published_at: datetime | None = None
    published_period: str | None = None  # "2024-11" or "2024": a publication date without its day
    crawled_at: datetime = Field(default_factory=lambda: datetime.now(VN_TZ))
    language: str = "vi"
    content_hash: str = ""
    duplicate_of: str | None = None
    feed_only: bool = False  # only the feed/sitemap item (title, summary, date): the page could not be read

    @field_validator("url", "canonical_url")
    @classmethod
    def _http_only(cls, value: str, info: ValidationInfo) -> str:
        """Only http(s) addresses come in; rows already stored are read as they are (pages check again)."""
        if not value or (info.context or {}).get("stored"):
            return value
        checked = http_url(value)
        if checked is None:
            raise ValueError(f"not an http(s) address: {value[:80]!r}")
        return checked

    @model_validator(mode="before")
    @classmethod
    def _read_title_and_date(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if data.get("title") is None:
            data["title"] = ""
        if "published_at" in data and not isinstance(data["published_at"], datetime):
            published = parse_published(data["published_at"])
            data["published_at"] = published.as_datetime() if published else None
            if published and published.day is None:
                data["published_period"] = data.get("published_period") or published.iso
        return data

    @field_validator("title", "lead", "text", "section")
    @classmethod
    def _normalize_text(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Normalised on the way in; rows already stored were, and are read as they are."""
        return normalize(value) if value and not (info.context or {}).get("stored") else value

    @field_validator("authors", "tags")
    @classmethod
    def _normalize_list(cls, values: list[str], info: ValidationInfo) -> list[str]:
        if (info.context or {}).get("stored"):
            return values
        return [v for v in (normalize(v) for v in values) if v]

    @field_validator("published_at", "crawled_at")
    @classmethod
    def _in_vietnam_time(cls, value: datetime | None) -> datetime | None:
        return to_vn_time(value)

    @property
    def full_text(self) -> str:
        """Headline, lead and body, one per line: the text ``nlp`` reads and its offsets index.

        This is the devset's convention (the headline is the first line of the text).
        """
        return "\n".join(part for part in (self.title, self.lead, self.text) if part)

    @model_validator(mode="after")
    def _derive_identity(self) -> Article:
        if not self.canonical_url:
            self.canonical_url = self.url
        if not self.id:
            self.id = article_id_for(self.canonical_url)
        if not self.content_hash:
            self.content_hash = content_hash_for(self.title, self.text)
        return self


class ProvinceRef(_Model):
    """A province before the 1 July 2025 merger and the province it became."""

    name: str
    new_name: str | None = None
    new_code: str | None = None


class Span(_Model):
    """Where an item was found: character offsets in the article text and its sentence."""

    start: int | None = None
    end: int | None = None
    sentence: str | None = None


class AdminUnit(_Model):
    """A district- or commune-level unit named in the text."""

    name: str
    level: Literal["district", "commune"]
    province: str | None = None
    start: int | None = None
    end: int | None = None


class Place(Span):
    """Any place mention resolved to the gazetteer (province, district or commune)."""

    name: str
    level: Literal["province", "district", "commune"]
    province: str | None = None
    province_new: str | None = None
    province_new_code: str | None = None
    source: str | None = None  # None: the rules; "model": an optional NER model
    confidence: float | None = None


class Figure(Span):
    """A reported quantity: "28.867 lao động nữ được vay vốn"."""

    value: float
    unit: str
    text: str
    optional: bool = False
    subject: str | None = None
    qualifier: str | None = None
    value_max: float | None = None
    change: str | None = None
    baseline: str | None = None
    time_scope: str | None = None
    province: str | None = None


class Event(Span):
    """An activity reported as held or scheduled (see the devset's nine types)."""

    type: EventType
    date: str | None = None
    text: str
    place: str | None = None
    organiser: str | None = None
    scheduled: bool = False


class Person(Span):
    """A person the article reports on, with the title the text gives."""

    name: str
    title: str | None = None
    source: str | None = None  # None: the rules; "model": an optional NER model
    confidence: float | None = None


class Organisation(Span):
    """An organisation: full name with its place, usual abbreviation, place part and the words as written."""

    name: str
    abbreviation: str | None = None
    place: str | None = None
    text: str | None = None
    source: str | None = None  # None: the rules; "model": an optional NER model
    confidence: float | None = None


class Document(Span):
    """A legal or administrative document: "Kế hoạch số 247/KH-UBND ngày 10/11/2024"."""

    type: str
    number: str | None = None
    issuer: str | None = Field(default=None, description="Issuing body, full name where known")
    issuer_code: str | None = Field(default=None, description='Issuer code of the number ("UBND" in 247/KH-UBND)')
    date: str | None = None
    text: str


class Campaign(Span):
    """A campaign or programme: the yearly action month, "Dự án 8", a national strategy."""

    name: str
    kind: Literal["action_month", "programme"] = "action_month"
    year: int | None = None
    theme: str | None = None
    period: str | None = None


class Extraction(_Model):
    """Everything ``nlp`` extracts from one article, stamped with the extractor version."""

    version: str
    provinces: list[str] = Field(default_factory=list)
    provinces_new: list[ProvinceRef] = Field(default_factory=list)
    admin_units: list[AdminUnit] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    campaign_years: list[int] = Field(default_factory=list)
    campaigns: list[Campaign] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list, description="Gender-equality topic codes (nlp/data/topics.yaml)")
    keywords: list[str] = Field(default_factory=list, description="Segmented words that sum the article up")
    relevance: float = Field(0.0, description="Calibrated probability (0-1) that the article is gender-equality "
                             "coverage; on_topic is relevance >= 0.5 (nlp.relevance.THRESHOLD)")
    on_topic: bool = False


class Subscription(_Model):
    """A digest subscription: who gets which saved query how often."""

    id: int | None = None
    email: str
    query: str = ""
    filters: dict[str, object] = Field(default_factory=dict)
    frequency: Literal["daily", "weekly"] = "weekly"
    send_empty: bool = False
    active: bool = True
    created_at: datetime = Field(default_factory=lambda: datetime.now(VN_TZ))

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str) -> str:
        value = value.strip()
        local, _, domain = value.rpartition("@")
        if not local or "." not in domain or any(c.isspace() or c in "<>,;\"" for c in value):
            raise ValueError(f"not an email address: {value!r}")
        return local + "@" + domain.lower()

    @field_validator("query")
    @classmethod
    def _normalize_query(cls, value: str) -> str:
        return normalize(value) if value else value


# The digest send log (see ``digest/__init__.py``): claimed while a sender works on it, retry after a
# transient SMTP failure, ambiguous when the connection failed once the message was under way (the
# server may have it: a later run, not this one, sends it again), then sent, failed (permanent) or
# empty (nothing new).
DeliveryState = Literal["claimed", "retry", "ambiguous", "sent", "failed", "empty"]


class Delivery(_Model):
    """One digest of one subscription for one period: the idempotency record of the sender."""

    subscription_id: int
    period_start: date
    period_end: date
    state: DeliveryState = "claimed"
    attempts: int = 0
    message_id: str
    last_error: str | None = None
    updated_at: datetime = Field(default_factory=lambda: datetime.now(VN_TZ))


def campaign_period(year: int) -> tuple[date, date]:
    """The action month of ``year``: 15 November to 15 December."""
    return date(year, 11, 15), date(year, 12, 15)
