"""The one place storywatch creates Redis clients (and FastStream's broker, which holds
its own connection), so timeouts, health checks and credentials are set once."""

from __future__ import annotations

from faststream.redis import RedisBroker, RedisClusterBroker
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster


def connect(url: str, cluster: bool = False) -> Redis:
    """An asyncio client for ``url`` (credentials and TLS as the URL says); a cluster
    client (``connect_cluster``) when ``cluster``."""
    if cluster:
        return connect_cluster(url)  # type: ignore[return-value]  # the commands storywatch uses are the same
    return Redis.from_url(url, health_check_interval=30)


def connect_cluster(url: str) -> RedisCluster:
    """An asyncio Redis Cluster client, seeded with the node at ``url``: redis-py's own
    cluster support follows MOVED/ASK and routes each command (and each script, by its
    keys) to the master owning its slot. Commands whose keys span slots fail with
    CROSSSLOT, which the partitioned layout (``schemas.partitions``) avoids."""
    return RedisCluster.from_url(url, health_check_interval=30)


def broker(url: str, cluster: bool = False) -> RedisBroker:
    """The FastStream broker that reads the stages' streams (FastStream's cluster broker,
    on redis-py's cluster client, for a Redis Cluster)."""
    if cluster:
        return RedisClusterBroker(url, logger=None)
    return RedisBroker(url, logger=None)
