"""Search, trend and figure latency on the SQLite store at 10,000 and 100,000 articles.

Corpus: the real sentences of ``../shared/seeds/*.txt`` and the ``text`` of
``../shared/devset/*.json`` are read at run time (nothing is copied into the repo), split
into sentences, and recombined: each synthetic article takes 6-14 sentences drawn at random
(fixed seed) from the pool, its title is the first 12 words of one of them, and it gets a
source out of 20, a day between 2019 and 2025, and a synthetic extraction (1-2 provinces with
their post-2025 names, 0-2 events, 0-3 figures whose sentence is one of the article's, a
person, an organisation, topics). Each query runs ``--repeat`` times (default 50) after one
warm-up; the script prints p50/p95 wall time and p50 CPU time in milliseconds. "a different query
each time" asks each of ``--repeat`` queries made of the sentences' words once (``fresh_queries``);
"new connection each time" opens the store for every search: nothing a connection remembers between
requests helps either.

    .venv/bin/python bench/bench_search.py --sizes 10000 100000

``--keep build/bench`` keeps each built corpus as ``build/bench/<size>.db`` and reuses it
on the next run (opening it migrates an older schema first, which is timed too, and so is building
its text index when it has none yet). ``--paths tantivy fts5`` (the default) times every request twice
on the same file in one run: with the tantivy text index (``SqliteStore(text_index=True)``, the default)
and with FTS5 and SQL alone (``text_index=False``, the path before it). The load average is printed with
each table: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, nullcontext
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from newsmon.models import EVENT_TYPES, VN_TZ, Article, Extraction
from newsmon.query import Node, parse
from newsmon.store.analytics import FigureFilters
from newsmon.store.base import SearchFilters, Store
from newsmon.store.sqlite import SqliteStore
from newsmon.store.sqlite import search as sqlite_search
from nlp.keywords import STOPLIST
from nlp.normalize import Sentence, words

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROVINCES = [("Hà Giang", "Tuyên Quang"), ("Hà Nội", "Hà Nội"), ("Bình Thuận", "Lâm Đồng"), ("Cần Thơ", "Cần Thơ"),
             ("Quảng Ninh", "Quảng Ninh"), ("Đà Nẵng", "Đà Nẵng"), ("Nghệ An", "Nghệ An"), ("Lào Cai", "Lào Cai"),
             ("Yên Bái", "Lào Cai"), ("Bắc Kạn", "Thái Nguyên"), ("Sóc Trăng", "Cần Thơ"), ("Kon Tum", "Quảng Ngãi")]
SOURCES = [f"bao{i}.vn" for i in range(20)]
TOPICS = ["bình đẳng giới", "bạo lực gia đình", "phụ nữ", "trẻ em gái", "việc làm"]
UNITS = ["người", "phụ nữ", "hộ", "lớp", "%", "triệu đồng"]
PEOPLE = ["Nguyễn Thị Hà", "Trần Văn Nam", "Lê Thị Mai", "Phạm Minh Đức", "Hoàng Thị Lan"]
ORGS = ["Hội Liên hiệp Phụ nữ", "Sở Lao động - Thương binh và Xã hội", "UBND tỉnh", "Đoàn Thanh niên"]
QUERIES = ["bình đẳng giới", "binh dang gioi", '"bạo lực gia đình"', "phụ nữ AND (vay OR vốn)", "tập huấn -trẻ",
           "tháng hành động"]


def sentence_pool() -> list[str]:
    """Every sentence of the seed and devset texts, 40 to 400 characters long."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    for path in sorted((SHARED / "devset").glob("*.json")):
        texts.append(json.loads(path.read_text(encoding="utf-8")).get("text", ""))
    pool = []
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            if 40 <= len(sentence.strip()) <= 400:
                pool.append(sentence.strip())
    if not pool:
        raise SystemExit(f"no sentences found under {SHARED}: the benchmark reads shared/seeds and shared/devset")
    return pool


def synthetic(rng: random.Random, pool: list[str], n: int) -> Iterator[tuple[Article, Extraction]]:
    """``n`` recombined articles with synthetic extractions."""
    start = datetime(2019, 1, 1, 8, tzinfo=VN_TZ)
    for i in range(n):
        sentences = rng.sample(pool, rng.randint(6, 14))
        text = " ".join(sentences)
        article = Article(
            url=f"https://{SOURCES[i % 20]}/bai-{i}", source=SOURCES[i % 20], title=" ".join(sentences[0].split()[:12]),
            text=text, published_at=start + timedelta(days=rng.randint(0, 7 * 365), minutes=i % 1440),
        )
        yield article, _extraction(rng, text, sentences)


