"""The sources file: which outlets to crawl and how to discover their articles.

``load_sources(path)`` reads the YAML, validates it with pydantic and raises
``ConfigError`` naming the file, the entry and the fix. See ``crawler/sources.yaml``
for the documented format.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from newsmon.errors import ConfigError

__all__ = [
    "ARTICLE_QUERY_ID",
    "DEFAULT_ARTICLE_URL_PATTERN",
    "PAGE_PLACEHOLDER",
    "SEARCH_PLACEHOLDER",
    "Discovery",
    "Listing",
    "SiteOverrides",
    "Source",
    "SourcesFile",
    "host_of",
    "load_sources",
    "looks_like_article",
]

#: Article URLs on Vietnamese outlets end in a numeric id or ``.html``/``.htm``/``.aspx``
#: ("…-bai-viet-123456.html", "…/post12345.html", "…-20241114153000.htm").
DEFAULT_ARTICLE_URL_PATTERN = r"(\d{5,}[^/]*|[a-z0-9-]{20,}\.(html?|aspx)|/\d{4}/\d{2}/[^/]+)/?$"
#: Older portals name the article in the query instead ("chi-tiet.asp?id=40211", "?NewsID=1234").
ARTICLE_QUERY_ID = re.compile(
    r"(?:^|&)(?:id|news_?id|tin_?tuc_?id|article_?id|post_?id|item_?id|nid|p)=\d{3,}(?:&|$)", re.IGNORECASE)
SEARCH_PLACEHOLDER = "{query}"
#: In a search template: the result page number (1, 2, …); without it, the next-page link is followed.
PAGE_PLACEHOLDER = "{page}"


def host_of(url: str) -> str:
    """The host of ``url`` without ``www.``, lowercased."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def looks_like_article(url: str, pattern: str | None = None) -> bool:
    """True when ``url``'s path matches ``pattern`` (default: ``DEFAULT_ARTICLE_URL_PATTERN``) or its
    query names an article by number."""
    parts = urlsplit(url)
    return re.search(pattern or DEFAULT_ARTICLE_URL_PATTERN, parts.path) is not None or bool(
        ARTICLE_QUERY_ID.search(parts.query))


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SiteOverrides(_Config):
    """Per-site parsing settings, used only where the standards are not enough."""

    body_selector: str | None = Field(None, description="CSS (or XPath starting with '/') of the article body")
    remove_selectors: list[str] = Field(default_factory=list, description="CSS of blocks to drop first")
    title_selector: str | None = None
    date_selector: str | None = None
    date_format: str | None = Field(None, description="strptime format of the page's date text")
    author_selector: str | None = None
    min_text_chars: int = 200


class Listing(_Config):
    """A listing/category page: article links, optionally followed through pagination."""

    url: str
    link_selector: str | None = Field(None, description="CSS of <a> to articles; default: URL pattern")
    next_selector: str | None = Field(
        "a[rel=next], .pagination a.next, a.next", description="CSS of the next-page link")
    page_url_template: str | None = Field(None, description="e.g. '.../trang-{page}.html' instead of next")
    max_pages: int = Field(3, ge=1, description="pages read on every crawl")
    backfill_max_pages: int = Field(500, ge=1, description="pages followed back to --since, at most")


class Discovery(_Config):
    """Where an outlet's article URLs come from."""

    feeds: list[str] = Field(default_factory=list, description="RSS 2.0 or Atom")
    sitemaps: list[str] = Field(default_factory=list, description="sitemap, sitemap index or Google News")
    listings: list[Listing] = Field(default_factory=list)
    search: list[str] = Field(default_factory=list, description="URL templates containing {query}, and {page}")

    @field_validator("search")
    @classmethod
    def _has_placeholder(cls, templates: list[str]) -> list[str]:
        for template in templates:
            if SEARCH_PLACEHOLDER not in template:
                raise ValueError(f"search template {template!r} lacks {SEARCH_PLACEHOLDER}")
        return templates

    def is_empty(self) -> bool:
        """True when no discovery method is configured."""
        return not (self.feeds or self.sitemaps or self.listings or self.search)


