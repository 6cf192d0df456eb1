"""Jobs that compose the stages: crawl then extract, on demand or on a schedule.

The stages never call each other; these functions are the only place they are
chained, for ``newsmon run``, ``newsmon watch`` and ``newsmon demo``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsmon.errors import ConfigError
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
        store.refresh_ranking()  # the articles the crawl just wrote join the relevance lists
    if not quiet:
        console.print(f"extracted {report.extracted} article(s), {len(report.failed)} failed")
        for article_id, reason in list(report.failed.items())[:20]:
            console.print(f"  [red]{article_id}[/red]: {reason}")
    return report.extracted


def replay_spooled_writes(store_url: str) -> int:
    """Write what the Elasticsearch store kept locally during an outage (other engines spool nothing)."""
    from newsmon.errors import StoreUnavailable

    with open_store(store_url) as store:
        replay = getattr(store, "replay_spool", None)
        try:
            return replay() if replay else 0
        except StoreUnavailable as e:  # still down: the crawl goes on and keeps spooling
            console.print(f"[yellow]spooled writes wait:[/yellow] {e}")
            return 0


def crawl_outlets(
    *, sources_file: Path, store_url: str, state_path: Path | None = None,
    since: datetime | None = None, max_pages: int | None = None,
) -> bool:
    """Crawl the enabled outlets into the store and print the report and a one-line summary; whether any
    outlet answered (none: the network or the sources file is wrong)."""
    from crawler.run import crawl
    from crawler.sources import load_sources

    outlets = len(load_sources(sources_file).select())
    report = crawl(
        sources_file=sources_file, store_url=store_url, state_path=state_path, since=since, max_pages=max_pages,
    )
    with open_store(store_url) as store:
        store.refresh_ranking()
    console.print(report.format())
    reachable = report.reachable_count() > 0
    console.print(("" if reachable else "[red]") + report.summary(outlets))
    return reachable


def topic_split(store_url: str, since: datetime) -> dict[str, tuple[int, int]]:
    """Per outlet, how many articles crawled since ``since`` the extractor judged on-topic and off-topic."""
    split: dict[str, list[int]] = {}
    with open_store(store_url) as store:
        for article in store.iter_articles(since=since):
            extraction = store.get_extraction(article.id)
            if extraction is not None:
                split.setdefault(article.source, [0, 0])[0 if extraction.on_topic else 1] += 1
    return {source: (on, off) for source, (on, off) in sorted(split.items())}


def crawl_and_extract(
    *, sources_file: Path, store_url: str, state_path: Path | None = None,
    since: datetime | None = None, max_pages: int | None = None,
) -> bool:
    """One pass of the main job: crawl the sources, extract what is new, and say per outlet how much of it
    is gender-equality coverage; whether any outlet answered."""
    started = datetime.now(UTC)
    replay_spooled_writes(store_url)
    reachable = crawl_outlets(sources_file=sources_file, store_url=store_url, state_path=state_path, since=since,
                              max_pages=max_pages)
    extract_stored(store_url)
    split = topic_split(store_url, started)
    if split:
        table = Table("outlet", "on-topic", "off-topic", title="Articles of this crawl, by the extractor's verdict")
        for source, (on, off) in split.items():
            table.add_row(source, str(on), str(off))
        console.print(table)
    return reachable


def send_due_digests(store_url: str) -> None:
    """Send the digests that are due (weekly from Monday 07:00 Vietnam time by default); safe to repeat."""
    from digest.send import send_digests
    from newsmon.models import VN_TZ
    from newsmon.settings import get_settings

    settings = get_settings()
    with open_store(store_url) as store:
        report = send_digests(store, settings, now=datetime.now(VN_TZ), hour=settings.digest_hour)
    if report.sent or report.retry or report.failed:
        console.print(report.format())


def watch_pass(*, sources_file: Path, store_url: str) -> None:
    """One pass of ``newsmon watch``: crawl and extract, then send the due digests even if the crawl failed."""
    try:
        crawl_and_extract(sources_file=sources_file, store_url=store_url)
    except Exception as e:  # the digest of what is stored must not wait for a working crawl
        console.print(f"[red]crawl failed:[/red] {type(e).__name__}: {e}")
    try:
        send_due_digests(store_url)
    except ConfigError as e:  # a deployment not set up for email: the crawl's work stands, the digests wait
        console.print(f"[yellow]digests not sent:[/yellow] {e}")


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
