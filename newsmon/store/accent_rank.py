"""Rank exact-accent matches above accent-folded ones, within a page of hits.

The FTS5 index is accent-folded, so "bình" and "bính" score the same. When the user
typed diacritics, a hit whose highlighted words carry exactly those diacritics is the
better answer: ``rerank`` moves such hits ahead, keeping BM25 order otherwise (a stable
sort). It reorders within the page only, so keyset cursors stay valid.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from newsmon.query import Phrase, Prefix, Term
from newsmon.store.base import SearchHit
from newsmon.text import fold

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _accented(terms: Sequence[Term | Phrase | Prefix]) -> set[str]:
    """The typed words that carry diacritics (lowercased), the only ones worth checking."""
    words = set()
    for term in terms:
        for word in term.text.split():
            if word.lower() != fold(word):
                words.add(word.lower())
    return words


def exact_matches(hit: SearchHit, accented: set[str]) -> int:
    """How many of the accented query words appear with their exact accents in the marks."""
    marked = " ".join(html.unescape(m) for m in _MARK.findall(hit.title_html + hit.snippet_html)).lower()
    found = set(re.findall(r"\w+", marked))
    return len(accented & found)


def rerank(hits: list[SearchHit], terms: Sequence[Term | Phrase | Prefix]) -> list[SearchHit]:
    """Hits with more exact-accent matches first; ties keep their order."""
    accented = _accented(terms)
    if not accented or len(hits) < 2:
        return hits
    return sorted(hits, key=lambda hit: -exact_matches(hit, accented))
