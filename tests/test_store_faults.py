"""Busy or broken storage is an outage, not a crash (issue 17): 503 problems that say why, one-line CLI errors.

The lock is held by a real second process; the damaged files are real copies of a seeded store, cut in
half, overwritten with random pages, or replaced by text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from newsmon.errors import StoreBusy, StoreDamaged
from newsmon.models import Article
from newsmon.settings import Settings
from newsmon.store.sqlite import SqliteStore
from tests.api_seed import API_KEY, seed

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KEY = {"X-API-Key": API_KEY}
NEW_ARTICLE = {"articles": [{"url": "https://a.vn/moi", "source": "a.vn", "title": "Bình đẳng giới",
                             "text": "Bình đẳng giới ở cơ sở."}]}


@contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another process holds the store's write lock (BEGIN IMMEDIATE) until the block ends."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait(timeout=30)


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        seed(store)
    return path


def _settings(path: Path) -> Settings:
    return Settings(_env_file=None, store_url=f"sqlite:///{path}", api_keys=[API_KEY])


def test_a_lock_held_by_another_process_is_a_503_with_retry_after(seeded: Path) -> None:
    store = SqliteStore(seeded, busy_timeout=0.3)
    with TestClient(create_app(_settings(seeded), store), raise_server_exceptions=False) as client:
        with write_lock_held(seeded):
            response = client.post("/articles", json=NEW_ARTICLE, headers=KEY)
            assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"
            assert response.json()["type"] == "/problems/store-busy" and int(response.headers["retry-after"]) > 0
            assert client.get("/search", params={"q": "giới"}).status_code == 200  # readers go on
            with pytest.raises(StoreBusy, match="locked"):
                store.upsert_articles([Article.model_validate(NEW_ARTICLE["articles"][0])])
        assert client.post("/articles", json=NEW_ARTICLE, headers=KEY).status_code == 200  # and after, it works
    store.close()


def test_health_answers_while_writers_fill_every_thread(seeded: Path) -> None:
    """45 writes wait for a lock another process holds (30 s each): /health still answers at once."""
    import socket

    import uvicorn

    store = SqliteStore(seeded, busy_timeout=30)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(_settings(seeded), store), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.02)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    statuses: list[int] = []
    with write_lock_held(seeded):
        writers = [threading.Thread(target=lambda: statuses.append(
            httpx.post(f"{base}/articles", json=NEW_ARTICLE, headers=KEY, timeout=120).status_code)) for _ in range(45)]
        for writer in writers:
            writer.start()
        threading.Event().wait(1.0)  # let them take every worker thread
        health = httpx.get(f"{base}/health", timeout=10)  # through the busy writers' thread pool this waited 30 s+
        assert health.status_code == 200 and health.json()["articles"] == 8
        assert not statuses  # the writers are still waiting
    for writer in writers:
        writer.join(timeout=120)
    assert statuses.count(200) == 45
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _overwrite_pages(path: Path) -> None:
    with path.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(os.urandom(4096 * 4))


def _text(path: Path) -> None:
    path.write_text("id,title\n1,not a database\n" * 20, encoding="utf-8")


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated": (_truncate, "truncated"),
    "overwritten": (_overwrite_pages, "damaged"),
    "not sqlite": (_text, "not a SQLite database"),
}


@pytest.fixture(params=list(DAMAGE))
def damaged(request, seeded: Path, tmp_path: Path) -> tuple[Path, str]:
    mutate, reason = DAMAGE[request.param]
    path = tmp_path / "damaged.db"
    shutil.copy(seeded, path)
    mutate(path)
    return path, reason


def test_a_damaged_store_is_refused_when_it_opens(damaged: tuple[Path, str]) -> None:
    path, reason = damaged
    with pytest.raises(StoreDamaged, match=reason):
        SqliteStore(path)


@pytest.mark.parametrize("request_path", ["/health", "/search?q=giới", "/articles/0000000000000000", "/",
                                          "/ui/figures"])
def test_a_damaged_store_is_a_503_that_says_why(damaged: tuple[Path, str], request_path: str) -> None:
    path, reason = damaged
    with TestClient(create_app(_settings(path)), raise_server_exceptions=False) as client:
        response = client.get(request_path)
    assert response.status_code == 503, response.text[:300]
    if not request_path.startswith(("/ui", "/?")) and request_path != "/":
        body = response.json()
        assert body["type"] == "/problems/store-damaged" and reason in body["detail"] and str(path) in body["detail"]


def test_damage_met_while_running_is_a_503(seeded: Path) -> None:
    store = SqliteStore(seeded, text_index=False)  # FTS5 reads the pages overwritten below on every search
    with TestClient(create_app(_settings(seeded), store), raise_server_exceptions=False) as client:
        assert client.get("/search", params={"q": "giới"}).status_code == 200
        _overwrite_pages(seeded)
        statuses = {client.get("/search", params={"q": q}).status_code for q in ("giới", "gia đình", "phụ nữ")}
    assert 500 not in statuses and 503 in statuses
    store.close()


@pytest.mark.parametrize("command", [["stats"], ["search", "giới"], ["extract", "--pending"], ["subscriptions"],
                                     ["digest", "--send"], ["reindex", "--to", "sqlite:///copy.db"]])
def test_the_cli_says_what_is_wrong_in_one_line(damaged: tuple[Path, str], tmp_path: Path, command: list[str]) -> None:
    path, reason = damaged
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update(NEWSMON_STORE_URL=f"sqlite:///{path}", PYTHONPATH=str(PROJECT_ROOT), COLUMNS="60")
    result = subprocess.run([sys.executable, "-m", "newsmon.cli", *command], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and reason in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
