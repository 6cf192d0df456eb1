"""Copy a whole store into another engine (``newsmon reindex --to …``) and prove nothing was lost.

Built on the ``Store`` interface only: articles in batches, each batch's extractions, then the
subscriptions and their send log. Into Elasticsearch the copy fills a new index that the alias
points to only once the counts agree, so search keeps answering from the old index meanwhile and a
failed copy leaves it untouched (``--to`` the same Elasticsearch rebuilds its index in place).
Into SQLite the target file must hold no articles yet.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from itertools import islice

from pydantic import BaseModel

from newsmon.errors import ConfigError, StoreError
from newsmon.models import Article, Delivery
from newsmon.store import Store, open_store

__all__ = ["ReindexReport", "rebuild_text_index", "reindex", "resolve_store_url"]

BATCH = 2_000  # articles per transaction (and per progress step)
_FULL_COLLECTION_EVERY = 50  # batches


class ReindexReport(BaseModel):
    """What was copied; every count was checked against the source."""

    source: str
    target: str
    articles: int
    extractions: int
    subscriptions: int
    deliveries: int


def resolve_store_url(name: str) -> str:
    """A store URL from ``elasticsearch``/``sqlite`` (the configured ones) or a URL as given."""
    from newsmon.settings import get_settings

    settings = get_settings()
    shorthands = {"elasticsearch": settings.elasticsearch_url, "sqlite": settings.sqlite_url}
    return shorthands.get(name.strip().lower(), name)


def _batches(articles: Iterator[Article]) -> Iterator[list[Article]]:
    while batch := list(islice(articles, BATCH)):
        yield batch


def reindex(source_url: str, target_url: str, on_progress: Callable[[int], None] = lambda n: None) -> ReindexReport:
    """Copy everything from ``source_url`` into ``target_url``; raise ``StoreError`` if any count differs."""
    with open_store(source_url) as source, open_store(target_url) as target:
        # Elasticsearch: a new index behind the same alias, so rebuilding an index in place works too.
        staging = target.staging() if hasattr(target, "staging") else None
        if not staging and source_url == target_url:
            raise ConfigError(f"source and target are the same store ({source_url}): name another with --to")
        dest = staging or target
        if not staging and dest.count_articles():
            raise StoreError(f"the target {target_url} already holds {dest.count_articles()} articles: "
                             "reindex into a new, empty store")
        try:
            report = _copy(source, dest, source_url, target_url, on_progress)
        except BaseException:
            if staging:
                staging.drop()  # the alias still points at the old index: nothing changed for readers
            raise
        if staging:
            target.promote(staging)
    return report


@contextmanager
def _collecting_between_batches() -> Iterator[Callable[[], None]]:
    """Python's cyclic garbage collector paused for a copy, collecting between batches instead (the function
    yielded). A batch holds some hundred thousand model objects alive at once: automatic collections start over
    and over while it is built and scan them all each time (a seventh of the copy's time at 100,000 articles),
    though a batch is freed by reference counting alone. The young objects are collected after each batch, and
    everything every ``_FULL_COLLECTION_EVERY`` batches, so cycles cannot pile up."""
    was_enabled = gc.isenabled()
    gc.disable()
    batches = 0

    def collect() -> None:
        nonlocal batches
        batches += 1
        gc.collect(2 if batches % _FULL_COLLECTION_EVERY == 0 else 0)

    try:
        yield collect
    finally:
        if was_enabled:
            gc.enable()


def _copy(
    source: Store, dest: Store, source_url: str, target_url: str, on_progress: Callable[[int], None],
) -> ReindexReport:
    extractions = 0
    with (dest.bulk() if hasattr(dest, "bulk") else nullcontext(),  # SQLite: the text index keeps its writers
          _collecting_between_batches() as collect):
        for batch in _batches(source.iter_articles()):
            dest.upsert_articles(batch)
            found = source.get_extractions([a.id for a in batch])
            extractions += dest.save_extractions(found.items())
            collect()
            on_progress(len(batch))
    dest.refresh_ranking()
    subscriptions, deliveries = _copy_subscriptions(source, dest)
    report = ReindexReport(
        source=source_url, target=target_url, articles=source.count_articles(), extractions=extractions,
        subscriptions=subscriptions, deliveries=deliveries,
    )
    copied = (dest.count_articles(), dest.stats().extracted, len(dest.list_subscriptions()),
              len(dest.list_deliveries()))
    expected = (report.articles, source.stats().extracted, len(source.list_subscriptions()),
                len(source.list_deliveries()))
    if copied != expected:
        raise StoreError(
            f"reindex into {target_url} incomplete: copied (articles, extractions, subscriptions, deliveries) "
            f"= {copied}, the source holds {expected}"
        )
    return report


def _copy_subscriptions(source: Store, dest: Store) -> tuple[int, int]:
    """Subscriptions (new ids where the target assigns them) and their send log; skip if already there."""
    existing = dest.list_subscriptions()
    if existing:  # e.g. an Elasticsearch reindex in place: subscriptions live beside the article index
        return len(existing), len(dest.list_deliveries())
    copied = 0
    for subscription in source.list_subscriptions():
        new_id = dest.add_subscription(subscription).id
        for delivery in source.list_deliveries(subscription.id):
            _replay_delivery(dest, new_id, delivery)
            copied += 1
    return len(source.list_subscriptions()), copied


def _replay_delivery(dest: Store, subscription_id: int, d: Delivery) -> None:
    """Rebuild a send-log record through claim/finish, attempts and last error included."""
    def claim() -> None:
        dest.claim_delivery(subscription_id, d.period_start, d.period_end, d.message_id, now=d.updated_at,
                            lease=timedelta(0))

    claim()
    for _ in range(d.attempts - 1):
        dest.finish_delivery(subscription_id, d.period_start, "retry", now=d.updated_at, error=d.last_error)
        claim()
    if d.state != "claimed":
        dest.finish_delivery(subscription_id, d.period_start, d.state, now=d.updated_at, error=d.last_error)


def rebuild_text_index(url: str, on_progress: Callable[[int], None] = lambda n: None) -> int:
    """Build the text index of the SQLite store at ``url`` anew from its records; how many articles it indexed."""
    with open_store(url) as store:
        if not hasattr(store, "rebuild_text_index"):
            raise ConfigError(f"{url} is not a SQLite store: only SQLite keeps a text index beside its records")
        return store.rebuild_text_index(on_progress)
