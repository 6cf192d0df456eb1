"""Article metadata from a parsed page: JSON-LD, OpenGraph, ``<meta>``, ``<time>``, canonical links.

Structured data first (JSON-LD ``NewsArticle`` via extruct), then OpenGraph and plain
meta tags, then the markup itself. Every field is optional; a page with broken JSON-LD
is read from its other sources. Dates are returned timezone-aware in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from extruct.jsonld import JsonLdExtractor
from lxml import html as lxml_html

from newsmon.models import VN_TZ

__all__ = ["ARTICLE_TYPES", "PageMetadata", "parse_date", "read_metadata"]

log = logging.getLogger(__name__)

#: JSON-LD ``@type`` values that denote an article.
ARTICLE_TYPES: frozenset[str] = frozenset({
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
    "OpinionNewsArticle", "BackgroundNewsArticle", "WebPage",
})
#: ``<meta>`` names/properties per field, most trusted first.
META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "lead": ("og:description", "description", "twitter:description", "dc.description"),
    "published": (
        "article:published_time", "og:article:published_time", "pubdate", "publishdate",
        "datepublished", "dc.date.issued", "dc.date", "date", "article:published",
    ),
    "section": ("article:section", "og:article:section", "section"),
    "authors": ("article:author", "author", "dc.creator"),
    "tags": ("article:tag", "news_keywords", "keywords"),
    "url": ("og:url",),
    "locale": ("og:locale", "language", "content-language"),
}
#: Vietnamese date layouts seen on outlets ("14/11/2024 15:30", "14-11-2024").
VN_DATE_PATTERN = re.compile(
    r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?:\D{1,12}(?P<H>\d{1,2})[:hg](?P<M>\d{2}))?"
)
_TIME_FIRST = re.compile(r"(?P<H>\d{1,2})[:hg](?P<M>\d{2}).{0,15}?(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")
_JSONLD = JsonLdExtractor()


@dataclass
class PageMetadata:
    """What a page says about itself; every field may be missing."""

    title: str | None = None
    lead: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    language: str | None = None
    is_article: bool | None = None


def parse_date(value: object, date_format: str | None = None) -> datetime | None:
    """Parse an ISO or Vietnamese date string; naive times are taken as Vietnam time."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    parsed: datetime | None = None
    if date_format:
        try:
            parsed = datetime.strptime(text, date_format)
        except ValueError:
            parsed = None
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError:
            parsed = _parse_vietnamese_date(text)
    if parsed is None:
        return None
    return parsed.replace(tzinfo=VN_TZ) if parsed.tzinfo is None else parsed.astimezone(VN_TZ)


def _parse_vietnamese_date(text: str) -> datetime | None:
    match = _TIME_FIRST.search(text) or VN_DATE_PATTERN.search(text)
    if not match:
        return None
    parts = match.groupdict()
    try:
        return datetime(int(parts["y"]), int(parts["m"]), int(parts["d"]),
                        int(parts["H"] or 0), int(parts["M"] or 0))
    except ValueError:
        return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _names(value: Any) -> list[str]:
    names: list[str] = []
    for item in _as_list(value):
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str) and item.strip() and "://" not in item and len(item) < 120:
            names.append(item.strip())
    return names


def _json_ld_article(tree: lxml_html.HtmlElement) -> dict[str, Any] | None:
    try:
        items = _JSONLD.extract_items(tree)
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        log.debug("unreadable JSON-LD: %s", exc)
        return None
    stack = list(items)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(_as_list(item.get("@graph")))
            types = {t for t in _as_list(item.get("@type")) if isinstance(t, str)}
            if types & (ARTICLE_TYPES - {"WebPage"}):
                return item
    return None


def _meta_values(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for meta in tree.iterfind(".//meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv")
        content = meta.get("content")
        if key and content and content.strip():
            values.setdefault(key.strip().lower(), []).append(content.strip())
    return values


def _first(meta: dict[str, list[str]], field_name: str) -> str | None:
    for key in META_KEYS[field_name]:
        if meta.get(key):
            return meta[key][0]
    return None


def _keywords(value: Any) -> list[str]:
    tags: list[str] = []
    for item in _as_list(value):
        if isinstance(item, str):
            tags.extend(part.strip() for part in item.split(",") if part.strip())
    return tags


def _from_json_ld(data: dict[str, Any], found: PageMetadata, date_format: str | None) -> None:
    headline = data.get("headline") or data.get("name")
    found.title = headline if isinstance(headline, str) else None
    found.lead = data.get("description") if isinstance(data.get("description"), str) else None
    found.published_at = parse_date(data.get("datePublished"), date_format)
    found.modified_at = parse_date(data.get("dateModified"), date_format)
    found.authors = _names(data.get("author"))
    section = _as_list(data.get("articleSection"))
    found.section = section[0] if section and isinstance(section[0], str) else None
    found.tags = _keywords(data.get("keywords"))
    page = data.get("mainEntityOfPage")
    page_url = page.get("@id") if isinstance(page, dict) else page
    found.canonical_url = page_url if isinstance(page_url, str) and "://" in page_url else None
    language = data.get("inLanguage")
    found.language = language if isinstance(language, str) else None
    found.is_article = True


def _from_markup(tree: lxml_html.HtmlElement, found: PageMetadata, date_format: str | None) -> None:
    if not found.title:
        nodes = tree.xpath("//h1//text()") or tree.xpath("//title/text()")
        title = " ".join(t.strip() for t in nodes if t.strip())
        found.title = title or None
    if not found.published_at:
        for value in tree.xpath("//time/@datetime | //*[@itemprop='datePublished']/@content"):
            found.published_at = parse_date(value, date_format)
            if found.published_at:
                break
    links = tree.xpath("//link[@rel='canonical']/@href")
    if links and links[0].strip():
        found.canonical_url = links[0].strip()  # the page's own declaration beats JSON-LD/og:url
    if not found.language:
        lang = tree.xpath("/html/@lang")
        found.language = lang[0] if lang else None


def read_metadata(tree: lxml_html.HtmlElement, date_format: str | None = None) -> PageMetadata:
    """Read everything a parsed page declares about itself. Never raises on bad markup."""
    found = PageMetadata()
    data = _json_ld_article(tree)
    if data:
        _from_json_ld(data, found, date_format)
    meta = _meta_values(tree)
    found.title = found.title or _first(meta, "title")
    found.lead = found.lead or _first(meta, "lead")
    found.published_at = found.published_at or parse_date(_first(meta, "published"), date_format)
    found.section = found.section or _first(meta, "section")
    found.authors = found.authors or _names(meta.get("author", []) + meta.get("article:author", []))
    found.tags = found.tags or [t for key in META_KEYS["tags"] for t in _keywords(meta.get(key))]
    found.canonical_url = found.canonical_url or _first(meta, "url")
    found.language = found.language or _first(meta, "locale")
    if found.is_article is None and meta.get("og:type"):
        found.is_article = meta["og:type"][0].lower() == "article"
    _from_markup(tree, found, date_format)
    return found
