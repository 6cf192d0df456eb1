"""The Elasticsearch store on a real three-node cluster with replicas: the shared contracts unchanged,
replicas that follow the cluster, shards and replicas changed by a reindex while searches go on, and a
node killed in the middle of a bulk ingest and a search load.

The nodes are the integ-test-zip ``make elasticsearch`` unpacks, started by ``tests/elastic_cluster.py``
on loopback with 256 MB heaps (a few minutes in all); the client is given every node
(``NEWSMON_ELASTIC_HOSTS``), as a deployment would be.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from newsmon.models import Article
from newsmon.query import parse
from newsmon.settings import Settings
from tests.elastic_cluster import Cluster, running_cluster
from tests.elastic_server import empty_indices, unavailable
from tests.store_contract import BackendContract, make_article
from tests.subscription_contract import SubscriptionContract

pytestmark = pytest.mark.elasticsearch

PROJECT_ROOT = Path(__file__).resolve().parent.parent

try:
    from newsmon.store.elastic import ElasticStore
except ImportError as e:  # the extra is missing: the fixture below says how to fix it
    ElasticStore = None  # type: ignore[assignment,misc]
    IMPORT_ERROR = str(e)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """Three nodes, all of them voting and holding data, green before the first test."""
    if ElasticStore is None:
        unavailable(IMPORT_ERROR)
    with running_cluster() as running:
        yield running


def cluster_store(cluster: Cluster, spool: Path | None, prefix: str | None = None, **settings: object) -> ElasticStore:
    """A store on every node of the cluster, under a prefix of its own unless one is given."""
    url = f"{cluster.urls[0]}/{prefix or 't' + uuid.uuid4().hex[:12]}"
    return ElasticStore(url, spool_path=spool, settings=Settings(_env_file=None, elastic_hosts=cluster.urls,
                                                                  **settings))


@pytest.fixture(scope="module")
def shared_store(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ElasticStore]:
    store = cluster_store(cluster, tmp_path_factory.mktemp("spool") / "spool.db")
    yield store
    store.drop()
    store.close()


@pytest.fixture
def store(shared_store: ElasticStore) -> Iterator[ElasticStore]:
    """One set of indices for the module, emptied after each test."""
    yield shared_store
    empty_indices(shared_store.client, shared_store.prefix)


class TestClusterStore(BackendContract, SubscriptionContract):
    """The same contracts as SQLite and one node, unchanged, on three nodes with a replica of every shard."""


def _index_settings(store: ElasticStore) -> tuple[str, dict[str, str]]:
    (index,) = store.client.indices.get_alias(name=store.alias)
    return index, store.client.indices.get_settings(index=index)[index]["settings"]["index"]


def test_default_replicas_follow_the_cluster(store: ElasticStore) -> None:
    store.upsert_articles([_article(0, "anchor")])
    store.list_subscriptions()  # creates the side indices, with the same replicas
    index, settings = _index_settings(store)
    assert settings["number_of_shards"] == "1" and settings["auto_expand_replicas"] == "0-1"
    health = store.client.cluster.health(index=f"{index},{store.prefix}-subscriptions", wait_for_status="green",
                                         timeout="30s")
    assert health["status"] == "green"
    side = store.client.indices.get_settings(index=f"{store.prefix}-subscriptions")
    assert next(iter(side.values()))["settings"]["index"]["number_of_replicas"] == "1"
    assert settings["number_of_replicas"] == "1"  # three data nodes: one replica, on another node


def _article(n: int, kind: str) -> Article:
    """An invented article: ``anchor`` ones are about gender equality, ``bulk`` ones about farming."""
    day = date(2024, 1, 1) + timedelta(days=n % 300)
    if kind == "anchor":
        return make_article(n, f"Hội thảo bình đẳng giới lần {n}", f"Đại biểu nữ thảo luận chính sách số {n}.",
                            day=day, source="baothu.vn")
    return make_article(n, f"Giá phân bón tuần {n}", f"Nông dân huyện số {n} thu hoạch lúa sớm.", day=day,
                        source="baonong.vn")


class SearchLoad:
    """A thread asking the API ``/search`` over and over until stopped; every answer is kept."""

    def __init__(self, store: ElasticStore, query: str) -> None:
        self.store, self.query = store, query
        self.answers: list[tuple[int, dict[str, object], str]] = []  # (status, body, text)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from fastapi.testclient import TestClient

        from api.main import create_app

        app = create_app(Settings(_env_file=None, store_url=self.store.url), self.store)
        with TestClient(app, raise_server_exceptions=False) as client:
            while not self.stop.is_set():
                # not extracted, so not judged on topic: the API's default filter would leave them out
                response = client.get("/search", params={"q": self.query, "limit": 1, "include_off_topic": True})
                self.answers.append((response.status_code, response.json(), response.text))

    def __enter__(self) -> SearchLoad:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=120)

    def wait_for_more(self, count: int) -> int:
        """Wait until ``count`` more answers came; return how many there were before."""
        before = len(self.answers)
        while len(self.answers) < before + count and self.thread.is_alive():
            self.stop.wait(0.1)
        return before

    def check(self, expected_total: int) -> list[int]:
        """Assert every answer was the full result or a clear 503 problem; return the statuses in order."""
        for status, body, text in self.answers:
            assert "Traceback" not in text
            if status == 503:
                assert body["type"].startswith("/problems/store-") and body["detail"], text
            else:
                assert status == 200 and body["total"] == expected_total, text  # never from some shards only
        return [status for status, _, _ in self.answers]


def test_reindex_changes_shards_and_replicas_while_search_answers(cluster: Cluster, tmp_path: Path) -> None:
    prefix = f"t{uuid.uuid4().hex[:12]}"
    with cluster_store(cluster, None, prefix) as store:
        store.upsert_articles([_article(n, "anchor") for n in range(300)])
        before, _ = _index_settings(store)
        expected = store.search(parse("binh dang gioi")).total
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "NEWSMON_ELASTIC_HOSTS": ",".join(cluster.urls),
           "NEWSMON_ELASTIC_SHARDS": "3", "NEWSMON_ELASTIC_REPLICAS": "2",
           "NEWSMON_ELASTIC_SPOOL_PATH": str(tmp_path / "spool.db")}
    url = f"{cluster.urls[0]}/{prefix}"
    with cluster_store(cluster, None, prefix) as reader, SearchLoad(reader, "binh dang gioi") as load:
        done = subprocess.run([sys.executable, "-m", "newsmon.cli", "reindex", "--store", url, "--to", url],
                              env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
        during = load.wait_for_more(5)  # and a few answers from the new index
    assert done.returncode == 0, done.stderr
    assert during >= 5 and set(load.check(expected)) == {200}  # no downtime: every search answered in full
    with cluster_store(cluster, None, prefix, elastic_replicas=2) as store:
        after, settings = _index_settings(store)
        assert after != before and not store.client.indices.exists(index=before)
        assert (settings["number_of_shards"], settings["number_of_replicas"]) == ("3", "2")
        side = store.client.indices.get_settings(index=f"{prefix}-subscriptions")
        assert next(iter(side.values()))["settings"]["index"]["number_of_replicas"] == "2"
        assert store.count_articles() == 300
        assert store.client.cluster.health(index=after, wait_for_status="green", timeout="60s")["status"] == "green"
        store.drop()


def test_a_node_lost_mid_ingest_loses_no_article(
    cluster: Cluster, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    spool = tmp_path / "spool.db"
    writer = cluster_store(cluster, spool, elastic_shards=3)  # a primary on every node: the lost one had some
    reader = cluster_store(cluster, None, writer.prefix)
    anchors = [_article(n, "anchor") for n in range(200)]
    batches = [[_article(n, "bulk") for n in range(start, start + 500)] for start in range(1000, 7000, 500)]
    writer.upsert_articles(anchors)
    expected = writer.search(parse("binh dang gioi")).total
    victim = int(writer.client.cat.master(format="json")[0]["node"].rsplit("-", 1)[1])  # the elected master
    written = threading.Event()
    killer = threading.Thread(target=lambda: written.wait(120) and cluster.kill(victim), daemon=True)
    try:
        with SearchLoad(reader, "binh dang gioi") as load:
            killer.start()
            for i, batch in enumerate(batches):
                writer.upsert_articles(batch)
                if i == 2:
                    written.set()  # the kill lands while the next bulk requests are in flight
            killer.join(timeout=120)
            since_kill = load.wait_for_more(5)  # searches go on with a node gone
        writer.replay_spool()  # whatever could not be written while shards moved
        assert len(writer.spool or []) == 0
        ids = {a.id for a in anchors} | {a.id for batch in batches for a in batch}
        assert writer.count_articles() == len(ids) == 6200
        assert {a.id for a in writer.iter_articles()} == ids
        assert expected == 200 and load.check(expected)[since_kill:].count(200) >= 5
        assert "Retrying request" in caplog.text and "Traceback" not in caplog.text  # the client's retries: a line each
        cluster.start(victim)
        assert cluster.wait_for("green", 3)["status"] == "green"
        assert writer.count_articles() == 6200
    finally:
        writer.drop()
        writer.close()
        reader.close()


@pytest.mark.parametrize(("required", "outcome"), [("1", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_a_cluster_that_cannot_start_fails_where_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, required: str, outcome: type[BaseException],
) -> None:
    from tests import elastic_server

    monkeypatch.setattr(elastic_server, "ES_HOME", tmp_path / "missing")
    monkeypatch.setenv("NEWSMON_REQUIRE_ELASTICSEARCH", required)
    with pytest.raises(outcome, match="not unpacked"), running_cluster():
        pass
