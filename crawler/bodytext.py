"""An article body element as paragraphs of text, without the chrome around and inside it.

``clean_body`` drops what ``crawler/layouts.yaml`` calls chrome (widgets, related-article
boxes under headings such as "Tin liên quan", blocks made of links to other pages);
``paragraphs`` then reads the element as a reader sees it: one paragraph per block
(``p``, headings, list items, table cells, captions, ``br`` breaks), boxed sections and
subheadings included, and drops whole lines that are chrome (copyright, app banners,
keyword lists, "Cập nhật lúc …" date lines).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from crawler.layouts import Rules, select
from newsmon.text import fold

__all__ = ["BLOCK_TAGS", "clean_body", "is_link_list", "paragraphs", "strip_repeats"]

#: Elements that start a new paragraph.
BLOCK_TAGS: frozenset[str] = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote", "pre", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tbody", "thead", "tfoot",
    "tr", "td", "th", "caption", "figure", "figcaption", "address", "hr", "br",
})
#: Blocks checked for being lists of links (related articles), innermost first is not needed.
LINK_BLOCK_TAGS: frozenset[str] = frozenset({
    "p", "div", "section", "aside", "ul", "ol", "li", "table", "h2", "h3", "h4", "h5", "h6", "dl",
})
#: Share of a block's text inside links above which the block is a list of links.
LINK_TEXT_SHARE = 0.85
#: Chrome lines (copyright, app banners, keyword lists) are shorter than this; longer ones are not checked.
MAX_CHROME_LINE = 300
_NON_PAGE_LINK = re.compile(r"^(?:#|javascript:|mailto:|tel:)|\.(?:jpe?g|png|gif|webp|pdf)(?:\?|$)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def _text(node: etree._Element) -> str:
    return _SPACE.sub(" ", node.text_content()).strip()


def _page_links(node: etree._Element) -> list[etree._Element]:
    return [a for a in node.iter("a") if (a.get("href") or "").strip() and not _NON_PAGE_LINK.search(
        a.get("href", "").strip()) and _text(a)]


def is_link_list(node: etree._Element) -> bool:
    """True when nearly all of ``node``'s text is in links to other pages (a related-articles block)."""
    text = _text(node)
    links = _page_links(node)
    if not text or not links:
        return False
    linked = sum(len(_text(a)) for a in links)
    return linked >= LINK_TEXT_SHARE * len(text)


def _drop(node: etree._Element, body: etree._Element) -> None:
    if node is not body and node.getparent() is not None:
        node.drop_tree()


def _heading_element(node: etree._Element, body: etree._Element) -> etree._Element:
    """The outermost element around ``node`` that holds the same text (``<h3><a>Tin …</a></h3>``)."""
    text = _text(node)
    while (parent := node.getparent()) is not None and parent is not body and _text(parent) == text:
        node = parent
    return node


def _headed_box(head: etree._Element, body: etree._Element) -> etree._Element:
    """The box a chrome heading titles: its parent when the heading comes first there and the rest
    of the parent is links; otherwise the heading alone."""
    parent = head.getparent()
    if parent is None or parent is body:
        return head
    first = next((child for child in parent if isinstance(child.tag, str) and _text(child)), None)
    rest = len(_text(parent)) - len(_text(head))
    linked = sum(len(_text(a)) for a in _page_links(parent) if head not in a.iterancestors() and a is not head)
    return parent if first is head and rest > 0 and linked >= 0.5 * rest else head


def _drop_headed_boxes(body: etree._Element, headings: frozenset[str]) -> None:
    for node in list(body.iter()):
        own = (node.text or "").strip() if isinstance(node.tag, str) else ""
        if not own or len(own) > 60 or node.getparent() is None or fold(own.rstrip(": ")).strip() not in headings:
            continue
        head = _heading_element(node, body)
        if _text(head) != own:  # "Xem thêm: <a>…</a>" is a paragraph, judged as a list of links below
            continue
        box = _headed_box(head, body)
        following = box.getnext() if box is head else None
        _drop(box, body)
        if following is not None and is_link_list(following):
            _drop(following, body)


def clean_body(body: lxml_html.HtmlElement, rules: Rules, remove: list[str] | None = None) -> None:
    """Drop chrome from ``body`` in place: configured selectors, headed related boxes, lists of links."""
    for css in [*rules.chrome.remove, *(remove or [])]:
        for node in select(body, css):
            _drop(node, body)
    _drop_headed_boxes(body, _folded_headings(tuple(rules.chrome.headings)))
    for node in list(body.iter(*LINK_BLOCK_TAGS)):
        if node.getparent() is not None and node is not body and is_link_list(node):
            _drop(node, body)


def _folded_headings(headings: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(h).strip() for h in headings)


def paragraphs(body: etree._Element, rules: Rules) -> list[str]:
    """The text of ``body``, one string per block, chrome lines left out."""
    found: list[str] = []
    chunks: list[str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(chunks)).strip()
        chunks.clear()
        if text:
            found.append(text)

    walker = etree.iterwalk(body, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS:
                flush()
            if tag and node.text:
                chunks.append(node.text)
            continue
        if tag in BLOCK_TAGS:
            flush()
        if node is not body and node.tail:
            chunks.append(node.tail)
    flush()
    chrome = rules.line_pattern()
    return [p for p in found if len(p) > MAX_CHROME_LINE or not chrome.search(p)]


def strip_repeats(lines: list[str], title: str, lead: str) -> list[str]:
    """``lines`` without the headline (and a kicker above it) and the sapo at their start."""
    keys = [fold(_SPACE.sub(" ", r)).strip() for r in (title, lead) if r]
    folded_title = keys[0] if title else None
    for index, line in enumerate(lines[:3]):
        if len(line) == len(title) and fold(line).strip() == folded_title:
            lines = lines[index + 1:]
            break
    longest = max(map(len, keys), default=0)
    start = 0
    while start < min(len(lines), 4) and len(lines[start]) <= longest + 2:
        line = fold(lines[start]).strip()
        if not any(line == key or (len(line) > 40 and key.startswith(line)) for key in keys):
            break
        start += 1
    return lines[start:]
