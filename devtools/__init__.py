"""What the tests and the benchmarks share that is not part of newsmon: real Elasticsearch nodes started on
loopback from the integ-test-zip that ``make elasticsearch`` unpacks (one node, or a three-node cluster)."""
