"""Subscriptions and the digest send log on SQLite (mixed into ``SqliteStore``).

The claim is one ``INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`` statement, so it is
atomic across threads and processes: a row comes back only to the caller that created or
re-claimed the record. Times are stored as UTC ISO strings so they compare as text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta

from newsmon.errors import StoreError
from newsmon.models import Delivery, DeliveryState, Subscription

__all__ = ["SCHEMA", "SubscriptionsMixin"]

# The migration that adds these tables (appended to ``schema.MIGRATIONS``).
SCHEMA = """
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    query TEXT NOT NULL DEFAULT '',
    filters TEXT NOT NULL DEFAULT '{}',
    frequency TEXT NOT NULL,
    send_empty INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX subscriptions_email_key ON subscriptions(email_key);
CREATE TABLE deliveries (
    subscription_id INTEGER NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    message_id TEXT NOT NULL,
    last_error TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (subscription_id, period_start)
);
"""

_MAX_ID = (1 << 63) - 1  # SQLite's largest integer: a larger id names nothing (and cannot be bound)
_SUB_COLUMNS = "id, email, query, filters, frequency, send_empty, active, created_at"
_DELIVERY_COLUMNS = "subscription_id, period_start, period_end, state, attempts, message_id, last_error, updated_at"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _row_to_subscription(row: sqlite3.Row) -> Subscription:
    data = dict(row)
    data["filters"] = json.loads(data["filters"])
    data["send_empty"] = bool(data["send_empty"])
    data["active"] = bool(data["active"])
    return Subscription.model_validate(data)


def _row_to_delivery(row: sqlite3.Row) -> Delivery:
    return Delivery.model_validate(dict(row))


def _subscription_values(sub: Subscription) -> tuple[object, ...]:
    return (
        sub.email, sub.email.lower(), sub.query, json.dumps(sub.filters, ensure_ascii=False), sub.frequency,
        int(sub.send_empty), int(sub.active), sub.created_at.isoformat(),
    )


class SubscriptionsMixin:
    """The subscription and delivery methods of ``Store`` for ``SqliteStore``."""

    # provided by SqliteStore
    _writer: sqlite3.Connection
    _reader: sqlite3.Connection
    _writing: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def add_subscription(self, subscription: Subscription) -> Subscription:
        """Store a new subscription and return it with its id."""
        with self._writing() as conn:
            cursor = conn.execute(
                "INSERT INTO subscriptions (email, email_key, query, filters, frequency, send_empty, active, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                _subscription_values(subscription),
            )
        return subscription.model_copy(update={"id": cursor.lastrowid})

    def get_subscription(self, subscription_id: int) -> Subscription | None:
        """One subscription by id, or None."""
        if not 0 < subscription_id <= _MAX_ID:
            return None
        row = self._reader.execute(
            f"SELECT {_SUB_COLUMNS} FROM subscriptions WHERE id = ?", (subscription_id,)
        ).fetchone()
        return _row_to_subscription(row) if row else None

    def list_subscriptions(self, *, email: str | None = None, active: bool | None = None) -> list[Subscription]:
        """Subscriptions in id order, optionally of one address or only (in)active ones."""
        sql, args = f"SELECT {_SUB_COLUMNS} FROM subscriptions WHERE 1", []
        if email is not None:
            sql, args = sql + " AND email_key = ?", [*args, email.strip().lower()]
        if active is not None:
            sql, args = sql + " AND active = ?", [*args, int(active)]
        return [_row_to_subscription(r) for r in self._reader.execute(sql + " ORDER BY id", args)]

    def update_subscription(self, subscription: Subscription) -> Subscription | None:
        """Replace the stored subscription with the same id; None when there is none."""
        if subscription.id is None or not 0 < subscription.id <= _MAX_ID:
            return None
        with self._writing() as conn:
            cursor = conn.execute(
                "UPDATE subscriptions SET email = ?, email_key = ?, query = ?, filters = ?, frequency = ?, "
                "send_empty = ?, active = ?, created_at = ? WHERE id = ?",
                (*_subscription_values(subscription), subscription.id),
            )
        return subscription if cursor.rowcount else None

    def delete_subscription(self, subscription_id: int) -> bool:
        """Delete a subscription and its send log."""
        if not 0 < subscription_id <= _MAX_ID:
            return False
        with self._writing() as conn:
            conn.execute("DELETE FROM deliveries WHERE subscription_id = ?", (subscription_id,))
            return conn.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,)).rowcount > 0

    def claim_delivery(
        self, subscription_id: int, period_start: date, period_end: date, message_id: str,
        *, now: datetime, lease: timedelta,
    ) -> Delivery | None:
        """Create or re-claim the record in one statement; a row comes back only when it is ours."""
        with self._writing() as conn:
            row = conn.execute(
                f"INSERT INTO deliveries ({_DELIVERY_COLUMNS}) VALUES (?, ?, ?, 'claimed', 1, ?, NULL, ?) "
                "ON CONFLICT (subscription_id, period_start) DO UPDATE SET "
                "state = 'claimed', attempts = attempts + 1, updated_at = excluded.updated_at "
                "WHERE state IN ('retry', 'ambiguous') OR (state = 'claimed' AND updated_at < ?) "
                f"RETURNING {_DELIVERY_COLUMNS}",
                (subscription_id, period_start.isoformat(), period_end.isoformat(), message_id, _utc(now),
                 _utc(now - lease)),
            ).fetchone()
        return _row_to_delivery(row) if row else None

    def finish_delivery(
        self, subscription_id: int, period_start: date, state: DeliveryState, *,
        now: datetime, error: str | None = None,
    ) -> Delivery:
        """Record the outcome of a claimed delivery."""
        with self._writing() as conn:
            row = conn.execute(
                "UPDATE deliveries SET state = ?, last_error = ?, updated_at = ? "
                f"WHERE subscription_id = ? AND period_start = ? RETURNING {_DELIVERY_COLUMNS}",
                (state, error, _utc(now), subscription_id, period_start.isoformat()),
            ).fetchone()
        if row is None:
            raise StoreError(f"no delivery of subscription {subscription_id} for the period from {period_start}")
        return _row_to_delivery(row)

    def get_delivery(self, subscription_id: int, period_start: date) -> Delivery | None:
        """The send-log record of (subscription, period start), or None."""
        row = self._reader.execute(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE subscription_id = ? AND period_start = ?",
            (subscription_id, period_start.isoformat()),
        ).fetchone()
        return _row_to_delivery(row) if row else None

    def list_deliveries(self, subscription_id: int | None = None) -> list[Delivery]:
        """Send-log records, newest period first, then by subscription id."""
        sql, args = f"SELECT {_DELIVERY_COLUMNS} FROM deliveries", []
        if subscription_id is not None:
            sql, args = sql + " WHERE subscription_id = ?", [subscription_id]
        rows = self._reader.execute(sql + " ORDER BY period_start DESC, subscription_id", args)
        return [_row_to_delivery(r) for r in rows]
