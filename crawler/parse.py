"""Parse one fetched page into an ``Article``, or a clear reason why not.

``parse_article(url, body, headers)`` needs no Scrapy: decode (legacy encodings included),
recognise challenge pages, parse leniently, read the metadata (``crawler.metadata``), find
the page's layout (``crawler/layouts.yaml``) and from it the visible headline, sapo, date,
byline and body (``crawler.fields``, ``crawler.bodytext``, ``crawler.byline``); pages no
layout fits go through trafilatura, or, laid out in tables, through the densest text block.
It never raises on bad input: a rejection carries a ``reason`` from ``REJECTION_REASONS``.

``Article.text`` is the headline, then the body's paragraphs; the sapo is ``Article.lead``
and is not repeated in the text.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import trafilatura
from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from crawler import language
from crawler.blocked import BLOCK_REASONS, block_reason
from crawler.bodytext import MAX_CHROME_LINE, clean_body, paragraphs, strip_repeats
from crawler.byline import names_from_metadata, split_byline, trailing_byline
from crawler.dates import FoundDate, parse_date, read_date
from crawler.encoding import decode_html
from crawler.fields import authors_from_layout, find_headline, is_listing, pick_date, pick_lead
from crawler.layouts import Match, Rules, index_page, load_rules, select, select_first
from crawler.legacy import densest_block, looks_tabular, preceding_sapo
from crawler.metadata import PageMetadata, read_metadata
from crawler.sources import SiteOverrides, host_of
from newsmon.models import Article
from newsmon.text import fold, normalize

__all__ = ["REJECTION_REASONS", "ParseResult", "canonicalize_url", "is_vietnamese", "parse_article", "warm_up"]

log = logging.getLogger(__name__)

#: Why a page is not stored; the crawl report counts these (blocked pages as ``blocked/<reason>``).
REJECTION_REASONS: dict[str, str] = {
    "not_html": "the response is not an HTML page",
    "empty": "the page is empty or cannot be parsed",
    "not_article": "the page is a listing, home or search page, not an article",
    "no_title": "no headline found",
    "no_text": "too little body text",
    "not_vietnamese": "the text is not Vietnamese",
    **BLOCK_REASONS,
}
HTML_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")
#: Query parameters that never change what an article says.
TRACKING_PARAMS: tuple[str, ...] = ("utm_", "fbclid", "gclid", "zarsrc", "zarmt", "ref")
MAX_AUTHORS = 5
is_vietnamese = language.is_vietnamese


@dataclass
class ParseResult:
    """Either an ``article`` or a rejection ``reason`` (a key of REJECTION_REASONS)."""

    article: Article | None = None
    reason: str | None = None
    detail: str = ""
    encoding: str | None = None
    layout: str | None = None
    date_has_time: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when an article was parsed."""
        return self.article is not None

    @property
    def blocked(self) -> bool:
        """True when a challenge or paywall stood in the way (the feed item is kept instead)."""
        return self.reason in BLOCK_REASONS


def warm_up() -> None:
    """Build the lookup tables and read the layouts now (before the page workers fork)."""
    language.warm_up()
    load_rules()
    fold("x" * 1000 + "ă")  # builds newsmon.text's folding table


