"""The visible fields of an article page: headline, sapo, publication date, and whether it is an article.

What the reader sees wins over what the page declares: the layout's headline over an SEO
``og:title``, the printed date and time over metadata that only gives the day. Without a
layout, the headline is the ``<h1>`` that matches the declared title, else the declared title
without its " - Section - Outlet" suffix; the date is the first date printed around the headline.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from crawler.bodytext import paragraphs
from crawler.dates import FoundDate, read_date
from crawler.layouts import Layout, Match, Rules, alternatives, select, select_first
from crawler.metadata import PageMetadata, unescape
from crawler.sources import looks_like_article
from newsmon.text import fold

__all__ = [
    "authors_from_layout", "find_headline", "is_listing", "pick_date", "pick_lead", "prints_sapo", "strip_title_suffix",
]

#: Separators between a headline and the section/outlet names a ``<title>`` appends.
TITLE_SEPARATORS = re.compile(r"\s+(?:-|\||–|—|::|»)\s+")
#: A section name in a title suffix has at most this many words.
MAX_SECTION_WORDS = 5
#: Elements around the headline whose text is at most this long may be its date line.
MAX_DATE_LINE = 100
#: A headline has at least this many characters (shorter leading parts of a title are not headlines).
MIN_HEADLINE_CHARS = 15
#: A listing page links to at least this many pages.
MIN_LISTING_LINKS = 10
#: Characters of the declared description looked for in a printed sapo.
SAPO_PROBE_CHARS = 30
_SPACE = re.compile(r"\s+")
_HAS_DIGITS = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}")


def _text(node: etree._Element | None) -> str:
    return _SPACE.sub(" ", unescape(node.text_content())).strip() if node is not None else ""


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _is_site_part(part: str, host: str, site_names: list[str]) -> bool:
    key = _key(part)
    label = _key(host.split(".")[0]) if host else ""
    initials = "".join(w[0] for w in fold(part).split() if w[0].isalnum())
    if re.search(r"\.(?:vn|com|net|org)\b", part, re.IGNORECASE) or not key:
        return True
    if len(label) >= 3 and (label in key or initials.startswith(label) or initials.removeprefix("b").startswith(label)):
        return True
    return any(_key(site) and (_key(site) in key or key in _key(site)) for site in site_names)


def strip_title_suffix(title: str, host: str, site_names: list[str], tree: lxml_html.HtmlElement) -> str:
    """``title`` without trailing " - Section - Outlet" parts (a section: the text of one of the page's links)."""
    parts = TITLE_SEPARATORS.split(title.strip())
    sections = _link_texts(tree) if len(parts) > 1 else set()
    while len(parts) > 1:
        last, pair = parts[-1], " - ".join(parts[-2:])
        if _is_site_part(last, host, site_names) or (
                len(last.split()) <= MAX_SECTION_WORDS and fold(last).strip() in sections):
            parts.pop()
        elif len(parts) > 2 and fold(pair).strip() in sections:
            del parts[-2:]
        else:
            break
    cuts = [m.start() for m in TITLE_SEPARATORS.finditer(title.strip())]
    return title.strip()[:cuts[len(parts) - 1]] if len(parts) <= len(cuts) else title.strip()


def _link_texts(tree: lxml_html.HtmlElement) -> set[str]:
    return {fold(_SPACE.sub(" ", a.text_content())).strip() for a in tree.iter("a")}


def find_headline(tree: lxml_html.HtmlElement, meta: PageMetadata, layout: Layout | None,
                  host: str) -> tuple[str, lxml_html.HtmlElement | None]:
    """The visible headline and its element (None when it comes from metadata only)."""
    if layout is not None and (node := select_first(tree, layout.title)) is not None and _text(node):
        return _text(node), node
    declared = meta.title or ""
    stripped = strip_title_suffix(declared, host, meta.site_names, tree) if declared else ""
    headings = [h for h in tree.iter("h1") if _text(h)]
    wanted = fold(stripped).strip()
    for heading in headings:
        text = fold(_text(heading)).strip()
        if wanted and (text == wanted or (len(text) >= 15 and fold(declared).startswith(text))):
            return _text(heading), heading
    printed = _printed_prefix(tree, declared) if declared else None
    if printed is not None:
        return printed
    if stripped:
        return stripped, None
    return (_text(headings[0]), headings[0]) if len(headings) == 1 else ("", None)


_SAME_TEXT = etree.XPath("//body//*[not(self::a) and not(ancestor::a) and normalize-space(.) = $text]")


def _printed_prefix(tree: lxml_html.HtmlElement, declared: str) -> tuple[str, lxml_html.HtmlElement] | None:
    """The longest leading part of the declared title (cut at its separators) that the page prints as
    an element of its own, with the outermost element printing just that (pages without an ``<h1>``)."""
    cuts = [m.start() for m in TITLE_SEPARATORS.finditer(declared)] + [len(declared)]
    for cut in sorted(cuts, reverse=True)[:4]:
        candidate = " ".join(declared[:cut].split())
        if len(candidate) < MIN_HEADLINE_CHARS:
            break
        if found := _SAME_TEXT(tree, text=candidate):
            node = found[-1]  # the innermost; then out while the text stays the same
            while (parent := node.getparent()) is not None and parent.tag != "body" and _text(parent) == candidate:
                node = parent
            return candidate, node
    return None


def prints_sapo(text: str, declared: str) -> bool:
    """True when ``text`` is the declared description as printed (outlets decorate it: "(Dân trí) - …")."""
    folded = fold(declared)
    probe = folded[len(folded) // 3:len(folded) // 3 + SAPO_PROBE_CHARS].strip()
    plausible = 0.8 * len(declared) <= len(text) <= 2 * len(declared) + 40
    return len(probe) >= SAPO_PROBE_CHARS // 2 and plausible and probe in fold(text)


def _printed_sapo(tree: lxml_html.HtmlElement, declared: str, rules: Rules) -> lxml_html.HtmlElement | None:
    """The element printing the declared description, among the generic sapo selectors."""
    for css in rules.generic.lead:
        for node in select(tree, css):
            if prints_sapo(_text(node), declared):
                return node
    return None


def pick_lead(tree: lxml_html.HtmlElement, meta: PageMetadata, layout: Layout | None, rules: Rules,
              lines: list[str] | None = None) -> str:
    """The sapo as printed (its lines joined), else the declared description.

    ``lines``: the body's first lines when a generic extractor read it (the sapo is often among them).
    """
    node = select_first(tree, layout.lead) if layout is not None else None
    if node is None and layout is None and meta.lead:
        if lines is not None:
            return next((line for line in lines[:3] if prints_sapo(line, meta.lead)), meta.lead)
        node = _printed_sapo(tree, meta.lead, rules)
    if node is not None and (printed := paragraphs(node, rules)):
        return " ".join(printed)
    return meta.lead or ""


def _date_line(node: etree._Element) -> etree._Element | None:
    """The outermost element around ``node`` that is still a short line (it may hold the time apart)."""
    while (parent := node.getparent()) is not None and len(parent.text_content()) <= MAX_DATE_LINE:
        node = parent
    return node if len(node.text_content()) <= MAX_DATE_LINE else None


def _date_near(headline: lxml_html.HtmlElement, body: lxml_html.HtmlElement | None) -> FoundDate | None:
    """The first date printed in the headline's block (its parent, then grandparent), outside the body and links."""
    parent = headline.getparent()
    scopes = [parent, parent.getparent()] if parent is not None else []
    for scope in (s for s in scopes if s is not None):
        for element in scope.iter():
            if not isinstance(element.tag, str):
                continue
            texts = ((element, element.text), (element.getparent(), element.tail))
            for owner, text in texts:
                if not text or owner is None or not _HAS_DIGITS.search(text):
                    continue
                if (found := _checked_date(_date_line(owner), body)) is not None:
                    return found
    return None


def _checked_date(node: etree._Element | None, body: lxml_html.HtmlElement | None) -> FoundDate | None:
    if node is None or node.tag == "a" or next(node.iterancestors("a"), None) is not None:
        return None
    if body is not None and (node is body or body in node.iterancestors()):
        return None
    return read_date(node.text_content())


def _date_at(node: lxml_html.HtmlElement | None) -> FoundDate | None:
    if node is None or next(node.iterancestors("a"), None) is not None:
        return None
    return read_date(node.get("datetime") or node.get("content") or node.text_content())


def pick_date(tree: lxml_html.HtmlElement, meta: PageMetadata, match: Match, rules: Rules,
              headline: lxml_html.HtmlElement | None) -> FoundDate | None:
    """The printed date and time, else the metadata's (a printed day without a time takes the
    metadata's time when both give the same day). Printed: the layout's date element, else the
    first date around the headline, else (no layout date) the first generic date element outside links."""
    visible = _date_at(select_first(tree, match.layout.date)) if match.layout and match.layout.date else None
    if visible is None and headline is not None:
        visible = _date_near(headline, match.body)
    generic = visible is None and (match.layout is None or not match.layout.date)  # a layout's own date is absent
    for css in rules.generic.date if generic else ():
        if visible := next((d for node in select(tree, css) if (d := _date_at(node))), None):
            break
    declared = meta.published_at
    if visible is None or visible.has_time:
        return visible or declared
    if declared is not None and declared.has_time and declared.value.date() == visible.value.date():
        return declared
    return visible


def is_listing(tree: lxml_html.HtmlElement, meta: PageMetadata, match: Match, url: str,
               article_url_pattern: str | None) -> bool:
    """True for a home, section or search page: it links to many pages, nothing declares an article,
    no article layout fits, and the URL is not shaped like an article's."""
    if sum(1 for _ in tree.iter("a")) < MIN_LISTING_LINKS:
        return False
    if meta.is_article is False and meta.published_at is None and "NewsArticle" not in meta.json_ld_types:
        return True
    if meta.json_ld_types & {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"}:
        return False
    if match.layout is not None or (meta.published_at is not None and meta.published_at.has_time):
        return False
    # The source's own pattern picks links on listings; here either it or the general shape will do, so an
    # older URL layout of the outlet is not refused for a listing.
    return not (looks_like_article(url) or (article_url_pattern and looks_like_article(url, article_url_pattern)))


def authors_from_layout(tree: lxml_html.HtmlElement, layout: Layout | None) -> list[str]:
    """The texts of the layout's byline elements."""
    if layout is None or not layout.authors:
        return []
    for alternative in alternatives(layout.authors):
        if texts := [_text(n) for n in select(tree, alternative) if _text(n)]:
            return texts
    return []
