"""Page work off the reactor: parsing, topic check and MinHash signature in worker processes.

The crawl is one Scrapy process, and one article page costs several milliseconds of CPU
(parse, metadata, trafilatura, normalisation, shingling), so the spider hands each page to
a ``PagePool`` and awaits the result while the reactor keeps downloading. The pool size is
``NEWSMON_PAGE_WORKERS``: 0 works inline in the crawl process, a negative value means one
worker per core (none on a single core). Where the OS can, the workers are forked when the spider opens: they start
at once with everything already imported and share its memory, where spawned workers
would each spend seconds of CPU importing trafilatura, datasketch and scipy again. They
only ever run ``process_page``; nothing they inherit from the reactor is used.

Each worker is connected to the crawl process by a socket pair that carries length-prefixed
pickles: on the crawl side an asyncio stream (writes never block the reactor), on the worker
side a plain blocking loop. ``concurrent.futures.ProcessPoolExecutor`` did the same through
two threads, queues and locks, at 0.2-0.4 ms of the crawl process's CPU per page (this,
~0.07 ms; both timed with a trivial page function and 12 KB pages).
A worker that dies fails the pages it held with ``PageWorkerDied``; the others take the rest,
and with none left the pages are processed inline.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import os
import pickle
import signal
import socket
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess

import numpy as np

from crawler import dedup, parse
from crawler.dedup import signature_values
from crawler.parse import ParseResult, parse_article
from crawler.pipelines import is_on_topic
from crawler.sources import SiteOverrides
from newsmon.errors import NewsmonError
from newsmon.text import fold

__all__ = ["PageOutcome", "PagePool", "PageWorkerDied", "process_page", "worker_count"]

_START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
_HEADER = struct.Struct("!Q")  # the length of the pickle that follows
_STOP_TIMEOUT = 5.0


class PageWorkerDied(NewsmonError):
    """A page worker exited while it held this page (the message names its exit code)."""


@dataclass
class PageOutcome:
    """The parse result; for an article also its topic check and near-duplicate signature."""

    result: ParseResult
    on_topic: bool | None = None
    signature: np.ndarray | None = None


def process_page(url: str, body: bytes, headers: Mapping[str, object], source: str,
                 overrides: SiteOverrides, article_url_pattern: str | None, folded_keywords: list[str]) -> PageOutcome:
    """Everything about one page that needs only the page (runs in a worker)."""
    result = parse_article(url, body, headers, source=source, overrides=overrides,
                           article_url_pattern=article_url_pattern)
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


def _init_worker() -> None:
    """Forget the reactor's signal handling: a Ctrl-C must reach the crawl once, not once per worker.

    A forked worker inherits the asyncio wake-up fd, so its SIGINT would be replayed in the crawl
    process (and Scrapy takes a second Ctrl-C as "stop now"). The crawl stops the pool itself.
    """
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _serve(sock: socket.socket, others: list[socket.socket]) -> None:
    """A worker's loop: read ``(task id, args)``, answer ``(task id, ok, outcome or exception)``, until EOF."""
    _init_worker()
    for other in others:  # inherited by the fork: the crawl's ends and the other workers'
        other.close()
    while (header := _read_exactly(sock, _HEADER.size)) is not None:
        request = _read_exactly(sock, _HEADER.unpack(header)[0])
        if request is None:
            break
        task_id, args = pickle.loads(request)
        try:
            answer = pickle.dumps((task_id, True, process_page(*args)), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # the crawl re-raises it where the page was awaited
            try:
                answer = pickle.dumps((task_id, False, exc), pickle.HIGHEST_PROTOCOL)
                pickle.loads(answer)  # some exceptions pickle but cannot be rebuilt
            except Exception:
                answer = pickle.dumps((task_id, False, RuntimeError(repr(exc))), pickle.HIGHEST_PROTOCOL)
        try:
            sock.sendall(_HEADER.pack(len(answer)) + answer)
        except OSError:  # the crawl closed the pool meanwhile
            break
    sock.close()


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    sock: socket.socket
    pending: dict[int, asyncio.Future[PageOutcome]] = field(default_factory=dict)
    writer: asyncio.StreamWriter | None = None
    reader_task: asyncio.Task[None] | None = None
    alive: bool = True


class PagePool:
    """``await pool.process(...)``: ``process_page`` in worker processes, or inline with 0 workers.

    The pool serves the event loop of its first ``process`` call (the reactor's loop in a crawl).
    """

    def __init__(self, workers: int, topic_keywords: list[str]) -> None:
        self.workers = workers
        self.folded_keywords = [fold(k) for k in topic_keywords if k.strip()]
        self._workers: list[_Worker] = []
        self._task_ids = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connected: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Build the lookup tables, then start every worker now, while discovery runs (forked, they share both)."""
        dedup.warm_up()
        parse.warm_up()
        if self.workers <= 0 or self._workers:
            return
        context = multiprocessing.get_context(_START_METHOD)
        pairs = [socket.socketpair() for _ in range(self.workers)]
        for mine, theirs in pairs:
            # A forked worker must not hold any other end: the crawl learns that a worker died from its EOF.
            others = [end for pair in pairs for end in pair if end is not theirs and end.fileno() != -1]
            process = context.Process(target=_serve, args=(theirs, others), daemon=True, name="newsmon-page-worker")
            process.start()
            theirs.close()
            self._workers.append(_Worker(process, mine))

    async def process(self, url: str, body: bytes, headers: Mapping[str, object], source: str,
                      overrides: SiteOverrides, article_url_pattern: str | None = None) -> PageOutcome:
        """The ``PageOutcome`` of one page (in the worker with the fewest pages in hand)."""
        args = (url, body, dict(headers), source, overrides, article_url_pattern, self.folded_keywords)
        if self.workers > 0 and not self._workers:
            self.start()
        live = [w for w in self._workers if w.alive]
        if not live:
            return process_page(*args)
        await self._connect()
        worker = min(live, key=lambda w: len(w.pending))
        task_id = next(self._task_ids)
        future: asyncio.Future[PageOutcome] = asyncio.get_running_loop().create_future()
        worker.pending[task_id] = future
        request = pickle.dumps((task_id, args), pickle.HIGHEST_PROTOCOL)
        worker.writer.write(_HEADER.pack(len(request)) + request)  # type: ignore[union-attr]
        return await future

    async def _connect(self) -> None:
        """Open the streams once; the pages that arrive meanwhile wait for the same task."""
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
            self._connected = loop.create_task(self._open_streams(loop))
        elif self._loop is not loop:
            raise RuntimeError("a PagePool serves the event loop of its first process() call only")
        await self._connected  # type: ignore[misc]

    async def _open_streams(self, loop: asyncio.AbstractEventLoop) -> None:
        for worker in self._workers:
            reader, worker.writer = await asyncio.open_connection(sock=worker.sock)
            worker.reader_task = loop.create_task(self._read_answers(worker, reader))

    async def _read_answers(self, worker: _Worker, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                header = await reader.readexactly(_HEADER.size)
                task_id, ok, payload = pickle.loads(await reader.readexactly(_HEADER.unpack(header)[0]))
                future = worker.pending.pop(task_id)
                if future.done():  # its awaiter was cancelled
                    continue
                if ok:
                    future.set_result(payload)
                else:
                    future.set_exception(payload)
        except (asyncio.IncompleteReadError, ConnectionError):
            worker.alive = False
            worker.process.join(1.0)  # it closed its socket: it is exiting, and its exit code tells why
            died = PageWorkerDied(f"page worker {worker.process.pid} exited with {worker.process.exitcode}")
            for future in worker.pending.values():
                if not future.done():
                    future.set_exception(died)
            worker.pending.clear()

    def close(self) -> None:
        """Stop the workers: each finishes its page in hand and exits when its socket closes."""
        loop_open = self._loop is not None and not self._loop.is_closed()
        for worker in self._workers:
            worker.alive = False
            with contextlib.suppress(OSError):  # EOF for the worker now, not when the loop next runs
                worker.sock.shutdown(socket.SHUT_RDWR)
            if worker.reader_task is not None and loop_open:
                worker.reader_task.cancel()
            if worker.writer is not None and loop_open:
                worker.writer.close()
            else:
                worker.sock.close()
        for worker in self._workers:
            worker.process.join(_STOP_TIMEOUT)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()
        self._workers = []