def _extraction(rng: random.Random, text: str, sentences: list[str]) -> Extraction:
    provinces = rng.sample(PROVINCES, rng.randint(1, 2))
    figures = []
    for _ in range(rng.randint(0, 3)):
        sentence = rng.choice(sentences)
        start = text.index(sentence)
        figures.append({"value": rng.randint(1, 5000), "unit": rng.choice(UNITS), "text": sentence[:10],
                        "subject": " ".join(sentence.split()[:4]), "sentence": sentence,
                        "province": provinces[0][0], "start": start, "end": start + 10})
    return Extraction.model_validate({
        "version": "bench", "provinces": [p for p, _ in provinces],
        "provinces_new": [{"name": p, "new_name": new} for p, new in provinces],
        "events": [{"type": t, "text": "sự kiện"} for t in rng.sample(EVENT_TYPES, rng.randint(0, 2))],
        "figures": figures, "topics": rng.sample(TOPICS, rng.randint(1, 2)),
        "people": [{"name": rng.choice(PEOPLE)}], "organisations": [{"name": rng.choice(ORGS)}],
        "relevance": rng.random(),
    })


def build(store: Store, n: int, seed: int = 7) -> float:
    """Fill ``store`` with ``n`` synthetic articles; return the seconds it took."""
    rng, pool, began = random.Random(seed), sentence_pool(), time.perf_counter()
    batch: list[tuple[Article, Extraction]] = []
    with store.bulk() if isinstance(store, SqliteStore) else nullcontext():  # as newsmon reindex loads SQLite
        for item in synthetic(rng, pool, n):
            batch.append(item)
            if len(batch) == 1000:
                _flush(store, batch)
        _flush(store, batch)
    store.refresh_ranking()  # as the crawl's extraction step does after each batch
    return time.perf_counter() - began


def _flush(store: Store, batch: list[tuple[Article, Extraction]]) -> None:
    store.upsert_articles(a for a, _ in batch)
    store.save_extractions((a.id, x) for a, x in batch)
    batch.clear()


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """p50 and p95 of ``fn``'s wall time and p50 of its CPU time, in ms, over ``repeat`` runs (after a warm-up).

    CPU time is this process's own: on a machine other jobs load, it shows what the request costs
    when the wall time also counts waiting for a core.
    """
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    wall.sort()
    return statistics.median(wall), wall[min(len(wall) - 1, round(0.95 * (len(wall) - 1)))], statistics.median(cpu)


def cold_search(path: Path, query: Node, text_index: bool) -> None:
    """A relevance search on a new connection: nothing remembered (the phrase counts behind bm25()'s idf are
    kept per connection until the index changes, so this is also the first search after a crawl's write)."""
    with SqliteStore(path, text_index=text_index) as store:
        store.search(query, limit=20)


def fresh_queries(pool: list[str], count: int, seed: int = 3) -> list[str]:
    """``count`` different queries as people type them, from the corpus's own words: underthesea segments
    a random sentence into words ("bạo lực", "gia đình"), keeping content words of two or more syllables
    (not in ``nlp.keywords.STOPLIST``); a query is one word, two words (AND), one word OR another, or two
    neighbouring words quoted as a phrase. Each is asked once, so nothing about it is remembered."""
    rng, found = random.Random(seed), dict[str, None]()
    while len(found) < count:
        sentence = Sentence(0, 0, rng.choice(pool))
        runs, run = [], []
        for token in words(sentence):
            if " " in token.text and token.text.replace(" ", "").isalpha() and token.text.lower() not in STOPLIST:
                run.append(token.text.lower())
            elif run:
                runs, run = [*runs, run], []
        content = [w for r in [*runs, run] for w in r]
        if len(content) < 2:
            continue
        first, second = rng.sample(content, 2)
        pairs = [r[i:i + 2] for r in [*runs, run] for i in range(len(r) - 1)]
        shapes = [first, f"{first} {second}", f"{first} OR {second}"]
        if pairs:
            shapes.append(f'"{" ".join(rng.choice(pairs))}"')
        found[rng.choice(shapes)] = None
    return list(found)


def cases(store: Store) -> dict[str, Callable[[], object]]:
    """The typical requests through the store interface (any engine): searches (with facets), trends, figures."""
    rng = random.Random(1)
    q = [parse(text) for text in QUERIES]
    campaign = SearchFilters(date_from=datetime(2024, 11, 15).date(), date_to=datetime(2024, 12, 15).date())
    return {
        "search relevance (rotating 6 queries)": lambda: store.search(rng.choice(q), limit=20),
        "search date order + province filter": lambda: store.search(
            q[0], SearchFilters(provinces=["Tuyên Quang"]), sort="date", limit=20),
        "search match-all, date order": lambda: store.search(sort="date", limit=20),
        "trends month": lambda: store.trends(q[0], interval="month"),
        "trends month split by source": lambda: store.trends(q[0], interval="month", split_by="source"),
        "trends week split by province": lambda: store.trends(q[1], interval="week", split_by="province"),
        "trends campaign window by topic": lambda: store.trends(q[0], campaign, interval="year", split_by="topic"),
        "trends month split by source, no words, since 2024": lambda: store.trends(
            filters=SearchFilters(date_from=datetime(2024, 1, 1).date()), interval="month", split_by="source"),
        "figures text filter": lambda: store.figures(figure_filters=FigureFilters(text="phu nu"), limit=50),
        "figures query + province + year": lambda: store.figures(
            q[0], figure_filters=FigureFilters(provinces=["Hà Giang"], years=[2024]), limit=50),
        "entities people": lambda: store.entities("people", q[0], limit=20),
    }


