"""newsmon's exceptions.

    NewsmonError
    ├── ConfigError            bad settings or sources file
    ├── QuerySyntaxError       a user query that cannot be parsed (carries the position)
    ├── InvalidCursor          a pagination cursor that this store did not issue
    ├── ConflictError          a write that contradicts what is stored (API answers 409)
    ├── StoreError             the store failed
    │   ├── StoreUnavailable   the engine cannot be reached (API answers 503)
    │   │   ├── StoreBusy      another writer holds the lock past the bounded wait (503, Retry-After)
    │   │   └── StoreDamaged   the store file is corrupt, truncated or not a database (503, says why)
    │   └── MigrationError     the database schema cannot be brought up to date
    └── ExtractionError        one article could not be extracted
"""

from __future__ import annotations


class NewsmonError(Exception):
    """Base class of every error newsmon raises on purpose."""


class ConfigError(NewsmonError):
    """Settings or a sources file are invalid; the message says which and how to fix it."""


class QuerySyntaxError(NewsmonError, ValueError):
    """A search query could not be parsed.

    ``position`` is the 0-based character offset in the query where parsing failed; ``message``
    says what is wrong in English, ``message_vi`` in Vietnamese (what the web UI shows).
    """

    def __init__(self, message: str, position: int, query: str = "", *, message_vi: str = "") -> None:
        self.message = message
        self.message_vi = message_vi or "truy vấn không hợp lệ"
        self.position = position
        self.query = query
        super().__init__(f"{message} (at position {position})")


class InvalidCursor(NewsmonError, ValueError):
    """A pagination cursor is malformed or belongs to another sort order."""


class ConflictError(NewsmonError, ValueError):
    """A write contradicts what is stored, e.g. an article id that belongs to another address."""


class StoreError(NewsmonError):
    """The store failed to read or write."""


class StoreUnavailable(StoreError):
    """The storage engine cannot be reached right now; retry later."""


class StoreBusy(StoreUnavailable):
    """Another writer held the store's lock for longer than the bounded wait; retry shortly."""


class StoreDamaged(StoreUnavailable):
    """The store's file is corrupt, truncated or not a database; the message says which and where."""


class MigrationError(StoreError):
    """The database schema is newer than this newsmon or a migration failed."""


class ExtractionError(NewsmonError):
    """One article could not be extracted; others go on."""
