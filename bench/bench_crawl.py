"""Crawl benchmark: a generated local news site through the whole crawl → store pipeline.

    .venv/bin/python bench/bench_crawl.py                 # 2,000 and 5,000 pages
    .venv/bin/python bench/bench_crawl.py --sizes 500     # quick check

For each size a fresh process serves N generated article pages (plus robots.txt and
a sitemap index) on loopback, runs ``crawler.run.crawl`` into a new SQLite store and
prints two rates: wall-clock pages/s (process start-up and shutdown included) and the
sustained pages/s between the first and the last article fetched (from the crawl-state
timestamps), the CPU time of the crawl's processes per page (start-up included; the
harness's own CPU, server and memory sampler, apart), and the
peak memory of the crawl: the proportional set size (PSS) summed
over the crawl process and its page workers (forked workers share pages, so RSS would
count those twice), its anonymous part (heap, not file pages such as the database's
memory map) and the largest single RSS. The peers, on the same pages and without
Scrapy or network, are ``crawler.parse.parse_article`` and a bare
``trafilatura.extract`` loop (the CPU ceiling of extraction).

The site's server is test harness, not pipeline, and shares the two cores with the crawl:
it is a small asyncio server (a thread of the benchmark's process) that answers each GET
with a pre-rendered response, keep-alive: 0.05-0.08 ms of CPU per request where
``http.server``'s ``ThreadingHTTPServer`` took ~0.35 ms. Its CPU (with the memory
sampler's) is reported apart from the crawl's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.demosite.generate import synthetic_article  # noqa: E402
from crawler.demosite.pages import render_article, render_sitemap_index, render_urlset  # noqa: E402
from crawler.demosite.site import Outlet  # noqa: E402

OUTLET = Outlet("bench", "bench.vn", "Báo Bench", "#345", ("Thời sự", "Xã hội"), "© bench", "{slug}.html", "sitemap")
SITEMAP_CHUNK = 1000
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "LOG_LEVEL": "WARNING", "NEWSMON_PROGRESS_INTERVAL": 0,
    "NEWSMON_BATCH_SIZE": 200,
}


def build_site(pages: int, base: str) -> dict[str, bytes]:
    """Every path of the generated site and its body."""
    site: dict[str, bytes] = {"/robots.txt": b"User-agent: *\nDisallow: /private/\n"}
    urls = []
    for n in range(pages):
        article = synthetic_article(n, "bench", f"/bench/xa-hoi/bai-{n}-{100000 + n}.html")
        site[article.path] = render_article(article, base, outlet=OUTLET).encode()
        urls.append((base + article.path, article.published_at.date().isoformat()))
    chunks = [urls[i:i + SITEMAP_CHUNK] for i in range(0, len(urls), SITEMAP_CHUNK)]
    for i, chunk in enumerate(chunks):
        site[f"/bench/sitemap-{i}.xml"] = render_urlset(chunk).encode()
    site["/bench/sitemap.xml"] = render_sitemap_index(
        [f"{base}/bench/sitemap-{i}.xml" for i in range(len(chunks))]).encode()
    return site


def _response(path: str, body: bytes | None) -> bytes:
    kind = "application/xml" if path.endswith(".xml") else "text/html; charset=utf-8"
    status = "200 OK" if body is not None else "404 Not Found"
    head = f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body or b'')}\r\n\r\n"
    return head.encode() + (body or b"")


class _SiteProtocol(asyncio.Protocol):
    """HTTP/1.1 GETs with keep-alive, answered from pre-rendered responses (bodiless requests only)."""

    def __init__(self, responses: dict[str, bytes]) -> None:
        self.responses = responses
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            request, self.buffer = self.buffer[:end], self.buffer[end + 4:]
            path = request.split(b" ", 2)[1].decode("latin-1") if request.count(b" ") >= 2 else "/"
            self.transport.write(self.responses.get(path) or _response(path, None))


class SiteServer:
    """The generated site on a loopback port, served by an asyncio loop in a daemon thread."""

    def __init__(self, pages: int) -> None:
        self.loop = asyncio.new_event_loop()
        server = self.loop.run_until_complete(self.loop.create_server(
            lambda: _SiteProtocol(self.responses), "127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        self.site = build_site(pages, self.base)
        self.responses = {path: _response(path, body) for path, body in self.site.items()}
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def shutdown(self) -> None:
        """Stop serving."""
        self.loop.call_soon_threadsafe(self.loop.stop)


def serve(pages: int) -> tuple[SiteServer, str, dict[str, bytes]]:
    """Serve a generated site of ``pages`` articles on loopback."""
    server = SiteServer(pages)
    return server, server.base, server.site


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``: from the kernel's per-thread children lists, else a scan of /proc."""
    try:
        found, stack = [], [pid]
        while stack:
            parent = stack.pop()
            for task in os.listdir(f"/proc/{parent}/task"):
                for child in Path(f"/proc/{parent}/task/{task}/children").read_text().split():
                    found.append(int(child))
                    stack.append(int(child))
        return found
    except FileNotFoundError:  # a process that just ended, or a kernel without the children lists
        return _descendants_by_scan(pid)


