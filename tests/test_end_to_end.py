"""The whole pipeline as a user runs it: the bundled sample site on loopback → Scrapy →
extraction → SQLite store → the API over a real HTTP socket. Nothing is mocked."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow
SEED_COUNT = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def newsmon(*args: str, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsmon.cli", *args], cwd=cwd, capture_output=True, text=True,
        timeout=timeout, check=False, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build the demo store once, as ``make demo`` does, without serving."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder}/demo.db"
    result = newsmon("demo", "--no-serve", "--store", url, cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    return url


@pytest.fixture(scope="module")
def api(demo_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newsmon.cli", "serve", "--store", demo_store, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path_factory.mktemp("serve"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(150):
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail("the API did not come up")
            yield client
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_demo_crawls_every_sample_article(demo_store: str, tmp_path: Path) -> None:
    result = newsmon("stats", "--store", demo_store, cwd=tmp_path)
    assert f"articles: {SEED_COUNT}" in result.stdout
    assert f"extracted: {SEED_COUNT}" in result.stdout


def test_recrawling_the_same_site_adds_no_duplicates(tmp_path: Path) -> None:
    from crawler.demosite import server, sources_for

    site, base_url = server.start(port=0)
    try:
        sources = sources_for(base_url, tmp_path / "sources.yaml")
        store = f"sqlite:///{tmp_path}/recrawl.db"
        for _ in range(2):
            result = newsmon("crawl", "--sources", str(sources), "--store", store, cwd=tmp_path)
            assert result.returncode == 0, result.stdout + result.stderr
    finally:
        site.shutdown()
    assert f"articles: {SEED_COUNT}" in newsmon("stats", "--store", store, cwd=tmp_path).stdout


def test_unaccented_search_over_http(api: httpx.Client) -> None:
    response = api.get("/search", params={"q": "binh dang gioi"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == SEED_COUNT
    assert all("<mark>" in hit["snippet_html"] for hit in body["hits"])
    assert any("bình đẳng giới" in hit["title"].lower() for hit in body["hits"])


def test_article_page_carries_its_extraction(api: httpx.Client) -> None:
    hits = api.get("/search", params={"q": '"28.867"'}).json()["hits"]
    assert len(hits) == 1
    article = api.get(f"/articles/{hits[0]['id']}").json()
    extraction = article["extraction"]
    assert "Hà Nội" in extraction["provinces"]
    assert any(f["value"] == 28867 for f in extraction["figures"])
    assert api.get("/articles/doesnotexist").status_code == 404


def test_trends_and_health(api: httpx.Client) -> None:
    trends = api.get("/trends", params={"q": "binh dang gioi", "interval": "year"}).json()
    assert sum(p["count"] for p in trends["points"]) == SEED_COUNT
    assert api.get("/health").json()["status"] == "ok"


def test_web_page_searches(api: httpx.Client) -> None:
    page = api.get("/", params={"q": "binh dang gioi"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "<mark>" in page.text
