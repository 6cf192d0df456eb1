"""The ``newsmon`` command line: one command per job, each with its own --help."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsmon.errors import NewsmonError
from newsmon.settings import get_settings

app = typer.Typer(
    help="newsmon: follow how the Vietnamese press covers gender-equality work.",
    no_args_is_help=True, rich_markup_mode="rich",
)
out = Console()
err = Console(stderr=True)

StoreOpt = Annotated[str | None, typer.Option("--store", help="Store URL (default: NEWSMON_STORE_URL).")]


def _store_url(store: str | None) -> str:
    return store or get_settings().store_url


def _fail(error: Exception) -> typer.Exit:
    err.print(f"[red]error:[/red] {error}")
    return typer.Exit(code=2)


@app.command()
def crawl(
    store: StoreOpt = None,
    sources: Annotated[Path | None, typer.Option(help="Sources YAML (default: NEWSMON_SOURCES_FILE).")] = None,
    since: Annotated[datetime | None, typer.Option(help="Skip articles published before this date.")] = None,
    max_pages: Annotated[int | None, typer.Option(help="Stop after this many article pages.")] = None,
    state: Annotated[Path | None, typer.Option(help="Crawl-state database (seen URLs, ETags, reports).")] = None,
) -> None:
    """Crawl the configured outlets (RSS, sitemaps, listings) into the store, incrementally."""
    from crawler.run import crawl as run_crawl
    from newsmon.store import open_store

    try:
        report = run_crawl(
            sources_file=sources or get_settings().sources_file, store_url=_store_url(store),
            state_path=state, since=since, max_pages=max_pages,
        )
        with open_store(_store_url(store)) as st:
            st.refresh_ranking()
    except NewsmonError as e:
        raise _fail(e) from e
    out.print(report.format())


@app.command()
def extract(
    file: Annotated[Path | None, typer.Argument(help="JSON Lines of articles; '-' or nothing reads stdin.")] = None,
    pending: Annotated[bool, typer.Option("--pending", help="Extract stored articles instead.")] = False,
    store: StoreOpt = None,
) -> None:
    """Extract events, figures, places and people.

    With FILE (or stdin): read JSON Lines {"id","url","title","text","published_at","source"} and
    write one line per article, {"id": …, "extraction": {…}}; a bad line gets an error line and the
    exit status is 1. With --pending: extract the stored articles that are new or were extracted
    by an older extractor version.
    """
    if pending:
        from newsmon.jobs import extract_stored

        extract_stored(_store_url(store))
        return
    from nlp.contract import extract_lines

    stream = sys.stdin if file is None or str(file) == "-" else file.open(encoding="utf-8")
    failed = 0
    with stream:
        for result in extract_lines(stream):
            failed += result.error is not None
            sys.stdout.write(result.to_json() + "\n")
            sys.stdout.flush()
    if failed:
        err.print(f"{failed} line(s) failed")
        raise typer.Exit(code=1)


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the search API (OpenAPI docs at /docs) and the web UI."""
    from api.main import serve as run_server

    settings = get_settings()
    run_server(host=host or settings.host, port=port or settings.port, store_url=_store_url(store))


@app.command()
def run(
    store: StoreOpt = None,
    max_pages: Annotated[int | None, typer.Option(help="Stop the crawl after this many pages.")] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Crawl and extract, then exit.")] = False,
) -> None:
    """The main job: crawl the configured sources, extract, index, then serve on 127.0.0.1:8000."""
    from newsmon.jobs import crawl_and_extract

    settings = get_settings()
    try:
        crawl_and_extract(sources_file=settings.sources_file, store_url=_store_url(store), max_pages=max_pages)
    except NewsmonError as e:
        raise _fail(e) from e
    if not no_serve:
        serve(store=store)


@app.command()
def watch(
    store: StoreOpt = None,
    every: Annotated[float, typer.Option(help="Minutes between passes.")] = 60.0,
    passes: Annotated[int | None, typer.Option(help="Stop after this many passes (default: forever).")] = None,
) -> None:
    """Crawl, extract and index on a schedule, and send the digests when due (for cron-less deployments)."""
    from newsmon.jobs import watch as run_watch
    from newsmon.jobs import watch_pass

    settings = get_settings()
    run_watch(
        every_minutes=every, passes=passes,
        run_pass=lambda: watch_pass(sources_file=settings.sources_file, store_url=_store_url(store)),
    )


