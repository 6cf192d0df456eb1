"""How the Elasticsearch store reaches its cluster, and what the cluster's refusals mean.

Where: the store URL's host (``NEWSMON_STORE_URL=https://host:9200``), several nodes
(``NEWSMON_ELASTIC_HOSTS``: requests are spread over them and move to another node when one fails),
or an Elastic Cloud deployment (``NEWSMON_ELASTIC_CLOUD_ID``). Who: an API key
(``NEWSMON_ELASTIC_API_KEY``) or a user and password (``NEWSMON_ELASTIC_USER``/``_PASSWORD``, or in
the URL). Trust: certificates are verified against the system's CAs, a CA bundle
(``NEWSMON_ELASTIC_CA_CERTS``) or a pinned SHA-256 fingerprint (``NEWSMON_ELASTIC_SSL_FINGERPRINT``);
``NEWSMON_ELASTIC_VERIFY_CERTS=false`` turns verification off, with a warning in the log.

Secrets go to the client and nowhere else: ``Cluster.where``, which every message and log line
names, carries no user information. A refusal that a retry cannot fix (wrong credentials, a
certificate newsmon does not trust, a fingerprint that does not match, missing privileges) is a
``ConfigError`` naming the setting to fix; an unreachable or overloaded cluster is
``StoreUnavailable`` (writes are spooled); any other refusal is ``StoreError``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from elastic_transport import TlsError, TransportError
from elastic_transport.client_utils import parse_cloud_id
from elasticsearch import ApiError, AuthenticationException, AuthorizationException, Elasticsearch, helpers

from newsmon.errors import ConfigError, StoreError, StoreUnavailable
from newsmon.settings import Settings

__all__ = ["Client", "Cluster", "connect", "translated"]

log = logging.getLogger(__name__)
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})  # the cluster is busy or a shard has no copy right now
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_CREDENTIALS = "NEWSMON_ELASTIC_API_KEY, or NEWSMON_ELASTIC_USER and NEWSMON_ELASTIC_PASSWORD"


class _OneLine(logging.Filter):
    """The client's retry warnings on one line: the failure's summary, not its traceback, per retry."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()}: {record.exc_info[1]}"  # no args left: never %-formatted again
            record.args, record.exc_info, record.exc_text = (), None, None
        return True


logging.getLogger("elastic_transport.transport").addFilter(_OneLine())


class Client(Elasticsearch):
    """The client, whose searches and counts fail rather than answer from only some of the shards."""

    def search(self, *args: Any, **kwargs: Any) -> Any:
        """``Elasticsearch.search`` with ``allow_partial_search_results=False`` unless given."""
        kwargs.setdefault("allow_partial_search_results", False)
        return super().search(*args, **kwargs)

    def count(self, *args: Any, **kwargs: Any) -> Any:
        """``Elasticsearch.count``; ``StoreUnavailable`` when a shard could not count (it has no live copy)."""
        result = super().count(*args, **kwargs)
        shards = result.get("_shards") or {}
        if shards.get("failed"):
            raise StoreUnavailable(f"Elasticsearch could not count on {shards['failed']} of {shards.get('total')} "
                                   "shard(s), which have no live copy now; retry later")
        return result


@dataclass(frozen=True)
class Cluster:
    """A client and how messages name the cluster it talks to (never with credentials)."""

    client: Client
    where: str


def connect(parts: SplitResult, settings: Settings, timeout: float | None = None) -> Cluster:
    """A client for the store URL ``parts`` (its host, or the hosts or cloud id ``settings`` name).

    Raises ``ConfigError`` for settings that contradict each other or cannot work.
    """
    hosts, where = _where(parts, settings)
    options: dict[str, Any] = {
        "request_timeout": timeout or settings.elastic_request_timeout,
        "max_retries": max(1, len(hosts)), "retry_on_timeout": True,  # each node gets a try
        **_credentials(parts, settings, where), **_trust(settings, where),
    }
    if ("api_key" in options or "basic_auth" in options) and any(h.startswith("http://") for h in hosts):
        log.warning("Elasticsearch at %s: credentials are sent without TLS; use https://", where)
    try:
        if settings.elastic_cloud_id:
            return Cluster(Client(cloud_id=settings.elastic_cloud_id, **options), where)
        return Cluster(Client(hosts, **options), where)
    except ValueError as e:
        raise ConfigError(f"Elasticsearch at {where}: {e}") from e


def _where(parts: SplitResult, settings: Settings) -> tuple[list[str], str]:
    """The node URLs (no credentials) and how to name them in messages."""
    if settings.elastic_cloud_id:
        try:
            cloud = parse_cloud_id(settings.elastic_cloud_id)
        except ValueError as e:
            raise ConfigError(f"NEWSMON_ELASTIC_CLOUD_ID is not a Cloud ID ({e}): copy it from the deployment's "
                              "page") from e
        return [], f"Elastic Cloud deployment {cloud.cluster_name!r}"
    hosts = [_node_url(h if "://" in h else f"{parts.scheme}://{h}") for h in settings.elastic_hosts]
    hosts = hosts or [_node_url(parts.geturl())]
    return hosts, ", ".join(hosts)


def _node_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"Elasticsearch node {parts.scheme}://{parts.hostname or ''} is not an http(s) URL "
                          "with a host: use https://host:9200")
    try:
        port = parts.port or 9200
    except ValueError as e:
        raise ConfigError(f"Elasticsearch node {parts.hostname}: {e}") from e
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}:{port}"


