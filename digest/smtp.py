"""An SMTP connection from settings (plain, STARTTLS or SSL, with login) and what its errors mean.

``Mailer`` connects on first use and reconnects after a failure. ``classify`` sorts an error
into transient (4xx replies, dropped connections: try again) or permanent (5xx: record it),
and tells connection-level trouble (the server, not this message) apart.
"""

from __future__ import annotations

import base64
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from newsmon.errors import ConfigError
from newsmon.settings import Settings

__all__ = ["Mailer", "SmtpFailure", "classify"]

SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpFailure:
    """What went wrong with one try: the error text, whether to retry, and whether the server itself failed."""

    error: str
    transient: bool
    connection: bool


def classify(error: Exception) -> SmtpFailure:
    """Sort an exception raised while sending into transient or permanent, message- or connection-level."""
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


class Mailer:
    """One SMTP session, opened on first ``send`` with the security and login the settings name."""

    def __init__(self, settings: Settings) -> None:
        if settings.smtp_security not in SECURITY:
            raise ConfigError(f"NEWSMON_SMTP_SECURITY={settings.smtp_security!r}: use one of {', '.join(SECURITY)}")
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _tls(self) -> ssl.SSLContext:
        ca_file = self.settings.smtp_ca_file
        return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)

    def connect(self) -> smtplib.SMTP:
        """The open session, opened now if needed; raises the smtplib or OSError error on failure."""
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        if s.smtp_security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout,
                                                  context=self._tls())
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
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
        """Send one message; any error closes the session so the next send reconnects."""
        try:
            self.connect().send_message(message)
        except BaseException:
            self.close()
            raise

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
