"""A TLS endpoint with authentication in front of a real Elasticsearch node, for the connection tests.

The integ-test-zip the suite runs carries no security module, so it can neither serve TLS nor check
credentials. ``SecureProxy`` stands in for that part of Elasticsearch: an asyncio HTTPS server (a
certificate signed by a CA generated here with ``cryptography``) that checks every request's
``Authorization`` header (basic, or ``ApiKey`` as Elasticsearch encodes it), answers 401 with
Elasticsearch's ``security_exception`` body when it is missing or wrong, and otherwise forwards the
request to the node over plain HTTP and the node's answer back. Each request gets its own connection
(``Connection: close``), so every one of them is checked. ``seen`` records who made each request.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import ipaddress
import json
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_MAX_HEAD = 64 * 1024


@dataclass(frozen=True)
class Pki:
    """A CA and a server certificate it signed for 127.0.0.1 and localhost, as PEM files."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    def fingerprint(self, which: str = "cert") -> str:
        """The SHA-256 fingerprint (hex, colon-separated as ``openssl`` prints it) of the CA or the certificate
        (the first of the chain file)."""
        pem = (self.ca_file if which == "ca" else self.cert_file).read_bytes()
        der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
        return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_pki(folder: Path, label: str = "newsmon test") -> Pki:
    """Generate a CA and a server certificate under ``folder`` (P-256 keys, valid one day)."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder().subject_name(_name(f"{label} CA")).issuer_name(_name(f"{label} CA"))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder().subject_name(_name("localhost")).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pki = Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    pki.ca_file.write_bytes(ca_pem)
    # The chain Elasticsearch serves: its HTTP certificate, then the CA (whose fingerprint clients may pin).
    pki.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + ca_pem)
    pki.key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return pki


@dataclass
class SecureProxy:
    """HTTPS with authentication on ``port`` in front of the plain-HTTP node at ``upstream_port``."""

    upstream_port: int
    pki: Pki
    users: dict[str, str] = field(default_factory=dict)
    api_keys: dict[str, str] = field(default_factory=dict)  # id -> key
    seen: list[str] = field(default_factory=list)  # who made each request: "basic:<user>", "apikey:<id>", "refused"
    port: int = 0

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        started = threading.Event()
        threading.Thread(target=self._serve, args=(started,), daemon=True).start()
        started.wait(10)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def close(self) -> None:
        """Stop listening."""
        self._loop.call_soon_threadsafe(self._server.close)

    def _serve(self, started: threading.Event) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.pki.cert_file, self.pki.key_file)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=context))
        self.port = self._server.sockets[0].getsockname()[1]
        started.set()
        self._loop.run_forever()

    def _who(self, authorization: str) -> str | None:
        scheme, _, credentials = authorization.partition(" ")
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except ValueError:
            return None
        name, _, secret = decoded.partition(":")
        if scheme.lower() == "basic" and self.users.get(name) == secret and name:
            return f"basic:{name}"
        if scheme.lower() == "apikey" and self.api_keys.get(name) == secret and name:
            return f"apikey:{name}"
        return None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            who = self._who(headers.get("authorization", ""))
            self.seen.append(who or "refused")
            if who is None:
                writer.write(_refusal(headers.get("authorization")))
            else:
                await self._forward(lines[0], headers, body, writer)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ssl.SSLError, ValueError):
            pass  # a client that went away or failed the handshake (an untrusted certificate, a wrong pin)
        finally:
            writer.close()

    async def _forward(self, request_line: str, headers: dict[str, str], body: bytes,
                       writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        kept = {k: v for k, v in headers.items() if k not in {"authorization", "connection", "host"}}
        kept.update({"host": f"127.0.0.1:{self.upstream_port}", "connection": "close"})
        upstream_writer.write(f"{request_line}\r\n".encode("latin-1") + b"".join(
            f"{k}: {v}\r\n".encode("latin-1") for k, v in kept.items()) + b"\r\n" + body)
        await upstream_writer.drain()
        response_head = await upstream_reader.readuntil(b"\r\n\r\n")
        status, *rest = response_head.decode("latin-1").split("\r\n")
        rest = [line for line in rest if line and not line.lower().startswith("connection:")]
        writer.write("\r\n".join([status, *rest, "connection: close", "", ""]).encode("latin-1"))
        while chunk := await upstream_reader.read(65536):
            writer.write(chunk)
        upstream_writer.close()


def _refusal(authorization: str | None) -> bytes:
    """Elasticsearch's answer to a request without valid credentials."""
    reason = "unable to authenticate with provided credentials" if authorization else "missing authentication " \
        "credentials for REST request"
    body = json.dumps({"error": {"root_cause": [{"type": "security_exception", "reason": reason}],
                                 "type": "security_exception", "reason": reason}, "status": 401}).encode()
    return (b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"security\", ApiKey\r\n"
            b"X-elastic-product: Elasticsearch\r\ncontent-type: application/json\r\n"
            + f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode() + body)


def encoded_api_key(key_id: str, key: str) -> str:
    """The encoded form Elasticsearch's create-API-key answer carries: base64 of ``id:key``."""
    return base64.b64encode(f"{key_id}:{key}".encode()).decode()