def more_search_cases(store: SqliteStore, repeat: int) -> dict[str, Callable[[], object]]:
    """Relevance searches that nothing remembered helps: new queries, and new connections (SQLite)."""
    rng = random.Random(2)
    q = [parse(text) for text in QUERIES]
    fresh = iter([parse(text) for text in fresh_queries(sentence_pool(), repeat + 1)])
    text_index = store._text is not None
    return {
        "search relevance, a different query each time": lambda: store.search(next(fresh), limit=20),
        "search relevance, new connection each time": lambda: cold_search(store.path, rng.choice(q), text_index),
    }


def ui_cases(store: Store, stack: ExitStack) -> dict[str, Callable[[], object]]:
    """The web UI's pages through the real app (routing, the store, Jinja2 rendering; in process, no socket).

    The client stays open, as a server's event loop and worker threads do (each worker thread keeps its
    own read connection to the store)."""
    client = stack.enter_context(TestClient(create_app(store=store)))
    article_id = store.search(parse("bình đẳng giới"), limit=1).hits[0].id

    def get(path: str, **params: str) -> Callable[[], object]:
        def fetch() -> None:
            response = client.get(path, params=params)
            if response.status_code != 200:
                raise SystemExit(f"{path} {params}: HTTP {response.status_code}")
        return fetch

    return {
        "web UI search page": get("/", q="bình đẳng giới"),
        "web UI search page, province + date order": get(
            "/", q="bạo lực gia đình", province="Tuyên Quang", sort="date"),
        "web UI trends page (chart, action months, entities)": get("/ui/trends", q="bình đẳng giới"),
        "web UI figures page": get("/ui/figures", q="phụ nữ", subject="vay"),
        "web UI article page": get(f"/ui/articles/{article_id}"),
    }


def prepare(path: Path, size: int) -> None:
    """Build the corpus at ``path`` (or reuse it: migrated as it opens) and bring its text index up to date."""
    reuse = path.exists()
    began = time.perf_counter()
    with SqliteStore(path) as store:
        opened = time.perf_counter() - began
        if reuse and store.count_articles() != size:
            raise SystemExit(f"{path} holds {store.count_articles()} articles, not {size}: delete it")
        how = f"reused, opened in {opened:.1f} s" if reuse else f"built in {build(store, size):.0f} s"
        began = time.perf_counter()
        indexed = store.refresh_text_index(threads=2)
        took = time.perf_counter() - began
        if indexed:
            how += f"; text index: {indexed:,} articles in {took:.0f} s ({indexed / took:,.0f}/s)"
    print(f"\n## {size:,} articles ({how})")


def run(path: Path, repeat: int, only: str | None, text_index: bool) -> None:
    """Print the latency table of the corpus at ``path`` through one path (text index or FTS5 and SQL)."""
    with SqliteStore(path, text_index=text_index) as store, ExitStack() as stack:
        print(f"\n### {'tantivy text index' if text_index else 'FTS5 and SQL'} "
              f"(load average {os.getloadavg()[0]:.1f})\n")
        print("| request | p50 ms | p95 ms | p50 CPU ms |\n|---|---:|---:|---:|")
        requests = {**cases(store), **more_search_cases(store, repeat), **ui_cases(store, stack)}
        for name, fn in requests.items():
            if only and only not in name:
                continue
            p50, p95, cpu = timed(fn, repeat)
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {cpu:.1f} |", flush=True)
        print(f"\n(load average at the end {os.getloadavg()[0]:.1f})")


def main() -> None:
    """Build (or reuse) each corpus size and print the latency table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="folder to keep built corpora in and reuse them from")
    parser.add_argument("--only", help="run only the requests whose name contains this text")
    parser.add_argument("--bm25-only", action="store_true",
                        help="FTS5 path: rank with bm25() over every match, never the impact lists")
    parser.add_argument("--paths", nargs="+", choices=["tantivy", "fts5"], default=["tantivy", "fts5"],
                        help="answer through the tantivy text index, FTS5 and SQL alone, or both in turn")
    args = parser.parse_args()
    if args.bm25_only:
        sqlite_search.RANK_LISTS_MIN = sys.maxsize
    for size in args.sizes:
        with ExitStack() as stack:
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                path = args.keep / f"{size}.db"
            else:
                path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "bench.db"
            prepare(path, size)
            for name in args.paths:
                run(path, args.repeat, args.only, name == "tantivy")


if __name__ == "__main__":
    main()
