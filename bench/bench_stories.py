"""Story assignment at 100,000 stored articles: newsmon's StoryIndex against two naive peers, one run.

The articles are synthetic story keys (``nlp.stories.features`` kinds, invented vocabulary, fixed
seed): a year of news at ~275 articles a day, two thirds of them single reports and the rest
retellings of planted stories (sizes heavy-tailed up to 40, members 0-3 days apart). Topic word
pairs, organisations, provinces and numbers follow Zipf laws over their vocabularies; people,
communes and documents are mostly one story's own. The first ``--stored`` articles (in day order)
are assigned to build the index; the next ``--timed`` ones, the newest days as in a crawl, are
timed one by one. The peers get the same stored state (``rebuild`` from the index's rows) and
decide with the same scoring, differing only in how they find candidates:

- ``window scan``: every stored article within the window (exhaustive, the blocking's reference);
- ``MinHash LSH``: datasketch's ``MinHashLSH`` over the key sets (Jaccard threshold ``--lsh-threshold``),
  candidates then filtered to the window.

Prints per-article assignment p50/p95 in ms, the resident memory the structure added, and, on the
``--peer-timed`` articles every method assigned, how often an article joined a story planted with
it (or a wrong one) and how often a method chose the window scan's story. The quality columns only
show what blocking loses against the exhaustive scan: the synthetic stories are easy to tell apart,
so they say nothing of the grouping's quality on real news (``nlp.stories.evaluate`` measures that).

    PYTHONPATH=. .venv/bin/python bench/bench_stories.py [--stored 100000] [--timed 1000] [--peer-timed 200]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.stories import StoryIndex

START = date(2025, 1, 1)
Article = tuple[str, frozenset[str], date, int]  # id, keys, day, planted story


class _Vocab:
    """Invented words drawn by Zipf rank (``exponent``) or uniformly."""

    def __init__(self, rng: np.random.Generator, prefix: str, size: int, exponent: float) -> None:
        self.words = [f"{prefix}{n}" for n in range(size)]
        weights = 1.0 / np.arange(1, size + 1) ** exponent
        self.p = weights / weights.sum()
        self.rng = rng

    def zipf(self, count: int) -> list[str]:
        return [self.words[i] for i in self.rng.choice(len(self.words), size=count, p=self.p)]

    def uniform(self, count: int) -> list[str]:
        return [self.words[i] for i in self.rng.integers(0, len(self.words), size=count)]


def _vocabularies(rng: np.random.Generator) -> dict[str, _Vocab]:
    return {
        "word": _Vocab(rng, "w:syl", 40_000, 1.05), "province": _Vocab(rng, "v:tinh", 34, 0.8),
        "org": _Vocab(rng, "o:coquan", 3_000, 1.0), "name": _Vocab(rng, "n:ten", 30_000, 0.7),
        "person": _Vocab(rng, "ong", 200_000, 0.0), "commune": _Vocab(rng, "u:xa", 10_000, 0.3),
        "document": _Vocab(rng, "d:so", 50_000, 0.0), "noun": _Vocab(rng, "", 60, 1.0),
    }


def _core(v: dict[str, _Vocab], rng: np.random.Generator) -> set[str]:
    """What every retelling of one story can draw from."""
    keys = set(v["word"].zipf(int(rng.integers(6, 11)))) | set(v["word"].uniform(int(rng.integers(3, 8))))
    keys |= set(v["province"].zipf(1)) | set(v["org"].zipf(int(rng.integers(0, 3))))
    keys |= set(v["name"].zipf(int(rng.integers(0, 3))))
    if rng.random() < 0.5:
        person = v["person"].uniform(1)[0]
        keys |= {f"p:{person}", f"n:{person}"}
    if rng.random() < 0.4:
        keys |= set(v["commune"].uniform(1))
    if rng.random() < 0.1:
        keys |= set(v["document"].uniform(1))
    for value, noun in zip(rng.zipf(1.6, size=int(rng.integers(1, 4))), v["noun"].zipf(3), strict=False):
        keys |= {f"#:{value} n{noun}", f"c:{value}"}
    if rng.random() < 0.3:
        keys.add(f"e:type{rng.integers(0, 9)}")
    return keys


def synthetic(count: int, seed: int = 18) -> list[Article]:
    """``count`` articles' keys over a year, in day order."""
    rng = np.random.default_rng(seed)
    v = _vocabularies(rng)
    articles: list[Article] = []
    story = 0
    while len(articles) < count:
        size = 1 if rng.random() < 0.65 else min(40, int(rng.zipf(2.0)) + 1)
        core, first = _core(v, rng), START + timedelta(days=int(rng.integers(0, 365)))
        for _ in range(size):
            kept = {k for k in sorted(core) if rng.random() < (0.9 if k.startswith("v:") else 0.7)}
            own = set(v["word"].zipf(int(rng.integers(8, 16))))
            day = first + timedelta(days=int(min(rng.geometric(0.6) - 1, 3)))
            articles.append((f"a{len(articles)}", frozenset(kept | own), day, story))
        story += 1
    return sorted(articles[:count], key=lambda a: (a[2], a[0]))


