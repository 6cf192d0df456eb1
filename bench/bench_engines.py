"""Index and query the same corpus on SQLite and Elasticsearch in one run.

The corpus and the requests are ``bench_search``'s (real sentences of ``../shared`` recombined, synthetic
extractions, fixed seed): each engine indexes the same articles and extractions through the store interface
(batches of 1,000: ``upsert_articles`` then ``save_extractions``), then answers the same searches, trends,
figure and entity requests. Prints documents/s of the indexing and p50/p95 latency of each request.

    .venv/bin/python bench/bench_engines.py --size 100000
    .venv/bin/python bench/bench_engines.py --size 10000 --es-url http://127.0.0.1:9200

Without ``--es-url`` it starts the distribution ``make elasticsearch`` unpacks (heap ``--es-heap``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_search import build, cases, timed
from newsmon.store import open_store
from newsmon.store.base import Store


def measure(store: Store, size: int, repeat: int) -> tuple[float, dict[str, tuple[float, float]]]:
    """Index ``size`` articles into ``store``; return documents/s and each request's p50/p95 in ms."""
    seconds = build(store, size)
    if store.count_articles() != size:
        raise SystemExit(f"{store.engine} holds {store.count_articles()} articles after indexing {size}")
    return size / seconds, {name: timed(fn, repeat) for name, fn in cases(store).items()}


def main() -> None:
    """Run both engines and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--es-url", help="a running Elasticsearch (default: start the unpacked distribution)")
    parser.add_argument("--es-heap", default="1g", help="heap of the Elasticsearch this script starts")
    args = parser.parse_args()
    results = {}
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        es_url = args.es_url
        if not es_url:
            from tests.elastic_server import running_elasticsearch

            es_url = stack.enter_context(running_elasticsearch(heap=args.es_heap))
        for url in (f"sqlite:///{tmp / 'bench.db'}", f"{es_url}/bench{uuid.uuid4().hex[:8]}"):
            store = stack.enter_context(open_store(url))
            if hasattr(store, "drop"):
                stack.callback(store.drop)
            results[store.engine] = measure(store, args.size, args.repeat)
            print(f"{store.engine}: {results[store.engine][0]:.0f} documents/s", file=sys.stderr, flush=True)
    engines = list(results)
    print(f"\n## {args.size:,} articles, {args.repeat} runs per request\n")
    print("| | " + " | ".join(f"{e} p50 ms | {e} p95 ms" for e in engines) + " |")
    print("|---|" + "---:|---:|" * len(engines))
    print("| indexing, documents/s | " + " | ".join(f"{results[e][0]:.0f} | –" for e in engines) + " |")
    for name in results[engines[0]][1]:
        cells = " | ".join(f"{results[e][1][name][0]:.1f} | {results[e][1][name][1]:.1f}" for e in engines)
        print(f"| {name} | {cells} |")


if __name__ == "__main__":
    main()
