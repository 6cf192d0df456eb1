"""Sending digests to a real SMTP server on loopback (aiosmtpd), parsed back with ``email``.

Nothing is mocked: the store is SQLite with real devset articles and real extractions, the server
is aiosmtpd, the client is smtplib, and the crash tests kill a real ``newsmon digest --send`` process.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from digest.send import SendAborted, send_digests
from newsmon.store.sqlite import SqliteStore
from newsmon.tokens import read_token
from tests.digest_seed import NOW, PERIOD_END, SECRET, SUBSCRIBERS, WEEK_START, smtp_settings
from tests.smtp_server import Inbox, free_port, self_signed_cert, server_tls, smtp_server

NO_WAIT = {"retry_delays": (0.0, 0.0), "sleep": lambda _: None}


def _send(store: SqliteStore, port: int, **settings: object):
    return send_digests(store, smtp_settings(port, **settings), now=NOW, **NO_WAIT)


def _part(message: EmailMessage, content_type: str) -> EmailMessage:
    return next(p for p in message.walk() if p.get_content_type() == content_type)


def test_digest_email_structure_headers_and_content(digest_store: SqliteStore) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        report = _send(digest_store, port)
    assert sorted(report.sent) == sorted(f"{i} {e} {WEEK_START}" for i, e in enumerate(SUBSCRIBERS, 1))
    assert sorted(inbox.by_recipient()) == sorted(SUBSCRIBERS)
    message = inbox.by_recipient()["lan@example.vn"][0]

    assert message.get_content_type() == "multipart/alternative"
    plain, related = message.get_payload()
    assert plain.get_content_type() == "text/plain" and plain.get_content_charset() == "utf-8"
    assert related.get_content_type() == "multipart/related"
    html, image = related.get_payload()
    assert html.get_content_type() == "text/html" and image.get_content_type() == "image/png"
    assert image.get_content().startswith(b"\x89PNG\r\n\x1a\n")
    assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html.get_content()

    raw_subject = message.as_string().split("Subject: ", 1)[1].split("\nFrom:", 1)[0]
    assert raw_subject.startswith("=?utf-8?")  # RFC 2047 on the wire
    assert str(message["Subject"]) == "Bản tin tuần 18/11–24/11/2024: 8 bài mới"
    assert message["Message-ID"] == "<digest-1-20241118-20241125@newsmon.test>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip().strip("<>")  # a long value is folded onto its own line
    assert link.startswith("https://newsmon.test/unsubscribe?token=")
    assert read_token(link.split("token=", 1)[1], SECRET) == 1

    text = plain.get_content()
    assert "8 bài viết, tăng 6 so với kỳ trước (2 bài)" in text
    assert "2 báo đưa tin, cũng đăng trên: baokhac.vn" in text  # the copy is in its story, not a story of its own
    stories = digest_store.search(limit=50).hits
    assert any(h.title in text for h in stories)
    assert "SỐ LIỆU MỚI" in text and "SỰ KIỆN" in text
    assert "Tháng hành động" in html.get_content()
    assert {d.state for d in digest_store.list_deliveries()} == {"sent"}


def test_a_second_run_sends_nothing(digest_store: SqliteStore) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        _send(digest_store, port)
        again = _send(digest_store, port)
    assert len(inbox.messages) == 3
    assert len(again.skipped) == 3 and not again.sent


def test_transient_failure_is_retried_in_the_same_run(digest_store: SqliteStore) -> None:
    inbox = Inbox()
    inbox.replies = ["451 4.3.0 try again later"]
    with smtp_server(inbox) as port:
        report = _send(digest_store, port)
    assert len(report.sent) == 3
    assert {r: len(m) for r, m in inbox.by_recipient().items()} == dict.fromkeys(SUBSCRIBERS, 1)
    assert digest_store.get_delivery(1, WEEK_START).attempts == 1  # retried within one claim


def test_lasting_transient_failure_is_left_for_the_next_run(digest_store: SqliteStore) -> None:
    inbox = Inbox()
    inbox.replies = ["451 4.3.0 busy"] * 3  # the first digest's three tries
    with smtp_server(inbox) as port:
        first = _send(digest_store, port)
        assert list(first.retry) == [f"1 lan@example.vn {WEEK_START}"]
        assert digest_store.get_delivery(1, WEEK_START).state == "retry"
        second = _send(digest_store, port)
    assert second.sent == [f"1 lan@example.vn {WEEK_START}"]
    assert {r: len(m) for r, m in inbox.by_recipient().items()} == dict.fromkeys(SUBSCRIBERS, 1)
    assert digest_store.get_delivery(1, WEEK_START).attempts == 2


def test_permanent_failure_is_recorded_and_the_rest_are_sent(digest_store: SqliteStore) -> None:
    inbox = Inbox()
    inbox.refuse = {"minh@example.vn"}
    with smtp_server(inbox) as port:
        report = _send(digest_store, port)
        again = _send(digest_store, port)
    assert sorted(inbox.by_recipient()) == ["hoa@example.vn", "lan@example.vn"]
    failed = digest_store.get_delivery(2, WEEK_START)
    assert failed.state == "failed" and failed.last_error.startswith("550 5.1.1")
    assert list(report.failed) == [f"2 minh@example.vn {WEEK_START}"]
    assert f"2 minh@example.vn {WEEK_START}" in again.skipped  # a permanent failure is not retried


def test_the_service_sends_when_the_week_is_due(digest_store: SqliteStore) -> None:
    """``newsmon watch`` calls this every pass; before Monday 07:00 nothing goes, after it each digest once."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings = smtp_settings(port)
        early = send_digests(digest_store, settings, now=NOW.replace(hour=6), hour=7, **NO_WAIT)
        assert early.sent == [] and inbox.messages == [] and digest_store.list_deliveries() == []
        for hour in (8, 9, 10):
            send_digests(digest_store, settings, now=NOW.replace(hour=hour), hour=7, **NO_WAIT)
    assert {r: len(m) for r, m in inbox.by_recipient().items()} == dict.fromkeys(SUBSCRIBERS, 1)


