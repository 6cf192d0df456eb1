"""A real SMTP server on loopback for the digest tests (aiosmtpd in a thread), and a TLS certificate.

``Inbox`` records every accepted message, parsed with ``email`` (policy=default). Scripted failures:
``replies`` (DATA answers used once each, e.g. "451 …"), ``refuse`` (recipients answered 550),
``on_data`` (called with the count accepted so far before each DATA; a reply it returns is sent
instead of accepting, e.g. after killing the sender) and ``after_accept`` (called once a message is
stored, before the 250 reply goes out).

Misbehaviours: ``mail_replies`` (MAIL FROM answers used once each), ``drops`` (phases, used once each,
where the server closes the connection instead of answering: "MAIL", "RCPT", "DATA" before storing the
message, "ACCEPTED" after storing it) and ``data_delay`` (seconds the server waits, after storing a
message, before it answers 250: longer than the client's timeout, the message arrives and the client
never hears it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Inbox:
    """The aiosmtpd handler: accepted messages and their envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.replies: list[str] = []
        self.refuse: set[str] = set()
        self.on_data: Callable[[int], str | None] | None = None
        self.after_accept: Callable[[int], None] | None = None
        self.mail_replies: list[str] = []
        self.drops: list[str] = []
        self.data_delay = 0.0
        self.connections = 0
        self.lock = threading.Lock()

    def _drop(self, server: Any, phase: str) -> bool:
        """Close the connection without a reply if ``phase`` is the next scripted drop."""
        with self.lock:
            if not self.drops or self.drops[0] != phase:
                return False
            self.drops.pop(0)
        server.transport.close()
        return True

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self._drop(server, "MAIL"):
            return "421 4.4.2 gone"
        with self.lock:
            reply = self.mail_replies.pop(0) if self.mail_replies else None
        if reply is not None:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self._drop(server, "RCPT"):
            return "421 4.4.2 gone"
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self._drop(server, "DATA"):
            return "421 4.4.2 gone"
        with self.lock:
            reply = self.on_data(len(self.messages)) if self.on_data is not None else None
            if reply is None and self.replies:
                reply = self.replies.pop(0)
            if reply is not None:
                return reply
            self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=default))
            self.recipients.append(list(envelope.rcpt_tos))
            if self.after_accept is not None:
                self.after_accept(len(self.messages))
        if self._drop(server, "ACCEPTED"):
            return "421 4.4.2 gone"
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        return "250 2.0.0 accepted"

    def by_recipient(self) -> dict[str, list[EmailMessage]]:
        """Accepted messages per envelope recipient."""
        out: dict[str, list[EmailMessage]] = {}
        for message, rcpts in zip(self.messages, self.recipients, strict=True):
            for rcpt in rcpts:
                out.setdefault(rcpt, []).append(message)
        return out


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server(inbox: Inbox, *, tls: ssl.SSLContext | None = None, implicit_tls: bool = False,
                login: tuple[str, str] | None = None) -> Iterator[int]:
    """Serve ``inbox`` on 127.0.0.1 and yield the port: plain, STARTTLS (``tls``) or SSL (``implicit_tls``)."""
    kwargs: dict[str, Any] = {}
    if tls is not None and implicit_tls:
        kwargs["ssl_context"] = tls
    elif tls is not None:
        kwargs.update(tls_context=tls, require_starttls=True)
    if login is not None:
        def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == login
            return AuthResult(success=ok, handled=False)

        # aiosmtpd only counts STARTTLS as TLS; an implicit-TLS connection is encrypted from the start
        kwargs.update(authenticator=check, auth_required=True, auth_require_tls=tls is not None and not implicit_tls)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for 127.0.0.1, made now with ``cryptography``; returns (cert, key) paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def server_tls(cert: Path, key: Path) -> ssl.SSLContext:
    """The server side TLS context of a certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
