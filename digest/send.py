"""Send the due digests once each (see the package docstring for the idempotency design and every way a
send can end), or preview them."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from digest.build import Digest, build_digest
from digest.message import build_message, preview_html
from digest.period import Period, due_period, last_complete_period, message_id_for, period_ending
from newsmon.errors import ConfigError, NewsmonError, StoreUnavailable
from newsmon.mail import Mailer, SmtpFailure, classify
from newsmon.models import Delivery, DeliveryState, Subscription
from newsmon.secrets import public_url, signing_key
from newsmon.settings import Settings
from newsmon.store.base import Store
from newsmon.tokens import unsubscribe_url

__all__ = ["SendAborted", "SendReport", "send_digests", "write_previews"]

log = logging.getLogger(__name__)
RETRY_DELAYS = (5.0, 30.0)  # seconds before the 2nd and 3rd try of a transient failure within one run
RECORD_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # waits for a store that is busy when an outcome is recorded
Clock = Callable[[], datetime]


def real_clock() -> datetime:
    """Now, on the machine's clock: what claims and their leases are measured with."""
    return datetime.now(UTC)


class SendAborted(NewsmonError):
    """The SMTP server cannot be used (unreachable, refused login, lost connection, outcome unknown) or the
    store cannot record an outcome: the run stops; digests not yet claimed wait for the next run."""


@dataclass
class SendReport:
    """What one run did, per subscription: ``"<id> <email> <period start>"`` keys."""

    sent: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    retry: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, str] = field(default_factory=dict)

    def format(self) -> str:
        """A few lines for the terminal and the log."""
        lines = [f"digests: {len(self.sent)} sent, {len(self.empty)} empty (not sent), {len(self.skipped)} "
                 f"already done or in progress, {len(self.retry)} to retry, {len(self.failed)} failed, "
                 f"{len(self.ambiguous)} outcome unknown"]
        lines += [f"  retry {key}: {error}" for key, error in self.retry.items()]
        lines += [f"  failed {key}: {error}" for key, error in self.failed.items()]
        lines += [f"  outcome unknown {key}: {error}" for key, error in self.ambiguous.items()]
        return "\n".join(lines)


@dataclass
class _Run:
    """What every digest of one run shares."""

    store: Store
    settings: Settings
    report: SendReport
    mailer: Mailer
    now: datetime
    lease: timedelta
    delays: Sequence[float]
    sleep: Callable[[float], None]
    clock: Clock


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
    link = unsubscribe_url(settings.public_url, sub_id, signing_key(settings))
    return build_message(digest, settings, message_id=message_id, unsubscribe_link=link, now=now)


def try_seconds(settings: Settings) -> float:
    """The longest one SMTP try may take: connect, EHLO, MAIL and RCPT, then the DATA reply."""
    return settings.smtp_data_timeout + 4 * settings.smtp_timeout


def check_sending(settings: Settings) -> None:
    """Refuse to send with a default key, a local public address, or a lease one try could outlast."""
    signing_key(settings)
    public_url(settings)
    if settings.digest_lease_minutes * 60 <= try_seconds(settings):
        raise ConfigError(f"NEWSMON_DIGEST_LEASE_MINUTES={settings.digest_lease_minutes:g} is shorter than one SMTP "
                          f"try may take ({try_seconds(settings) / 60:g} min: NEWSMON_SMTP_DATA_TIMEOUT + 4 × "
                          "NEWSMON_SMTP_TIMEOUT): a second sender could take over a digest still being sent")


def send_digests(
    store: Store, settings: Settings, *, now: datetime, period_end: date | None = None, hour: int = 0,
    mailer: Mailer | None = None, retry_delays: Sequence[float] = RETRY_DELAYS,
    sleep: Callable[[float], None] = time.sleep, clock: Clock = real_clock,
) -> SendReport:
    """Send every active subscription's due digest at most once (``period_end``: that period instead).

    A digest is due once its period has ended and ``hour`` (Vietnam time) of the end day has come;
    ``now`` picks the period, ``clock`` (the real one) times the claims. Raises ConfigError before
    anything when the settings would send forgeable or broken links, and SendAborted, after recording
    the current digest, when the server cannot be used or an outcome is unknown.
    """
    subscriptions = store.list_subscriptions(active=True)
    if not subscriptions:
        return SendReport()
    check_sending(settings)
    run = _Run(store, settings, SendReport(), mailer or Mailer(settings), now,
               timedelta(minutes=settings.digest_lease_minutes), retry_delays, sleep, clock)
    try:
        for sub in subscriptions:
            period = _period_for(sub, settings, now, period_end, hour)
            if period is None or sub.id is None:
                continue
            key = f"{sub.id} {sub.email} {period.start}"
            done = store.get_delivery(sub.id, period.start)
            if done is not None and done.state in ("sent", "failed", "empty"):
                run.report.skipped.append(key)
                continue
            _send_one(run, sub, period, key)
    finally:
        if mailer is None:
            run.mailer.close()
    return run.report


