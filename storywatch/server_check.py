"""What storywatch refuses to run against, found out at start instead of by looping."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import NoPermissionError


class UnsupportedServer(RuntimeError):
    """The server is reachable but of a kind storywatch cannot work with."""


async def refuse_cluster(redis: Redis) -> None:
    """Raise UnsupportedServer on a Redis Cluster node.

    Every stage writes several keys (streams, index, stories) in one script, which a
    cluster splits across nodes (MOVED/CROSSSLOT): on a cluster node a worker would loop
    on redirects and a publisher would reach only the keys its node owns. Until storywatch
    supports Cluster, it says so at start. A least-privilege user (README, *ACL users*)
    may not run INFO: then the check is skipped, and a cluster node's MOVED replies are
    reported record by record instead.
    """
    try:
        info = await redis.info("cluster")
    except NoPermissionError:
        return
    if int(info.get("cluster_enabled", 0)):
        raise UnsupportedServer(
            "the server is a Redis Cluster node (cluster_enabled:1); storywatch does not support Redis Cluster: "
            "use a standalone server (with replicas and Sentinel for failover)"
        )
