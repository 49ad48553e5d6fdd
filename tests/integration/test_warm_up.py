"""A worker warms its stages up once, before it reads anything."""

from __future__ import annotations

import pytest
import redis as sync_redis

from consumers.extract_stage import ExtractStage
from ingest.publisher import publish_articles
from schemas.streams import UNIQUE
from storywatch.service import wait_until_idle
from storywatch.settings import Settings
from storywatch.workers import Workers
from tests.integration.pipeline_harness import collect, seed_articles

pytestmark = pytest.mark.integration


async def test_a_worker_warms_its_stages_up_before_it_reads(redis_url, redis, monkeypatch, caplog):
    await redis.flushall()
    warmed = []
    original = ExtractStage.warm_up

    def recording(self: ExtractStage) -> None:
        client = sync_redis.Redis.from_url(redis_url)
        readers = [c for g in client.xinfo_groups(UNIQUE) for c in client.xinfo_consumers(UNIQUE, g["name"])] if client.exists(UNIQUE) else []
        client.close()
        warmed.append(readers)
        original(self)

    monkeypatch.setattr(ExtractStage, "warm_up", recording)
    articles = seed_articles()[:2]
    with caplog.at_level("INFO", logger="storywatch.workers"):
        async with Workers(redis_url, Settings(), stages=("dedup", "extract", "track")):
            await publish_articles(redis, articles)
            assert await wait_until_idle(redis, timeout=60)
    assert warmed == [[]]  # once, and while no consumer of its stream had read anything
    assert any(r.getMessage() == "stages warmed up" for r in caplog.records)
    assert len((await collect(redis)).outcomes) == len(articles)