def test_watch_pass_records_the_due_period(digest_store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wiring of ``newsmon watch``: settings from the environment, the real clock (whose week has no
    articles here, so every digest is recorded empty and nothing needs the SMTP server)."""
    from newsmon.cli.jobs import send_due_digests
    from newsmon.settings import get_settings

    monkeypatch.setenv("NEWSMON_DIGEST_HOUR", "0")
    monkeypatch.setenv("NEWSMON_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("NEWSMON_PUBLIC_URL", "https://newsmon.test")
    get_settings.cache_clear()
    try:
        send_due_digests(f"sqlite:///{digest_store.path}")
    finally:
        get_settings.cache_clear()
    deliveries = digest_store.list_deliveries()
    assert [d.state for d in deliveries] == ["empty"] * 3
    assert deliveries[0].period_start > PERIOD_END


def test_unreachable_server_stops_the_run_before_claiming_anyone(digest_store: SqliteStore) -> None:
    with pytest.raises(SendAborted, match="cannot use SMTP server"):
        _send(digest_store, free_port())
    assert digest_store.list_deliveries() == []


def test_empty_period_is_recorded_and_sent_only_on_request(digest_store: SqliteStore) -> None:
    wants_empty = digest_store.get_subscription(3).model_copy(update={"send_empty": True})
    digest_store.update_subscription(wants_empty)
    inbox = Inbox()
    with smtp_server(inbox) as port:
        report = send_digests(digest_store, smtp_settings(port), now=NOW, period_end=date(2025, 6, 2), **NO_WAIT)
    assert len(report.empty) == 2 and len(report.sent) == 1
    assert list(inbox.by_recipient()) == ["hoa@example.vn"]
    assert "Không có bài mới" in _part(inbox.messages[0], "text/plain").get_content()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS is TLS
@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_tls_and_login(digest_store: SqliteStore, tmp_path: Path, mode: str) -> None:
    cert, key = self_signed_cert(tmp_path)
    inbox = Inbox()
    login = {"smtp_user": "digest", "smtp_password": "mật-khẩu", "smtp_security": mode, "smtp_ca_file": cert}
    with smtp_server(inbox, tls=server_tls(cert, key), implicit_tls=mode == "ssl",
                     login=("digest", "mật-khẩu")) as port:
        with pytest.raises(SendAborted, match="Authentication"):
            _send(digest_store, port, **{**login, "smtp_password": "wrong"})
        assert digest_store.list_deliveries() == []
        report = _send(digest_store, port, **login)
    assert len(report.sent) == 3 and len(inbox.messages) == 3


# --- crashes: a real `newsmon digest --send` process killed mid-batch -----------------------------

def _age_claims(store: SqliteStore, minutes: float) -> None:
    """Let ``minutes`` pass for the claims in the send log (their lease runs on the real clock)."""
    with sqlite3.connect(store.path) as conn:
        for (sub_id, start, updated) in conn.execute(
                "SELECT subscription_id, period_start, updated_at FROM deliveries WHERE state = 'claimed'").fetchall():
            older = datetime.fromisoformat(updated) - timedelta(minutes=minutes)
            conn.execute("UPDATE deliveries SET updated_at = ? WHERE subscription_id = ? AND period_start = ?",
                         (older.isoformat(timespec="microseconds"), sub_id, start))


def _run_cli(store: SqliteStore, port: int, tmp_path: Path, inbox: Inbox, *, kill_when: str | None = None) -> int:
    """Run ``newsmon digest --send`` for the test week; kill it ("before") while the server receives the
    second message, or ("after") once the server has stored the first one; return its exit status."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update(NEWSMON_STORE_URL=f"sqlite:///{store.path}", NEWSMON_SMTP_HOST="127.0.0.1",
               NEWSMON_SMTP_PORT=str(port), NEWSMON_SMTP_FROM="newsmon <digest@newsmon.test>",
               NEWSMON_PUBLIC_URL="https://newsmon.test", NEWSMON_SECRET_KEY=SECRET,
               PYTHONPATH=str(Path(__file__).resolve().parent.parent))  # this tree's newsmon, whatever is installed
    command = [sys.executable, "-m", "newsmon.cli", "digest", "--send", "--period-end", PERIOD_END.isoformat()]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    start = len(inbox.messages)

    def kill_before_second(accepted: int) -> str | None:
        if accepted != start + 1:
            return None
        os.kill(process.pid, signal.SIGKILL)
        return "421 4.3.2 going down"  # the second message is not accepted

    def kill_after_first(accepted: int) -> None:
        if accepted == start + 1:
            os.kill(process.pid, signal.SIGKILL)  # accepted, but the sender never hears 250

    inbox.on_data = kill_before_second if kill_when == "before" else None
    inbox.after_accept = kill_after_first if kill_when == "after" else None
    try:
        output, _ = process.communicate(timeout=120)
    finally:
        inbox.on_data = inbox.after_accept = None
    print(output.decode(errors="replace"))  # shown by pytest when an assertion on the run fails
    return process.returncode