def rss_mb() -> float:
    """The process's resident memory, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class WindowScan(StoryIndex):
    """The same decisions, from every stored article of the window (no blocking)."""

    def _candidates(self, number: int) -> list[int]:
        day, window = self._days[number], self.params.window_days
        # rebuild() and the timed articles keep the articles in day order: the window is one slice.
        first, last = bisect_left(self._days, day - window), bisect_right(self._days, day + window)
        return [n for n in range(first, last) if n != number and self._keys[n]]


class LshPeer(StoryIndex):
    """The same decisions, from the stored articles MinHash LSH finds similar (then kept to the window)."""

    def __init__(self, threshold: float, num_perm: int = 64) -> None:
        from datasketch import MinHashLSH

        super().__init__()
        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.hashes: dict[int, object] = {}

    def index_all(self, batch: int = 5_000) -> None:
        """MinHash every stored article and insert it into the LSH."""
        from datasketch import MinHash

        numbers = list(range(len(self._ids)))
        for start in range(0, len(numbers), batch):
            chunk = numbers[start:start + batch]
            hashes = MinHash.bulk([[k.encode() for k in self._keys[n]] for n in chunk], num_perm=self.num_perm)
            with self.lsh.insertion_session() as session:
                for n, minhash in zip(chunk, hashes, strict=True):
                    session.insert(n, minhash)

    def _candidates(self, number: int) -> list[int]:
        from datasketch import MinHash

        minhash = MinHash(num_perm=self.num_perm)
        minhash.update_batch([k.encode() for k in self._keys[number]])
        day, window = self._days[number], self.params.window_days
        found = [n for n in self.lsh.query(minhash) if n != number and abs(self._days[n] - day) <= window]
        self.lsh.insert(number, minhash)
        return found


def timed_assign(index: StoryIndex, articles: list[Article]) -> tuple[list[float], dict[str, str]]:
    """Assign ``articles`` one by one: the milliseconds each took and the stories they got."""
    times, stories = [], {}
    gc.collect()
    for article_id, keys, day, _ in articles:
        start = time.perf_counter()
        stories[article_id] = index.assign(article_id, keys, day)
        times.append((time.perf_counter() - start) * 1000)
    return times, stories


def quality(stories: dict[str, str], planted: dict[str, int], earlier: set[int]) -> tuple[float, float]:
    """Of the articles whose planted story has a stored member: the share that joined it, and a wrong one."""
    eligible = [a for a in stories if planted[a] in earlier]
    joined = sum(1 for a in eligible if stories[a] != a and planted[stories[a]] == planted[a])
    wrong = sum(1 for a in stories if stories[a] != a and planted[stories[a]] != planted[a])
    return joined / max(len(eligible), 1), wrong / max(len(stories), 1)


def _row(name: str, times: list[float], memory: float | None, scores: tuple[float, float], agree: str) -> str:
    p50, p95 = np.percentile(times, [50, 95])
    shown = "same as StoryIndex" if memory is None else f"{memory:.0f}"
    return (f"| {name} | {len(times)} | {p50:.2f} | {p95:.2f} | {shown} | {scores[0]:.1%} | {scores[1]:.1%} "
            f"| {agree} |")


def _agreement(a: dict[str, str], b: dict[str, str]) -> str:
    shared = [k for k in a if k in b]
    return f"{sum(a[k] == b[k] for k in shared) / max(len(shared), 1):.1%}"


def main() -> None:
    """Build, time and compare; print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--timed", type=int, default=1_000)
    parser.add_argument("--peer-timed", type=int, default=200, help="articles timed for each naive peer")
    parser.add_argument("--lsh-threshold", type=float, default=0.3)
    args = parser.parse_args()
    articles = synthetic(args.stored + args.timed)
    stored, timed = articles[:args.stored], articles[args.stored:]
    planted = {a[0]: a[3] for a in articles}
    earlier = {a[3] for a in stored}
    for line in run(stored, timed, args, planted, earlier):
        print(line, flush=True)


