"""Digest periods: which days a digest covers, when it is due, and its Message-ID.

A period is ``[start, end)`` in whole days, Vietnam time. A weekly period ends on
``Settings.digest_weekday`` (Monday by default) at 00:00; a daily one at midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newsmon.models import VN_TZ, Subscription

__all__ = ["Period", "due_period", "last_complete_period", "message_id_for"]


@dataclass(frozen=True)
class Period:
    """The days ``start`` (inclusive) to ``end`` (exclusive)."""

    start: date
    end: date

    @property
    def last_day(self) -> date:
        """The last day the period covers."""
        return self.end - timedelta(days=1)

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - (self.end - self.start), self.start)


def last_complete_period(frequency: str, now: datetime, weekday: int = 0) -> Period:
    """The latest period of ``frequency`` ("daily" or "weekly") that has ended at ``now``."""
    today = now.astimezone(VN_TZ).date()
    if frequency == "daily":
        return Period(today - timedelta(days=1), today)
    if frequency != "weekly":
        raise ValueError(f"unknown digest frequency {frequency!r}: use daily or weekly")
    end = today - timedelta(days=(today.weekday() - weekday) % 7)
    return Period(end - timedelta(days=7), end)


def period_ending(frequency: str, end: date) -> Period:
    """The period of ``frequency`` that ends (exclusive) on ``end``."""
    return Period(end - timedelta(days=1 if frequency == "daily" else 7), end)


def due_period(subscription: Subscription, now: datetime, *, weekday: int = 0, hour: int = 0) -> Period | None:
    """The period the service should send now, or None.

    That is the latest complete period, once ``hour`` (Vietnam time) of its end day has come, and only
    if the subscription existed before the period ended (a new subscriber gets the next digest, not an
    old one). Sending stays idempotent through the delivery log, so calling this often is safe.
    """
    if not subscription.active:
        return None
    period = last_complete_period(subscription.frequency, now, weekday)
    ends_at = datetime.combine(period.end, datetime.min.time(), VN_TZ)
    if now < ends_at + timedelta(hours=hour) or subscription.created_at >= ends_at:
        return None
    return period


def message_id_for(subscription_id: int, period: Period, domain: str) -> str:
    """The Message-ID of a digest: the same for every attempt, so a resent copy is recognisably the same mail."""
    return f"<digest-{subscription_id}-{period.start:%Y%m%d}-{period.end:%Y%m%d}@{domain}>"
