"""What the crawler would store from one saved page: the logic of ``newsmon parse-page``.

``parse_page(path, url, source_id=None)`` reads a saved HTML file, parses it exactly as the
crawl does (with the source's overrides and article-URL pattern when ``source_id`` is given,
else the source that owns the URL, if any) and returns a JSON-able dict: ``is_article``, the
rejection ``reason`` if any, the ``layout`` that read the page, and the Article's fields.
``published_at`` is ``YYYY-MM-DD`` when the page gives no time of day. This is how a person
debugs a source, the way ``scrapy parse`` is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawler.parse import REJECTION_REASONS, ParseResult, parse_article
from crawler.sources import Source, load_sources
from newsmon.errors import ConfigError

__all__ = ["DEFAULT_SOURCES_FILE", "parse_page", "result_as_dict"]

DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.yaml")


def _source_for(url: str, source_id: str | None, sources_file: Path) -> Source | None:
    sources = load_sources(sources_file).sources
    if source_id:
        found = next((s for s in sources if s.id == source_id), None)
        if found is None:
            raise ConfigError(f"unknown source id {source_id!r} in {sources_file}")
        return found
    return next((s for s in sources if s.owns(url)), None)


def result_as_dict(result: ParseResult) -> dict[str, Any]:
    """A parse result as JSON-able data (the Article's fields when there is one)."""
    data: dict[str, Any] = {
        "is_article": result.article is not None, "reason": result.reason,
        "reason_text": REJECTION_REASONS.get(result.reason or "", ""), "layout": result.layout,
        "encoding": result.encoding,
    }
    article = result.article
    if article is None:
        return data
    published = article.published_at
    data.update(
        url=article.url, canonical_url=article.canonical_url, id=article.id, source=article.source,
        title=article.title, lead=article.lead, text=article.text, authors=article.authors,
        section=article.section, tags=article.tags,
        published_at=(published.isoformat(timespec="minutes") if result.date_has_time
                      else published.date().isoformat()) if published else None,
    )
    return data


def parse_page(path: Path | str, url: str, source_id: str | None = None,
               sources_file: Path | str = DEFAULT_SOURCES_FILE) -> dict[str, Any]:
    """Parse the saved page at ``path`` as the crawler would parse ``url``; see the module docstring.

    Raises ``ConfigError`` for an unknown ``source_id`` and ``OSError`` for an unreadable file.
    """
    body = Path(path).read_bytes()
    source = _source_for(url, source_id, Path(sources_file))
    result = parse_article(
        url, body, {"Content-Type": "text/html"}, source=source.id if source else "",
        overrides=source.overrides if source else None,
        article_url_pattern=source.article_url_pattern if source else None,
    )
    data = result_as_dict(result)
    data["source_id"] = source.id if source else None
    return data
