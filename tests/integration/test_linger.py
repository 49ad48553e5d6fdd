"""A live feed's small batches: with ``linger_ms`` a stage handed fewer entries than its
batch size waits and takes in what arrived meanwhile, in one batch."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY

from consumers.stage_runtime import Gate, StageRuntime, ensure_group
from consumers.stages import stage
from ingest.publisher import publish_articles
from schemas.streams import ARTICLES
from storywatch.service import wait_until_idle
from storywatch.settings import Settings
from storywatch.workers import Workers
from tests.integration.pipeline_harness import collect, seed_articles

pytestmark = pytest.mark.integration


def _dedup_batches() -> float:
    return REGISTRY.get_sample_value("storywatch_stage_batch_seconds_count", {"stage": "dedup"}) or 0.0


async def _batches_for_two_arrivals(redis_url: str, redis, linger_ms: int) -> tuple[float, int]:
    """Dedup batches for two articles published 300 ms apart, and the outcomes recorded."""
    await redis.flushall()
    first, second = seed_articles()[:2]
    before = _dedup_batches()
    async with Workers(redis_url, Settings(linger_ms=linger_ms)):
        await publish_articles(redis, [first])
        await asyncio.sleep(0.3)
        await publish_articles(redis, [second])
        assert await wait_until_idle(redis, timeout=60)
    result = await collect(redis)
    return _dedup_batches() - before, len(result.outcomes)


async def test_a_small_batch_lingers_and_takes_in_what_arrived(redis_url, redis):
    assert await _batches_for_two_arrivals(redis_url, redis, linger_ms=1_000) == (1, 2)
    assert await _batches_for_two_arrivals(redis_url, redis, linger_ms=0) == (2, 2)


async def test_what_arrived_is_read_for_this_consumer_and_stays_pending_until_handled(redis):
    dedup = stage("dedup")
    await ensure_group(redis, ARTICLES, dedup.group)
    await publish_articles(redis, seed_articles()[:3])
    runtime = StageRuntime(dedup, redis, Settings(), "lingering-worker", Gate())
    arrived = await runtime.read_arrived(2)
    assert len(arrived) == 2 and all(e.body for e in arrived)
    pending = await redis.xpending_range(ARTICLES, dedup.group, min="-", max="+", count=10)
    assert [p["message_id"].decode() for p in pending] == [e.id for e in arrived]
    assert {p["consumer"].decode() for p in pending} == {"lingering-worker"}
    assert len(await runtime.read_arrived(10)) == 1 and await runtime.read_arrived(10) == []
