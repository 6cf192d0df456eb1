"""What a bulk load (``SqliteStore.bulk``) changes on the writer connection, and puts back at its end.

- ``synchronous = OFF`` and a 64 MiB write-ahead log between checkpoints: a load's commits no longer wait for
  the disk, and its pages are copied into the file in fewer, larger checkpoints. A crash of the process loses
  nothing committed; a crash of the machine during a load can damage the file (the load is then run again,
  into a new file). At the end the log is checkpointed with the usual ``synchronous = NORMAL``.
- FTS5 stops merging its segments (``automerge`` 0, ``crisismerge`` at its highest) and merges them once, at
  the end (``optimize``): merging as it goes rewrote each entry once per level, about half of the time spent
  writing the full-text entries of 1,000,000 articles. These settings live in the FTS5 table itself, so a
  load that dies leaves them; ``repair`` (when a store opens) puts the usual merging back. A store opened
  by another process during a load does so too: the load then merges as it goes, slower but as correct.
- A larger page cache: the unique indexes on ``id`` and ``canonical_url`` take their keys in random order.
"""

from __future__ import annotations

import sqlite3

__all__ = ["begin", "end", "repair"]

_CACHE_KIB = 128 * 1024
_WAL_PAGES = 16_384  # pages written to the log between checkpoints during a load (64 MiB)
_FTS_LOAD = {"automerge": 0, "crisismerge": 2_000}  # no merging while loading (2,000: FTS5's highest)
_FTS_USUAL = {"automerge": 4, "crisismerge": 16}  # FTS5's defaults


def begin(conn: sqlite3.Connection) -> None:
    """Set the writer up for a bulk load (see the module docstring)."""
    conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(f"PRAGMA wal_autocheckpoint = {_WAL_PAGES}")
    _set_merging(conn, _FTS_LOAD)


def end(conn: sqlite3.Connection, cache_kib: int) -> None:
    """Merge the full-text index once, put the usual settings back, and checkpoint the log to the disk."""
    _set_merging(conn, _FTS_USUAL)
    with conn:
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
    conn.execute(f"PRAGMA cache_size = -{cache_kib}")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA wal_autocheckpoint = 1000")
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def repair(conn: sqlite3.Connection) -> None:
    """Put FTS5's usual merging back when a bulk load died before its end."""
    row = conn.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'").fetchone()
    if row is not None and row[0] == _FTS_LOAD["automerge"]:
        _set_merging(conn, _FTS_USUAL)


def _set_merging(conn: sqlite3.Connection, settings: dict[str, int]) -> None:
    with conn:
        for name, value in settings.items():
            conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES (?, ?)", (name, value))