def _descendants_by_scan(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            children.setdefault(int(stat[1]), []).append(int(entry))
    found, stack = [], list(children.get(pid, []))
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(children.get(child, []))
    return found


def _pss_kib(pid: int) -> tuple[int, int]:
    """A process's PSS and the anonymous part of it (heap, not file pages such as the database's memory map)."""
    found = {"Pss:": 0, "Pss_Anon:": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key = line.split(maxsplit=1)[0]
            if key in found:
                found[key] = int(line.split()[1])
    except OSError:
        pass
    return found["Pss:"], found["Pss_Anon:"]


class MemorySampler(threading.Thread):
    """The peaks of the summed PSS of this process's descendants (the crawl and its workers), in all and
    its anonymous part."""

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_kib = self.peak_anon_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            samples = [_pss_kib(pid) for pid in _descendants(os.getpid())]
            self.peak_kib = max(self.peak_kib, sum(pss for pss, _ in samples))
            self.peak_anon_kib = max(self.peak_anon_kib, sum(anon for _, anon in samples))

    def stop(self) -> tuple[float, float]:
        """Stop sampling; the peaks in MiB (all, anonymous)."""
        self._done.set()
        self.join()
        return self.peak_kib / 1024, self.peak_anon_kib / 1024


def sustained_rate(state_db: Path) -> float:
    """Articles per second between the first and the last article fetch (crawl-state timestamps)."""
    with sqlite3.connect(state_db) as conn:
        first, last, count = conn.execute(
            "SELECT min(fetched_at), max(fetched_at), count(*) FROM pages WHERE kind = 'article'").fetchone()
    return (count - 1) / (last - first) if count > 1 and last > first else 0.0


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the crawl and, reaped by it, its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_one(pages: int) -> dict[str, float]:
    """Crawl a site of ``pages`` articles; measure the crawl and the peers."""
    from crawler.run import crawl

    server, base, site = serve(pages)
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(json.dumps({"sources": [{
            "id": "bench.vn", "name": "Bench", "domains": ["127.0.0.1"],
            "discovery": {"sitemaps": [f"{base}/bench/sitemap.xml"]}}]}), encoding="utf-8")
        sampler = MemorySampler()
        sampler.start()
        cpu_before, harness_before = _children_cpu(), time.process_time()
        started = time.perf_counter()
        report = crawl(sources_file=sources, store_url=f"sqlite:///{tmp}/bench.db",
                       settings_overrides=CRAWL_SETTINGS, progress=False)
        elapsed = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        harness_cpu = time.process_time() - harness_before  # this process: the site's server and the sampler
        peak_pss, peak_anon = sampler.stop()
        sustained = sustained_rate(Path(tmp) / "bench.crawl_state.db")
    server.shutdown()
    total = report.total()
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    articles = [(path, body) for path, body in site.items() if path.endswith(".html")]
    return {
        "pages": pages, "seconds": round(elapsed, 2), "pages_per_s": round(total.fetched / elapsed, 1),
        "sustained_pages_per_s": round(sustained, 1), "stored": total.new, "failed": sum(total.failed.values()),
        "cpu_ms_per_page": round(cpu / pages * 1000, 2),
        "harness_cpu_ms_per_page": round(harness_cpu / pages * 1000, 2),
        "peak_pss_mib": round(peak_pss, 1), "peak_anon_pss_mib": round(peak_anon, 1),
        "peak_rss_mib": round(peak_mib, 1),
        "load_avg_1min": round(os.getloadavg()[0], 2),
        **peers(base, articles[: min(len(articles), 1000)]),
    }


def peers(base: str, articles: list[tuple[str, bytes]]) -> dict[str, float]:
    """pages/s of parse_article and of bare trafilatura over in-memory pages (no network)."""
    import trafilatura

    from crawler.parse import parse_article

    started = time.perf_counter()
    for path, body in articles:
        parse_article(base + path, body, {"Content-Type": "text/html; charset=utf-8"})
    ours = len(articles) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _, body in articles:
        trafilatura.extract(body.decode("utf-8"), favor_precision=True)
    bare = len(articles) / (time.perf_counter() - started)
    return {"peer_parse_article_pages_per_s": round(ours, 1), "peer_trafilatura_pages_per_s": round(bare, 1)}


def main() -> None:
    """Run each size in its own process (so peak memory is per size) and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    rows = []
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    print(f"\n{'pages':>6} {'s':>7} {'pages/s':>8} {'sustained':>10} {'CPU ms/page':>12} {'harness':>8} "
          f"{'stored':>7} {'PSS MiB':>8} {'anon PSS':>9} {'RSS MiB':>8} "
          f"{'peer parse/s':>15} {'peer trafilatura/s':>19}")
    for r in rows:
        print(f"{r['pages']:>6} {r['seconds']:>7} {r['pages_per_s']:>8} {r['sustained_pages_per_s']:>10} "
              f"{r['cpu_ms_per_page']:>12} {r['harness_cpu_ms_per_page']:>8} {r['stored']:>7} "
              f"{r['peak_pss_mib']:>8} {r['peak_anon_pss_mib']:>9} {r['peak_rss_mib']:>8} "
              f"{r['peer_parse_article_pages_per_s']:>15} {r['peer_trafilatura_pages_per_s']:>19}")


if __name__ == "__main__":
    main()
