"""The Elasticsearch engine: the same ``Store`` interface for larger corpora and several readers.

- ``store``: ``ElasticStore``, the alias and its indices, writes and the outage handling (``spool``).
- ``connection``: reaching a cluster (hosts or a cloud id, an API key or a user, a CA or a pinned
  fingerprint) and what its refusals mean.
- ``bulk``: writes in bulk with retries of what a retry can fix, reads by id.
- ``mapping``: the index template (explicit mappings, folded fields filled by ``newsmon.text.fold``; shards
  and replicas).
- ``query``: the query tree and filters compiled to bool queries.
- ``search``, ``trends``, ``figures``: the read side (hits with highlights, facets, ``search_after`` cursors;
  composite aggregations; nested figures and entities).
- ``subscriptions``: digest subscriptions and the send log in their own indices.
- ``spool``: writes kept in a local SQLite file while the cluster is down, replayed later.
"""

from newsmon.store.elastic.store import ElasticStore

__all__ = ["ElasticStore"]
