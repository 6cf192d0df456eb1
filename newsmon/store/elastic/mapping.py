"""The Elasticsearch index template and the documents written to it.

One document per article. Title, lead and text are indexed twice: as typed (``title``…, for the
exact-accent boost) and accent-folded (``title_folded``…, filled with ``newsmon.text.fold``). The
folded copy is computed here rather than by an analyzer because ``fold`` maps đ to d (Unicode does
not decompose it) and the analysis plugins (icu, asciifolding) are not part of every distribution.
The extraction is kept whole in ``extraction`` (stored, not indexed) and flattened into keyword
fields for filters and facets, figures as nested documents, named entities as nested documents.
"""

from __future__ import annotations

from typing import Any

from newsmon.models import Article, Extraction
from newsmon.text import fold

__all__ = [
    "ARTICLE_FIELDS", "article_document", "extraction_fields", "index_settings", "index_template", "no_extraction",
]

ARTICLE_FIELDS = (
    "id", "url", "canonical_url", "source", "title", "lead", "text", "authors", "section", "tags",
    "published_at", "published_period", "crawled_at", "language", "content_hash", "duplicate_of", "feed_only",
)
_KEYWORD = {"type": "keyword"}
_FOLDED = {"type": "text", "analyzer": "standard"}
_STORED = {"type": "keyword", "index": False, "doc_values": False}

_MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": _KEYWORD, "url": _STORED, "canonical_url": _KEYWORD, "source": _KEYWORD,
        "title": {"type": "text", "analyzer": "standard"}, "lead": {"type": "text", "analyzer": "standard"},
        "text": {"type": "text", "analyzer": "standard"},
        "title_folded": _FOLDED, "lead_folded": _FOLDED, "text_folded": _FOLDED,
        "authors": _KEYWORD, "section": _KEYWORD, "tags": _KEYWORD,
        "published_at": {"type": "date"}, "crawled_at": {"type": "date"},
        "day": {"type": "date", "format": "yyyy-MM-dd"},
        "language": _KEYWORD, "content_hash": _KEYWORD, "duplicate_of": _KEYWORD,
        "published_period": _KEYWORD, "feed_only": {"type": "boolean"}, "on_topic": {"type": "boolean"},
        "story_id": _KEYWORD, "story_key": _KEYWORD, "story_day": {"type": "date", "format": "yyyy-MM-dd"},
        "story_keys": _STORED,
        "extraction": {"type": "object", "enabled": False},
        "extraction_version": _KEYWORD, "relevance": {"type": "float"},
        "provinces": _KEYWORD, "province_keys": _KEYWORD, "event_types": _KEYWORD, "topics": _KEYWORD,
        "has_figures": {"type": "boolean"},
        "figures": {
            "type": "nested",
            "properties": {
                "position": {"type": "integer"}, "value": {"type": "double"}, "unit": _KEYWORD,
                "unit_key": _KEYWORD, "subject": _KEYWORD, "search_key": _KEYWORD,
                "text": _STORED, "sentence": _STORED, "province": _KEYWORD, "province_keys": _KEYWORD,
                "start": {"type": "integer"}, "end": {"type": "integer"},
                "year": _KEYWORD, "source": _KEYWORD,
            },
        },
        "entities": {
            "type": "nested",
            "properties": {"kind": _KEYWORD, "name": _KEYWORD, "detail": _KEYWORD},
        },
    },
}
_ENTITY_DETAIL = {"people": "title", "organisations": "abbreviation", "places": "level"}


def index_settings(shards: int, replicas: int | None) -> dict[str, Any]:
    """Shards and replicas of a new index; ``replicas=None``: 0 on one data node, 1 on more.

    ``auto_expand_replicas`` follows the cluster as nodes join and leave, so the default never leaves
    a single node yellow nor a cluster without a second copy.
    """
    if replicas is None:
        return {"number_of_shards": shards, "auto_expand_replicas": "0-1"}
    return {"number_of_shards": shards, "number_of_replicas": replicas, "auto_expand_replicas": "false"}


def index_template(pattern: str, settings: dict[str, Any]) -> dict[str, Any]:
    """The composable template for ``pattern`` (``<prefix>-articles-*``): ``settings``, explicit mappings."""
    return {
        "index_patterns": [pattern],
        "template": {
            # every figure of an article comes back as an inner hit
            "settings": {**settings, "max_inner_result_window": 1000},
            "mappings": _MAPPINGS,
        },
    }


def no_extraction() -> dict[str, Any]:
    """The extraction fields of an article nobody has extracted yet."""
    return {
        "extraction": None, "extraction_version": None, "relevance": None, "provinces": [], "province_keys": [],
        "event_types": [], "topics": [], "has_figures": False, "figures": [], "entities": [], "on_topic": False,
    }


def article_document(article: Article) -> dict[str, Any]:
    """The document of a new or changed article (a changed text drops its extraction: extract again)."""
    doc = article.model_dump(mode="json", include=set(ARTICLE_FIELDS))
    doc["source"] = article.source.lower()
    for name in ("title", "lead", "text"):
        doc[f"{name}_folded"] = fold(getattr(article, name))
    doc["story_key"] = article.id  # its own story until the grouping places it (``stories``)
    # Undated stays undated (no day): never the crawl day, which would put it in this week's trends.
    doc["day"] = article.published_at.date().isoformat() if article.published_at else None
    return {**doc, **no_extraction()}


def extraction_fields(extraction: Extraction, day: str | None, source: str) -> dict[str, Any]:
    """The fields an extraction sets on its article's document (``day``/``source``: the article's)."""
    refs = {ref.name: ref.new_name for ref in extraction.provinces_new if ref.new_name}
    new_names = {p: refs[p] for p in extraction.provinces if p in refs}
    article_keys = {fold(p) for p in extraction.provinces} | {fold(n) for n in new_names.values()}
    return {
        "extraction": extraction.model_dump(mode="json"),
        "extraction_version": extraction.version,
        "relevance": extraction.relevance,
        "on_topic": extraction.on_topic,
        "provinces": sorted(set(extraction.provinces)),
        "province_keys": sorted(article_keys),
        "event_types": sorted({e.type for e in extraction.events}),
        "topics": sorted(set(extraction.topics)),
        "has_figures": bool(extraction.figures),
        "figures": [
            {
                "position": i, "value": f.value, "unit": f.unit, "unit_key": fold(f.unit), "subject": f.subject,
                "search_key": fold(f"{f.subject or ''} {f.unit}"), "text": f.text, "sentence": f.sentence,
                "province": f.province, "start": f.start, "end": f.end, "source": source,
                "year": day[:4] if day else None,
                # A figure's own province (or the new province it became); one without a province
                # counts for every province of its article, as on SQLite.
                "province_keys": sorted(
                    {fold(f.province)} | ({fold(new_names[f.province])} if f.province in new_names else set())
                    if f.province else article_keys
                ),
            }
            for i, f in enumerate(extraction.figures)
        ],
        "entities": [
            {"kind": kind, "name": item["name"], "detail": item.get(_ENTITY_DETAIL[kind])}
            for kind in ("people", "organisations", "places")
            for item in extraction.model_dump(mode="json", include={kind})[kind]
            if item.get("name")
        ],
    }
