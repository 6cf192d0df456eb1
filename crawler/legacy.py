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

__all__ = ["densest_block", "looks_tabular"]

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
        if child.tag in _RUNNING and not child.iterdescendants("table", "div", "td"):
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