def _credentials(parts: SplitResult, settings: Settings, where: str) -> dict[str, Any]:
    """``api_key`` or ``basic_auth`` for the client, from the settings or the URL's user information."""
    user = settings.elastic_user or (unquote(parts.username) if parts.username else None)
    password = settings.elastic_password.get_secret_value() if settings.elastic_password else None
    if password is None and parts.password is not None:
        password = unquote(parts.password)
    if settings.elastic_api_key and (user or password):
        raise ConfigError(f"Elasticsearch at {where}: set NEWSMON_ELASTIC_API_KEY or a user and password, "
                          "not both")
    if settings.elastic_api_key:
        key = settings.elastic_api_key.get_secret_value().strip()
        # The encoded form is base64 (no colon); "id:api_key" is the pair the create-key API returns.
        return {"api_key": tuple(key.split(":", 1)) if ":" in key else key}
    if bool(user) != bool(password):
        raise ConfigError(f"Elasticsearch at {where}: set both NEWSMON_ELASTIC_USER and NEWSMON_ELASTIC_PASSWORD")
    return {"basic_auth": (user, password)} if user else {}


def _trust(settings: Settings, where: str) -> dict[str, Any]:
    """The client's certificate options: verified by default, by a CA bundle or a pinned fingerprint."""
    ca, pin = settings.elastic_ca_certs, settings.elastic_ssl_fingerprint
    if ca and pin:
        raise ConfigError(f"Elasticsearch at {where}: set NEWSMON_ELASTIC_CA_CERTS or "
                          "NEWSMON_ELASTIC_SSL_FINGERPRINT, not both")
    if not settings.elastic_verify_certs:
        if ca or pin:
            raise ConfigError(f"Elasticsearch at {where}: NEWSMON_ELASTIC_VERIFY_CERTS=false contradicts the CA "
                              "or fingerprint that is set")
        log.warning("Elasticsearch at %s: certificates are not verified (NEWSMON_ELASTIC_VERIFY_CERTS=false); "
                    "anyone on the path can read and change what newsmon sends", where)
        return {"verify_certs": False, "ssl_show_warn": False}
    if pin:
        digest = re.sub(r"[\s:]", "", pin).lower()
        if not _FINGERPRINT.fullmatch(digest):
            raise ConfigError("NEWSMON_ELASTIC_SSL_FINGERPRINT is not a SHA-256 fingerprint (64 hex digits, colons "
                              "allowed): `openssl x509 -noout -fingerprint -sha256 -in http_ca.crt` prints it")
        return {"ssl_assert_fingerprint": digest}
    if ca:
        if not ca.is_file():
            raise ConfigError(f"NEWSMON_ELASTIC_CA_CERTS={ca} is not a file: point it at the CA certificate (PEM) "
                              "that signed the cluster's HTTP certificate")
        return {"ca_certs": str(ca)}
    return {}


@contextmanager
def translated(where: str) -> Iterator[None]:
    """The client's errors as newsmon's (see the module's docstring), each naming ``where``."""
    try:
        yield
    except TlsError as e:
        raise ConfigError(_tls_problem(where, e)) from e
    except AuthenticationException as e:
        raise ConfigError(f"Elasticsearch at {where} refused newsmon's credentials (401: {_reason(e)}): set "
                          f"{_CREDENTIALS} to ones the cluster accepts") from e
    except AuthorizationException as e:
        raise ConfigError(f"Elasticsearch at {where} does not allow this to newsmon's credentials (403: "
                          f"{_reason(e)}): grant them the privileges listed in the README") from e
    except ApiError as e:
        if e.status_code in TRANSIENT_STATUSES:
            raise StoreUnavailable(f"Elasticsearch at {where} cannot serve the request now ({e.status_code}: "
                                   f"{_reason(e)}); retry later") from e
        raise StoreError(f"Elasticsearch at {where} refused the request: {e}") from e
    except helpers.BulkIndexError as e:
        raise StoreError(f"Elasticsearch at {where} refused the request: {e}") from e
    except TransportError as e:  # connection refused or reset, timeout, a node that is gone
        raise StoreUnavailable(f"Elasticsearch at {where} cannot be reached ({type(e).__name__}); "
                               "retry later") from e


def _reason(error: ApiError) -> str:
    """The cluster's own reason for an error response, or its type."""
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict) and body["error"].get("reason"):
        return str(body["error"]["reason"])
    return str(error.message)


def _tls_problem(where: str, error: TlsError) -> str:
    """What went wrong in the TLS handshake, and which setting fixes it."""
    text = str(error)
    if "Fingerprints did not match" in text:
        return (f"Elasticsearch at {where} presented a certificate whose SHA-256 fingerprint is not "
                "NEWSMON_ELASTIC_SSL_FINGERPRINT: check the fingerprint (the cluster's HTTP CA or certificate)")
    if "hostname" in text.lower() or "IP address mismatch" in text:
        return (f"Elasticsearch at {where} presented a certificate for another host name: connect with a name "
                "the certificate lists")
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return (f"Elasticsearch at {where} presented a certificate newsmon does not trust: set "
                "NEWSMON_ELASTIC_CA_CERTS to the CA that signed it (http_ca.crt) or "
                "NEWSMON_ELASTIC_SSL_FINGERPRINT to its SHA-256 fingerprint")
    if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text:
        return f"Elasticsearch at {where} does not speak TLS on that port: use http:// or turn TLS on"
    return f"TLS handshake with Elasticsearch at {where} failed: {text}"
