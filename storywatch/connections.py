"""The one place storywatch creates Redis clients (and FastStream's broker, which holds
its own connection), so timeouts, health checks and credentials are set once."""

from __future__ import annotations

from faststream.redis import RedisBroker
from redis.asyncio import Redis


def connect(url: str) -> Redis:
    """An asyncio client for ``url`` (credentials and TLS as the URL says)."""
    return Redis.from_url(url, health_check_interval=30)


def broker(url: str) -> RedisBroker:
    """The FastStream broker that reads the stages' streams."""
    return RedisBroker(url, logger=None)
