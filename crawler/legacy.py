"""Pages no layout fits and trafilatura reads badly: the table-laid-out pages of older sites.

Provincial and ministry portals still lay articles out in ``<table>`` cells, often in
windows-1258. trafilatura then returns the cells as ``| … |`` rows, the headline repeated
and the paragraphs merged. ``densest_block`` finds the element that holds most of the
page's running text instead (by the text of its own paragraphs, links discounted), which
``crawler.bodytext`` then reads paragraph by paragraph.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

__all__ = ["densest_block", "looks_tabular", "preceding_sapo"]

#: A sapo printed in bold above the body has this many characters.
SAPO_CHARS = (40, 600)
#: A run of text shorter than this is a label or a menu item, not running text.
MIN_RUN_CHARS = 40
#: trafilatura's table rows.
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_CONTAINERS = ("td", "div", "article", "section", "main")
_RUNNING = ("p", "span", "font", "em", "i", "strong", "b")


def looks_tabular(lines: list[str]) -> bool:
    """True when most of trafilatura's lines are table rows (``| cell | cell |``)."""
    rows = sum(1 for line in lines if _TABLE_ROW.match(line))
    return rows > 0 and rows >= len(lines) / 2


def _runs(node: etree._Element) -> int:
    """Characters of running text directly in ``node``: its own text, its paragraphs', its ``<br>``-split lines."""
    pieces = [node.text or ""]
    for child in node:
        if child.tag in _RUNNING and next(child.iterdescendants("table", "div", "td"), None) is None:
            pieces.append(child.text_content())
        elif child.tag == "a":
            pieces.append("")
        pieces.append(child.tail or "")
    return sum(len(piece.strip()) for piece in pieces if len(piece.strip()) >= MIN_RUN_CHARS)


def densest_block(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The container holding the most running text, or None when the page has none."""
    body = tree.find(".//body")
    best, best_score = None, 0
    for node in (body if body is not None else tree).iter(*_CONTAINERS):
        score = _runs(node)
        if score > best_score:
            best, best_score = node, score
    return best


def _emphasised(node: etree._Element, text: str) -> bool:
    bold = sum(len(" ".join(e.text_content().split())) for e in node.iter("b", "strong")
               if next(e.iterancestors("b", "strong"), None) is None)
    return bold >= 0.9 * len(text)


def preceding_sapo(block: lxml_html.HtmlElement) -> str:
    """The sapo printed in bold just above ``block`` (in the previous cell or row), or ""."""
    for node in (block, block.getparent(), block.getparent().getparent() if block.getparent() is not None else None):
        if node is None:
            continue
        sibling = next((s for s in node.itersiblings(preceding=True) if s.text_content().strip()), None)
        if sibling is None:
            continue
        text = " ".join(sibling.text_content().split())
        if SAPO_CHARS[0] <= len(text) <= SAPO_CHARS[1] and _emphasised(sibling, text):
            return text
        return ""
    return ""