def canonicalize_url(url: str) -> str:
    """Drop the fragment and tracking parameters; lowercase scheme and host."""
    parts = urlsplit(url.strip())
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith(TRACKING_PARAMS))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def _header(headers: Mapping[str, object] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
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


@cache
def _trafilatura_options() -> Extractor:
    """trafilatura's options, built once (building them reads its config file's values each time)."""
    return Extractor(output_format="txt", fast=True, precision=True, comments=False, tables=True, images=False,
                     dedup=False, with_metadata=False)


def _trafilatura_lines(tree: lxml_html.HtmlElement, url: str) -> list[str]:
    options = copy(_trafilatura_options())
    options.url = options.source = url
    return [line for line in (trafilatura.extract(tree, options=options) or "").split("\n") if line.strip()]


def _fallback_date(tree: lxml_html.HtmlElement) -> FoundDate | None:
    try:
        found = find_date(tree, extensive_search=False, original_date=True)
    except (ValueError, TypeError, etree.LxmlError) as exc:
        log.debug("htmldate failed: %s", exc)
        return None
    return read_date(found) if found else None


def _canonical(url: str, declared: str | None) -> str:
    if declared:
        absolute = urljoin(url, declared)
        if host_of(absolute) == host_of(url) and absolute.startswith(("http://", "https://")):
            return canonicalize_url(absolute)
    return canonicalize_url(url)


def parse_article(url: str, body: bytes | str, headers: Mapping[str, object] | None = None, *, source: str = "",
                  overrides: SiteOverrides | None = None, article_url_pattern: str | None = None) -> ParseResult:
    """Parse one article page; a rejection carries its reason. Never raises."""
    content_type = _header(headers, "content-type")
    if content_type and not content_type.lower().startswith(HTML_TYPES):
        return ParseResult(reason="not_html", detail=content_type)
    if isinstance(body, bytes):
        text, encoding = decode_html(body, content_type)
    else:
        text, encoding = unicodedata.normalize("NFC", body), "str"
    if block_reason(text) == "js_challenge":
        return ParseResult(reason="js_challenge", encoding=encoding)
    tree = _parse(text) if text.strip() else None
    if tree is None:
        return ParseResult(reason="empty", encoding=encoding)
    index_page(tree)
    page = _Page(url, tree, source or host_of(url), overrides or SiteOverrides(), load_rules(), encoding)
    result = page.parse(article_url_pattern)
    if result.reason == "no_text" and block_reason(text, len(result.detail)) == "paywall":
        result.reason = "paywall"
    return result


class _Page:
    """One parsed page on its way to an ``Article``."""

    def __init__(self, url: str, tree: lxml_html.HtmlElement, source: str, overrides: SiteOverrides,
                 rules: Rules, encoding: str) -> None:
        self.url, self.tree, self.source, self.overrides = url, tree, source, overrides
        self.rules, self.encoding, self.host = rules, encoding, host_of(url)
        self.sapo = ""
        self.reader = "trafilatura"  # what read a body no layout fits

    def _reject(self, reason: str, detail: str = "", match: Match | None = None) -> ParseResult:
        layout = match.layout.name if match is not None and match.layout is not None else None
        return ParseResult(reason=reason, detail=detail, encoding=self.encoding, layout=layout)

    def _match(self) -> Match:
        for css in self.overrides.remove_selectors:
            for node in select(self.tree, css):
                node.drop_tree()
        if self.overrides.body_selector and (node := select_first(self.tree, self.overrides.body_selector)) is not None:
            return Match(None, node)
        return self.rules.layout_for(self.tree, self.host)

    def parse(self, article_url_pattern: str | None) -> ParseResult:
        meta = read_metadata(self.tree, self.overrides.date_format)
        match = self._match()
        if is_listing(self.tree, meta, match, self.url, article_url_pattern):
            return self._reject("not_article", match=match)
        title, headline = find_headline(self.tree, meta, match.layout, self.host)
        node = select_first(self.tree, self.overrides.title_selector) if self.overrides.title_selector else None
        if node is not None:
            title, headline = node.text_content().strip() or title, node
        title = normalize(title)
        if not title:
            return self._reject("no_title", match=match)
        date = self._date(meta, match, headline)
        lines = self._body_lines(match)
        read_by_extractor = None if match.body is not None else lines
        lead = normalize(pick_lead(self.tree, meta, match.layout, self.rules, read_by_extractor) or self.sapo)
        authors = self._authors(meta, match, lines)
        lines = strip_repeats(lines, title, lead)
        body_text = "\n".join(lines)
        if len(lead) + len(body_text) < self.overrides.min_text_chars:  # a photo story: sapo and captions
            return self._reject("no_text", body_text, match)
        article = Article(
            url=self.url, canonical_url=_canonical(self.url, meta.canonical_url), source=self.source, title=title,
            lead=lead, text=f"{title}\n{body_text}", authors=authors[:MAX_AUTHORS], section=meta.section,
            tags=meta.tags[:20], published_at=date.value if date else None, language="vi",
        )
        if not language.is_vietnamese(article.text):
            return self._reject("not_vietnamese", meta.language or "", match)
        return ParseResult(article=article, encoding=self.encoding, date_has_time=bool(date and date.has_time),
                           layout=match.layout.name if match.layout else ("selector" if match.body is not None
                                                                         else self.reader))

    def _date(self, meta: PageMetadata, match: Match, headline: lxml_html.HtmlElement | None) -> FoundDate | None:
        if self.overrides.date_selector and (node := select_first(self.tree, self.overrides.date_selector)) is not None:
            value = node.get("datetime") or node.text_content()
            if found := (read_date(value) if not self.overrides.date_format else None) or _override_date(
                    value, self.overrides.date_format):
                return found
        found = pick_date(self.tree, meta, match, self.rules, headline)
        return found if found or match.layout is not None else _fallback_date(self.tree)

    def _authors(self, meta: PageMetadata, match: Match, lines: list[str]) -> list[str]:
        """The byline's names: override or layout selector, else metadata, else the body's last lines
        (``lines``, the body's text, already read: the body element is clean by now)."""
        css = self.overrides.author_selector
        texts = [n.text_content() for n in select(self.tree, css)] if css else authors_from_layout(
            self.tree, match.layout)
        names = [name for text in texts for name in split_byline(text, self.rules.bylines, meta.site_names)]
        if not names:
            names = names_from_metadata(meta.authors, self.rules.bylines, meta.site_names)
        if not names and match.body is not None:
            names = trailing_byline(match.body, self.rules.bylines, meta.site_names)
        elif not names:
            names = trailing_byline(self.tree, self.rules.bylines, meta.site_names, lines)
        return list(dict.fromkeys(names))

    def _body_lines(self, match: Match) -> list[str]:
        if match.body is not None:
            clean_body(match.body, self.rules, match.layout.remove if match.layout else None)
            return paragraphs(match.body, self.rules)
        lines = _trafilatura_lines(self.tree, self.url)
        if not lines or looks_tabular(lines):
            lines = self._densest_lines(lines)
        chrome = self.rules.line_pattern()
        return [line for line in lines if len(line) > MAX_CHROME_LINE or not chrome.search(line)]

    def _densest_lines(self, lines: list[str]) -> list[str]:
        """The paragraphs of the densest block (``lines``, trafilatura's, are table rows or nothing);
        a bold sapo printed above it becomes the lead when the page declares none."""
        block = densest_block(self.tree)
        if block is None:
            return lines
        self.sapo, self.reader = preceding_sapo(block), "densest-block"
        clean_body(block, self.rules)
        return paragraphs(block, self.rules)


def _override_date(value: str, date_format: str | None) -> FoundDate | None:
    parsed = parse_date(value, date_format)
    return FoundDate(parsed, True) if parsed else None
