"""The key that signs unsubscribe links, and the public address links point to: never a default.

``signing_key`` returns ``NEWSMON_SECRET_KEY`` when it is set and strong enough; a known default
("change-me"…) or a short key is a ``ConfigError``, because anyone who knows it can forge an
unsubscribe link for every subscription id. When it is unset, newsmon generates a random key on first
use, keeps it beside the store (``<store>.secret_key``, mode 0600; for Elasticsearch beside the spool),
says so in the log, and reads it back on every later run, so links in old emails keep working.

``public_url`` returns ``NEWSMON_PUBLIC_URL`` once it is an http(s) address that a reader outside this
machine can open; the built-in default and loopback or unspecified hosts are a ``ConfigError``. The
digest sender checks it before any email goes out.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets as random_source
import stat
import threading
from pathlib import Path
from urllib.parse import urlsplit

from newsmon.errors import ConfigError
from newsmon.settings import Settings

__all__ = ["KNOWN_DEFAULT_KEYS", "MIN_KEY_LENGTH", "key_file", "public_url", "signing_key"]

log = logging.getLogger(__name__)
KNOWN_DEFAULT_KEYS = frozenset({
    "change-me", "changeme", "change_me", "change-this", "changethis", "secret", "secret-key", "secretkey",
    "default", "password", "newsmon", "test", "dev", "development", "insecure", "xxx", "todo",
})
MIN_KEY_LENGTH = 16
_KEY_HELP = ("set NEWSMON_SECRET_KEY to a random value (python -c 'import secrets; print(secrets.token_urlsafe(32))'), "
             "or unset it and newsmon keeps a generated one beside the store")
_cache: dict[Path, str] = {}
_cache_lock = threading.Lock()


def key_file(settings: Settings) -> Path:
    """Where a generated key lives: ``NEWSMON_SECRET_KEY_FILE``, else beside the store (or the Elasticsearch spool)."""
    if settings.secret_key_file is not None:
        return settings.secret_key_file
    url = settings.store_url
    if url.startswith("sqlite:///"):
        db = Path(url.removeprefix("sqlite:///"))
        return db.with_name(db.stem + ".secret_key")
    return settings.elastic_spool_path.parent / "newsmon.secret_key"


def signing_key(settings: Settings) -> str:
    """The key that signs unsubscribe links: the configured one if strong, else the generated one."""
    if settings.secret_key is not None:
        value = settings.secret_key.get_secret_value()
        if value.strip().lower() in KNOWN_DEFAULT_KEYS:
            raise ConfigError(f"NEWSMON_SECRET_KEY is a known default ({value!r}): anyone could forge "
                              f"unsubscribe links with it; {_KEY_HELP}")
        if len(value) < MIN_KEY_LENGTH:
            raise ConfigError(f"NEWSMON_SECRET_KEY is shorter than {MIN_KEY_LENGTH} characters; {_KEY_HELP}")
        return value
    path = key_file(settings).resolve()
    with _cache_lock:
        if path not in _cache:
            _cache[path] = _read_or_create(path)
        return _cache[path]


def _read_or_create(path: Path) -> str:
    if not path.exists():
        _create(path)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise ConfigError(f"the secret key file {path} holds no usable key: delete it to generate a new one "
                          "(links in emails already sent stop working), or set NEWSMON_SECRET_KEY")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("secret key file %s can be read by other users: chmod 600 it", path)
    return key


def _create(path: Path) -> None:
    """Write a new random key with mode 0600; another process that got there first wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{random_source.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(random_source.token_urlsafe(48) + "\n")
        os.link(draft, path)  # atomic, and fails if the file exists: never two keys
        log.warning("NEWSMON_SECRET_KEY is not set: generated a random key in %s (mode 0600); keep it with "
                    "the store, or set NEWSMON_SECRET_KEY", path)
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)


def public_url(settings: Settings) -> str:
    """``NEWSMON_PUBLIC_URL`` once a reader's mail client could open it; ``ConfigError`` otherwise. With
    ``NEWSMON_MAIL_OUTBOX`` (emails written to files on this machine, the demo's setup) this machine is fine."""
    value = (settings.public_url or "").strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"NEWSMON_PUBLIC_URL={value!r} is not an http(s) address: set it to the address "
                          "readers open newsmon at, e.g. https://newsmon.example.vn")
    if _local_host(parts.hostname) and settings.mail_outbox is None:  # into an outbox, no email leaves
        raise ConfigError(f"NEWSMON_PUBLIC_URL={value!r} points at this machine ({parts.hostname}): the links in "
                          "the emails (unsubscribe included) would not open for readers; set it to the public "
                          "address, e.g. https://newsmon.example.vn")
    return value


def _local_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_link_local
