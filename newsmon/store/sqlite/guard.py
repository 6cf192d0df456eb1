"""What a busy or broken SQLite file means to the rest of newsmon: an outage with a reason, not a crash.

- ``check_file`` runs before the store opens: a file that does not start with SQLite's header, or is
  shorter than its header says, is ``StoreDamaged`` at once (a quick check that reads 100 bytes).
- ``translate`` turns SQLite's errors into newsmon's: a lock held past the bounded wait is
  ``StoreBusy`` (the API answers 503 with Retry-After), a corrupt page or a file that is not a
  database is ``StoreDamaged`` (503 naming the file and what is wrong), a disk that fails or is full
  is ``StoreUnavailable``. Other errors (a bug in our SQL) stay what they are.
- ``guarded`` applies ``translate`` to every public method of a store class, generators included.
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from newsmon.errors import StoreBusy, StoreDamaged, StoreError, StoreUnavailable

__all__ = ["check_file", "guarded", "quick_check", "translate"]

T = TypeVar("T")
_HEADER = b"SQLite format 3\x00"
# Primary result codes (the low byte of extended ones, e.g. SQLITE_IOERR_SHORT_READ).
_BUSY, _LOCKED, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 10, 11, 13, 14, 26


def check_file(path: Path) -> None:
    """Refuse a file that is not SQLite or is shorter than its header says (``StoreDamaged``)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return  # a new store
    if size == 0:
        return  # created, nothing written yet
    with path.open("rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(_HEADER):
        raise StoreDamaged(f"{path} is not a SQLite database (it does not start with SQLite's header): "
                           "point NEWSMON_STORE_URL at the store's file, or restore it from a backup")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when the change counter matches "version-valid-for".
    if header[24:28] == header[92:96] and size < pages * page_size:
        raise StoreDamaged(f"{path} is truncated: {size} bytes where its header says {pages * page_size}; "
                           "restore it from a backup")


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's own check of every page (``PRAGMA quick_check``); ``StoreDamaged`` with its first findings."""
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise StoreDamaged(f"{path} is damaged ({'; '.join(problems)[:300]}): restore it from a backup")


def translate(error: sqlite3.Error, path: Path | str, waited: float) -> StoreError | None:
    """newsmon's error for a SQLite error, or None when it is not about the file or its lock."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(error)
    if code in (_BUSY, _LOCKED) or (not code and "locked" in text):
        return StoreBusy(f"{path} is locked by another writer (waited {waited:g} s): {text}")
    if code in (_CORRUPT, _NOTADB) or (not code and ("malformed" in text or "not a database" in text)):
        return StoreDamaged(f"{path} is damaged ({text}): restore it from a backup, or run "
                            "`sqlite3 FILE .recover` on a copy")
    if code == _IOERR:
        return StoreDamaged(f"cannot read {path} ({text}): the file may be truncated or the disk failing")
    if code in (_FULL, _CANTOPEN):
        return StoreUnavailable(f"cannot write {path}: {text}")
    return None


def guarded(cls: type[T]) -> type[T]:
    """Wrap every public method of a store class so that SQLite's errors become newsmon's (``translate``)."""
    for name, member in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_"):
            setattr(cls, name, _guard(member))
    return cls


def _raise_translated(store: Any, error: sqlite3.Error) -> None:
    translated = translate(error, getattr(store, "path", "the store"), getattr(store, "busy_timeout", 0))
    if translated is not None:
        raise translated from error


def _guard(method: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(method):
        @functools.wraps(method)
        def generator(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.Error as e:
                _raise_translated(self, e)
                raise
        return generator

    @functools.wraps(method)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as e:
            _raise_translated(self, e)
            raise
    return call
