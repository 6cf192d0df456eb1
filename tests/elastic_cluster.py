"""A real three-node Elasticsearch cluster for the tests, on loopback, from the integ-test-zip.

``running_cluster()`` starts three master-eligible data nodes at once (each with a small heap and one
processor: start-up is the slow part, so they boot in parallel), waits until all three have joined and
the cluster is green, yields a ``Cluster`` and stops every node at the end. ``Cluster.kill(i)`` SIGKILLs
one node, as a crash or a lost machine would; ``Cluster.start(i)`` brings it back on its own data.
``NEWSMON_REQUIRE_ELASTICSEARCH=1`` makes "cannot run here" a failure (``elastic_server.unavailable``).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.elastic_server import (
    START_TIMEOUT_S,
    free_port,
    launch,
    log_tail,
    node_folder,
    node_settings,
    require_distribution,
    stop,
)

SIZE = 3
HEAP = "256m"


@dataclass
class Node:
    """One node: its folder (config, data, log), ports and process."""

    name: str
    http_port: int
    transport_port: int
    workdir: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"


@dataclass
class Cluster:
    """Three nodes on loopback and the JDK that runs them."""

    jdk: Path
    heap: str
    nodes: list[Node] = field(default_factory=list)
    down: set[int] = field(default_factory=set)  # nodes killed on purpose

    @property
    def urls(self) -> list[str]:
        """Every node's HTTP address (dead ones included: a client must move past them)."""
        return [n.url for n in self.nodes]

    def kill(self, i: int) -> None:
        """SIGKILL node ``i`` (no shutdown: what a crash or a lost machine looks like to the others)."""
        node = self.nodes[i]
        assert node.process is not None
        self.down.add(i)
        stop(node.process, signal.SIGKILL)

    def start(self, i: int) -> None:
        """Start node ``i`` again on its data; it rejoins the cluster by itself."""
        node = self.nodes[i]
        assert node.workdir is not None
        node.process = launch(node.workdir, self.jdk, self.heap)
        self.down.discard(i)

    def health(self, via: int | None = None, **params: str) -> dict[str, object]:
        """``_cluster/health`` asked of node ``via`` (default: the first live one)."""
        node = self.nodes[via if via is not None else min(set(range(len(self.nodes))) - self.down)]
        query = "&".join(f"{k}={v}" for k, v in params.items())
        with urllib.request.urlopen(f"{node.url}/_cluster/health?{query}", timeout=70) as response:
            return json.loads(response.read())

    def voters(self) -> list[str]:
        """The ids of the master-eligible nodes in the last committed voting configuration."""
        node = self.nodes[min(set(range(len(self.nodes))) - self.down)]
        path = "_cluster/state/metadata?filter_path=metadata.cluster_coordination.last_committed_config"
        with urllib.request.urlopen(f"{node.url}/{path}", timeout=10) as response:
            return json.loads(response.read())["metadata"]["cluster_coordination"]["last_committed_config"]

    def wait_for(self, status: str, nodes: int, timeout: float = START_TIMEOUT_S) -> dict[str, object]:
        """Wait until ``nodes`` nodes have joined and the cluster is ``status``; fail with the logs if not."""
        deadline = time.monotonic() + timeout
        while True:
            for i, node in enumerate(self.nodes):
                if i not in self.down and node.process is not None and node.process.poll() is not None:
                    pytest.fail(f"Elasticsearch node {node.name} exited:\n{log_tail(node.workdir)}")  # type: ignore
            try:
                health = self.health(wait_for_status=status, wait_for_nodes=str(nodes), timeout="5s")
                # every node must also vote, or losing one of the first two could leave no quorum
                if not health.get("timed_out") and len(self.voters()) >= min(nodes, 3):
                    return health
            except (OSError, ValueError):
                pass  # not listening yet, no master yet, or a 408 while it waits
            if time.monotonic() > deadline:
                tails = "\n".join(f"--- {n.name}\n{log_tail(n.workdir)}" for n in self.nodes if n.workdir)
                pytest.fail(f"the cluster did not become {status} with {nodes} nodes:\n{tails}")
            time.sleep(1)


def _settings(cluster_name: str, node: Node, seeds: list[str], names: list[str]) -> Callable[[Path], str]:
    def settings(workdir: Path) -> str:
        return (
            f"cluster.name: {cluster_name}\n"
            f"node.name: {node.name}\n"
            f"discovery.seed_hosts: {json.dumps(seeds)}\n"
            f"cluster.initial_master_nodes: {json.dumps(names)}\n"
            "node.processors: 1\n"  # small thread pools: three nodes share a small machine
            + node_settings(workdir, node.http_port, node.transport_port)
        )
    return settings


@contextmanager
def running_cluster(size: int = SIZE, heap: str = HEAP) -> Iterator[Cluster]:
    """Start ``size`` nodes in parallel, wait for green with all of them, yield the cluster, stop and clean up."""
    cluster = Cluster(require_distribution(), heap)
    cluster.nodes = [Node(f"node-{i}", free_port(), free_port()) for i in range(size)]
    seeds = [f"127.0.0.1:{n.transport_port}" for n in cluster.nodes]
    names = [n.name for n in cluster.nodes]
    name = f"newsmon-test-{uuid.uuid4().hex[:8]}"
    try:
        for i, node in enumerate(cluster.nodes):
            node.workdir = node_folder(_settings(name, node, seeds, names))
            cluster.start(i)
        cluster.wait_for("green", size)
        yield cluster
    finally:
        for node in cluster.nodes:
            if node.process is not None:
                stop(node.process)
        for node in cluster.nodes:
            if node.workdir is not None:
                shutil.rmtree(node.workdir, ignore_errors=True)
