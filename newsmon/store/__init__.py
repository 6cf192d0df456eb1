"""Storage backends behind one interface (``newsmon.store.base.Store``).

``open_store(url)`` picks the engine from the URL: ``sqlite:///path.db`` for the
embedded default, ``http(s)://host:9200`` for Elasticsearch.
"""

from __future__ import annotations

from newsmon.errors import ConfigError
from newsmon.store.base import Store

__all__ = ["Store", "open_store"]


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url`` (default: ``NEWSMON_STORE_URL``).

    A SQLite writer waits ``NEWSMON_STORE_BUSY_TIMEOUT`` seconds for a lock another process holds.
    """
    from newsmon.settings import get_settings

    if url is None:
        url = get_settings().store_url
    if url.startswith("sqlite://"):
        from newsmon.store.sqlite import SqliteStore

        path = url.removeprefix("sqlite://").removeprefix("/") if url.startswith("sqlite:///") else ""
        if not path:
            raise ConfigError(f"store URL {url!r} has no file path: use sqlite:///data/newsmon.db")
        return SqliteStore(path, busy_timeout=get_settings().store_busy_timeout)
    if url.startswith(("http://", "https://")):
        try:
            from newsmon.store.elastic import ElasticStore  # type: ignore[import-not-found]
        except ImportError as e:
            raise ConfigError(
                f"store URL {url!r} needs the Elasticsearch backend: pip install 'newsmon[elasticsearch]'"
            ) from e
        return ElasticStore(url)
    raise ConfigError(f"unknown store URL {url!r}: use sqlite:///path.db or http://host:9200")