def _prepare(run: _Run, sub: Subscription, period: Period, message_id: str) -> tuple[EmailMessage | None, str | None]:
    """The email to send (None when the period is empty and not wanted) or the error that stops it."""
    try:
        digest = build_digest(run.store, sub, period)
    except ValueError as e:  # a saved query or filter that no longer parses: record it, never send garbage
        return None, str(e)
    if digest.is_empty and not sub.send_empty:
        return None, None
    return _email(run.settings, digest, message_id, run.now), None


def _send_one(run: _Run, sub: Subscription, period: Period, key: str) -> None:
    sub_id = sub.id or 0  # stored subscriptions always have one
    message_id = _message_id(run.settings, sub_id, period)
    message, build_error = _prepare(run, sub, period, message_id)
    if message is not None:
        try:
            run.mailer.connect()  # before the claim: an unreachable server must not use up anyone's attempts
        except Exception as e:
            raise SendAborted(f"cannot use SMTP server {run.settings.smtp_host}:{run.settings.smtp_port}: "
                              f"{classify(e).error}") from e
    claim = run.store.claim_delivery(sub_id, period.start, period.end, message_id, now=run.clock(), lease=run.lease)
    if claim is None:
        run.report.skipped.append(key)
        return
    claimed_at = time.monotonic()
    if build_error is not None:
        _finish(run, claim, "failed", build_error, key)
    elif message is None:
        _finish(run, claim, "empty", None, key)
    elif claim.attempts > run.settings.digest_max_attempts:
        _finish(run, claim, "failed", f"gave up after {claim.attempts - 1} runs: {claim.last_error}", key)
    else:
        failure = _try_send(run, message, claimed_at)
        state: DeliveryState = ("sent" if failure is None else "ambiguous" if failure.ambiguous
                                else "retry" if failure.transient else "failed")
        _finish(run, claim, state, failure.error if failure else None, key)
        if failure is not None and failure.connection:
            raise SendAborted(f"SMTP server {run.settings.smtp_host}:{run.settings.smtp_port} failed: {failure.error}")


def _try_send(run: _Run, message: EmailMessage, claimed_at: float) -> SmtpFailure | None:
    """Send with retries of transient failures; None when the server accepted the message.

    Never tries again after an ambiguous outcome, and never starts a try that could outlast the claim's lease.
    """
    failure: SmtpFailure | None = None
    for delay in (0.0, *run.delays):
        if delay:
            run.sleep(delay)
        if time.monotonic() - claimed_at + try_seconds(run.settings) >= run.lease.total_seconds():
            return failure or SmtpFailure("the claim's lease would run out before another try", True, False)
        try:
            run.mailer.send(message)
            return None
        except Exception as e:  # classified below: every SMTP or socket error is an outcome to record
            failure = classify(e)
            log.warning("sending %s failed: %s", message["Message-ID"], failure.error)
            if not failure.transient:
                return failure
    return failure


def _finish(run: _Run, claim: Delivery, state: DeliveryState, error: str | None, key: str) -> None:
    """Record the outcome, waiting out a busy store (``RECORD_DELAYS``); SendAborted if it stays busy."""
    for delay in (*RECORD_DELAYS, None):
        try:
            run.store.finish_delivery(claim.subscription_id, claim.period_start, state, now=run.clock(), error=error)
            break
        except StoreUnavailable as e:
            if delay is None:
                raise SendAborted(f"could not record {key} as {state} ({e}); it stays claimed and a run after the "
                                  f"lease ({run.lease}) will {'send it again' if state == 'sent' else 'retry it'}"
                                  ) from e
            log.warning("recording %s as %s: %s; trying again in %g s", key, state, e, delay)
            run.sleep(delay)
    report = run.report
    if state in ("sent", "empty"):
        (report.sent if state == "sent" else report.empty).append(key)
    else:
        {"retry": report.retry, "failed": report.failed, "ambiguous": report.ambiguous}[state][key] = error or state


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
