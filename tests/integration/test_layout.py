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


async def test_untagged_delivery_keys_of_a_partitioned_server_move_to_the_alerts_slot(redis: Redis) -> None:
    """Several partitions on one server kept a subscription's delivery keys untagged
    before they were tagged ``{alerts}``: they move, once, and nothing is overwritten."""
    from consumers.delivery.subscriptions import DeliveryKeys, migrate_untagged
    from schemas.partitions import Partitioning
    from schemas.streams import delivery_due_key, delivery_payload_key, dlq_stream, outbox_key

    layout = Partitioning(3)
    await redis.zadd(delivery_due_key("sub-a"), {"al-1": 1})
    await redis.hset(delivery_payload_key("sub-a"), "al-1", "{}")
    await redis.hset(outbox_key("deliver:sub-a"), "al-2", "{}")
    await redis.xadd(dlq_stream("alerts"), {DATA_FIELD: b"{}"})
    new = DeliveryKeys.of("sub-a", layout)
    await redis.hset(new.outbox, "al-9", "newer")  # already at its new name: left alone
    moved = await migrate_untagged(redis, ["sub-a"], layout)
    assert sorted(moved) == sorted([f"sw:deliver:sub-a:due -> {new.due}", "sw:outbox:deliver:sub-a -> sw:outbox:deliver:sub-a:{alerts}",
                                    "alerts.dlq -> alerts.dlq:{alerts}"])
    assert await redis.zrange(new.due, 0, -1) == [b"al-1"] and await redis.hgetall(new.outbox) == {b"al-9": b"newer"}
    assert await redis.hgetall(delivery_payload_key("sub-a")) == {b"al-1": b"{}"}  # not overwritten
    assert await redis.xlen("alerts.dlq:{alerts}") == 1 and not await redis.exists("alerts.dlq")
    assert await migrate_untagged(redis, ["sub-a"], Partitioning(1)) == []  # one partition: the names never changed
