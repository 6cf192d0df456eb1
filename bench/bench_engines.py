"""Index and query the same corpus on SQLite (with its tantivy text index, and with FTS5 and SQL alone), one
Elasticsearch node and a three-node cluster in one run.

The corpus and the requests are ``bench_search``'s (real sentences of ``../shared`` recombined, synthetic
extractions, fixed seed): each engine indexes the same articles and extractions through the store interface
(batches of 1,000: ``upsert_articles`` then ``save_extractions``), then answers the same searches, trends,
figure and entity requests. Prints documents/s of the indexing and p50/p95 latency of each request.

    PYTHONPATH=. .venv/bin/python bench/bench_engines.py --size 100000
    PYTHONPATH=. .venv/bin/python bench/bench_engines.py --size 1000000 --keep build/bench-1m \\
        --engines sqlite,elasticsearch
    PYTHONPATH=. .venv/bin/python bench/bench_engines.py --size 10000 --es-url http://127.0.0.1:9200 \\
        --cluster-hosts http://10.0.0.1:9200,http://10.0.0.2:9200,http://10.0.0.3:9200

Without ``--es-url`` it starts the distribution ``make elasticsearch`` unpacks (heap ``--es-heap``); without
``--cluster-hosts`` it starts three nodes of it on loopback (``devtools/elastic_cluster.py``, heap
``--cluster-heap`` each). Each server runs only while its engine is measured. On the cluster the index has
``--cluster-shards`` primaries and the default replicas (one, as on any cluster of two data nodes or more),
so every document is written twice.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_search import build, cases, timed
from newsmon.settings import Settings
from newsmon.store.base import Store
from newsmon.store.sqlite import SqliteStore

ENGINES = ("sqlite", "sqlite-fts5", "elasticsearch", "cluster")


def measure(store: Store, size: int, repeat: int) -> tuple[float, dict[str, tuple[float, float, float]]]:
    """Index ``size`` articles into ``store`` (a SQLite corpus already built is reused: documents/s 0); return
    documents/s and each request's p50/p95 in ms."""
    reused = store.engine == "sqlite" and store.count_articles() == size
    seconds = 0.0 if reused else build(store, size)
    store.refresh_ranking()  # a reused SQLite corpus: its text index catches up first
    if store.count_articles() != size:
        raise SystemExit(f"{store.engine} holds {store.count_articles()} articles after indexing {size}")
    return size / seconds if seconds else 0.0, {name: timed(fn, repeat) for name, fn in cases(store).items()}


@contextmanager
def engine_store(engine: str, args: argparse.Namespace, tmp: Path) -> Iterator[tuple[str, Store]]:
    """The engine's label and an empty store on it; its server (if this script started one) stops after."""
    with ExitStack() as stack:
        if engine.startswith("sqlite"):  # with its tantivy text index, and with FTS5 and SQL alone (same file)
            path = args.keep / f"{args.size}.db" if args.keep else tmp / "bench.db"
            text_index = engine == "sqlite"
            yield ("sqlite + tantivy" if text_index else "sqlite (FTS5)"), stack.enter_context(
                SqliteStore(path, text_index=text_index))
            return
        from newsmon.store.elastic import ElasticStore

        if engine == "elasticsearch":
            url = args.es_url
            if not url:
                from devtools.elastic_server import running_elasticsearch

                url = stack.enter_context(running_elasticsearch(heap=args.es_heap))
            hosts, label, shards = [url], "es 1 node", 1
        else:
            hosts = args.cluster_hosts.split(",") if args.cluster_hosts else []
            if not hosts:
                from devtools.elastic_cluster import running_cluster

                hosts = stack.enter_context(running_cluster(heap=args.cluster_heap)).urls
            label, shards = "es 3 nodes", args.cluster_shards
        settings = Settings(_env_file=None, elastic_hosts=hosts, elastic_shards=shards, elastic_request_timeout=60)
        store = stack.enter_context(ElasticStore(f"{hosts[0]}/bench{uuid.uuid4().hex[:8]}", spool_path=None,
                                                 settings=settings))
        stack.callback(store.drop)
        yield label, store


def main() -> None:
    """Run every engine, one after the other, and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"which of {', '.join(ENGINES)}")
    parser.add_argument("--es-url", help="a running Elasticsearch node (default: start the unpacked distribution)")
    parser.add_argument("--es-heap", default="1g", help="heap of the single node this script starts")
    parser.add_argument("--cluster-hosts", help="a running cluster's nodes, comma-separated (default: start three)")
    parser.add_argument("--cluster-heap", default="512m", help="heap of each of the three nodes this script starts")
    parser.add_argument("--cluster-shards", type=int, default=3, help="primary shards of the cluster's index")
    parser.add_argument("--keep", type=Path, help="reuse (or build and keep) the SQLite corpus as DIR/<size>.db, "
                                                  "as bench_search --keep does")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engines.split(","):
            with engine_store(engine.strip(), args, Path(tmp)) as (label, store):
                results[label] = measure(store, args.size, args.repeat)
            print(f"{label}: {results[label][0]:.0f} documents/s", file=sys.stderr, flush=True)
    labels = list(results)
    print(f"\n## {args.size:,} articles, {args.repeat} runs per request\n")
    print("| | " + " | ".join(f"{e} p50 ms | {e} p95 ms" for e in labels) + " |")
    print("|---|" + "---:|---:|" * len(labels))
    print("| indexing, documents/s | " + " | ".join(
        f"{results[e][0]:.0f} | –" if results[e][0] else "reused | –" for e in labels) + " |")
    for name in results[labels[0]][1]:
        cells = " | ".join(f"{results[e][1][name][0]:.1f} | {results[e][1][name][1]:.1f}" for e in labels)
        print(f"| {name} | {cells} |")


if __name__ == "__main__":
    main()
