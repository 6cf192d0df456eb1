"""Commands that read a store: search, stats, and reindex (copy it whole into another engine)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from newsmon.cli.app import StoreOpt, app, err, fail, out, store_url
from newsmon.errors import NewsmonError


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
        with open_store(store_url(store)) as st:
            page = st.search(tree, sort=sort, limit=limit)  # type: ignore[arg-type]
    except NewsmonError as e:
        raise fail(e) from e
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
        with open_store(store_url(store)) as st:
            s = st.stats()
    except NewsmonError as e:
        raise fail(e) from e
    out.print(f"engine: {s.engine}  articles: {s.articles}  extracted: {s.extracted}  figures: {s.figures}")
    out.print(f"dates: {s.first_day or '-'} … {s.last_day or '-'}")
    table = Table("source", "articles")
    for source, count in s.sources.items():
        table.add_row(source, str(count))
    out.print(table)


@app.command()
def reindex(
    to: Annotated[str | None, typer.Option("--to", help="Target: elasticsearch, sqlite (the configured ones) or a URL.")
                  ] = None,
    text_index: Annotated[bool, typer.Option("--text-index", help="Instead: build this SQLite store's text index "
                                             "anew from its records.")] = False,
    store: StoreOpt = None,
) -> None:
    """Copy every article, extraction, subscription and send-log record into another store; verify the counts."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsmon.cli.reindex import rebuild_text_index, resolve_store_url
    from newsmon.cli.reindex import reindex as run_reindex
    from newsmon.store import open_store

    if (to is None) == (not text_index):
        raise fail("give --to TARGET (copy into another store) or --text-index (rebuild it here)")
    source = store_url(store)
    try:
        with open_store(source) as st:
            total = st.count_articles()
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err) as progress:
            task = progress.add_task("reindexing", total=total)
            finishing = ("finishing (committing the text index)" if text_index
                         else "finishing (merging the indexes, verifying the counts)")

            def advance(n: int) -> None:
                progress.advance(task, n)
                if progress.tasks[0].finished:  # what follows the last batch takes a while at scale
                    progress.update(task, description=finishing)
            if text_index:
                indexed = rebuild_text_index(source, on_progress=advance)
            else:
                report = run_reindex(source, resolve_store_url(to or ""), on_progress=advance)
    except NewsmonError as e:
        raise fail(e) from e
    if text_index:
        out.print(f"indexed {indexed} article(s) of {source} anew")
        return
    out.print(f"copied {report.articles} article(s), {report.extractions} extraction(s), "
              f"{report.subscriptions} subscription(s), {report.deliveries} send-log record(s) "
              f"from {source} to {report.target}; counts verified")
