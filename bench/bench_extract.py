"""Benchmark newsmon's extractor against underthesea's ``ner`` on the devset articles.

Each engine runs in a fresh subprocess, so its peak resident memory is its own:

    .venv/bin/python bench/bench_extract.py [--devset ../shared/devset] [--stream ../shared/stream] [--rounds 5]

``relevance`` is the relevance classifier alone (``nlp.relevance.classify``, part of every
extraction) on the devset's full articles; ``relevance-feed`` the same on the first 2,000
headline-and-summary items of the stream (skipped when the stream is absent). Their texts are
normalised before timing, as stored articles are.

Articles/s counts the timed rounds only (one warm-up pass first loads models and
indexes); start-up is reported separately. CPU ms/article is the process's CPU time, which a
busy shared machine disturbs less than the wall clock. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset"
DEFAULT_STREAM = Path(__file__).resolve().parents[2] / "shared" / "stream"
ENGINES = ("newsmon", "newsmon-no-segmentation", "underthesea-ner", "relevance", "relevance-feed")
FEED_ITEMS = 2000


def _load_texts(name: str, devset: Path, stream: Path) -> list[str]:
    if name == "relevance-feed":
        from nlp.relevance_data import load_stream

        return [item.text for item in load_stream(stream)[:FEED_ITEMS]]
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(devset.glob("*.json"))]
    if name == "relevance":
        from newsmon.text import normalize

        texts = [normalize(t) for t in texts]
    return texts


def _engine(name: str):
    if name.startswith("relevance"):
        from nlp.relevance import classify

        return classify
    if name.startswith("newsmon"):
        from functools import partial

        from nlp.pipeline import extract

        # Word segmentation (for keywords) is the default pipeline's slowest step: show its cost.
        return partial(extract, segment=name == "newsmon")
    from underthesea import ner

    return ner


def run_child(name: str, devset: Path, stream: Path, rounds: int) -> dict:
    """Time one engine in this process and report its peak memory."""
    texts = _load_texts(name, devset, stream)
    started = time.perf_counter()
    engine = _engine(name)
    for text in texts:
        engine(text)
    startup = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for text in texts:
            engine(text)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": name, "articles": len(texts) * rounds, "seconds": elapsed,
            "articles_per_s": len(texts) * rounds / elapsed, "ms_per_article": elapsed * 1000 / (len(texts) * rounds),
            "cpu_ms_per_article": cpu * 1000 / (len(texts) * rounds),
            "mean_chars": sum(map(len, texts)) // max(len(texts), 1), "warmup_s": startup, "peak_mb": peak_mb}


def main() -> None:
    """Run every engine in its own subprocess and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--stream", type=Path, default=DEFAULT_STREAM)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.devset, args.stream, args.rounds)))
        return
    rows = []
    for name in ENGINES:
        if name == "relevance-feed" and not (args.stream / "items.json").is_file():
            continue
        command = [sys.executable, __file__, "--child", name, "--devset", str(args.devset),
                   "--stream", str(args.stream), "--rounds", str(args.rounds)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
    print("| engine | articles | mean chars | articles/s | ms/article | CPU ms/article | warm-up pass (s) "
          "| peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['engine']} | {row['articles']} | {row['mean_chars']} | {row['articles_per_s']:.1f} "
              f"| {row['ms_per_article']:.3f} | {row['cpu_ms_per_article']:.3f} | {row['warmup_s']:.2f} "
              f"| {row['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
