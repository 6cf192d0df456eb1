"""Keywords: the article's most telling words, found by underthesea's word segmentation.

Vietnamese writes words as space-separated syllables, so "bạo lực gia đình" is three
syllables and two words ("bạo lực", "gia đình"); only segmentation tells them apart. A
keyword is a segmented word of two or more syllables that is neither a place nor a person
(those have their own fields) nor one of the words every news report uses; words in the
headline count double. Scores are term frequencies within the article: no corpus statistics
have to be shipped or downloaded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from importlib.resources import files
from itertools import pairwise

from nlp.normalize import Sentence, Token, words

__all__ = ["STOPLIST", "keywords"]

# Function words and the words of any news report, whatever it is about (lower case).
STOPLIST = frozenset(
    line for line in (files("nlp") / "data" / "keyword_stoplist.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)


def _phrases(sentences: Iterable[Sentence], spans: list[tuple[int, int]]) -> Iterable[list[Token]]:
    """Runs of adjacent content words (no generic word, punctuation, place or person between)."""
    for sentence in sentences:
        run: list[Token] = []
        for token in words(sentence):
            content = any(c.isalpha() for c in token.text) and token.text.lower() not in STOPLIST \
                and not any(start < token.end and token.start < end for start, end in spans)
            if content:
                run.append(token)
                continue
            if run:
                yield run
            run = []
        if run:
            yield run


def keywords(sentences: Iterable[Sentence], *, title_end: int = 0, skip: Iterable[tuple[int, int]] = (),
             limit: int = 10) -> list[str]:
    """The ``limit`` best keywords of an article, most frequent first.

    ``sentences`` come from ``nlp.normalize.sentences``; words starting before ``title_end``
    are the headline's; ``skip`` holds spans (places, people) whose words are not keywords. Two
    adjacent words that mostly occur together ("bình đẳng" + "giới") are one keyword.
    """
    runs = list(_phrases(sentences, sorted(skip)))
    words_count: Counter[tuple[str, bool]] = Counter()
    raw: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for run in runs:
        keys = [_key(t.text) for t in run]
        words_count.update((k, t.start < title_end) for k, t in zip(keys, run, strict=True))
        raw.update(keys)
        pairs.update(pairwise(keys))
    totals: Counter[str] = Counter()
    for (key, in_title), n in words_count.items():
        totals[key] += n * (2 if in_title else 1)
    scores: Counter[str] = Counter()
    merged: set[str] = set()
    for (first, second), n in pairs.items():
        if n >= 2 and n >= 0.7 * max(raw[first], raw[second]) and (" " in first or " " in second):
            scores[f"{first} {second}"] = max(totals[first], totals[second])
            merged.update((first, second))
    for key, total in totals.items():
        if key not in merged and " " in key:
            scores[key] = total
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [key for key, score in ranked[:limit] if score >= 2]


def _key(word: str) -> str:
    """Lower case, except names written with capitals inside a sentence ("Liên hợp quốc" stays)."""
    return word if word[:1].isupper() and not word.isupper() and word.lower() != word[:1].lower() + word[1:] \
        else word.lower()