def test_crash_mid_batch_then_reruns_deliver_each_digest_once(digest_store: SqliteStore, tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        assert _run_cli(digest_store, port, tmp_path, inbox, kill_when="before") == -signal.SIGKILL
        assert len(inbox.messages) == 1
        assert digest_store.get_delivery(2, WEEK_START).state == "claimed"  # died while sending it
        # An immediate rerun leaves the fresh claim alone (its sender might be alive) and sends the rest ...
        assert _run_cli(digest_store, port, tmp_path, inbox) == 0
        assert len(inbox.messages) == 2
        # ... and once the lease has run out (30 minutes after the claim), the dead sender's digest goes out.
        _age_claims(digest_store, 31)
        assert _run_cli(digest_store, port, tmp_path, inbox) == 0
        assert _run_cli(digest_store, port, tmp_path, inbox) == 0
    assert {r: len(m) for r, m in inbox.by_recipient().items()} == dict.fromkeys(SUBSCRIBERS, 1)
    assert {d.state for d in digest_store.list_deliveries()} == {"sent"}


def test_crash_after_the_server_accepted_resends_with_the_same_message_id(
    digest_store: SqliteStore, tmp_path: Path,
) -> None:
    """The documented window (see digest/__init__.py): accepted, then killed before the log said sent."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        assert _run_cli(digest_store, port, tmp_path, inbox, kill_when="after") == -signal.SIGKILL
        _age_claims(digest_store, 31)
        assert _run_cli(digest_store, port, tmp_path, inbox) == 0
    received = inbox.by_recipient()
    assert [len(received[e]) for e in SUBSCRIBERS] == [2, 1, 1]  # at least once, never skipped
    first, repeat = received["lan@example.vn"]
    assert first["Message-ID"] == repeat["Message-ID"]


def test_a_watch_pass_without_email_set_up_says_so_and_keeps_the_crawls_work(
    digest_store: SqliteStore, monkeypatch: pytest.MonkeyPatch, tmp_path, capsys,
) -> None:
    from newsmon.cli.jobs import watch_pass
    from newsmon.settings import get_settings

    monkeypatch.setenv("NEWSMON_DIGEST_HOUR", "0")
    monkeypatch.delenv("NEWSMON_PUBLIC_URL", raising=False)  # the default: this machine, refused for emails
    get_settings.cache_clear()
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - id: bao.vn\n    name: Báo\n    domains: [127.0.0.1]\n    discovery: "
                       "{feeds: ['http://127.0.0.1:9/rss.xml']}\n    evidence: invented, 2026-12-06\n",
                       encoding="utf-8")
    try:
        watch_pass(sources_file=sources, store_url=f"sqlite:///{digest_store.path}")  # returns: no "pass failed"
    finally:
        get_settings.cache_clear()
    said = capsys.readouterr()
    assert "digests not sent" in said.out + said.err and "PUBLIC_URL" in said.out + said.err
    assert digest_store.list_deliveries() == []
