"""Page work off the reactor: extraction, topic check and MinHash signature in worker processes.

The crawl is one Scrapy process, and one article page costs several milliseconds of CPU
(parse, metadata, trafilatura, normalisation, shingling), so the spider hands each page to
a ``PagePool`` and awaits the result while the reactor keeps downloading. The pool size is
``NEWSMON_PAGE_WORKERS``: 0 works inline in the crawl process, a negative value means one
worker per core (none on a single core). Where the OS can, the workers are forked when the spider opens: they start
at once with everything already imported and share its memory, where spawned workers
would each spend seconds of CPU importing trafilatura, datasketch and scipy again. They
only ever run ``process_page``; nothing they inherit from the reactor is used.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from crawler.dedup import signature_values
from crawler.extract import ExtractResult, extract_article
from crawler.pipelines import is_on_topic
from crawler.sources import SiteOverrides
from newsmon.text import fold

__all__ = ["PageOutcome", "PagePool", "process_page", "worker_count"]

_START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


@dataclass
class PageOutcome:
    """The extraction result; for an article also its topic check and near-duplicate signature."""

    result: ExtractResult
    on_topic: bool | None = None
    signature: np.ndarray | None = None


def process_page(url: str, body: bytes, headers: Mapping[str, object], source: str,
                 overrides: SiteOverrides, folded_keywords: list[str]) -> PageOutcome:
    """Everything about one page that needs only the page (runs in a worker)."""
    result = extract_article(url, body, headers, source=source, overrides=overrides)
    if result.article is None:
        return PageOutcome(result)
    on_topic = is_on_topic(result.article, folded_keywords)
    # Off-topic articles are not stored, so they need no signature.
    return PageOutcome(result, on_topic, signature_values(result.article.text) if on_topic else None)


def worker_count(setting: int, cores: int | None = None) -> int:
    """The pool size for ``NEWSMON_PAGE_WORKERS``: negative means one per core, none on a single core
    (a worker there would only add pickling to the same CPU)."""
    if setting >= 0:
        return setting
    cores = cores or os.cpu_count() or 1
    return cores if cores > 1 else 0


def _ready() -> bool:
    return True


def _init_worker() -> None:
    """Forget the reactor's signal handling: a Ctrl-C must reach the crawl once, not once per worker.

    A forked worker inherits the asyncio wake-up fd, so its SIGINT would be replayed in the crawl
    process (and Scrapy takes a second Ctrl-C as "stop now"). The crawl stops the pool itself.
    """
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class PagePool:
    """``await pool.process(...)``: ``process_page`` in worker processes, or inline with 0 workers."""

    def __init__(self, workers: int, topic_keywords: list[str]) -> None:
        self.workers = workers
        self.folded_keywords = [fold(k) for k in topic_keywords if k.strip()]
        self._executor: ProcessPoolExecutor | None = None
        if workers > 0:
            self._executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(_START_METHOD),
                                                 initializer=_init_worker)

    def start(self) -> None:
        """Start every worker now (they import trafilatura while discovery runs)."""
        if self._executor is not None:
            for _ in range(self.workers):
                self._executor.submit(_ready)

    async def process(self, url: str, body: bytes, headers: Mapping[str, object], source: str,
                      overrides: SiteOverrides) -> PageOutcome:
        """The ``PageOutcome`` of one page (needs the asyncio reactor when there are workers)."""
        args = (url, body, dict(headers), source, overrides, self.folded_keywords)
        if self._executor is None:
            return process_page(*args)
        return await asyncio.wrap_future(self._executor.submit(process_page, *args))

    def close(self) -> None:
        """Stop the workers."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