def _rebuild_line(rows: list, window: int) -> str:
    """What an extraction pass pays before placing its articles (``nlp.stories.assign``): the grouping rebuilt
    from the stored rows of the window around the new articles' days (here: the newest day's, both ways)."""
    last = max(r.day for r in rows)
    near = [r for r in rows if r.day >= last - timedelta(days=2 * window)]
    start = time.perf_counter()
    StoryIndex().rebuild(near)
    took = time.perf_counter() - start
    return (f"An extraction pass rebuilds the grouping from the rows of its window first: {len(near):,} rows "
            f"(the last {2 * window} days) in {took:.2f} s, {took / 2_000 * 1000:.2f} ms per article of a "
            f"2,000-article batch (nlp.runner.STORY_BATCH).\n")


def run(stored: list[Article], timed: list[Article], args: argparse.Namespace, planted: dict[str, int],
        earlier: set[int]) -> Iterator[str]:
    """Each method's table row, as it finishes."""
    before, start = rss_mb(), time.perf_counter()
    index = StoryIndex()
    for article_id, keys, day, _ in stored:
        index.assign(article_id, keys, day)
    build_s, memory = time.perf_counter() - start, rss_mb() - before
    rows = index.rows()
    yield (f"{len(stored):,} stored articles ({len({r.story_id for r in rows}):,} stories) assigned in "
           f"{build_s:.1f} s ({len(stored) / build_s:,.0f}/s); {len(timed):,} timed after them.\n")
    yield _rebuild_line(rows, index.params.window_days)
    yield "| method | timed | p50 ms | p95 ms | memory MiB | joined its story | joined a wrong one | same as scan |"
    yield "|---|---|---|---|---|---|---|---|"
    times, ours = timed_assign(index, timed)
    scan = WindowScan()
    scan.rebuild(rows)
    scan_times, scanned = timed_assign(scan, timed[:args.peer_timed])
    sample = {a: ours[a] for a in scanned}  # quality on the articles every method was timed on
    yield _row("StoryIndex (blocking)", times, memory, quality(sample, planted, earlier), _agreement(ours, scanned))
    yield _row("window scan", scan_times, None, quality(scanned, planted, earlier), "100.0%")
    lsh = LshPeer(args.lsh_threshold)
    lsh.rebuild(rows)
    before = rss_mb()
    lsh.index_all()
    lsh_memory = rss_mb() - before
    lsh_times, hashed = timed_assign(lsh, timed[:args.peer_timed])
    yield _row(f"MinHash LSH (J>={args.lsh_threshold})", lsh_times, lsh_memory, quality(hashed, planted, earlier),
               _agreement(hashed, scanned))


if __name__ == "__main__":
    main()
