"""The Elasticsearch store against a real Elasticsearch: the shared contracts unchanged, the alias,
the outage spool behind a real TCP proxy, the API's 503, and reindexing to and from SQLite.

The server is the integ-test-zip ``make elasticsearch`` unpacks (see ``tests/elastic_server.py``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from newsmon.errors import StoreUnavailable
from newsmon.query import parse
from newsmon.store.sqlite import SqliteStore
from tests.elastic_server import empty_indices, is_healthy, running_elasticsearch, unavailable
from tests.store_contract import BackendContract, extraction_for, make_article, rich_extraction, sample_corpus
from tests.subscription_contract import SubscriptionContract
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.elasticsearch

try:
    from newsmon.store.elastic import ElasticStore
except ImportError as e:  # the extra is missing: the fixture below says how to fix it
    ElasticStore = None  # type: ignore[assignment,misc]
    IMPORT_ERROR = str(e)


@pytest.fixture(scope="module")
def elasticsearch_url() -> Iterator[str]:
    """A healthy Elasticsearch: ``NEWSMON_ELASTICSEARCH_URL`` if set, else the unpacked distribution."""
    if ElasticStore is None:
        unavailable(IMPORT_ERROR)
    if url := os.environ.get("NEWSMON_ELASTICSEARCH_URL"):
        if not is_healthy(url):
            unavailable(f"NEWSMON_ELASTICSEARCH_URL={url} does not answer")
        yield url
        return
    with running_elasticsearch() as url:
        yield url


def open_elastic(url: str, spool: Path | None = None) -> ElasticStore:
    """A store under a prefix of its own, so tests share the server but never an index."""
    return ElasticStore(f"{url}/t{uuid.uuid4().hex[:12]}", spool_path=spool)


@pytest.fixture(scope="module")
def shared_store(elasticsearch_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ElasticStore]:
    s = open_elastic(elasticsearch_url, tmp_path_factory.mktemp("spool") / "spool.db")
    yield s
    s.drop()
    s.close()


@pytest.fixture
def store(shared_store: ElasticStore) -> Iterator[ElasticStore]:
    """One set of indices for the module, emptied after each test (creating indices per test is slow)."""
    yield shared_store
    empty_indices(shared_store.client, shared_store.prefix)


class TestElasticStore(BackendContract, SubscriptionContract):
    """The same contracts as SQLite, unchanged; no gap needed a skip."""


def test_articles_live_behind_an_alias(store: ElasticStore) -> None:
    store.upsert_articles(sample_corpus())
    indices = list(store.client.indices.get_alias(name=store.alias))
    assert len(indices) == 1 and indices[0].startswith(f"{store.alias}-")
    mapping = store.client.indices.get_mapping(index=indices[0])[indices[0]]["mappings"]
    assert mapping["dynamic"] == "strict" and mapping["properties"]["figures"]["type"] == "nested"
    # By default replicas follow the data nodes (0 to 1): none on this one node, so the index is green.
    settings = store.client.indices.get_settings(index=indices[0])[indices[0]]["settings"]["index"]
    assert settings["auto_expand_replicas"] == "0-1" and settings["number_of_replicas"] == "0"
    assert store.client.cluster.health(index=indices[0])["status"] == "green"


def test_outage_spools_writes_and_replays_them(store: ElasticStore, elasticsearch_url: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app
    from newsmon.settings import Settings

    proxy = TcpProxy(int(elasticsearch_url.rsplit(":", 1)[1]))
    corpus = sample_corpus()
    behind = ElasticStore(f"{proxy.url}/{store.prefix}", spool_path=tmp_path / "outage-spool.db", timeout=5)
    try:
        behind.upsert_articles(corpus[:2])
        proxy.cut()
        report = behind.upsert_articles(corpus[2:])
        assert report.new == [a.id for a in corpus[2:]]
        assert behind.save_extractions([(corpus[2].id, rich_extraction())]) == 1
        assert len(behind.spool) == 2
        with pytest.raises(StoreUnavailable, match="cannot be reached"):
            behind.search(parse("bao luc"))
        app = create_app(Settings(_env_file=None, store_url=proxy.url), behind)
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/search", params={"q": "bao luc"})
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "cannot be reached" in response.json()["detail"] and "Traceback" not in response.text
        store.client.indices.refresh(index=store.alias)  # another store's writes: make them searchable now
        assert store.count_articles() == 2  # nothing reached the cluster

        proxy.restore()
        assert behind.upsert_articles([corpus[0]]).unchanged == [corpus[0].id]  # the next write replays first
        assert len(behind.spool) == 0
        assert behind.count_articles() == 4
        assert store.get_extraction(corpus[2].id) == rich_extraction()  # a get by id needs no refresh
        assert [h.id for h in behind.search(parse("bao luc")).hits] == [corpus[2].id]
    finally:
        proxy.cut()
        behind.close()


def test_watch_pass_replays_what_an_earlier_process_spooled(
    elasticsearch_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsmon.cli.jobs import replay_spooled_writes
    from newsmon.settings import get_settings

    monkeypatch.setenv("NEWSMON_ELASTIC_SPOOL_PATH", str(tmp_path / "spool.db"))
    get_settings.cache_clear()
    proxy = TcpProxy(int(elasticsearch_url.rsplit(":", 1)[1]))
    url = f"{proxy.url}/t{uuid.uuid4().hex[:12]}"
    try:
        proxy.cut()
        with ElasticStore(url, timeout=5) as down:  # e.g. a crawl that ended during the outage
            down.upsert_articles(sample_corpus())
        assert replay_spooled_writes(url) == 0  # still down: reported, not raised, the pass goes on
        proxy.restore()
        assert replay_spooled_writes(url) == 1  # the next `newsmon watch` pass
        with ElasticStore(url) as back:
            assert back.count_articles() == 4 and back.replay_spool() == 0
            back.drop()
    finally:
        proxy.cut()
        get_settings.cache_clear()


def test_reindex_to_elasticsearch_and_back(elasticsearch_url: str, tmp_path: Path) -> None:
    from newsmon.cli.reindex import reindex

    sqlite_url, back_url = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    elastic_url = f"{elasticsearch_url}/t{uuid.uuid4().hex[:12]}"
    corpus = sample_corpus()
    copy = make_article(9, corpus[2].title, corpus[2].text, day=date(2023, 11, 26), source="baokhac.vn",
                        duplicate_of=corpus[2].id)
    with SqliteStore(tmp_path / "a.db") as source:
        source.upsert_articles([*corpus, copy])
        source.save_extractions([(corpus[0].id, rich_extraction()),
                                 (corpus[1].id, extraction_for("Đắk Lắk", "Đắk Lắk", "support", 50))])
    with ElasticStore(elastic_url, spool_path=None) as target:
        target.upsert_articles([corpus[3]])  # what was there before: replaced atomically
        before = list(target.client.indices.get_alias(name=target.alias))
    try:
        report = reindex(sqlite_url, elastic_url)
        assert (report.articles, report.extractions) == (5, 2)
        with ElasticStore(elastic_url, spool_path=None) as target:
            after = list(target.client.indices.get_alias(name=target.alias))
            assert len(after) == 1 and after != before
            assert not target.client.indices.exists(index=before[0])
            assert target.get_extraction(corpus[0].id) == rich_extraction()
            assert target.search(parse("dia chi tin cay")).hits[0].duplicates == [copy.id]
        assert reindex(elastic_url, elastic_url).articles == 5  # rebuilt in place: a new index, the same data
        with ElasticStore(elastic_url, spool_path=None) as target:
            rebuilt = list(target.client.indices.get_alias(name=target.alias))
            assert rebuilt != after and target.count_articles() == 5 and target.stats().extracted == 2
        reindex(elastic_url, back_url)
        with SqliteStore(tmp_path / "a.db") as a, SqliteStore(tmp_path / "b.db") as b:
            assert sorted(a.iter_articles(), key=lambda x: x.id) == sorted(b.iter_articles(), key=lambda x: x.id)
            assert all(a.get_extraction(x.id) == b.get_extraction(x.id) for x in corpus)
            assert a.figures().model_dump() == b.figures().model_dump()
    finally:
        with ElasticStore(elastic_url, spool_path=None) as target:
            target.drop()


@pytest.mark.parametrize("path", [
    "/search?q=binh+dang+gioi", "/search?q=phu+nu&sort=date&limit=2", "/search?q=&province=H%C3%A0+N%E1%BB%99i",
    "/trends?q=&interval=month&split_by=source", "/trends/campaign?q=", "/figures?subject=phu+nu",
    "/entities?q=", "/health",
])
def test_api_answers_the_same_on_both_engines(store: ElasticStore, tmp_path: Path, path: str) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app
    from newsmon.settings import Settings
    from tests.api_seed import seed

    answers = []
    with SqliteStore(tmp_path / "api.db") as sqlite:
        for engine in (sqlite, store):
            seed(engine)
            app = create_app(Settings(_env_file=None, store_url="sqlite:///unused.db"), engine)
            with TestClient(app, raise_server_exceptions=False) as client:
                response = client.get(path)
            assert response.status_code == 200, response.text
            answers.append(_comparable(response.json()))
    assert answers[0] == answers[1]
    assert all(answers[0].get(key) for key in ("hits", "points", "rows", "people") if key in answers[0])  # not empty


def _comparable(body: object) -> object:
    """An answer without what legitimately differs between engines: scores, cursors, the engine's name."""
    if isinstance(body, dict):
        return {k: _comparable(v) for k, v in body.items() if k not in {"score", "next_cursor", "engine"}}
    if isinstance(body, list):
        return [_comparable(v) for v in body]
    return body
