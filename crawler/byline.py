"""Authors as the byline prints them: people, not the outlet.

A byline is read from the layout's author selector, else from the page's metadata (JSON-LD
``author``, ``<meta name=author>``) once outlet names are filtered out, else from the last
lines of the body where Vietnamese outlets print it (a short, right-aligned or bold line:
"Hà Thu (tổng hợp)", "Quang Phong - Tùng Nguyên", "Theo Minh Nguyễn/Vcamp.vn").
``split_byline`` strips "Theo", parenthesised sources and photo credits, and splits the names.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

from crawler.bodytext import BLOCK_TAGS
from crawler.layouts import Bylines
from newsmon.text import fold

__all__ = ["is_outlet", "names_from_metadata", "split_byline", "trailing_byline"]

#: A byline is at most this long (after parenthesised parts are removed).
MAX_BYLINE_CHARS = 60
MAX_NAME_WORDS = 5
#: How many of the body's last lines may hold the byline.
TRAILING_LINES = 3
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SEPARATORS = re.compile(r"\s+[-–—]\s+|\s*[,;/&]\s*|\s+và\s+", re.IGNORECASE)
_DOMAIN = re.compile(r"\.(?:vn|com|net|org|info)\b", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")
_EMPHASIS = ("strong", "b", "em", "i")
_RIGHT = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


@cache
def _outlet_keys(outlets: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_key(o) for o in outlets)


@cache
def _folded_prefixes(prefixes: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """(folded prefix, length), longest first."""
    return tuple(sorted(((fold(p), len(p)) for p in prefixes), key=lambda item: -item[1]))


def is_outlet(name: str, rules: Bylines, site_names: list[str] = ()) -> bool:  # type: ignore[assignment]
    """True when ``name`` is an outlet, agency or site handle rather than a person."""
    key = _key(name)
    if not key or _DOMAIN.search(name) or key in _outlet_keys(tuple(rules.outlets)):
        return True
    if any(key == _key(site) or (len(key) > 4 and key in _key(site)) for site in site_names):
        return True
    return " " not in name.strip() and name.islower()  # a handle: "baotuoitre", "baodantridientu"


def _strip_prefix(text: str, prefixes: list[str]) -> tuple[str, bool]:
    folded = fold(text)
    for prefix, size in _folded_prefixes(tuple(prefixes)):
        if folded.startswith(prefix) and (len(text) == size or not text[size].isalnum()):
            return text[size:].strip(" :-–"), True
    return text, False


def _is_name(part: str) -> bool:
    words = part.split()
    return 0 < len(words) <= MAX_NAME_WORDS and all(_NAME_WORD.match(w) and w[0].isupper() for w in words)


def split_byline(text: str, rules: Bylines, site_names: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    """The people a byline names ([] when it names none)."""
    text = " ".join(_PARENTHESES.sub(" ", text).split())
    folded = fold(text)  # one character per character: offsets carry over
    for credit in _folded_prefixes(tuple(rules.credits)):  # "H.V. Ảnh: Misso": the photo credit is not the writer
        at = folded.find(credit[0])
        if at >= 0:
            text, folded = text[:at].strip(), folded[:at].strip()
    text, credited = _strip_prefix(text, rules.prefixes)
    if not text or len(text) > MAX_BYLINE_CHARS:
        return []
    parts = [p.strip(" .:-–") if not re.search(r"\b\w\.$", p.strip()) else p.strip() for p in _SEPARATORS.split(text)]
    names = [p for p in parts if p and _is_name(p) and not is_outlet(p, rules, site_names)]
    if credited and len(parts) == 1 and names and " " not in names[0]:
        return []  # "Theo Ngoisao": one word after "Theo" credits a source
    return names


def names_from_metadata(authors: list[str], rules: Bylines, site_names: list[str]) -> list[str]:
    """The metadata's authors that are people."""
    names: list[str] = []
    for author in authors:
        names += [n for n in split_byline(author, rules, site_names) if n not in names]
    return names


def _is_styled(node: etree._Element) -> bool:
    """Right-aligned, or all its text in bold/italic: how bylines are set apart."""
    for element in (node, *node.iterancestors()):
        if element.get("align", "").lower() == "right" or _RIGHT.search(element.get("style", "")):
            return True
        if element.tag in ("body", "article"):
            break
    text = "".join(node.itertext()).strip()
    outer = [e for e in node.iter(*_EMPHASIS) if not any(a.tag in _EMPHASIS for a in e.iterancestors()
                                                         if a is not node and node in a.iterancestors())]
    emphasised = sum(len("".join(e.itertext()).strip()) for e in outer)
    return bool(text) and emphasised >= 0.8 * len(text)


def _last_lines(body: etree._Element) -> list[etree._Element]:
    """The body's last blocks holding text (innermost blocks), in document order."""
    found: list[etree._Element] = []
    for node in reversed(list(body.iter(*BLOCK_TAGS - {"br", "hr"}))):
        if any(child.tag in BLOCK_TAGS - {"br"} for child in node.iterdescendants()):
            continue
        if "".join(node.itertext()).strip():
            found.append(node)
            if len(found) == TRAILING_LINES:
                break
    return found[::-1]


def _printing(tree: etree._Element, lines: list[str]) -> list[etree._Element]:
    """The innermost elements of ``tree`` whose text is one of ``lines``, in the order of ``lines``."""
    wanted = {" ".join(line.split()): index for index, line in enumerate(lines) if len(line) <= MAX_BYLINE_CHARS * 2}
    found: dict[int, etree._Element] = {}
    for node in tree.iter(*BLOCK_TAGS - {"br", "hr"}, *_EMPHASIS, "span", "font"):
        index = wanted.get(" ".join("".join(node.itertext()).split()))
        if index is not None:
            found[index] = node  # later (inner) matches replace outer ones
    return [found[i] for i in sorted(found)]


def trailing_byline(body: etree._Element, rules: Bylines, site_names: list[str],
                    lines: list[str] | None = None) -> list[str]:
    """The names of a byline printed among the body's last lines ([] when there is none).

    ``lines``: the body's text as another extractor gave it; its last lines are then looked up
    in ``body`` (the whole page) to see how they are printed.
    """
    nodes = _last_lines(body) if lines is None else _printing(body, lines[-TRAILING_LINES:])
    for node in nodes:
        text = " ".join("".join(node.itertext()).split())
        credited = _strip_prefix(text, rules.prefixes)[1]
        if not (credited or _is_styled(node) or (text.isupper() and len(text) <= MAX_BYLINE_CHARS)):
            continue
        if names := split_byline(text, rules, site_names):
            return names
    return []
