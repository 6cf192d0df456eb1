"""A bulk load's text indexing in a second process, so it runs on another core while this one writes.

During ``TextIndex.bulk`` the writing process starts ``python -m newsmon.store.sqlite.text_worker``, which
opens the SQLite file read-only and holds the tantivy writers. After each write the writer sends, on the
worker's stdin, the last pending sequence number of the write before (``Worker.send``: the extraction saved
just after an article is then in its first document); the worker reads those committed rows, indexes them,
commits every ``COMMIT_EVERY`` articles and answers ``committed <seq>`` on its stdout. Only then does the
writer forget the pending rows up to that number (``forget``), so what the worker did not commit, because it
failed or was killed, stays pending and is indexed again: at the end of the load here, or when a store opens.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

from newsmon.store.sqlite.text_index import TextIndex, _Load, forget

__all__ = ["Worker"]

log = logging.getLogger(__name__)
_STARTS = ("ready", "busy", "gone")  # what the worker says first
# The worker yields the CPU to the writer, the load's bottleneck: it keeps up with a core's leftovers.
NICENESS = 10


class Worker:
    """The writing process's handle on the indexing process (see the module docstring)."""

    def __init__(self, process: subprocess.Popen[str], *, failed: bool = False) -> None:
        self.process = process
        self.failed = failed  # the worker stopped before its end: what it did not commit stays pending
        self._next_upto = 0  # the last pending row when the previous write's ``send`` ran
        self._committed = 0  # the last pending row the worker has committed
        self._forgotten = 0
        self._done = False
        self._listener = threading.Thread(target=self._listen, daemon=True)
        self._listener.start()

    @classmethod
    def start(cls, text: TextIndex, conn: sqlite3.Connection, threads: int) -> Worker | None:
        """Start the worker on the index of the store ``conn`` writes; None when another process holds the
        index's writers. A worker that does not start is returned ``failed`` (the load is indexed at its end)."""
        db = conn.execute("PRAGMA database_list").fetchone()[2]
        import newsmon

        root = str(Path(newsmon.__file__).resolve().parents[1])  # the worker imports this very newsmon
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, db, str(text.folder), text.generation, str(threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, env=env,
        )
        assert process.stdout is not None
        while (first := process.stdout.readline()) and first.strip() not in _STARTS:
            pass  # not ours (a library's notice)
        if first.strip() == "busy":
            process.wait()
            return None
        if first.strip() != "ready":
            log.warning("the text index worker of %s did not start (%s): the load is indexed at its end", db,
                        first.strip() or f"exit {process.wait()}")
            return cls(process, failed=True)
        return cls(process)

    def _listen(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            kind, _, seq = line.partition(" ")
            if kind in ("committed", "done"):
                self._committed = int(seq)
                self._done = kind == "done"

    def _write(self, line: str) -> None:
        if self.failed:
            return
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            self._fail()

    def _fail(self) -> None:
        if not self.failed:
            log.warning("the text index worker stopped (exit %s): its uncommitted articles stay pending",
                        self.process.poll())
        self.failed = True

    def _forget_committed(self, conn: sqlite3.Connection) -> None:
        committed = self._committed
        if committed > self._forgotten:
            forget(conn, committed)
            self._forgotten = committed

    def send(self, conn: sqlite3.Connection) -> None:
        """After a write of ``conn``: forget what the worker committed, and have it index up to the write before."""
        self._forget_committed(conn)
        upto, self._next_upto = self._next_upto, conn.execute("SELECT max(seq) FROM text_pending").fetchone()[0] or 0
        if upto:
            self._write(str(upto))

    def finish(self, conn: sqlite3.Connection) -> None:
        """Have the worker index everything pending and commit; wait for it, and forget what it committed."""
        self._write("end")
        self.close()
        if not self._done:
            self._fail()
        self._forget_committed(conn)

    def close(self) -> None:
        """End the worker: without ``finish`` first, it drops what it did not commit."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):  # it is gone already
                self.process.stdin.close()
        self.process.wait()
        self._listener.join()


def _run(conn: sqlite3.Connection, text: TextIndex, load: _Load) -> bool:
    """Index what the writer asks for until it says ``end`` (True) or goes away (False)."""
    def commit() -> None:
        for writer in load.writers:
            writer.commit()
        load.uncommitted = 0
        print(f"committed {load.last_seq}", flush=True)

    for line in sys.stdin:
        if line.strip() == "end":
            text._drain(conn, load, commit=commit)
            commit()
            print(f"done {load.last_seq}", flush=True)
            return True
        text._drain(conn, load, upto=int(line), commit=commit)
    return False


def main(db: str, folder: str, generation: str, threads: str) -> int:
    """The worker: index the pending articles of ``db`` into ``folder`` as its writer asks; the exit status."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the writer, which then closes our stdin
    os.nice(NICENESS)
    conn = sqlite3.connect(f"file:{quote(db)}?mode=ro", uri=True, isolation_level=None, timeout=60)
    text = TextIndex(Path(folder))
    if not text.open(conn) or text.generation != generation:
        print("gone", flush=True)  # the index was built anew meanwhile
        return 1
    load = text._writers(int(threads))
    if load is None:
        print("busy", flush=True)
        return 0
    print("ready", flush=True)
    try:
        if not _run(conn, text, load):
            for writer in load.writers:
                writer.rollback()
    finally:
        for writer in load.writers:
            writer.wait_merging_threads()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
