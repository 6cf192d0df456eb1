"""Writes in bulk and reads by id, with the failures a retry can fix told apart from the others.

``write`` sends actions in chunks through the client's bulk helper, which retries items refused
with 429 (the cluster is busy). Items refused with 502-504 (a shard whose node just left has no
active copy yet) are retried here, with backoff, for about half a minute; if they still fail the
write raises ``StoreUnavailable``, so the store spools the batch and nothing is lost. Any other
refusal (a document the mapping rejects) raises ``StoreError`` at once. ``sources`` reads documents
by id and raises ``StoreUnavailable`` rather than report as missing a document it could not read.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from elasticsearch import Elasticsearch, helpers

from newsmon.errors import StoreError, StoreUnavailable
from newsmon.store.elastic.connection import TRANSIENT_STATUSES

__all__ = ["CHUNK", "TRIES", "sources", "write"]

log = logging.getLogger(__name__)
CHUNK = 500
TRIES = 6  # for items a retry can fix: about 30 s of backoff in all, then the batch is spooled
_MGET_BATCH = 1000


def write(client: Elasticsearch, index: str, actions: list[dict[str, Any]], where: str) -> None:
    """Apply ``actions`` (one per ``_id``: the last one wins) to ``index``; see the module's docstring."""
    pending = {action["_id"]: action for action in actions}
    for attempt in range(TRIES):
        failed = _write_once(client, index, list(pending.values()), where)
        if not failed:
            return
        pending = {i: pending[i] for i in failed}
        if attempt < TRIES - 1:
            log.warning("Elasticsearch at %s: %d write(s) to retry (%s)", where, len(failed),
                        next(iter(failed.values())))
            time.sleep(min(2 ** attempt, 10))
    raise StoreUnavailable(f"Elasticsearch at {where} could not take {len(pending)} write(s) after {TRIES} "
                           f"tries ({next(iter(failed.values()))}); retry later")


def _write_once(client: Elasticsearch, index: str, actions: list[dict[str, Any]], where: str) -> dict[str, str]:
    """One pass of ``actions``; the transient failures by id. A refused item raises ``StoreError``."""
    failed: dict[str, str] = {}
    refused: list[dict[str, Any]] = []
    for ok, item in helpers.streaming_bulk(
        client, actions, index=index, chunk_size=CHUNK, max_retries=5, initial_backoff=1, max_backoff=30,
        raise_on_error=False,
    ):
        result = next(iter(item.values()))
        if not ok and result.get("status") in TRANSIENT_STATUSES:
            failed[result["_id"]] = f"{result['status']}: {_reason(result)}"
        elif not ok:
            refused.append(result)
    if refused:
        raise StoreError(f"Elasticsearch at {where} refused {len(refused)} write(s), the first "
                         f"{refused[0].get('_id')}: {_reason(refused[0])}")
    return failed


def sources(client: Elasticsearch, index: str, ids: list[str], fields: list[str], where: str
            ) -> dict[str, dict[str, Any]]:
    """The ``fields`` of each document of ``ids`` that exists, by id."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), _MGET_BATCH):
        result = client.mget(index=index, ids=ids[start:start + _MGET_BATCH], _source=fields)
        missed = [d for d in result["docs"] if "error" in d]  # e.g. a shard with no active copy
        if missed:
            raise StoreUnavailable(f"Elasticsearch at {where} could not read {len(missed)} document(s) "
                                   f"({_reason(missed[0])}); retry later")
        found.update({d["_id"]: d["_source"] for d in result["docs"] if d.get("found")})
    return found


def _reason(item: dict[str, Any]) -> str:
    """The reason Elasticsearch gives for one failed item of a bulk or mget."""
    error = item.get("error")
    if isinstance(error, dict):
        return f"{error.get('type', 'error')}: {error.get('reason', '')}"
    return str(error)
