"""Find article URLs in feeds, sitemaps and listing pages (pure functions, no Scrapy).

RSS 2.0 and Atom feeds, as outlets really write them: descriptions holding HTML (an
``<img>``, links, ``<br>``) in CDATA or escaped, relative links, hundreds of items; each
item keeps its title, summary (HTML removed) and date, which are stored as a ``feed_only``
article when the page itself cannot be fetched. Sitemaps, sitemap indexes and Google News
sitemaps (gzipped or not), with their news titles; listing pages by CSS selector or by the
source's article-URL pattern, with the next-page link and the dates they print.
Malformed XML is parsed in recovery mode; nothing raises.
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from crawler.dates import parse_date, read_date
from newsmon.models import VN_TZ

__all__ = [
    "BINARY_EXTENSIONS", "Link", "latest_printed_date", "listing_links", "next_page", "parse_feed", "parse_sitemap",
    "plain_text",
]

#: Links to these are never requested as articles.
BINARY_EXTENSIONS: tuple[str, ...] = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".jpg", ".jpeg",
    ".png", ".gif", ".webp", ".mp3", ".mp4", ".avi", ".mov",
)
_DATE_HINT = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}")
_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Link:
    """A discovered URL with what its feed or sitemap said about it (title, summary, publication time)."""

    url: str
    published_at: datetime | None = None
    title: str = ""
    summary: str = ""


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _xml_root(body: bytes) -> etree._Element | None:
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error):
            return None
    try:
        return etree.fromstring(body.strip() or b"<x/>", parser=_XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _feed_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return parse_date(text)
    return value.astimezone(VN_TZ) if value.tzinfo else value.replace(tzinfo=VN_TZ)


def _child_text(node: etree._Element, *names: str) -> str | None:
    for child in node:
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def _child_markup(node: etree._Element, *names: str) -> str | None:
    """A child's content as text, whether it holds escaped/CDATA HTML or (Atom ``type="xhtml"``) elements."""
    for child in node:
        if _local(child.tag) in names:
            inner = (child.text or "") + "".join(etree.tostring(c, encoding="unicode") for c in child)
            if inner.strip():
                return inner
    return None


def plain_text(markup: str | None) -> str:
    """The text of an HTML fragment (a feed description): tags dropped, entities decoded, spaces collapsed."""
    if not markup or not markup.strip():
        return ""
    if "<" not in markup and "&" not in markup:
        return " ".join(markup.split())
    try:
        fragment = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(markup.split())
    for node in fragment.iter("script", "style"):
        node.drop_tree()
    return " ".join(fragment.text_content().split())


def _item(node: etree._Element, base_url: str) -> Link | None:
    if _local(node.tag) == "item":
        url = _child_text(node, "link") or _child_text(node, "guid")
        date = _feed_date(_child_text(node, "pubdate", "date"))
        summary = _child_markup(node, "description", "encoded")
    else:  # an Atom entry
        hrefs = [c.get("href") for c in node if _local(c.tag) == "link" and c.get("rel", "alternate") == "alternate"]
        url = hrefs[0] if hrefs else None
        date = parse_date(_child_text(node, "published", "updated"))
        summary = _child_markup(node, "summary", "content")
    if not url:
        return None
    title = plain_text(_child_markup(node, "title"))
    return Link(urljoin(base_url, url.strip()), date, title, plain_text(summary))


def parse_feed(body: bytes, base_url: str) -> list[Link]:
    """Article links of an RSS 2.0 or Atom feed, with their titles, summaries and dates."""
    root = _xml_root(body)
    if root is None:
        return []
    links = [_item(node, base_url) for node in root.iter() if _local(node.tag) in ("item", "entry")]
    return [link for link in links if link is not None]


def parse_sitemap(body: bytes, base_url: str) -> tuple[str, list[Link]]:
    """``("index", child sitemaps)`` or ``("urlset", page links)``; Google News dates included."""
    root = _xml_root(body)
    if root is None:
        return "urlset", []
    kind = "index" if _local(root.tag) == "sitemapindex" else "urlset"
    links: list[Link] = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        date_text, title = None, ""
        for child in node.iter():
            if _local(child.tag) == "publication_date" and child.text:
                date_text = child.text
            elif _local(child.tag) == "title" and child.text:
                title = plain_text(child.text)
        date_text = date_text or _child_text(node, "lastmod")
        links.append(Link(urljoin(base_url, loc), parse_date(date_text), title))
    return kind, links


def _parse_html(body: bytes | str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return None


def is_binary_link(url: str) -> bool:
    """True for links to documents/media that are not article pages."""
    return urlsplit(url).path.lower().endswith(BINARY_EXTENSIONS)


def listing_links(body: bytes | str, base_url: str, link_selector: str | None = None) -> list[str]:
    """Absolute hrefs of a listing page (all ``<a>``, or those matching ``link_selector``)."""
    tree = _parse_html(body)
    if tree is None:
        return []
    anchors = CSSSelector(link_selector)(tree) if link_selector else tree.iterfind(".//a")
    seen: dict[str, None] = {}
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
            seen[urljoin(base_url, href).split("#")[0]] = None
    return list(seen)


def next_page(body: bytes | str, base_url: str, next_selector: str | None) -> str | None:
    """The absolute URL of the next listing page, or None."""
    if not next_selector:
        return None
    tree = _parse_html(body)
    if tree is None:
        return None
    for anchor in CSSSelector(next_selector)(tree):
        if anchor.get("href"):
            return urljoin(base_url, anchor.get("href").strip())
    return None


def latest_printed_date(body: bytes | str) -> datetime | None:
    """The latest date a listing page prints (its newest card), or None when it prints none."""
    tree = _parse_html(body)
    if tree is None:
        return None
    dates = [found.value for text in tree.xpath("//body//text()") if _DATE_HINT.search(text)
             and (found := read_date(text)) is not None]
    return max(dates, default=None)
