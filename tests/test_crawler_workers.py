"""The page pool: worker processes give exactly what inline extraction gives (real processes, no mocks)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import numpy as np
import pytest

from crawler.demosite.generate import synthetic_article
from crawler.demosite.pages import render_article
from crawler.demosite.site import OUTLETS
from crawler.sources import SiteOverrides
from crawler.workers import PageOutcome, PagePool, worker_count

BASE = "http://127.0.0.1:8765"
KEYWORDS = ["bình đẳng giới", "bạo lực trên cơ sở giới"]
HEADERS = {"Content-Type": "text/html; charset=utf-8"}


def _page(n: int, *, on_topic: bool = True) -> tuple[str, bytes]:
    article = synthetic_article(n, "x", f"/x/bai-{n}-{10000 + n}.html", on_topic=on_topic)
    return BASE + article.path, render_article(article, BASE, outlet=next(iter(OUTLETS.values()))).encode()


# A pool serves one event loop (the reactor's in a crawl): every call here runs in this one.
LOOP = asyncio.new_event_loop()


@pytest.fixture(scope="module")
def pooled() -> Iterator[PagePool]:
    pool = PagePool(1, KEYWORDS)
    pool.start()
    yield pool
    pool.close()


def _process(pool: PagePool, url: str, body: bytes) -> PageOutcome:
    return LOOP.run_until_complete(pool.process(url, body, HEADERS, "x", SiteOverrides()))


def test_workers_give_the_inline_outcome(pooled: PagePool) -> None:
    inline = PagePool(0, KEYWORDS)
    for url, body in (_page(1), _page(2)):
        here, there = _process(inline, url, body), _process(pooled, url, body)
        assert here.result.article is not None and there.result.article is not None
        assert there.result.article.model_dump(exclude={"crawled_at"}) == \
            here.result.article.model_dump(exclude={"crawled_at"})
        assert here.on_topic is there.on_topic is True
        assert here.signature is not None and np.array_equal(here.signature, there.signature)


def test_offtopic_pages_get_no_signature_and_rejections_keep_their_reason(pooled: PagePool) -> None:
    offtopic = _process(pooled, *_page(3, on_topic=False))
    assert offtopic.result.article is not None and offtopic.on_topic is False and offtopic.signature is None
    rejected = _process(pooled, BASE + "/x/trong-1.html", b"<html><body>   </body></html>")
    assert rejected.result.article is None and rejected.result.reason == "no_title"


@pytest.mark.parametrize(("setting", "cores", "expected"), [(0, 4, 0), (3, 1, 3), (-1, 4, 4), (-1, 2, 2), (-1, 1, 0)])
def test_worker_count(setting: int, cores: int, expected: int) -> None:
    assert worker_count(setting, cores) == expected
