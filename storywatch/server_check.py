"""What storywatch refuses to run against, found out at start instead of by looping."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import NoPermissionError


class UnsupportedServer(RuntimeError):
    """The server is reachable but of a kind storywatch cannot work with."""


async def refuse_cluster(redis: Redis, partitions: int = 1) -> None:
    """Raise UnsupportedServer on a Redis Cluster node, unless storywatch is configured
    for one: several partitions (``STORYWATCH_PARTITION_COUNT``) and a cluster client
    (``STORYWATCH_REDIS_CLUSTER``).

    Every stage writes several keys (streams, index, stories) in one script, which a
    cluster runs only within one hash slot: only the partitioned layout keeps each commit
    in one slot (``schemas.partitions``), and only a cluster client follows the cluster's
    redirects; otherwise a worker would loop on MOVED/CROSSSLOT and a publisher would
    reach only the keys its node owns, so storywatch says so at start. A least-privilege
    user (README, *ACL users*) may not run INFO: then the check is skipped, and a cluster
    node's MOVED replies are reported record by record instead.
    """
    if isinstance(redis, RedisCluster):
        if partitions < 2:
            raise UnsupportedServer(
                "storywatch does not support Redis Cluster with a single partition: set STORYWATCH_PARTITION_COUNT "
                "(one or more per master) so that each stage's commit stays in one hash slot"
            )
        return
    try:
        info = await redis.info("cluster")
    except NoPermissionError:
        return
    if int(info.get("cluster_enabled", 0)):
        raise UnsupportedServer(
            "the server is a Redis Cluster node (cluster_enabled:1); storywatch does not support Redis Cluster "
            "with a standalone client: set STORYWATCH_REDIS_CLUSTER=true and STORYWATCH_PARTITION_COUNT (one or more per "
            "master), or use a standalone server (with replicas and Sentinel for failover)"
        )
