"""Every way a send can end (the table in ``digest/__init__.py``), each against a real aiosmtpd server that
misbehaves that way, and the claim's lease on the real clock (issue 17: digests are sent once)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from digest.send import SendAborted, send_digests
from newsmon.errors import ConfigError
from newsmon.settings import Settings
from newsmon.store.sqlite import SqliteStore
from tests.digest_seed import NOW, SUBSCRIBERS, WEEK_START, smtp_settings
from tests.smtp_server import Inbox, self_signed_cert, server_tls, smtp_server

NO_WAIT = {"retry_delays": (0.0, 0.0), "sleep": lambda _: None}
LAN = f"1 lan@example.vn {WEEK_START}"


def _send(store: SqliteStore, port: int, **settings: object):
    return send_digests(store, smtp_settings(port, **settings), now=NOW, **NO_WAIT)


def _copies(inbox: Inbox) -> dict[str, int]:
    return {rcpt: len(messages) for rcpt, messages in inbox.by_recipient().items()}


def _state(store: SqliteStore, sub_id: int) -> str | None:
    delivery = store.get_delivery(sub_id, WEEK_START)
    return delivery.state if delivery else None


def test_a_5xx_at_data_is_failed_and_not_retried(digest_store: SqliteStore) -> None:
    inbox = Inbox()
    inbox.replies = ["554 5.6.0 message refused"]
    with smtp_server(inbox) as port:
        report = _send(digest_store, port)
        again = _send(digest_store, port)
    assert report.failed == {LAN: "554 5.6.0 message refused"} and _state(digest_store, 1) == "failed"
    assert _copies(inbox) == {"minh@example.vn": 1, "hoa@example.vn": 1} and LAN in again.skipped


def test_a_greylisting_sender_refusal_is_tried_again_in_the_run(digest_store: SqliteStore) -> None:
    inbox = Inbox()
    inbox.mail_replies = ["451 4.7.1 greylisted, try again"]
    with smtp_server(inbox) as port:
        report = _send(digest_store, port)
    assert len(report.sent) == 3 and _copies(inbox) == dict.fromkeys(SUBSCRIBERS, 1)


@pytest.mark.parametrize("phase", ["MAIL", "RCPT"])
def test_a_connection_lost_before_data_is_tried_again_on_a_new_one(digest_store: SqliteStore, phase: str) -> None:
    inbox = Inbox()
    inbox.drops = [phase]
    with smtp_server(inbox) as port:
        report = _send(digest_store, port)
    assert len(report.sent) == 3 and _copies(inbox) == dict.fromkeys(SUBSCRIBERS, 1)
    assert inbox.connections >= 2 and digest_store.get_delivery(1, WEEK_START).attempts == 1


def test_a_connection_lost_before_data_every_time_stops_the_run_for_later(digest_store: SqliteStore) -> None:
    inbox = Inbox()
    inbox.drops = ["RCPT"] * 3
    with smtp_server(inbox) as port:
        with pytest.raises(SendAborted, match="failed"):
            _send(digest_store, port)
        assert _state(digest_store, 1) == "retry" and _state(digest_store, 2) is None  # the rest wait, unclaimed
        report = _send(digest_store, port)
    assert len(report.sent) == 3 and _copies(inbox) == dict.fromkeys(SUBSCRIBERS, 1)


def test_a_server_that_answers_after_the_timeout_gets_the_message_once_per_run(digest_store: SqliteStore) -> None:
    """The server stores the message but answers after the client stopped waiting: the outcome is unknown.
    Before, this was a transient failure: 3 copies in each run."""
    inbox = Inbox()
    inbox.data_delay = 3.0
    with smtp_server(inbox) as port:
        with pytest.raises(SendAborted, match="outcome unknown"):
            _send(digest_store, port, smtp_timeout=1.0, smtp_data_timeout=1.0)
        assert _copies(inbox) == {"lan@example.vn": 1}  # not re-sent in the run
        delivery = digest_store.get_delivery(1, WEEK_START)
        assert delivery.state == "ambiguous" and "timed out" in delivery.last_error
        assert _state(digest_store, 2) is None
        inbox.data_delay = 0.0
        report = _send(digest_store, port)  # a later run: the unknown one goes again, with the same Message-ID
    assert report.sent[0] == LAN and _copies(inbox) == {"lan@example.vn": 2, "minh@example.vn": 1, "hoa@example.vn": 1}
    first, repeat = inbox.by_recipient()["lan@example.vn"]
    assert first["Message-ID"] == repeat["Message-ID"]


@pytest.mark.parametrize(("phase", "stored"), [("ACCEPTED", 1), ("DATA", 0)])
def test_a_connection_lost_after_data_is_ambiguous(digest_store: SqliteStore, phase: str, stored: int) -> None:
    """Lost with the message stored or not: the client cannot tell, so it records that and stops."""
    inbox = Inbox()
    inbox.drops = [phase]
    with smtp_server(inbox) as port:
        with pytest.raises(SendAborted, match="outcome unknown"):
            _send(digest_store, port)
        assert len(inbox.messages) == stored and _state(digest_store, 1) == "ambiguous"
        _send(digest_store, port)
    assert _copies(inbox)["lan@example.vn"] == stored + 1  # delivered; at most once more than the server kept
    assert {d.state for d in digest_store.list_deliveries()} == {"sent"}


def test_an_untrusted_certificate_stops_the_run_before_any_claim(digest_store: SqliteStore, tmp_path: Path) -> None:
    cert, key = self_signed_cert(tmp_path)
    inbox = Inbox()
    with smtp_server(inbox, tls=server_tls(cert, key)) as port, pytest.raises(SendAborted, match="certificate"):
        _send(digest_store, port, smtp_security="starttls")  # no smtp_ca_file: the system's CAs do not know it
    assert digest_store.list_deliveries() == [] and inbox.messages == []


def test_after_the_last_attempt_a_digest_is_failed(digest_store: SqliteStore) -> None:
    inbox = Inbox()
    inbox.replies = ["451 4.3.0 busy"] * 3
    with smtp_server(inbox) as port:
        assert LAN in _send(digest_store, port, digest_max_attempts=1).retry
        report = _send(digest_store, port, digest_max_attempts=1)
    assert report.failed[LAN].startswith("gave up after 1 runs: 451") and _state(digest_store, 1) == "failed"
    assert "lan@example.vn" not in _copies(inbox)


def test_a_saved_query_that_no_longer_parses_is_failed(digest_store: SqliteStore) -> None:
    broken = digest_store.get_subscription(2).model_copy(update={"query": "((bình đẳng"})
    digest_store.update_subscription(broken)
    inbox = Inbox()
    with smtp_server(inbox) as port:
        report = _send(digest_store, port)
    key = f"2 minh@example.vn {WEEK_START}"
    assert "missing ')'" in report.failed[key] and "minh@example.vn" not in _copies(inbox)
    assert len(report.sent) == 2


# --- the lease ---------------------------------------------------------------------------------------------

def test_a_lease_of_zero_or_shorter_than_one_try_is_refused(digest_store: SqliteStore) -> None:
    with pytest.raises(ValidationError, match="digest_lease_minutes"):
        Settings(_env_file=None, digest_lease_minutes=0)
    with pytest.raises(ConfigError, match="NEWSMON_DIGEST_LEASE_MINUTES"):
        _send(digest_store, 1, digest_lease_minutes=10)  # one try may take 12 minutes (600 s + 4 x 30 s)
    assert digest_store.list_deliveries() == []


def test_a_run_started_later_does_not_take_a_digest_that_is_being_sent(digest_store: SqliteStore) -> None:
    """Run A claims lan's digest and is still sending it when run B starts 31 minutes after A began (B's ``now``
    says so): B leaves it, because the lease runs from A's claim on the real clock. Before, it was taken: 2 copies."""
    b_done = threading.Event()
    inbox_a, inbox_b = Inbox(), Inbox()
    inbox_a.on_data = lambda accepted: None if accepted or b_done.wait(60) else "451 4.3.0 B never finished"
    errors: list[BaseException] = []

    def run_a(port: int) -> None:
        try:
            send_digests(digest_store, smtp_settings(port), now=NOW, **NO_WAIT)
        except BaseException as e:  # reported by the assertion below
            errors.append(e)

    with smtp_server(inbox_a) as port_a, smtp_server(inbox_b) as port_b:
        a = threading.Thread(target=run_a, args=(port_a,))
        a.start()
        while _state(digest_store, 1) != "claimed":
            time.sleep(0.05)
        with SqliteStore(digest_store.path) as other:  # run B: another connection, as another process would be
            later = send_digests(other, smtp_settings(port_b), now=NOW + timedelta(minutes=31), **NO_WAIT)
        b_done.set()
        a.join(timeout=60)
    assert not errors and LAN in later.skipped
    copies = {r: _copies(inbox_a).get(r, 0) + _copies(inbox_b).get(r, 0) for r in SUBSCRIBERS}
    assert copies == dict.fromkeys(SUBSCRIBERS, 1)
    assert _copies(inbox_a) == {"lan@example.vn": 1}


