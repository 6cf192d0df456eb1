"""Commands that run the stages: crawl, extract, serve, and the jobs that chain them (run, watch, demo)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from newsmon.cli.app import StoreOpt, app, err, fail, out, store_url
from newsmon.errors import NewsmonError
from newsmon.settings import get_settings


@app.command()
def crawl(
    store: StoreOpt = None,
    sources: Annotated[Path | None, typer.Option(help="Sources YAML (default: NEWSMON_SOURCES_FILE).")] = None,
    since: Annotated[datetime | None, typer.Option(
        help="Backfill: follow archive sitemaps and listing pages back to this date (resumable); "
             "skip articles published before it.")] = None,
    max_pages: Annotated[int | None, typer.Option(help="Stop after this many article pages.")] = None,
    state: Annotated[Path | None, typer.Option(help="Crawl-state database (seen URLs, ETags, reports).")] = None,
) -> None:
    """Crawl the configured outlets (RSS, sitemaps, listings) into the store, incrementally.

    Ends with the report per outlet and a summary; the exit status is 1 when no outlet answered.
    """
    from newsmon.cli.jobs import crawl_outlets

    try:
        reachable = crawl_outlets(sources_file=sources or get_settings().sources_file, store_url=store_url(store),
                                  state_path=state, since=since, max_pages=max_pages)
    except NewsmonError as e:
        raise fail(e) from e
    if not reachable:
        raise typer.Exit(code=1)


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
        from newsmon.cli.jobs import extract_stored

        try:
            extract_stored(store_url(store))
        except NewsmonError as e:
            raise fail(e) from e
        return
    from nlp.contract import extract_lines

    # Bytes, decoded line by line by the contract: one line of invalid UTF-8 must not stop the rest.
    stream = sys.stdin.buffer if file is None or str(file) == "-" else file.open("rb")
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
    try:
        run_server(host=host or settings.host, port=port or settings.port, store_url=store_url(store))
    except NewsmonError as e:
        raise fail(e) from e


@app.command()
def run(
    store: StoreOpt = None,
    max_pages: Annotated[int | None, typer.Option(help="Stop the crawl after this many pages.")] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Crawl and extract, then exit.")] = False,
) -> None:
    """The main job: crawl the configured sources, extract, index, then serve on 127.0.0.1:8000.

    When no outlet answers (no network) it still serves what the store holds (an empty store's page says
    how to start); with --no-serve the exit status is then 1.
    """
    from newsmon.cli.jobs import crawl_and_extract

    settings = get_settings()
    try:
        reachable = crawl_and_extract(sources_file=settings.sources_file, store_url=store_url(store),
                                      max_pages=max_pages)
    except NewsmonError as e:
        raise fail(e) from e
    if no_serve and not reachable:
        raise typer.Exit(code=1)
    if not no_serve:
        serve(store=store)


@app.command()
def watch(
    store: StoreOpt = None,
    every: Annotated[float, typer.Option(help="Minutes between passes.")] = 60.0,
    passes: Annotated[int | None, typer.Option(help="Stop after this many passes (default: forever).")] = None,
) -> None:
    """Crawl, extract and index on a schedule, and send the digests when due (for cron-less deployments)."""
    from newsmon.cli.jobs import watch as run_watch
    from newsmon.cli.jobs import watch_pass

    settings = get_settings()
    run_watch(
        every_minutes=every, passes=passes,
        run_pass=lambda: watch_pass(sources_file=settings.sources_file, store_url=store_url(store)),
    )


@app.command()
def demo(
    store: Annotated[str, typer.Option("--store", help="Store URL for the demo.")] = "sqlite:///data/demo.db",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the demo store, then exit.")] = False,
    port: Annotated[int | None, typer.Option(help="Port for the API and web UI.")] = None,
    outbox: Annotated[Path, typer.Option(help="Where the demo's emails (subscription confirmations, digests) "
                                                "are written, as .eml files.")] = Path("data/demo-mail"),
) -> None:
    """Run the whole pipeline offline on the bundled sample site: crawl, extract, index, serve.

    Nothing is emailed: confirmations and digests are written to OUTBOX, with links to this machine.
    """
    from api.main import serve as run_server
    from newsmon.cli.demo import build_demo

    settings = get_settings()
    try:
        build_demo(store)
        if no_serve:
            return
        port = port or settings.port
        out.print(f"emails (subscription confirmations, digests) are written to {outbox}/, not sent")
        run_server(host=settings.host, port=port, store_url=store,
                   overrides={"mail_outbox": outbox, "public_url": f"http://127.0.0.1:{port}"})
    except NewsmonError as e:
        raise fail(e) from e
