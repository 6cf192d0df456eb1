"""Bulk writes, reads by id and counts against answers a real cluster gives while a shard has no live copy.

Those answers (item-level 503 ``unavailable_shards_exception``, a document ``mget`` could not read, a
count with failed shards) last only the moment a shard moves, too short to hit on purpose in the
cluster test, so a client here replays them; everything else (the bulk helper's chunking and
serialisation, the client's request path) is the real client's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("elasticsearch")

from elastic_transport import ApiResponseMeta, HttpHeaders, ObjectApiResponse
from elasticsearch import Elasticsearch

from newsmon.errors import StoreError, StoreUnavailable
from newsmon.store.elastic import bulk
from newsmon.store.elastic.connection import Client

UNAVAILABLE = {"type": "unavailable_shards_exception", "reason": "[t][0] primary shard is not active"}
MAPPING = {"type": "document_parsing_exception", "reason": "[1:2] unknown field [x]"}


class ShardsMoving(Elasticsearch):
    """Answers each bulk request with the item failures ``refuse(pass, id)`` names, the rest written."""

    def __init__(self, refuse: Any) -> None:
        super().__init__("http://127.0.0.1:9")  # never connected to
        self.refuse, self.passes = refuse, []  # the ids each pass sent

    def options(self, **kwargs: Any) -> ShardsMoving:
        return self

    def bulk(self, *, operations: list[bytes], **kwargs: Any) -> ObjectApiResponse[Any]:
        lines = [json.loads(line) for line in operations]
        ids = [line[op]["_id"] for line in lines for op in ("index", "update") if op in line]
        self.passes.append(ids)
        items = []
        for i in ids:
            error = self.refuse(len(self.passes), i)
            status = 201 if error is None else (503 if error is UNAVAILABLE else 400)
            items.append({"index": {"_id": i, "status": status, **({"error": error} if error else {})}})
        body = {"took": 1, "errors": any("error" in item["index"] for item in items), "items": items}
        return ObjectApiResponse(body=body, meta=ApiResponseMeta(200, "1.1", HttpHeaders(), 0.0, None))


def _actions(*ids: str) -> list[dict[str, Any]]:
    return [{"_op_type": "index", "_id": i, "_source": {"n": i}} for i in ids]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff waits, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(bulk.time, "sleep", waited.append)
    return waited


def test_items_a_moving_shard_refuses_are_retried_alone(sleeps: list[float]) -> None:
    client = ShardsMoving(lambda attempt, i: UNAVAILABLE if i in {"b", "c"} and attempt < 3 else None)
    bulk.write(client, "t", _actions("a", "b", "c", "d"), "the cluster")
    assert client.passes == [["a", "b", "c", "d"], ["b", "c"], ["b", "c"]]
    assert sleeps == [1, 2]


def test_items_still_refused_make_the_write_unavailable(sleeps: list[float]) -> None:
    client = ShardsMoving(lambda attempt, i: UNAVAILABLE if i == "b" else None)
    with pytest.raises(StoreUnavailable, match=r"could not take 1 write.*unavailable_shards_exception"):
        bulk.write(client, "t", _actions("a", "b"), "the cluster")
    assert len(client.passes) == bulk.TRIES and client.passes[1:] == [["b"]] * (bulk.TRIES - 1)
    assert len(sleeps) == bulk.TRIES - 1


def test_a_document_the_mapping_refuses_is_an_error_at_once(sleeps: list[float]) -> None:
    client = ShardsMoving(lambda attempt, i: MAPPING if i == "a" else None)
    with pytest.raises(StoreError, match=r"refused 1 write.*the first a: document_parsing_exception") as refused:
        bulk.write(client, "t", _actions("a", "b"), "the cluster")
    assert not isinstance(refused.value, StoreUnavailable) and len(client.passes) == 1 and not sleeps


def test_the_last_action_for_an_id_wins(sleeps: list[float]) -> None:
    client = ShardsMoving(lambda attempt, i: None)
    actions = [*_actions("a"), {"_op_type": "index", "_id": "a", "_source": {"n": "second"}}]
    bulk.write(client, "t", actions, "the cluster")
    assert client.passes == [["a"]]


class ShardUnreadable(Elasticsearch):
    """Answers ``mget`` with one document found and one its shard could not serve."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:9")

    def mget(self, **kwargs: Any) -> dict[str, Any]:
        return {"docs": [{"_id": "a", "found": True, "_source": {"n": 1}},
                         {"_id": "b", "error": {"type": "no_shard_available_action_exception", "reason": "none"}}]}


def test_a_document_that_cannot_be_read_is_not_reported_missing() -> None:
    with pytest.raises(StoreUnavailable, match=r"could not read 1 document.*no_shard_available_action_exception"):
        bulk.sources(ShardUnreadable(), "t", ["a", "b"], ["n"], "the cluster")


def test_a_count_some_shards_could_not_answer_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client("http://127.0.0.1:9")
    shards = {"total": 3, "successful": 2, "skipped": 0, "failed": 1}
    answer = ObjectApiResponse(body={"count": 41, "_shards": shards},
                               meta=ApiResponseMeta(200, "1.1", HttpHeaders(), 0.0, None))
    monkeypatch.setattr(client, "perform_request", lambda *args, **kwargs: answer)
    with pytest.raises(StoreUnavailable, match="could not count on 1 of 3 shard"):
        client.count(index="t")
    answer.body["_shards"] = {**shards, "successful": 3, "failed": 0}
    assert client.count(index="t")["count"] == 41