# --- the store is busy when the outcome is recorded -----------------------------------------------------------

class _LockHolder:
    """A second process that takes the store's write lock when the server stores a message."""

    def __init__(self, path: Path, release_after: float | None) -> None:
        self.path, self.release_after = path, release_after
        self.process: subprocess.Popen[str] | None = None

    def take(self, accepted: int) -> None:
        if self.process is not None:
            return
        code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
                "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); sys.stdin.read()")
        self.process = subprocess.Popen([sys.executable, "-c", code, str(self.path)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "locked"
        if self.release_after is not None:
            threading.Timer(self.release_after, self.release).start()

    def release(self) -> None:
        if self.process is not None and self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
            self.process.wait(timeout=30)


def test_a_busy_store_when_recording_sent_is_waited_out(digest_store: SqliteStore) -> None:
    store = SqliteStore(digest_store.path, busy_timeout=0.2)
    holder = _LockHolder(store.path, release_after=1.0)
    inbox = Inbox()
    inbox.after_accept = holder.take
    with smtp_server(inbox) as port:
        report = send_digests(store, smtp_settings(port), now=NOW, retry_delays=(0.0, 0.0),
                              sleep=lambda _: time.sleep(0.3))
    holder.release()
    assert len(report.sent) == 3 and _copies(inbox) == dict.fromkeys(SUBSCRIBERS, 1)
    assert {d.state for d in store.list_deliveries()} == {"sent"}
    store.close()


def test_a_store_that_stays_busy_stops_the_run_and_the_claim_ends_with_its_lease(digest_store: SqliteStore) -> None:
    store = SqliteStore(digest_store.path, busy_timeout=0.1)
    holder = _LockHolder(store.path, release_after=None)
    inbox = Inbox()
    inbox.after_accept = holder.take
    with smtp_server(inbox) as port:
        with pytest.raises(SendAborted, match="stays claimed"):
            send_digests(store, smtp_settings(port), now=NOW, **NO_WAIT)
        holder.release()
        assert _state(store, 1) == "claimed" and _copies(inbox) == {"lan@example.vn": 1}
        # Not forever: once the lease has run out (measured on the real clock from the claim), it is taken again.
        later = send_digests(store, smtp_settings(port), now=NOW, **NO_WAIT,
                             clock=lambda: store.get_delivery(1, WEEK_START).updated_at + timedelta(minutes=31))
    assert LAN in later.sent and {d.state for d in store.list_deliveries()} == {"sent"}
    store.close()