@app.command()
def demo(
    store: Annotated[str, typer.Option("--store", help="Store URL for the demo.")] = "sqlite:///data/demo.db",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the demo store, then exit.")] = False,
    port: Annotated[int | None, typer.Option(help="Port for the API and web UI.")] = None,
) -> None:
    """Run the whole pipeline offline on the bundled sample site: crawl, extract, index, serve."""
    from newsmon.demo import build_demo

    try:
        build_demo(store)
    except NewsmonError as e:
        raise _fail(e) from e
    if not no_serve:
        serve(store=store, port=port)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Query: words, "phrases", AND/OR/NOT, -word, prefix*, field:value.')],
    store: StoreOpt = None,
    limit: Annotated[int, typer.Option(help="How many results.")] = 10,
    sort: Annotated[str, typer.Option(help="relevance or date.")] = "relevance",
) -> None:
    """Search the stored articles (accent-insensitive) and print the best matches."""
    from newsmon.query import parse
    from newsmon.store import open_store

    try:
        tree = parse(query)
        with open_store(_store_url(store)) as st:
            page = st.search(tree, sort=sort, limit=limit)  # type: ignore[arg-type]
    except NewsmonError as e:
        raise _fail(e) from e
    table = Table(title=f"{page.total} article(s) for {query!r}")
    for column in ("date", "source", "title", "id"):
        table.add_column(column)
    for hit in page.hits:
        day = hit.published_at.date().isoformat() if hit.published_at else ""
        table.add_row(day, hit.source, hit.title, hit.id)
    out.print(table)


@app.command()
def stats(store: StoreOpt = None) -> None:
    """Show what the store holds: articles per source, extraction coverage, date range."""
    from newsmon.store import open_store

    try:
        with open_store(_store_url(store)) as st:
            s = st.stats()
    except NewsmonError as e:
        raise _fail(e) from e
    out.print(f"engine: {s.engine}  articles: {s.articles}  extracted: {s.extracted}  figures: {s.figures}")
    out.print(f"dates: {s.first_day or '-'} … {s.last_day or '-'}")
    table = Table("source", "articles")
    for source, count in s.sources.items():
        table.add_row(source, str(count))
    out.print(table)


@app.command()
def reindex(
    to: Annotated[str, typer.Option("--to", help="Target: elasticsearch, sqlite (the configured ones) or a URL.")],
    store: StoreOpt = None,
) -> None:
    """Copy every article, extraction, subscription and send-log record into another store; verify the counts."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsmon.reindex import reindex as run_reindex
    from newsmon.reindex import resolve_store_url
    from newsmon.store import open_store

    source, target = _store_url(store), resolve_store_url(to)
    try:
        with open_store(source) as st:
            total = st.count_articles()
        with Progress(TextColumn("reindexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err) as progress:
            task = progress.add_task("reindex", total=total)
            report = run_reindex(source, target, on_progress=lambda n: progress.advance(task, n))
    except NewsmonError as e:
        raise _fail(e) from e
    out.print(f"copied {report.articles} article(s), {report.extractions} extraction(s), "
              f"{report.subscriptions} subscription(s), {report.deliveries} send-log record(s) "
              f"from {source} to {target}; counts verified")


@app.command(name="eval")
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files in the devset format.")],
) -> None:
    """Score the extractor against gold files: per-field precision, recall and F1."""
    from nlp.evaluate import evaluate as run_eval
    from nlp.evaluate import format_report

    if not gold_dir.is_dir():
        raise _fail(FileNotFoundError(f"{gold_dir} is not a folder of gold JSON files"))
    out.print(format_report(run_eval(gold_dir)))


# subscribe, subscriptions, unsubscribe, digest: defined with the digest package.
from digest.commands import register_commands  # noqa: E402

register_commands(app)

if __name__ == "__main__":
    app()
