"""The layout rules of ``crawler/layouts.yaml``: where a page keeps its body, headline, sapo, date, byline.

``load_rules()`` reads and validates the file once (a bad file raises ``ConfigError`` naming
the fix); ``Rules.layout_for(tree, host)`` returns the first layout whose body selector finds
text on the page, with that body element. Selectors are compiled once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsmon.errors import ConfigError

__all__ = [
    "LAYOUTS_FILE", "Layout", "Match", "Rules", "alternatives", "index_page", "load_rules", "select", "select_first",
]

LAYOUTS_FILE = Path(__file__).with_name("layouts.yaml")
#: A body element with less text than this is not the article (an empty template slot).
MIN_BODY_CHARS = 80


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Layout(_Config):
    """One layout: CSS selectors of the parts of an article page."""

    name: str
    domains: list[str] = Field(default_factory=list)
    body: str
    title: str | None = None
    lead: str | None = None
    date: str | None = None
    authors: str | None = None
    remove: list[str] = Field(default_factory=list)

    def fits_host(self, host: str) -> bool:
        """True when the layout has no domain list or ``host`` is on one of its domains."""
        return not self.domains or any(host == d or host.endswith("." + d) for d in self.domains)


class Generic(_Config):
    """Selectors tried, in order, on pages no layout fits."""

    body: list[str] = Field(default_factory=list)
    lead: list[str] = Field(default_factory=list)
    date: list[str] = Field(default_factory=list)
    authors: list[str] = Field(default_factory=list)


class Chrome(_Config):
    """What is never part of an article body."""

    remove: list[str] = Field(default_factory=list)
    headings: list[str] = Field(default_factory=list)
    lines: list[str] = Field(default_factory=list)


class Bylines(_Config):
    """How bylines are read."""

    prefixes: list[str] = Field(default_factory=list)
    credits: list[str] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Match:
    """The layout a page fits (None: no layout) and its body element."""

    layout: Layout | None
    body: lxml_html.HtmlElement | None


class Rules(_Config):
    """The whole layouts file."""

    version: int = 1
    layouts: list[Layout]
    generic: Generic = Field(default_factory=Generic)
    chrome: Chrome = Field(default_factory=Chrome)
    bylines: Bylines = Field(default_factory=Bylines)

    def layout_for(self, tree: lxml_html.HtmlElement, host: str) -> Match:
        """The first layout whose body selector finds an element with text: the layouts of ``host``'s
        outlet first (an outlet's own older layout is more specific than a CMS template), then the rest."""
        tokens = page_tokens(tree)
        mine = [layout for layout in self.layouts if layout.domains and layout.fits_host(host)]
        for layout in mine + [layout for layout in self.layouts if not layout.domains]:
            if tokens is not None and not any(needed <= tokens for needed in _needed(layout.body)):
                continue  # the page lacks every class/id this body selector needs
            if (body := _body(tree, layout.body)) is not None:
                return Match(layout, body)
        for selector in self.generic.body:
            if (body := _body(tree, selector)) is not None:
                return Match(None, body)
        return Match(None, None)

    def line_pattern(self) -> re.Pattern[str]:
        """One regex of every chrome line pattern."""
        return _compiled_lines(tuple(self.chrome.lines))


def _body(tree: lxml_html.HtmlElement, selector: str) -> lxml_html.HtmlElement | None:
    for node in select(tree, selector):
        if len(node.text_content().strip()) >= MIN_BODY_CHARS:
            return node
    return None


@cache
def _compiled_lines(lines: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{line})" for line in lines) or r"(?!)", re.IGNORECASE)


@cache
def _selector(css: str) -> CSSSelector | None:
    try:
        return CSSSelector(css)
    except (etree.XPathError, ValueError, SyntaxError):  # cssselect raises SelectorSyntaxError (a SyntaxError)
        return None


#: Names a selector needs: classes, ids, and the values of [itemprop=…] and [data-role=…] (matched exactly).
_TOKEN = re.compile(r"[.#]([\w-]+)|\[(?:itemprop|data-role)=['\"]?([\w-]+)['\"]?\]")
_CLASSES_AND_IDS = etree.XPath("//@class | //@id | //@itemprop | //@data-role", smart_strings=False)
#: The page being parsed and the class and id names it uses (``index_page``).
_indexed: tuple[etree._Element, frozenset[str]] | None = None


def index_page(tree: etree._Element) -> None:
    """Remember the class, id, itemprop and data-role names of ``tree``'s page: ``select`` then skips
    selectors that need a name the page lacks without running them (most layout selectors, on most pages)."""
    global _indexed
    root = tree.getroottree().getroot()
    _indexed = (root, frozenset(" ".join(_CLASSES_AND_IDS(root)).split()))


@cache
def _needed(css: str) -> tuple[frozenset[str], ...]:
    """Per alternative of ``css``, the class and id names it needs."""
    return tuple(frozenset(a or b for a, b in _TOKEN.findall(alternative)) for alternative in alternatives(css))


def page_tokens(tree: etree._Element) -> frozenset[str] | None:
    """The class and id names of ``tree``'s page when it is the indexed one, else None."""
    if _indexed is None or tree.getroottree().getroot() is not _indexed[0]:
        return None
    return _indexed[1]


def _may_match(tree: etree._Element, css: str) -> bool:
    tokens = page_tokens(tree)
    return tokens is None or any(needed <= tokens for needed in _needed(css))


def select(tree: etree._Element, css: str | None) -> list[lxml_html.HtmlElement]:
    """Elements matching ``css`` (an invalid selector matches nothing)."""
    compiled = _selector(css) if css else None
    if compiled is None or not _may_match(tree, css):  # type: ignore[arg-type]
        return []
    return compiled(tree)


def select_first(tree: etree._Element, css: str | None) -> lxml_html.HtmlElement | None:
    """The first match of the first comma-separated alternative of ``css`` that matches."""
    for alternative in alternatives(css or ""):
        if found := select(tree, alternative):
            return found[0]
    return None


@cache
def alternatives(css: str) -> tuple[str, ...]:
    """The comma-separated alternatives of a selector list, in order."""
    return tuple(part.strip() for part in re.split(r",(?![^\[]*\])", css) if part.strip())


@cache
def load_rules(path: Path = LAYOUTS_FILE) -> Rules:
    """The validated layouts file (read once per process)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = Rules.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"layouts file {path} is unusable: {exc}") from exc
    bad = [css for layout in rules.layouts for css in (layout.body, *layout.remove) if _selector(css) is None]
    bad += [css for css in rules.chrome.remove if _selector(css) is None]
    if bad:
        raise ConfigError(f"layouts file {path}: invalid CSS selector(s) {bad}")
    try:
        rules.line_pattern()
    except re.error as exc:
        raise ConfigError(f"layouts file {path}: a chrome line pattern is not a valid regex: {exc}") from exc
    return rules
