"""What storywatch refuses to run against, found out at start instead of by looping."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import NoPermissionError

from schemas.partitions import Partitioning
from schemas.streams import LAYOUT


class UnsupportedServer(RuntimeError):
    """The server is reachable but of a kind storywatch cannot work with."""


class LayoutMismatch(UnsupportedServer):
    """The server holds data laid out in another partition count than configured."""


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


async def check_layout(redis: Redis, layout: Partitioning, record: bool = True) -> None:
    """Raise LayoutMismatch when the server's data was written with another partition
    count; otherwise record this one (once: the first worker of a deployment writes it;
    the other commands only check, with ``record`` off).

    The partition count decides every key's name and every article's and story's
    partition: a worker started with another count would read none of the streams,
    stories and dead letters already there and split stories in two, losing nothing
    visibly but working on the wrong keys. Data from before the record existed is
    recognised by its keys (``Partitioning.traces``). A user the ACL does not let read
    the record (a producer's) skips the check; the workers make it.
    """
    try:
        found = await redis.get(LAYOUT)
    except NoPermissionError:
        return
    if found is None:
        for key in layout.traces():
            if await _visible(redis, key):
                raise LayoutMismatch(
                    f"the server holds data in another partition layout ({key} exists) than STORYWATCH_PARTITION_COUNT={layout.count}: "
                    "start every process with the partition count the data was written with (changing it is not supported: keys and "
                    f"routing change), or empty the server; then the first worker records it in {LAYOUT}"
                )
        if not record or await redis.set(LAYOUT, layout.record(), nx=True):
            return
        found = await redis.get(LAYOUT)
    recorded = found.decode() if isinstance(found, bytes) else str(found)
    if recorded != layout.record():
        raise LayoutMismatch(
            f"the server's data is laid out in {recorded.replace('=', ' = ')} ({LAYOUT}) but this process has "
            f"STORYWATCH_PARTITION_COUNT={layout.count}: start it with the recorded count; the count of a deployment that "
            "holds data cannot change (every key's name and every story's partition depend on it)"
        )


async def _visible(redis: Redis, key: str) -> bool:
    """Whether ``key`` exists; False where the ACL keeps the key from this user (its
    data is not this user's to work on: the README's worker user covers one layout)."""
    try:
        return bool(await redis.exists(key))
    except NoPermissionError:
        return False
