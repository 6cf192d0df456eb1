"""newsmon's exceptions.

    NewsmonError
    ├── ConfigError            bad settings or sources file
    ├── QuerySyntaxError       a user query that cannot be parsed (carries the position)
    ├── InvalidCursor          a pagination cursor that this store did not issue
    ├── StoreError             the store failed
    │   ├── StoreUnavailable   the engine cannot be reached (API answers 503)
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

    ``position`` is the 0-based character offset in the query where parsing failed.
    """

    def __init__(self, message: str, position: int, query: str = "") -> None:
        self.message = message
        self.position = position
        self.query = query
        super().__init__(f"{message} (at position {position})")


class InvalidCursor(NewsmonError, ValueError):
    """A pagination cursor is malformed or belongs to another sort order."""


class StoreError(NewsmonError):
    """The store failed to read or write."""


class StoreUnavailable(StoreError):
    """The storage engine cannot be reached right now; retry later."""


class MigrationError(StoreError):
    """The database schema is newer than this newsmon or a migration failed."""


class ExtractionError(NewsmonError):
    """One article could not be extracted; others go on."""
