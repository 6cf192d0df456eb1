"""The crawl's fast paths give exactly what the plain code gives, and batched writes lose nothing.

The crawl folds accents with ``newsmon.text.fold`` only (its own ``fast_fold`` is gone: one fold
for every layer); lookup-table folding and letter counting are checked against the per-character reference
over the whole Basic Multilingual Plane; MinHash signatures against datasketch's own
``update_batch`` with its default hash (persisted signatures must stay comparable); the
page pool against a worker that dies (a real process, killed). No mocks.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler

from crawler.dedup import HASH_DTYPE, NUM_PERM, SCHEME, SHINGLE_WORDS, NearDuplicateIndex, shingles, signature_values
from crawler.demosite.generate import synthetic_article
from crawler.demosite.pages import render_article
from crawler.demosite.site import OUTLETS
from crawler.language import LETTER, VIETNAMESE_LETTER, letter_counts
from crawler.pipelines import is_on_topic
from crawler.sources import SiteOverrides
from crawler.state import CrawlState
from crawler.stats import PlainStatsCollector
from crawler.workers import PagePool, PageWorkerDied
from newsmon.models import Article
from newsmon.text import fold, fold_char
from tests.shared_data import DEVSET, require

ALL_BMP = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000)
#: Characters the lookup tables cannot answer: the fast paths must fall back, not differ.
AWKWARD = ["ΟΔΟΣ ΑΣ Σ", "İstanbul ǅ ß ŉ", "Bình đẳng 𝐀 giới 😀", "Bình \ud800 giới"]


def _devset_texts() -> list[str]:
    return [json.loads(path.read_text(encoding="utf-8"))["text"] for path in sorted(require(DEVSET).glob("dev*.json"))]


def test_fold_by_table_is_fold_by_character() -> None:
    assert fold(ALL_BMP) == "".join(fold_char(char) for char in ALL_BMP)
    for text in AWKWARD:
        long = text * 40  # long enough for the table path
        assert fold(long) == "".join(fold_char(char) for char in long)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=600))
def test_the_crawl_folds_exactly_as_newsmon_text_folds(text: str) -> None:
    """One accent fold (issue 12): shingles and the topic check fold with ``newsmon.text.fold``, whose
    table path (long texts) gives what its per-character path gives, on any text."""
    assert fold(text) == "".join(fold_char(char) for char in text)
    words = re.findall(r"\w+", fold(text))
    if len(words) >= SHINGLE_WORDS:
        assert shingles(text) == {" ".join(words[i:i + SHINGLE_WORDS]).encode()
                                  for i in range(len(words) - SHINGLE_WORDS + 1)}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ "
                        "AĂÂĐÊÔƠƯÀÁẢÃẠ", min_size=1, max_size=400),
       st.sampled_from(["bình đẳng giới", "phụ nữ", "Bạo Lực", "trẻ em gái"]))
def test_the_topic_check_is_a_folded_substring_check(text: str, keyword: str) -> None:
    article = Article(url="http://h/a-12345.html", source="h", title="T", text=text or "x")
    expected = fold(keyword) in fold(f"{article.title}\n{article.lead}\n{article.text}")
    assert is_on_topic(article, [fold(keyword)]) is expected


def test_letter_counts_are_the_regex_counts() -> None:
    for text in [ALL_BMP, "\ud800" + ALL_BMP[:3000], *AWKWARD, ""]:
        assert letter_counts(text) == (len(LETTER.findall(text)), len(VIETNAMESE_LETTER.findall(text)))


def test_signatures_are_datasketch_minhashes_of_the_shingles() -> None:
    texts = [*_devset_texts(), synthetic_article(7, "x", "/x").body_text(), "hai từ", ""]
    for text in texts:
        reference = MinHash(num_perm=NUM_PERM, scheme=SCHEME)  # default hash: sha1_hash32
        reference.update_batch(list(shingles(text)))
        assert np.array_equal(signature_values(text), np.asarray(reference.hashvalues, dtype=HASH_DTYPE))


def test_crawl_state_batches_writes_and_reads_its_own_pending_ones(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.db")
    state.record("http://h/a", kind="article", source="h", status=200, etag='"1"')
    with sqlite3.connect(tmp_path / "s.db") as other:  # not written yet: one transaction per batch
        assert other.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    known = state.get("http://h/a")  # a read that needs the pending write flushes it first
    assert known is not None and known.etag == '"1"'
    state.record("http://h/b", kind="article", source="h", status=200)
    state.record("http://h/a", kind="article", source="h", status=304)
    assert state.count("article") == 2
    state.record("http://h/c", kind="feed", source="h", status=200)
    state.close()  # flushes
    reopened = CrawlState(tmp_path / "s.db")
    assert reopened.count() == 3 and reopened.get("http://h/a").etag == '"1"'  # type: ignore[union-attr]
    reopened.close()


def test_a_failed_state_flush_keeps_the_writes(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.db")
    state.record("http://h/a", kind="article", source="h", status=200)
    with sqlite3.connect(tmp_path / "s.db", isolation_level=None) as blocker:
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        state._conn.execute("PRAGMA busy_timeout = 0")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            state.flush()
        blocker.execute("ROLLBACK")
    state.flush()
    assert state.get("http://h/a") is not None
    state.close()


def test_near_duplicate_index_writes_on_flush(tmp_path: Path) -> None:
    text = synthetic_article(1, "x", "/x").body_text()
    index = NearDuplicateIndex(tmp_path / "d.db")
    index.add(Article(url="http://h/1.html", source="h", title="T", text=text))
    assert _indexed(tmp_path / "d.db") == 0  # in memory until the pipeline's batch
    index.flush()
    assert _indexed(tmp_path / "d.db") == 1
    index.close()


def _indexed(path: Path) -> int:
    index = NearDuplicateIndex(path)
    try:
        return len(index)
    finally:
        index.close()


def test_a_dead_worker_fails_its_page_and_the_pool_carries_on_inline() -> None:
    article = synthetic_article(1, "x", "/x/bai-1-10001.html")
    url = "http://127.0.0.1:8765" + article.path
    body = render_article(article, "http://127.0.0.1:8765", outlet=next(iter(OUTLETS.values()))).encode()
    pool = PagePool(1, ["bình đẳng giới"])
    pool.start()
    loop = asyncio.new_event_loop()

    def process() -> object:
        return loop.run_until_complete(pool.process(url, body, {"Content-Type": "text/html"}, "x", SiteOverrides()))

    try:
        assert process().result.article is not None  # type: ignore[attr-defined]
        os.kill(pool._workers[0].process.pid, signal.SIGKILL)  # type: ignore[arg-type]
        with pytest.raises(PageWorkerDied, match="exited with -9"):
            process()
        outcome = process()  # no worker left: inline
        assert outcome.result.article is not None and outcome.on_topic is True  # type: ignore[attr-defined]
    finally:
        pool.close()
        loop.close()


def test_plain_stats_collector_counts_like_scrapys() -> None:
    crawler = get_crawler(settings_dict={"STATS_CLASS": "crawler.stats.PlainStatsCollector"})
    stats = crawler.stats
    assert isinstance(stats, PlainStatsCollector)
    stats.inc_value("a")
    stats.inc_value("a", 2)
    stats.max_value("m", 3)
    stats.max_value("m", 1)
    assert stats.get_value("a") == 3 and stats.get_stats() == {"a": 3, "m": 3}


def test_tone_search_finds_what_the_plain_pattern_finds() -> None:
    import random
    import re

    from newsmon.text import _END_OF_SYLLABLE, _TONE_MARKS, _TONE_ON_SECOND_VOWEL

    plain = re.compile(  # the pattern as first written: a lookbehind ahead of each branch
        r"(?:(?<![qQ])[oO](?:[àáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸ]|[aAeE][" + _TONE_MARKS + r"])"
        r"|(?<![qQ])[uU](?:[ýỳỹỷỵÝỲỸỶỴ]|[yY][" + _TONE_MARKS + r"]))" + _END_OF_SYLLABLE)
    rng = random.Random(4)
    alphabet = "oOuUqQaAeEyYàáãảạèéẽẻẹýỳỹỷỵÀÝỴ \u0300\u0301\u0303\u0309\u0323bnh"
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10))) for _ in range(20_000)]
    for text in [*samples, "hoà", "quỳ", "Thuỷ", "khoẻ", "hoàn", "oà", "qoà"]:
        assert [m.span() for m in _TONE_ON_SECOND_VOWEL.finditer(text)] == [m.span() for m in plain.finditer(text)]
