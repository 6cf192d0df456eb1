"""The digest commands: subscribe, subscriptions, unsubscribe, digest (preview or send)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from newsmon.cli.app import StoreOpt, app, fail, out, store_url
from newsmon.errors import NewsmonError
from newsmon.models import VN_TZ, Subscription
from newsmon.settings import get_settings
from newsmon.store.base import Store


def _open(store: str | None) -> Store:
    from newsmon.store import open_store

    return open_store(store_url(store))


@app.command()
def subscribe(
    email: Annotated[str, typer.Argument(help="Address that receives the digest.")],
    query: Annotated[str, typer.Option(help="Saved query (the search syntax); blank: every article.")] = "",
    province: Annotated[list[str] | None, typer.Option(help="Only these provinces (repeatable).")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only these sources (repeatable).")] = None,
    daily: Annotated[bool, typer.Option("--daily", help="Every day instead of every week.")] = False,
    send_empty: Annotated[bool, typer.Option("--send-empty", help="Send even when nothing is new.")] = False,
    include_off_topic: Annotated[bool, typer.Option(
        "--include-off-topic", help="Every matching article, not only gender-equality coverage.")] = False,
    store: StoreOpt = None,
) -> None:
    """Subscribe EMAIL to the weekly (or --daily) digest of a saved query (on-topic articles by default)."""
    from newsmon.query import parse
    from newsmon.subscriptions import check_filters
    from newsmon.text import normalize

    filters: dict[str, object] = {k: v for k, v in (("provinces", province), ("sources", source)) if v}
    if include_off_topic:
        filters["on_topic_only"] = False
    try:
        if query.strip():
            parse(normalize(query))
        sub = Subscription(email=email, query=query, filters=check_filters(filters),
                           frequency="daily" if daily else "weekly", send_empty=send_empty)
        with _open(store) as st:
            sub = st.add_subscription(sub)
    except (NewsmonError, ValueError) as e:
        raise fail(e) from e
    out.print(f"subscription {sub.id}: {sub.email}, {sub.frequency}, query {sub.query!r}")


@app.command()
def subscriptions(store: StoreOpt = None) -> None:
    """List the subscriptions and their last digest."""
    try:
        with _open(store) as st:
            rows = [(s, st.list_deliveries(s.id)) for s in st.list_subscriptions()]
    except NewsmonError as e:
        raise fail(e) from e
    table = Table("id", "email", "query", "frequency", "active", "last digest")
    for sub, deliveries in rows:
        last = f"{deliveries[0].period_start} {deliveries[0].state}" if deliveries else "-"
        table.add_row(str(sub.id), sub.email, sub.query, sub.frequency, "yes" if sub.active else "no", last)
    out.print(table)


@app.command()
def unsubscribe(
    who: Annotated[str, typer.Argument(help="A subscription id, or an email (all its subscriptions).")],
    store: StoreOpt = None,
) -> None:
    """Stop the digests of one subscription id or of every subscription of an email."""
    try:
        with _open(store) as st:
            if who.isascii() and who.isdigit():
                found = st.get_subscription(int(who))
                subs = [found] if found else []
            else:
                subs = st.list_subscriptions(email=who)
            for sub in subs:
                st.update_subscription(sub.model_copy(update={"active": False}))
    except NewsmonError as e:
        raise fail(e) from e
    if not subs:
        raise fail(f"no subscription {who!r}: see `newsmon subscriptions`")
    out.print(f"unsubscribed {', '.join(str(s.id) for s in subs)}")


@app.command()
def digest(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write .eml and .html previews; send nothing.")] = False,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for --dry-run previews.")] = Path("data/digests"),
    send: Annotated[bool, typer.Option("--send", help="Send the due digests (for cron); safe to repeat.")] = False,
    period_end: Annotated[datetime | None, typer.Option(
        "--period-end", formats=["%Y-%m-%d"],
        help="The period that ends (exclusive) on this day, instead of the latest complete one.")] = None,
    store: StoreOpt = None,
) -> None:
    """Preview (--dry-run) or send (--send) each subscription's digest of the latest complete period."""
    from digest.send import send_digests, write_previews

    if dry_run == send:
        raise fail("choose one of --dry-run or --send")
    settings = get_settings()
    now = datetime.now(VN_TZ)
    end: date | None = period_end.date() if period_end else None
    try:
        with _open(store) as st:
            if dry_run:
                for path, wanted in write_previews(st, settings, out_dir, now=now, period_end=end):
                    out.print(f"{path} (+ .html){'' if wanted else '  (not sent: nothing new)'}")
                return
            report = send_digests(st, settings, now=now, period_end=end)
    except NewsmonError as e:
        raise fail(e) from e
    out.print(report.format())
    if report.retry or report.failed:
        raise typer.Exit(code=1)
