"""Send the due digests once each (see the package docstring for the idempotency design), or preview them."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from digest.build import Digest, build_digest
from digest.message import build_message, preview_html
from digest.period import Period, due_period, last_complete_period, message_id_for, period_ending
from digest.smtp import Mailer, SmtpFailure, classify
from newsmon.errors import NewsmonError
from newsmon.models import Delivery, DeliveryState, Subscription
from newsmon.settings import Settings
from newsmon.store.base import Store
from newsmon.tokens import unsubscribe_url

__all__ = ["SendAborted", "SendReport", "send_digests", "write_previews"]

log = logging.getLogger(__name__)
RETRY_DELAYS = (5.0, 30.0)  # seconds before the 2nd and 3rd try of a transient failure within one run


class SendAborted(NewsmonError):
    """The SMTP server cannot be reached or refuses our login: the run stops, nobody is marked failed."""


@dataclass
class SendReport:
    """What one run did, per subscription: ``"<id> <email> <period start>"`` keys."""

    sent: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    retry: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def format(self) -> str:
        """A few lines for the terminal and the log."""
        lines = [f"digests: {len(self.sent)} sent, {len(self.empty)} empty (not sent), {len(self.skipped)} "
                 f"already done or in progress, {len(self.retry)} to retry, {len(self.failed)} failed"]
        lines += [f"  retry {key}: {error}" for key, error in self.retry.items()]
        lines += [f"  failed {key}: {error}" for key, error in self.failed.items()]
        return "\n".join(lines)


def _period_for(sub: Subscription, settings: Settings, now: datetime, period_end: date | None,
                hour: int) -> Period | None:
    if period_end is not None:
        return period_ending(sub.frequency, period_end) if sub.active else None
    return due_period(sub, now, weekday=settings.digest_weekday, hour=hour)


def _message_id(settings: Settings, subscription_id: int, period: Period) -> str:
    domain = parseaddr(settings.smtp_from)[1].rpartition("@")[2] or "newsmon.local"
    return message_id_for(subscription_id, period, domain)


def _email(settings: Settings, digest: Digest, message_id: str, now: datetime) -> EmailMessage:
    sub_id = digest.subscription.id or 0
    link = unsubscribe_url(settings.public_url, sub_id, settings.secret_key.get_secret_value())
    return build_message(digest, settings, message_id=message_id, unsubscribe_link=link, now=now)


def _try_send(mailer: Mailer, message: EmailMessage, delays: Sequence[float],
              sleep: Callable[[float], None]) -> SmtpFailure | None:
    """Send with retries of transient failures; None when the server accepted the message."""
    failure: SmtpFailure | None = None
    for delay in (0.0, *delays):
        if delay:
            sleep(delay)
        try:
            mailer.send(message)
            return None
        except Exception as e:  # classified below: every SMTP or socket error is an outcome to record
            failure = classify(e)
            log.warning("sending %s failed: %s", message["Message-ID"], failure.error)
            if not failure.transient:
                return failure
    return failure


def send_digests(
    store: Store, settings: Settings, *, now: datetime, period_end: date | None = None, hour: int = 0,
    mailer: Mailer | None = None, retry_delays: Sequence[float] = RETRY_DELAYS,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Send every active subscription's due digest at most once (``period_end``: that period instead).

    A digest is due once its period has ended and ``hour`` (Vietnam time) of the end day has come.
    Raises SendAborted, after recording the current digest for a retry, when the server cannot be used.
    """
    report = SendReport()
    lease = timedelta(minutes=settings.digest_lease_minutes)
    own_mailer = mailer is None
    mailer = mailer or Mailer(settings)
    try:
        for sub in store.list_subscriptions(active=True):
            period = _period_for(sub, settings, now, period_end, hour)
            if period is None or sub.id is None:
                continue
            key = f"{sub.id} {sub.email} {period.start}"
            done = store.get_delivery(sub.id, period.start)
            if done is not None and done.state in ("sent", "failed", "empty"):
                report.skipped.append(key)
                continue
            _send_one(store, settings, sub, period, key, report, now=now, lease=lease, mailer=mailer,
                      delays=retry_delays, sleep=sleep)
    finally:
        if own_mailer:
            mailer.close()
    return report


def _send_one(store: Store, settings: Settings, sub: Subscription, period: Period, key: str, report: SendReport,
              *, now: datetime, lease: timedelta, mailer: Mailer, delays: Sequence[float],
              sleep: Callable[[float], None]) -> None:
    sub_id = sub.id or 0  # stored subscriptions always have one
    message_id = _message_id(settings, sub_id, period)
    message: EmailMessage | None = None
    build_error = None
    try:
        digest = build_digest(store, sub, period)
    except ValueError as e:  # a saved query or filter that no longer parses: record it, never send garbage
        build_error = str(e)
    else:
        if not digest.is_empty or sub.send_empty:
            message = _email(settings, digest, message_id, now)
    if message is not None:
        try:
            mailer.connect()  # before the claim: an unreachable server must not use up anyone's attempts
        except Exception as e:
            raise SendAborted(f"cannot use SMTP server {settings.smtp_host}:{settings.smtp_port}: "
                              f"{classify(e).error}") from e
    claim = store.claim_delivery(sub_id, period.start, period.end, message_id, now=now, lease=lease)
    if claim is None:
        report.skipped.append(key)
        return
    if build_error is not None:
        _finish(store, claim, "failed", build_error, report, key, now)
    elif message is None:
        _finish(store, claim, "empty", None, report, key, now)
    elif claim.attempts > settings.digest_max_attempts:
        _finish(store, claim, "failed", f"gave up after {claim.attempts - 1} runs: {claim.last_error}", report,
                key, now)
    else:
        failure = _try_send(mailer, message, delays, sleep)
        if failure is None:
            _finish(store, claim, "sent", None, report, key, now)
            return
        _finish(store, claim, "retry" if failure.transient else "failed", failure.error, report, key, now)
        if failure.connection:
            raise SendAborted(f"SMTP server {settings.smtp_host}:{settings.smtp_port} failed: {failure.error}")


def _finish(store: Store, claim: Delivery, state: DeliveryState, error: str | None, report: SendReport, key: str,
            now: datetime) -> None:
    store.finish_delivery(claim.subscription_id, claim.period_start, state, now=now, error=error)
    if state == "sent":
        report.sent.append(key)
    elif state == "empty":
        report.empty.append(key)
    else:
        (report.retry if state == "retry" else report.failed)[key] = error or state


def write_previews(store: Store, settings: Settings, out_dir: Path, *, now: datetime,
                   period_end: date | None = None) -> list[tuple[Path, bool]]:
    """Write ``<id>-<period start>.eml`` and ``.html`` for every active subscription; touch no send log.

    The period is the one ending on ``period_end``, or the latest complete one. Returns each .eml path
    and whether ``--send`` would send it (False: nothing new and the subscriber did not ask for empty ones).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for sub in store.list_subscriptions(active=True):
        if sub.id is None:
            continue
        period = (period_ending(sub.frequency, period_end) if period_end
                  else last_complete_period(sub.frequency, now, settings.digest_weekday))
        digest = build_digest(store, sub, period)
        message = _email(settings, digest, _message_id(settings, sub.id, period), now)
        eml = out_dir / f"{sub.id}-{period.start}.eml"
        eml.write_bytes(message.as_bytes())
        (out_dir / f"{sub.id}-{period.start}.html").write_text(preview_html(message), encoding="utf-8")
        written.append((eml, sub.send_empty or not digest.is_empty))
    return written
