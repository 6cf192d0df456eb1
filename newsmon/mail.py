"""An SMTP connection from settings (plain, STARTTLS or SSL, with login) and what its errors mean.

Shared by the digest (``digest.send``) and the web UI's signup confirmation emails (``api.signup``).

``Mailer`` connects on first use and reconnects after a failure. ``classify`` sorts an error
into transient (4xx replies, dropped connections: try again) or permanent (5xx: record it),
tells connection-level trouble (the server, not this message) apart, and marks as ambiguous a
connection that failed once the message's DATA was under way: the server may have accepted it
(``AmbiguousOutcome``), so it must not be sent again in the same run.

The end-of-DATA reply gets ``NEWSMON_SMTP_DATA_TIMEOUT`` (600 s: RFC 5321 §4.5.3.2.6 gives servers
10 minutes to answer it), every other command ``NEWSMON_SMTP_TIMEOUT``.
"""

from __future__ import annotations

import base64
import itertools
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from newsmon.errors import ConfigError
from newsmon.settings import Settings

__all__ = ["AmbiguousOutcome", "Mailer", "SmtpFailure", "classify"]

SECURITY = ("none", "starttls", "ssl")


class AmbiguousOutcome(Exception):
    """The connection failed (timeout, reset, closed) after DATA began: the server may have the message."""


@dataclass(frozen=True)
class SmtpFailure:
    """What went wrong with one try: the error text, whether to retry, whether the server itself failed,
    and whether the message may have been delivered anyway (never retried in the same run)."""

    error: str
    transient: bool
    connection: bool
    ambiguous: bool = False


def classify(error: Exception) -> SmtpFailure:
    """Sort an exception raised while sending into transient or permanent, message- or connection-level."""
    if isinstance(error, AmbiguousOutcome):
        return SmtpFailure(f"outcome unknown: {error}", transient=False, connection=True, ambiguous=True)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values())
        text = "; ".join(f"{code} {msg.decode(errors='replace')}" for code, msg in replies)
        return SmtpFailure(text, all(400 <= code < 500 for code, _ in replies), False)
    if isinstance(error, smtplib.SMTPAuthenticationError | smtplib.SMTPNotSupportedError
                  | smtplib.SMTPSenderRefused):
        return SmtpFailure(f"{type(error).__name__}: {error}", True, True)  # configuration: stop, keep the rest
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
        return SmtpFailure(text, 400 <= error.smtp_code < 500, isinstance(error, smtplib.SMTPConnectError))
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return SmtpFailure(f"{type(error).__name__}: {error}", True, True)
    return SmtpFailure(f"{type(error).__name__}: {error}", False, False)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; smtplib encodes credentials as ASCII, so UTF-8 ones go as AUTH PLAIN (RFC 4616) by hand."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def write_to_outbox(folder: Path, message: EmailMessage) -> Path:
    """Write ``message`` as ``<time>-<n>.eml`` in ``folder`` (created if needed); the file written."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    for n in itertools.count():
        path = folder / f"{stamp}-{n}.eml"
        try:
            with path.open("xb") as file:  # never overwrite another message
                file.write(message.as_bytes())
            return path
        except FileExistsError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - itertools.count() never ends


class _DataPhase:
    """Mixed into smtplib's client: notes when DATA starts and gives its reply the longer timeout."""

    data_timeout: float = 600.0
    in_data = False
    sock: object

    def data(self, msg: bytes | str) -> tuple[int, bytes]:
        self.in_data = True
        settimeout = getattr(self.sock, "settimeout", None)
        if settimeout is not None:
            settimeout(self.data_timeout)
        return super().data(msg)  # type: ignore[misc]


class _SMTP(_DataPhase, smtplib.SMTP):
    pass


class _SMTPSSL(_DataPhase, smtplib.SMTP_SSL):
    pass


class Mailer:
    """One SMTP session, opened on first ``send`` with the security and login the settings name; with
    ``Settings.mail_outbox`` set, every message is written there as an .eml file instead."""

    def __init__(self, settings: Settings) -> None:
        if settings.smtp_security not in SECURITY:
            raise ConfigError(f"NEWSMON_SMTP_SECURITY={settings.smtp_security!r}: use one of {', '.join(SECURITY)}")
        self.settings = settings
        self._smtp: _SMTP | _SMTPSSL | None = None

    def _tls(self) -> ssl.SSLContext:
        ca_file = self.settings.smtp_ca_file
        return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)

    def connect(self) -> _SMTP | _SMTPSSL:
        """The open session, opened now if needed; raises the smtplib or OSError error on failure."""
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        if s.smtp_security == "ssl":
            smtp: _SMTP | _SMTPSSL = _SMTPSSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout, context=self._tls())
        else:
            smtp = _SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        smtp.data_timeout = s.smtp_data_timeout
        try:
            if s.smtp_security == "starttls":
                smtp.starttls(context=self._tls())
            if s.smtp_user:
                _login(smtp, s.smtp_user, s.smtp_password.get_secret_value() if s.smtp_password else "")
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Send one message; any error closes the session so the next send reconnects.

        Raises ``AmbiguousOutcome`` when the connection failed after DATA began (a reply, even a
        failure, is a definite outcome and raises smtplib's exception as it is).
        """
        if self.settings.mail_outbox is not None:
            write_to_outbox(self.settings.mail_outbox, message)
            return
        smtp = self.connect()
        smtp.in_data = False
        try:
            smtp.send_message(message)
        except BaseException as e:
            self.close()
            if smtp.in_data and isinstance(e, OSError) and not isinstance(e, smtplib.SMTPResponseException):
                raise AmbiguousOutcome(f"{type(e).__name__}: {e}") from e
            raise
        finally:
            if smtp.sock is not None:
                smtp.sock.settimeout(self.settings.smtp_timeout)

    def close(self) -> None:
        """Quit the session if one is open."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
