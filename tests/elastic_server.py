"""A real Elasticsearch for the tests: the integ-test-zip that ``make elasticsearch`` unpacks into ``build/``.

``running_elasticsearch`` starts it single-node on a free loopback port with a small heap, security off,
disk watermarks off and its data in a temporary folder, as an unprivileged user when the tests run as
root (Elasticsearch refuses root), waits for yellow health and stops it at the end. ``launch`` and ``stop``
start and stop one node of any configuration (``tests/elastic_cluster.py`` starts three).
``NEWSMON_ELASTICSEARCH_URL`` points the tests at an already running server instead.
``NEWSMON_REQUIRE_ELASTICSEARCH=1`` (set by ``make test``) turns "no Elasticsearch here" into a failure,
so CI can never skip these tests silently.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ES_VERSION = "8.19.4"  # keep in step with ES_VERSION in the Makefile and the client pin in pyproject.toml
ES_HOME = PROJECT_ROOT / "build" / f"elasticsearch-{ES_VERSION}"
UNPRIVILEGED_UID = 65534  # "nobody": Elasticsearch will not run as root
START_TIMEOUT_S = 240


def unavailable(reason: str) -> None:
    """Skip the calling test, or fail it where ``NEWSMON_REQUIRE_ELASTICSEARCH=1`` demands a real server."""
    if os.environ.get("NEWSMON_REQUIRE_ELASTICSEARCH") == "1":
        pytest.fail(f"NEWSMON_REQUIRE_ELASTICSEARCH=1 but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def java_home() -> Path | None:
    """The machine's JDK (Elasticsearch's integ-test-zip carries none)."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    java = shutil.which("java")
    return Path(java).resolve().parent.parent if java else None


def is_healthy(url: str) -> bool:
    """True once the cluster reports yellow or green."""
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def node_settings(workdir: Path, http_port: int, transport_port: int) -> str:
    """The ``elasticsearch.yml`` lines every test node shares: loopback, security off, data in ``workdir``."""
    return (
        "network.host: 127.0.0.1\n"
        f"http.port: {http_port}\n"
        f"transport.port: {transport_port}\n"
        "xpack.security.enabled: false\n"
        f"path.data: {workdir / 'data'}\n"
        f"path.logs: {workdir / 'logs'}\n"
        "cluster.routing.allocation.disk.threshold_enabled: false\n"
        "action.destructive_requires_name: false\n"
    )


def _world_traversable(path: Path) -> bool:
    return all(p.stat().st_mode & 0o005 == 0o005 for p in (path, *path.parents))


def require_distribution() -> Path:
    """The JDK to run the unpacked distribution with; skip (or fail, see ``unavailable``) without either."""
    if not (ES_HOME / "bin" / "elasticsearch").exists():
        unavailable(f"Elasticsearch {ES_VERSION} is not unpacked in {ES_HOME}: run `make elasticsearch`")
    jdk = java_home()
    if jdk is None:
        unavailable("no Java found for Elasticsearch: install a JDK 17+ or set JAVA_HOME")
    return jdk  # type: ignore[return-value]


def node_folder(settings: Callable[[Path], str]) -> Path:
    """A fresh folder with a copy of the distribution's config and ``settings(folder)`` as elasticsearch.yml.

    Not pytest's tmp_path: its parent is private to root, and the server runs as another user.
    """
    workdir = Path(tempfile.mkdtemp(prefix="newsmon-es-"))
    for sub in ("data", "logs", "tmp"):
        (workdir / sub).mkdir()
    shutil.copytree(ES_HOME / "config", workdir / "config")
    (workdir / "config" / "elasticsearch.yml").write_text(settings(workdir), encoding="utf-8")
    if os.geteuid() == 0:
        if not _world_traversable(ES_HOME):  # a checkout under /root: give the server its own copy
            shutil.copytree(ES_HOME, workdir / "home")
        for path in (workdir, *workdir.rglob("*")):
            os.chown(path, UNPRIVILEGED_UID, UNPRIVILEGED_UID, follow_symlinks=False)
    return workdir


def launch(workdir: Path, jdk: Path, heap: str) -> subprocess.Popen[bytes]:
    """Start the node configured in ``workdir`` (``node_folder``), in its own process group; append to its log."""
    home = workdir / "home" if (workdir / "home").exists() else ES_HOME
    env = {
        **os.environ, "ES_JAVA_HOME": str(jdk), "ES_PATH_CONF": str(workdir / "config"),
        "ES_TMPDIR": str(workdir / "tmp"), "ES_JAVA_OPTS": f"-Xms{heap} -Xmx{heap}",
    }
    with (workdir / "stdout.log").open("ab") as log:
        return subprocess.Popen(
            [str(home / "bin" / "elasticsearch")], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
            **({"user": UNPRIVILEGED_UID, "group": UNPRIVILEGED_UID, "extra_groups": []} if os.geteuid() == 0
               else {}),
        )


def log_tail(workdir: Path) -> str:
    """The end of a node's console output, for a failure message."""
    return (workdir / "stdout.log").read_text(errors="replace")[-3000:]


@contextmanager
def running_elasticsearch(heap: str = "512m") -> Iterator[str]:
    """Start the unpacked distribution in a fresh temporary folder; yield its URL; stop it and clean up."""
    jdk = require_distribution()
    port = free_port()
    workdir = node_folder(lambda w: "discovery.type: single-node\n" + node_settings(w, port, free_port()))
    process = launch(workdir, jdk, heap)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not is_healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Elasticsearch did not become healthy on {url}:\n{log_tail(workdir)}")
            time.sleep(0.5)
        yield url
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def stop(process: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGTERM) -> None:
    """Signal the server's process group (the launcher and the JVM it forks); SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def empty_indices(client: Elasticsearch, prefix: str) -> None:
    """Delete every document under ``prefix`` (faster than new indices per test), visible at once."""
    client.indices.refresh(index=f"{prefix}-*")  # writes nobody has read yet are not searchable
    for index in client.indices.get(index=f"{prefix}-*"):
        hits = client.search(index=index, size=10_000, _source=False)["hits"]["hits"]
        if hits:
            client.bulk(operations=[{"delete": {"_index": index, "_id": h["_id"]}} for h in hits], refresh=True)