class Source(_Config):
    """One outlet."""

    id: str = Field(description="stored as Article.source: the outlet's domain, e.g. 'vnexpress.net'")
    name: str
    domains: list[str] = Field(min_length=1)
    path_prefix: str | None = Field(None, description="only URLs under this path belong to the source")
    discovery: Discovery
    article_url_pattern: str = DEFAULT_ARTICLE_URL_PATTERN
    overrides: SiteOverrides = Field(default_factory=SiteOverrides)
    poll_interval_minutes: float = Field(30, ge=0, description="re-poll feeds/listings at most this often")
    revisit_after_hours: float = Field(24, ge=0, description="re-check a known article after this long")
    max_articles: int | None = Field(None, ge=1)
    enabled: bool = True
    disabled_reason: str = Field("", description="why an entry is kept but not crawled (required when disabled)")
    evidence: str = Field("", description="what the URLs rest on (a public feed reader or crawler, a sitemap "
                                         "index, robots.txt) and when it was seen")
    notes: str = ""

    @field_validator("article_url_pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"article_url_pattern {pattern!r} is not a valid regex: {exc}") from exc
        return pattern

    @field_validator("domains")
    @classmethod
    def _bare_domains(cls, domains: list[str]) -> list[str]:
        return [d.lower().removeprefix("www.").strip("/") for d in domains]

    @model_validator(mode="after")
    def _can_discover(self) -> Source:
        if self.discovery.is_empty():
            raise ValueError(f"source {self.id!r} has no feeds, sitemaps, listings or search")
        if not self.enabled and not self.disabled_reason.strip():
            raise ValueError(f"source {self.id!r} is disabled without a disabled_reason saying why")
        return self

    def owns(self, url: str) -> bool:
        """True when ``url`` is on one of this source's domains (or their subdomains)."""
        host = host_of(url)
        if self.path_prefix and not urlsplit(url).path.startswith(self.path_prefix):
            return False
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_article_url(self, url: str) -> bool:
        """True when ``url`` looks like an article of this source."""
        return self.owns(url) and looks_like_article(url, self.article_url_pattern)


class SourcesFile(_Config):
    """The whole sources YAML."""

    version: int = 1
    sources: list[Source]

    @model_validator(mode="after")
    def _unique_ids(self) -> SourcesFile:
        seen: set[str] = set()
        for source in self.sources:
            if source.id in seen:
                raise ValueError(f"source id {source.id!r} appears twice; ids must be unique")
            seen.add(source.id)
        return self

    def select(self, only: list[str] | None = None) -> list[Source]:
        """Enabled sources, restricted to ``only`` ids; unknown ids raise ConfigError."""
        if only:
            known = {s.id for s in self.sources}
            unknown = sorted(set(only) - known)
            if unknown:
                raise ConfigError(f"unknown source id(s) {unknown}; known: {sorted(known)}")
            return [s for s in self.sources if s.id in only]
        return [s for s in self.sources if s.enabled]


def _describe(error: ValidationError, data: object) -> str:
    lines = []
    for item in error.errors():
        loc = list(item["loc"])
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "sources" and isinstance(data, dict):
            with contextlib.suppress(KeyError, IndexError, TypeError, AttributeError):
                where = f"sources[{loc[1]}] ({data['sources'][loc[1]].get('id', '?')}).{'.'.join(map(str, loc[2:]))}"
        lines.append(f"  {where}: {item['msg']}")
    return "\n".join(lines)


def load_sources(path: Path | str) -> SourcesFile:
    """Read and validate a sources YAML file; raise ``ConfigError`` saying what to fix."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"sources file {path} not found; set NEWSMON_SOURCES_FILE or pass --sources") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"sources file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or "sources" not in data:
        raise ConfigError(f"sources file {path} must be a mapping with a 'sources:' list")
    try:
        return SourcesFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"sources file {path} is invalid:\n{_describe(exc, data)}") from exc
