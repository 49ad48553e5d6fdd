"""The partition count of a deployment that holds data cannot change: workers refuse.

Every key's name and every article's and story's partition depend on the count, so a
worker started with another one would work on keys nobody else uses while the data
already there is never read. The first worker records the count; later ones compare.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from redis.asyncio import Redis

from schemas.streams import ARTICLES, DATA_FIELD, LAYOUT
from storywatch.server_check import LayoutMismatch, check_layout
from storywatch.settings import Settings
from storywatch.workers import Workers
from tests.integration.fault_harness import ROOT

pytestmark = pytest.mark.integration


def settings(partitions: int) -> Settings:
    return Settings(claim_idle_ms=10_000, partition_count=partitions, metrics_port=0)  # type: ignore[arg-type]


async def test_the_first_worker_records_the_count_and_a_worker_with_another_refuses(redis_url: str, redis: Redis) -> None:
    async with Workers(redis_url, settings(3)):
        pass
    assert await redis.get(LAYOUT) == b"partitions=3"
    async with Workers(redis_url, settings(3)):  # the same count starts again
        pass
    for other in (1, 4):
        workers = Workers(redis_url, settings(other))
        with pytest.raises(LayoutMismatch, match=f"partitions = 3 .*STORYWATCH_PARTITION_COUNT={other}"):
            await workers.start()
        await workers.stop()
    assert await redis.get(LAYOUT) == b"partitions=3"


async def test_data_from_before_the_record_is_recognised_by_its_keys(redis: Redis) -> None:
    await redis.xadd(ARTICLES, {DATA_FIELD: b"{}"})  # the single-server layout's stream
    with pytest.raises(LayoutMismatch, match=r"\(articles exists\)"):
        await check_layout(redis, settings(3).partitioning)
    await check_layout(redis, settings(1).partitioning)
    assert await redis.get(LAYOUT) == b"partitions=1"
    await redis.flushdb()
    await redis.xadd("articles:{p4}", {DATA_FIELD: b"{}"})  # five partitions or more
    with pytest.raises(LayoutMismatch, match=r"articles:\{p4\} exists"):
        await check_layout(redis, settings(4).partitioning)
    assert await redis.get(LAYOUT) is None  # nothing recorded by a refused start


def test_the_cli_exits_5_and_says_why(redis_url: str, sync_redis) -> None:  # type: ignore[no-untyped-def]
    sync_redis.set(LAYOUT, "partitions=6")
    run = [sys.executable, "-m", "storywatch.cli", "worker", "--redis-url", redis_url, "--metrics-port", "0", "--partition-count", "2"]
    out = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 5, out.stderr
    assert "partitions = 6" in out.stderr and "STORYWATCH_PARTITION_COUNT=2" in out.stderr
    stats = subprocess.run([sys.executable, "-m", "storywatch.cli", "stats", "--redis-url", redis_url], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert stats.returncode == 5 and "partitions = 6" in stats.stderr  # other commands check too
