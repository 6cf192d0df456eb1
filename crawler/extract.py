"""Turn one fetched page into an ``Article``, or a clear reason why not.

``extract_article(url, body, headers)`` needs no Scrapy: decode (legacy encodings
included), parse leniently, read metadata (``crawler.metadata``), extract the body
with trafilatura (or a per-site selector), check the language, normalise through the
``Article`` model. It never raises on bad input: it returns an ``Extraction`` whose
``reason`` is one of ``REJECTION_REASONS``.

The page is parsed once, with trafilatura's own loader, and that tree serves the
metadata, the overrides and trafilatura (which copies it before pruning); the body is
normalised once, by the ``Article`` model.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import numpy as np
import trafilatura
from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from crawler.encoding import VIETNAMESE_LETTERS, decode_html
from crawler.metadata import PageMetadata, parse_date, read_metadata
from crawler.sources import SiteOverrides, host_of
from newsmon.models import Article
from newsmon.text import normalize

__all__ = ["REJECTION_REASONS", "ExtractResult", "canonicalize_url", "extract_article", "is_vietnamese"]

log = logging.getLogger(__name__)

#: Why a page is not stored; the crawl report counts these.
REJECTION_REASONS: dict[str, str] = {
    "not_html": "the response is not an HTML page",
    "empty": "the page is empty or cannot be parsed",
    "not_article": "the page declares itself a non-article (listing, home page)",
    "no_title": "no headline found",
    "no_text": "too little body text",
    "not_vietnamese": "the text is not Vietnamese",
}
HTML_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")
#: Query parameters that never change what an article says.
TRACKING_PARAMS: tuple[str, ...] = ("utm_", "fbclid", "gclid", "zarsrc", "zarmt", "ref")
#: Minimum share of Vietnamese letters among letters for Vietnamese text.
VIETNAMESE_MIN_SHARE = 0.08
_LETTER = re.compile(r"[^\W\d_]")
_VIETNAMESE_LETTER = re.compile("[" + "".join(sorted(VIETNAMESE_LETTERS)) + "]")


@dataclass
class ExtractResult:
    """Either an ``article`` or a rejection ``reason`` (a key of REJECTION_REASONS)."""

    article: Article | None = None
    reason: str | None = None
    detail: str = ""
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        """True when an article was extracted."""
        return self.article is not None


def is_vietnamese(text: str) -> bool:
    """True when enough of the letters in ``text`` are Vietnamese-specific."""
    letters, vietnamese = _letter_counts(text[:2000])
    if letters < 20:
        return False
    return vietnamese / letters >= VIETNAMESE_MIN_SHARE


@cache
def _letter_flags() -> np.ndarray:
    """Per Basic Multilingual Plane code point: bit 0 set for a letter, bit 1 for a Vietnamese letter."""
    flags = np.zeros(0x10000, dtype=np.uint8)
    for code in range(0x10000):
        char = chr(code)
        flags[code] = (_LETTER.match(char) is not None) | (_VIETNAMESE_LETTER.match(char) is not None) << 1
    return flags


def _letter_counts(sample: str) -> tuple[int, int]:
    """How many letters, and how many Vietnamese letters, ``sample`` has (one table lookup per character)."""
    codes = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if codes.size and codes.max() > 0xFFFF:  # beyond the table: count with the regexes
        return len(_LETTER.findall(sample)), len(_VIETNAMESE_LETTER.findall(sample))
    counts = np.bincount(_letter_flags()[codes], minlength=4)
    return int(counts[1] + counts[3]), int(counts[2] + counts[3])


def warm_up() -> None:
    """Build the lookup tables now (before the page workers fork, so they share them)."""
    _letter_flags()


def canonicalize_url(url: str) -> str:
    """Drop the fragment and tracking parameters; lowercase scheme and host."""
    parts = urlsplit(url.strip())
    query = "&".join(
        p for p in parts.query.split("&") if p and not p.lower().startswith(TRACKING_PARAMS)
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def _header(headers: Mapping[str, object] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        key_text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key_text.lower() == name:
            value = value[0] if isinstance(value, list | tuple) and value else value
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def _parse(text: str) -> lxml_html.HtmlElement | None:
    """trafilatura's loader (what it would parse the text with), else lxml's lenient parser."""
    tree = load_html(text)
    if tree is None:  # trafilatura refuses some dubious markup that lxml still reads
        try:
            tree = lxml_html.document_fromstring(text)
        except (etree.ParserError, ValueError):
            return None
    return tree if tree is not None and len(tree) else None


def _select(tree: lxml_html.HtmlElement, selector: str) -> list[lxml_html.HtmlElement]:
    try:
        if selector.startswith(("/", "(")):
            return [n for n in tree.xpath(selector) if isinstance(n, etree._Element)]
        return CSSSelector(selector)(tree)
    except (etree.XPathError, ValueError) as exc:
        log.warning("bad selector %r: %s", selector, exc)
        return []


def _apply_overrides(tree: lxml_html.HtmlElement, meta: PageMetadata, overrides: SiteOverrides) -> None:
    for selector in overrides.remove_selectors:
        for node in _select(tree, selector):
            node.drop_tree()
    if overrides.title_selector and (nodes := _select(tree, overrides.title_selector)):
        meta.title = nodes[0].text_content().strip() or meta.title
    if overrides.date_selector and (nodes := _select(tree, overrides.date_selector)):
        node = nodes[0]
        meta.published_at = parse_date(node.get("datetime") or node.text_content(), overrides.date_format) \
            or meta.published_at
    if overrides.author_selector and (nodes := _select(tree, overrides.author_selector)):
        meta.authors = [n.text_content().strip() for n in nodes if n.text_content().strip()]


def _body_text(tree: lxml_html.HtmlElement, url: str, overrides: SiteOverrides) -> str:
    source: str | lxml_html.HtmlElement = tree
    if overrides.body_selector or overrides.remove_selectors:
        nodes = _select(tree, overrides.body_selector) if overrides.body_selector else [tree]
        if nodes:
            inner = "".join(etree.tostring(n, encoding="unicode", method="html") for n in nodes)
            source = f"<html><body><article>{inner}</article></body></html>"
    options = copy(_trafilatura_options())
    options.url = options.source = url
    return trafilatura.extract(source, options=options) or ""


@cache
def _trafilatura_options() -> Extractor:
    """trafilatura's options, built once (building them reads its config file's values each time)."""
    return Extractor(output_format="txt", fast=True, precision=True, comments=False, tables=True, images=False,
                     dedup=False, with_metadata=False)


def _with_title(title: str, body: str) -> str:
    """Make the text start with the headline (the devset convention), dropping a kicker above it.

    ``body`` is raw extracted text (the ``Article`` model normalises it), so only its first
    lines are normalised here, to compare them with the (normalised) title.
    """
    lines = body.strip().split("\n")
    for index, line in enumerate(lines[:3]):
        if normalize(line) == title:
            return "\n".join(lines[index:])
    return f"{title}\n{body}" if body.strip() else ""


def _fallback_date(tree: lxml_html.HtmlElement) -> datetime | None:
    try:
        found = find_date(tree, extensive_search=False, original_date=True)
    except (ValueError, TypeError, etree.LxmlError) as exc:
        log.debug("htmldate failed: %s", exc)
        return None
    return parse_date(found) if found else None


def _canonical(url: str, declared: str | None) -> str:
    if declared:
        absolute = urljoin(url, declared)
        if host_of(absolute) == host_of(url) and absolute.startswith(("http://", "https://")):
            return canonicalize_url(absolute)
    return canonicalize_url(url)


def extract_article(
    url: str,
    body: bytes | str,
    headers: Mapping[str, object] | None = None,
    *,
    source: str = "",
    overrides: SiteOverrides | None = None,
) -> ExtractResult:
    """Extract one article from a fetched page; a rejection carries its reason. Never raises."""
    overrides = overrides or SiteOverrides()
    content_type = _header(headers, "content-type")
    if content_type and not content_type.lower().startswith(HTML_TYPES):
        return ExtractResult(reason="not_html", detail=content_type)
    if isinstance(body, bytes):
        text, encoding = decode_html(body, content_type)
    else:
        text, encoding = normalize_nfc(body), "str"
    tree = _parse(text) if text.strip() else None
    if tree is None:
        return ExtractResult(reason="empty", encoding=encoding)
    return _extract_from_tree(url, tree, source or host_of(url), overrides, encoding)


def normalize_nfc(text: str) -> str:
    """NFC without the rest of ``normalize`` (the HTML must keep its layout)."""
    return unicodedata.normalize("NFC", text)


def _extract_from_tree(url: str, tree: lxml_html.HtmlElement, source: str,
                       overrides: SiteOverrides, encoding: str) -> ExtractResult:
    meta = read_metadata(tree, overrides.date_format)
    if meta.is_article is False and not meta.published_at:
        return ExtractResult(reason="not_article", encoding=encoding)
    _apply_overrides(tree, meta, overrides)
    title = normalize(meta.title or "")
    if not title:
        return ExtractResult(reason="no_title", encoding=encoding)
    body = _with_title(title, _body_text(tree, url, overrides))
    if len(body.strip()) < overrides.min_text_chars:  # a cheap first cut; the normalised text decides below
        return ExtractResult(reason="no_text", detail=f"{len(body.strip())} chars", encoding=encoding)
    published = meta.published_at or _fallback_date(tree)
    article = Article(
        url=url, canonical_url=_canonical(url, meta.canonical_url), source=source, title=title,
        lead=meta.lead or "", text=body, authors=meta.authors[:5], section=meta.section,
        tags=meta.tags[:20], published_at=published, language="vi",
    )
    if len(article.text) < overrides.min_text_chars:
        return ExtractResult(reason="no_text", detail=f"{len(article.text)} chars", encoding=encoding)
    if not is_vietnamese(article.text):
        return ExtractResult(reason="not_vietnamese", detail=meta.language or "", encoding=encoding)
    return ExtractResult(article=article, encoding=encoding)
