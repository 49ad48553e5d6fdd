"""The one place storywatch creates Redis clients (and FastStream's broker, which holds
its own connection), so timeouts, health checks and credentials are set once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from faststream.redis import RedisBroker, RedisClusterBroker
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import DataError
from redis.utils import HIREDIS_AVAILABLE

if HIREDIS_AVAILABLE:
    import hiredis


def connect(url: str, cluster: bool = False) -> Redis:
    """An asyncio client for ``url`` (credentials and TLS as the URL says); a cluster
    client (``connect_cluster``) when ``cluster``."""
    if cluster:
        return connect_cluster(url)  # type: ignore[return-value]  # the commands storywatch uses are the same
    client = Redis.from_url(url, health_check_interval=30)
    pool = client.connection_pool
    pool.connection_class = packed_by_hiredis(pool.connection_class)
    return client


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


def pack(args: tuple[Any, ...]) -> bytes:
    """One command in the Redis protocol, packed by hiredis in C.

    The same bytes as redis-py's asyncio packer (which the sync client already replaces
    with this one): the command name split at spaces, str as UTF-8, int and float as
    their ``repr``. That packer builds the command in Python, argument by argument; for a
    stage's commit (a hundred articles' outputs, acks and story writes in one call) it
    was a tenth of the ``dedup,track`` worker's CPU. A bool, None or any other type is a
    ``DataError``, as there.
    """
    head = args[0]
    if isinstance(head, str):
        args = (*head.encode().split(), *args[1:])
    elif b" " in head:
        args = (*head.split(), *args[1:])
    try:
        return hiredis.pack_command(args)
    except TypeError:  # a bytearray (hiredis takes str, int, float, bytes and memoryview), or a type no packer takes
        pass
    try:
        return hiredis.pack_command(tuple(bytes(a) if isinstance(a, bytearray) else a for a in args))
    except TypeError as exc:
        raise DataError(f"cannot send a command argument: {exc}") from exc


def packed_by_hiredis(base: type[AbstractConnection]) -> type[AbstractConnection]:
    """``base`` (plain, TLS or Unix socket) with its commands packed by ``pack``; ``base``
    itself when hiredis is not installed."""
    if not HIREDIS_AVAILABLE:
        return base

    class Packed(base):  # type: ignore[valid-type, misc]
        def pack_command(self, *args: Any) -> list[bytes]:
            return [pack(args)]

        def pack_commands(self, commands: Iterable[Iterable[Any]]) -> list[bytes]:
            return [b"".join(pack(tuple(command)) for command in commands)]

    Packed.__name__ = Packed.__qualname__ = f"HiredisPacked{base.__name__}"
    return Packed
