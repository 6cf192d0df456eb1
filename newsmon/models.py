"""The data model every stage shares, as pydantic models with stable JSON.

``Article`` is what the crawler stores; ``Extraction`` is what ``nlp`` derives from one
article, versioned so articles can be re-extracted when the extractor improves. Field
names and value conventions of the extraction follow ``shared/devset/README.md``.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

EventType = Literal[
    "launch_ceremony", "plan_issued", "training", "forum", "communication",
    "support", "inspection", "recognition", "model_setup",
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]


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
    """One news article as crawled, text normalised (NFC, one tone placement)."""

    id: str = ""
    url: str
    canonical_url: str = ""
    source: str
    title: str
    lead: str = ""
    text: str
    authors: list[str] = Field(default_factory=list)
    section: str | None = None
    tags: list[str] = Field(default_factory=list)
    published_at: datetime | None = None
    crawled_at: datetime = Field(default_factory=lambda: datetime.now(VN_TZ))
    language: str = "vi"
    content_hash: str = ""
    duplicate_of: str | None = None
    feed_only: bool = False  # only the feed/sitemap item (title, summary, date): the page could not be read

    @field_validator("title", "lead", "text", "section")
    @classmethod
    def _normalize_text(cls, value: str | None) -> str | None:
        return normalize(value) if value else value

    @field_validator("authors", "tags")
    @classmethod
    def _normalize_list(cls, values: list[str]) -> list[str]:
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
    topics: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list, description="Segmented words that sum the article up")
    relevance: float = 0.0


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


# The digest send log (see ``digest/__init__.py``): claimed while a sender works on it,
# retry after a transient SMTP failure, then sent, failed (permanent) or empty (nothing new).
DeliveryState = Literal["claimed", "retry", "sent", "failed", "empty"]


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
