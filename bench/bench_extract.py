"""Benchmark newsmon's extractor against underthesea's ``ner`` on the devset articles.

Each engine runs in a fresh subprocess, so its peak resident memory is its own:

    .venv/bin/python bench/bench_extract.py [--devset ../shared/devset] [--rounds 5]

Articles/s counts the timed rounds only (one warm-up pass first loads models and
indexes); start-up is reported separately. Prints a markdown table.
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
ENGINES = ("newsmon", "newsmon-no-segmentation", "underthesea-ner")


def _load_texts(devset: Path) -> list[str]:
    return [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(devset.glob("*.json"))]


def _engine(name: str):
    if name.startswith("newsmon"):
        from functools import partial

        from nlp.pipeline import extract

        # Word segmentation (for keywords) is the default pipeline's slowest step: show its cost.
        return partial(extract, segment=name == "newsmon")
    from underthesea import ner

    return ner


def run_child(name: str, devset: Path, rounds: int) -> dict:
    """Time one engine in this process and report its peak memory."""
    texts = _load_texts(devset)
    started = time.perf_counter()
    engine = _engine(name)
    for text in texts:
        engine(text)
    startup = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            engine(text)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": name, "articles": len(texts) * rounds, "seconds": elapsed,
            "articles_per_s": len(texts) * rounds / elapsed, "warmup_s": startup, "peak_mb": peak_mb}


def main() -> None:
    """Run every engine in its own subprocess and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.devset, args.rounds)))
        return
    rows = []
    for name in ENGINES:
        command = [sys.executable, __file__, "--child", name, "--devset", str(args.devset),
                   "--rounds", str(args.rounds)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
    print("| engine | articles | articles/s | warm-up pass (s) | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['engine']} | {row['articles']} | {row['articles_per_s']:.1f} | {row['warmup_s']:.2f} "
              f"| {row['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
