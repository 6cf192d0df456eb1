"""Article metadata from a parsed page: JSON-LD, OpenGraph, ``<meta>``, ``<time>``, canonical links.

Structured data first (JSON-LD ``NewsArticle`` via extruct), then OpenGraph and plain
meta tags, then the markup itself. Every field is optional; a page with broken JSON-LD
is read from its other sources. Text values are HTML-unescaped until stable (outlets
double-escape their JSON-LD: "Ch&amp;#237;nh"). Dates are ``FoundDate``s in Asia/Ho_Chi_Minh,
which say whether a time of day was given.
"""

from __future__ import annotations

import html
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from extruct.jsonld import JsonLdExtractor
from lxml import html as lxml_html

from crawler.dates import FoundDate, parse_date, read_date

__all__ = ["ARTICLE_TYPES", "PageMetadata", "parse_date", "read_metadata", "unescape"]

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
#: At most this many rounds of unescaping ("&amp;amp;#237;" needs three).
UNESCAPE_ROUNDS = 4
_JSONLD = JsonLdExtractor()


@dataclass
class PageMetadata:
    """What a page says about itself; every field may be missing."""

    title: str | None = None
    lead: str | None = None
    published_at: FoundDate | None = None
    modified_at: FoundDate | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    language: str | None = None
    is_article: bool | None = None
    json_ld_types: set[str] = field(default_factory=set)
    site_names: list[str] = field(default_factory=list)


def unescape(text: str) -> str:
    """``text`` with HTML character references decoded until none is left."""
    for _ in range(UNESCAPE_ROUNDS):
        if "&" not in text:
            break
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _date(value: object, date_format: str | None) -> FoundDate | None:
    if date_format and (parsed := parse_date(value, date_format)):
        return FoundDate(parsed, True)
    return read_date(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    """A decoded, stripped string, or None for anything else."""
    if not isinstance(value, str):
        return None
    return " ".join(unescape(value).split()) or None


def _names(value: Any) -> list[str]:
    names: list[str] = []
    for item in _as_list(value):
        if isinstance(item, dict):
            item = item.get("name")
        text = _text(item)
        if text and "://" not in text and len(text) < 120:
            names.append(text)
    return names


def _json_ld_items(tree: lxml_html.HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, ``@graph`` members and nested lists flattened."""
    try:
        items = _JSONLD.extract_items(tree)
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        log.debug("unreadable JSON-LD: %s", exc)
        return []
    found: list[dict[str, Any]] = []
    stack = list(items)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            stack.extend(_as_list(item.get("@graph")))
    return found


def _types(item: dict[str, Any]) -> set[str]:
    return {t for t in _as_list(item.get("@type")) if isinstance(t, str)}


def _meta_values(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for meta in tree.iterfind(".//meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv")
        content = _text(meta.get("content"))
        if key and content:
            values.setdefault(key.strip().lower(), []).append(content)
    return values


def _first(meta: dict[str, list[str]], field_name: str) -> str | None:
    for key in META_KEYS[field_name]:
        if meta.get(key):
            return meta[key][0]
    return None


def _keywords(value: Any) -> list[str]:
    tags: list[str] = []
    for item in _as_list(value):
        if text := _text(item):
            tags.extend(part.strip() for part in text.split(",") if part.strip())
    return tags


def _from_json_ld(data: dict[str, Any], found: PageMetadata, date_format: str | None) -> None:
    found.title = _text(data.get("headline")) or _text(data.get("name"))
    found.lead = _text(data.get("description"))
    found.published_at = _date(data.get("datePublished"), date_format)
    found.modified_at = _date(data.get("dateModified"), date_format)
    found.authors = _names(data.get("author"))
    section = _as_list(data.get("articleSection"))
    found.section = _text(section[0]) if section else None
    found.tags = _keywords(data.get("keywords"))
    page = data.get("mainEntityOfPage")
    page_url = page.get("@id") if isinstance(page, dict) else page
    found.canonical_url = page_url if isinstance(page_url, str) and "://" in page_url else None
    found.language = _text(data.get("inLanguage"))
    found.site_names += _names(data.get("publisher"))
    found.is_article = True


def _from_markup(tree: lxml_html.HtmlElement, found: PageMetadata, date_format: str | None) -> None:
    if not found.title:
        nodes = tree.xpath("//title/text()")
        found.title = _text(" ".join(nodes)) if nodes else None
    if not found.published_at:
        for value in tree.xpath("//time/@datetime | //*[@itemprop='datePublished']/@content"):
            found.published_at = _date(value, date_format)
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
    items = _json_ld_items(tree)
    found.json_ld_types = set().union(*(_types(item) for item in items)) if items else set()
    article = next((item for item in items if _types(item) & (ARTICLE_TYPES - {"WebPage"})), None)
    if article:
        _from_json_ld(article, found, date_format)
    meta = _meta_values(tree)
    found.title = found.title or _first(meta, "title")
    found.lead = found.lead or _first(meta, "lead")
    found.published_at = found.published_at or _date(_first(meta, "published"), date_format)
    found.section = found.section or _first(meta, "section")
    found.authors = found.authors or _names(meta.get("author", []) + meta.get("article:author", []))
    found.tags = found.tags or [t for key in META_KEYS["tags"] for t in _keywords(meta.get(key))]
    found.canonical_url = found.canonical_url or _first(meta, "url")
    found.language = found.language or _first(meta, "locale")
    found.site_names += meta.get("og:site_name", []) + meta.get("application-name", [])
    if found.is_article is None and meta.get("og:type"):
        found.is_article = meta["og:type"][0].lower() == "article"
    _from_markup(tree, found, date_format)
    return found
