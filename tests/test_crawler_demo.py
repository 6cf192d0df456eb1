"""The bundled demo site → crawl → store, as ``newsmon demo`` runs it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.demosite import sources_for
from crawler.demosite.server import DemoServer, start
from crawler.demosite.site import load_articles
from crawler.run import crawl
from newsmon.models import article_id_for
from newsmon.store import open_store
from newsmon.text import normalize

pytestmark = pytest.mark.slow
FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "NEWSMON_PROGRESS_INTERVAL": 0}


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[DemoServer, str]]:
    server, base = start()
    yield server, base
    server.shutdown()


def test_demo_crawl_stores_the_five_seeds_once(demo: tuple[DemoServer, str], tmp_path: Path) -> None:
    server, base = demo
    sources = sources_for(base, tmp_path / "sources.yaml")
    store_url = f"sqlite:///{tmp_path}/demo.db"
    first = crawl(sources_file=sources, store_url=store_url, settings_overrides=FAST, progress=False)
    assert first.total().new == 5 and first.total().skipped_offtopic == 1
    assert set(first.sources) == {"kinhtedothi.vn", "phapluatxahoi.kinhtedothi.vn", "phunuthudo.vn", "molisa.gov.vn"}
    with open_store(store_url) as store:
        assert store.count_articles() == 5
        for demo_article in load_articles():
            stored = store.get_article(article_id_for(base + demo_article.path))
            if demo_article.id.startswith("seed"):
                assert stored is not None and stored.text == normalize(demo_article.body_text())
            else:
                assert stored is None  # the off-topic story
    second = crawl(sources_file=sources, store_url=store_url, settings_overrides=FAST, progress=False)
    assert second.total().new == 0
    assert any("if-none-match" in headers for _, headers in server.requests)
    with open_store(store_url) as store:
        assert store.count_articles() == 5
