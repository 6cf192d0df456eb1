"""The Elasticsearch engine: the same ``Store`` interface for larger corpora and several readers.

- ``store``: ``ElasticStore``, the client, the alias and its indices, writes (bulk, with backoff) and the
  outage handling (``spool``).
- ``mapping``: the index template (explicit mappings, folded fields filled by ``newsmon.text.fold``).
- ``query``: the query tree and filters compiled to bool queries.
- ``search``, ``trends``, ``figures``: the read side (hits with highlights, facets, ``search_after`` cursors;
  composite aggregations; nested figures and entities).
- ``subscriptions``: digest subscriptions and the send log in their own indices.
- ``spool``: writes kept in a local SQLite file while the cluster is down, replayed later.
"""

from newsmon.store.elastic.store import ElasticStore

__all__ = ["ElasticStore"]
