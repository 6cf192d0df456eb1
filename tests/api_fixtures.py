"""Fixtures of the API and UI tests (``api_*``), exported to every test by ``tests/conftest.py``."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["API_KEY", "api_app", "api_client", "api_server", "api_settings", "api_store"]

API_KEY = "test-key-123"


@pytest.fixture
def api_settings(tmp_path: Path):
    """Settings for an API under test: a tmp store, one API key, a small page-size limit."""
    from newsmon.settings import Settings

    return Settings(
        _env_file=None, store_url=f"sqlite:///{tmp_path / 'api.db'}", api_keys=[API_KEY], max_page_size=50,
        cors_origins=["http://allowed.example"],
    )


@pytest.fixture
def api_store(api_settings) -> Iterator[object]:
    """A SQLite store seeded with the API test corpus (``tests.api_seed``)."""
    from newsmon.store import open_store
    from tests.api_seed import seed

    store = open_store(api_settings.store_url)
    seed(store)
    yield store
    store.close()


@pytest.fixture
def api_app(api_settings, api_store):
    """The ASGI app over the seeded store."""
    from api.main import create_app

    return create_app(api_settings, api_store)


@pytest.fixture
def api_client(api_app):
    """A TestClient of the app; server errors come back as responses, not exceptions."""
    from fastapi.testclient import TestClient

    with TestClient(api_app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def api_server(api_app) -> Iterator[str]:
    """The app served by a real uvicorn on a free loopback port; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(api_app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
