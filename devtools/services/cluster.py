"""A real multi-node OpenSearch cluster on loopback, from the same launcher as the single node.

``python -m devtools.services up --nodes 3`` starts it: each node has its own data folder
(``<data_root>/opensearch-cluster/node-N``), HTTP port (``LOCAL_CLUSTER_PORT`` + N - 1,
default 9260…) and transport port (HTTP + 100), finds its peers through
``discovery.seed_hosts`` and takes part in electing the cluster manager. Heaps are small
(``LOCAL_CLUSTER_HEAP``, default 320m) so three nodes fit beside everything else.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from devtools.services import opensearch, ports

CLUSTER_NAME = "catalog-cluster"
DEFAULT_HTTP_PORT = 9260
TRANSPORT_OFFSET = 100
DEFAULT_HEAP = "320m"


@dataclass(frozen=True)
class Cluster:
    data_root: Path
    nodes: int = 3
    http_port: int = DEFAULT_HTTP_PORT
    heap: str = DEFAULT_HEAP

    @classmethod
    def from_env(cls, data_root: Path, nodes: int) -> Cluster:
        return cls(
            data_root,
            nodes,
            int(os.environ.get("LOCAL_CLUSTER_PORT", DEFAULT_HTTP_PORT)),
            os.environ.get("LOCAL_CLUSTER_HEAP", DEFAULT_HEAP),
        )

    def node_root(self, index: int) -> Path:
        return self.data_root / "opensearch-cluster" / f"node-{index + 1}"

    def port(self, index: int) -> int:
        return self.http_port + index

    def urls(self) -> list[str]:
        return [opensearch.url(self.port(i)) for i in range(self.nodes)]

    def spec(self, index: int) -> opensearch.NodeSpec:
        names = [f"node-{i + 1}" for i in range(self.nodes)]
        seeds = ",".join(f"127.0.0.1:{self.port(i) + TRANSPORT_OFFSET}" for i in range(self.nodes))
        return opensearch.NodeSpec(
            cluster_name=CLUSTER_NAME,
            node_name=names[index],
            heap=self.heap,
            settings=(
                ("discovery.type", "zen"),  # the 2.x name of multi-node discovery
                ("discovery.seed_hosts", seeds),
                # Only read when the cluster forms for the first time.
                ("cluster.initial_cluster_manager_nodes", ",".join(names)),
                ("transport.port", str(self.port(index) + TRANSPORT_OFFSET)),
            ),
        )

    def ensure_running(self) -> list[str]:
        """Start the nodes that are not running (all at once), wait until each answers."""
        procs = [
            opensearch.start_detached(self.node_root(i), self.port(i), self.spec(i))
            for i in range(self.nodes)
        ]
        for i, proc in enumerate(procs):
            opensearch.wait_until_ready(self.node_root(i), self.port(i), proc)
        return self.urls()

    def start_node(self, index: int) -> None:
        """(Re)start one node and wait until it answers: after it was killed, say."""
        proc = opensearch.start_detached(self.node_root(index), self.port(index), self.spec(index))
        opensearch.wait_until_ready(self.node_root(index), self.port(index), proc)

    def kill_node(self, index: int, timeout_s: float = 10.0) -> None:
        """SIGKILL one node (a crash, not a shutdown) and return once it has exited, so a
        restart right after it does not mistake the dying process for a running node."""
        proc = opensearch.process(self.node_root(index))
        if proc is None:
            return
        proc.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                # The leader thread turns zombie before the JVM's other threads have
                # exited and closed their sockets: wait for the HTTP port as well.
                exited = proc.status() == psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                exited = True
            if exited and not ports.in_use(self.port(index)):
                return
            time.sleep(0.02)
        raise TimeoutError(f"node-{index + 1} (pid {proc.pid}) survived SIGKILL for {timeout_s} s")

    def pid(self, index: int) -> int | None:
        proc = opensearch.process(self.node_root(index))
        return proc.pid if proc else None

    def stop(self) -> list[bool]:
        """Stop every node; also any node process of ours whose pidfile went missing."""
        stopped = [opensearch.stop(self.node_root(i)) for i in range(self.nodes)]
        for i in range(self.nodes):
            stopped[i] = opensearch.stop_strays(self.node_root(i)) or stopped[i]
        return stopped
