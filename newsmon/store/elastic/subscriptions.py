"""Subscriptions and the digest send log on Elasticsearch (mixed into ``ElasticStore``).

Two small indices beside the articles: ``<prefix>-subscriptions`` and ``<prefix>-deliveries``
(one document per subscription and period, id ``<subscription>:<period start>``). Subscription
ids come from a counter document advanced with optimistic concurrency control. A claim is a
``create`` (only one caller can create a document) or, for a record in ``retry`` or with a stale
lease, an ``index`` conditional on the sequence number the caller read, so two concurrent callers
never both win. Writes are refreshed so lists see them at once, as on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from elasticsearch import BadRequestError, ConflictError, Elasticsearch, NotFoundError

from newsmon.errors import StoreError
from newsmon.models import Delivery, DeliveryState, Subscription

__all__ = ["SIDE_INDICES", "SubscriptionsMixin"]

_COUNTER = "subscription-ids"
_MAPPINGS = {
    "subscriptions": {"dynamic": False, "properties": {
        "id": {"type": "long"}, "email_key": {"type": "keyword"}, "active": {"type": "boolean"}}},
    "deliveries": {"dynamic": False, "properties": {
        "subscription_id": {"type": "long"}, "period_start": {"type": "keyword"}}},
    "counters": {"dynamic": False, "properties": {}},
}
SIDE_INDICES = tuple(_MAPPINGS)


class SubscriptionsMixin:
    """The subscription and delivery methods of ``Store`` for ``ElasticStore``."""

    # provided by ElasticStore
    client: Elasticsearch
    prefix: str
    _call: Callable[..., Any]
    index_settings: Callable[..., dict[str, Any]]
    _subscriptions_ready = False

    def _side(self, name: str) -> str:
        """The name of a side index, created with its mapping on first use."""
        index = f"{self.prefix}-{name}"
        if not self._subscriptions_ready:
            for other, mappings in _MAPPINGS.items():
                try:
                    self.client.indices.create(index=f"{self.prefix}-{other}", mappings=mappings,
                                               settings=self.index_settings(shards=1))
                except BadRequestError as e:
                    if e.error != "resource_already_exists_exception":
                        raise
            self._subscriptions_ready = True
        return index

    def _replicate_side_indices(self) -> None:
        """Give the existing side indices the configured replicas (a dynamic setting: no copy needed)."""
        replicas = {k: v for k, v in self.index_settings(shards=1).items() if k != "number_of_shards"}
        names = ",".join(f"{self.prefix}-{name}" for name in SIDE_INDICES)
        self.client.indices.put_settings(index=names, settings={"index": replicas}, ignore_unavailable=True,
                                         allow_no_indices=True)

    def _next_id(self) -> int:
        index = self._side("counters")
        while True:
            try:
                current = self.client.get(index=index, id=_COUNTER)
            except NotFoundError:
                try:
                    self.client.create(index=index, id=_COUNTER, document={"value": 1})
                    return 1
                except ConflictError:
                    continue
            value = current["_source"]["value"] + 1
            try:
                self.client.index(index=index, id=_COUNTER, document={"value": value},
                                  if_seq_no=current["_seq_no"], if_primary_term=current["_primary_term"])
                return value
            except ConflictError:
                continue

    def _put_subscription(self, subscription: Subscription, *, create: bool) -> None:
        doc = {**subscription.model_dump(mode="json"), "email_key": subscription.email.lower()}
        op = self.client.create if create else self.client.index
        op(index=self._side("subscriptions"), id=str(subscription.id), document=doc, refresh=True)

    def add_subscription(self, subscription: Subscription) -> Subscription:
        """Store a new subscription and return it with its id."""
        def add() -> Subscription:
            stored = subscription.model_copy(update={"id": self._next_id()})
            self._put_subscription(stored, create=True)
            return stored
        return self._call(add)

    def get_subscription(self, subscription_id: int) -> Subscription | None:
        """One subscription by id, or None."""
        def get() -> Subscription | None:
            try:
                doc = self.client.get(index=self._side("subscriptions"), id=str(subscription_id))
            except NotFoundError:
                return None
            return _subscription(doc["_source"])
        return self._call(get)

    def list_subscriptions(self, *, email: str | None = None, active: bool | None = None) -> list[Subscription]:
        """Subscriptions in id order, optionally of one address or only (in)active ones."""
        clauses: list[dict[str, Any]] = []
        if email is not None:
            clauses.append({"term": {"email_key": email.strip().lower()}})
        if active is not None:
            clauses.append({"term": {"active": active}})
        return [_subscription(d) for d in self._all("subscriptions", clauses, [{"id": "asc"}])]

    def _all(self, name: str, clauses: list[dict[str, Any]], sort: list[dict[str, str]]) -> list[dict[str, Any]]:
        def search() -> list[dict[str, Any]]:
            result = self.client.search(index=self._side(name), query={"bool": {"filter": clauses}}, sort=sort,
                                        size=10_000)
            return [hit["_source"] for hit in result["hits"]["hits"]]
        return self._call(search)

    def update_subscription(self, subscription: Subscription) -> Subscription | None:
        """Replace the stored subscription with the same id; None when there is none."""
        if subscription.id is None or self.get_subscription(subscription.id) is None:
            return None
        self._call(lambda: self._put_subscription(subscription, create=False))
        return subscription

    def delete_subscription(self, subscription_id: int) -> bool:
        """Delete a subscription and its send log."""
        def delete() -> bool:
            # By id, not _delete_by_query: that API lives in a module not every distribution ships.
            index = self._side("deliveries")
            found = self.client.search(index=index, query={"term": {"subscription_id": subscription_id}},
                                       size=10_000, _source=False)
            ids = [hit["_id"] for hit in found["hits"]["hits"]]
            if ids:
                self.client.bulk(operations=[{"delete": {"_index": index, "_id": i}} for i in ids], refresh=True)
            try:
                self.client.delete(index=self._side("subscriptions"), id=str(subscription_id), refresh=True)
            except NotFoundError:
                return False
            return True
        return self._call(delete)

    def claim_delivery(
        self, subscription_id: int, period_start: date, period_end: date, message_id: str,
        *, now: datetime, lease: timedelta,
    ) -> Delivery | None:
        """Create the record, or re-claim a retry or a stale claim, conditional on what was read."""
        doc_id = f"{subscription_id}:{period_start.isoformat()}"
        fresh = Delivery(subscription_id=subscription_id, period_start=period_start, period_end=period_end,
                         state="claimed", attempts=1, message_id=message_id, updated_at=now.astimezone(UTC))

        def claim() -> Delivery | None:
            index = self._side("deliveries")
            try:
                self.client.create(index=index, id=doc_id, document=fresh.model_dump(mode="json"), refresh=True)
                return fresh
            except ConflictError:
                current = self.client.get(index=index, id=doc_id)
            old = Delivery.model_validate(current["_source"])
            stale = old.state == "claimed" and old.updated_at < now - lease
            if old.state not in ("retry", "ambiguous") and not stale:
                return None
            taken = old.model_copy(update={"state": "claimed", "attempts": old.attempts + 1,
                                           "updated_at": now.astimezone(UTC)})
            try:
                self.client.index(index=index, id=doc_id, document=taken.model_dump(mode="json"), refresh=True,
                                  if_seq_no=current["_seq_no"], if_primary_term=current["_primary_term"])
            except ConflictError:
                return None
            return taken
        return self._call(claim)

    def finish_delivery(
        self, subscription_id: int, period_start: date, state: DeliveryState, *,
        now: datetime, error: str | None = None,
    ) -> Delivery:
        """Record the outcome of a claimed delivery."""
        current = self.get_delivery(subscription_id, period_start)
        if current is None:
            raise StoreError(f"no delivery of subscription {subscription_id} for the period from {period_start}")
        done = current.model_copy(update={"state": state, "last_error": error, "updated_at": now.astimezone(UTC)})
        self._call(lambda: self.client.index(
            index=self._side("deliveries"), id=f"{subscription_id}:{period_start.isoformat()}",
            document=done.model_dump(mode="json"), refresh=True))
        return done

    def get_delivery(self, subscription_id: int, period_start: date) -> Delivery | None:
        """The send-log record of (subscription, period start), or None."""
        def get() -> Delivery | None:
            try:
                doc = self.client.get(index=self._side("deliveries"), id=f"{subscription_id}:{period_start}")
            except NotFoundError:
                return None
            return Delivery.model_validate(doc["_source"])
        return self._call(get)

    def list_deliveries(self, subscription_id: int | None = None) -> list[Delivery]:
        """Send-log records, newest period first, then by subscription id."""
        clauses = [{"term": {"subscription_id": subscription_id}}] if subscription_id is not None else []
        docs = self._all("deliveries", clauses, [{"period_start": "desc"}, {"subscription_id": "asc"}])
        return [Delivery.model_validate(d) for d in docs]


def _subscription(source: dict[str, Any]) -> Subscription:
    return Subscription.model_validate({k: v for k, v in source.items() if k != "email_key"})
