"""Highlighted titles and snippets, computed on the original text.

Matching runs on ``fold(text)``, which has the same length as ``text``, so a match
in the folded text marks the same characters in the original.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from newsmon.query import Phrase, Prefix, Term
from newsmon.text import fold

SNIPPET_CHARS = 240


def term_pattern(terms: Sequence[Term | Phrase | Prefix]) -> re.Pattern[str] | None:
    """One regex that finds any of the terms in folded text, on word boundaries."""
    parts = []
    for term in terms:
        if isinstance(term, Prefix):
            parts.append(re.escape(term.folded) + r"\w*")
        elif isinstance(term, Phrase):
            parts.append(r"\W+".join(re.escape(fold(w)) for w in term.words))
        else:
            parts.append(r"\W+".join(re.escape(w) for w in re.split(r"[-']", term.folded)))
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def mark(text: str, pattern: re.Pattern[str] | None) -> str:
    """``text`` HTML-escaped with every match wrapped in ``<mark>``."""
    if pattern is None:
        return html.escape(text)
    out, last = [], 0
    for match in pattern.finditer(fold(text)):
        out.append(html.escape(text[last:match.start()]))
        out.append(f"<mark>{html.escape(text[match.start():match.end()])}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, pattern: re.Pattern[str] | None, size: int = SNIPPET_CHARS) -> str:
    """The passage of ``text`` with the most matches, about ``size`` characters, marked."""
    folded = fold(text)
    starts = [m.start() for m in pattern.finditer(folded)] if pattern else []
    if not starts:
        window = text[:size]
        return html.escape(window) + ("…" if len(text) > size else "")
    best = max(starts, key=lambda s: sum(1 for x in starts if s <= x < s + size))
    begin = max(0, best - size // 4)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < best else begin
    end = min(len(text), begin + size)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > best else end
    body = mark(text[begin:end], pattern)
    return ("…" if begin else "") + body + ("…" if end < len(text) else "")
