"""Jobs that compose the stages: crawl then extract, on demand or on a schedule.

The stages never call each other; these functions are the only place they are
chained, for ``newsmon run``, ``newsmon watch`` and ``newsmon demo``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsmon.store import open_store

console = Console(stderr=True)


def extract_stored(store_url: str, *, quiet: bool = False) -> int:
    """Extract every stored article that needs it, with a progress bar; return the count."""
    from nlp.pipeline import EXTRACTOR_VERSION

    from nlp.runner import extract_pending

    with open_store(store_url) as store:
        pending = store.count_pending(EXTRACTOR_VERSION)
        with Progress(
            TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, disable=quiet or pending == 0,
        ) as progress:
            task = progress.add_task("extract", total=pending)
            report = extract_pending(store, on_progress=lambda n: progress.advance(task, n))
    if not quiet:
        console.print(f"extracted {report.extracted} article(s), {len(report.failed)} failed")
        for article_id, reason in list(report.failed.items())[:20]:
            console.print(f"  [red]{article_id}[/red]: {reason}")
    return report.extracted


def crawl_and_extract(
    *, sources_file: Path, store_url: str, state_path: Path | None = None,
    since: datetime | None = None, max_pages: int | None = None,
) -> None:
    """One pass of the main job: crawl the sources, then extract what is new."""
    from crawler.run import crawl

    report = crawl(
        sources_file=sources_file, store_url=store_url, state_path=state_path, since=since, max_pages=max_pages,
    )
    console.print(report.format())
    extract_stored(store_url)


def watch(
    *, every_minutes: float, passes: int | None = None, run_pass: Callable[[], None],
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run ``run_pass`` every ``every_minutes`` (``passes`` times, or forever); return passes run."""
    done = 0
    while passes is None or done < passes:
        started = time.monotonic()
        try:
            run_pass()
        except Exception as e:  # a failed pass is reported; the schedule goes on
            console.print(f"[red]pass failed:[/red] {type(e).__name__}: {e}")
        done += 1
        if passes is not None and done >= passes:
            break
        sleep(max(0.0, every_minutes * 60 - (time.monotonic() - started)))
    return done
