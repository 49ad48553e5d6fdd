"""Attacks on the stages that once got through (issue: nothing lost, round two), each
reproduced against a real server, in process or with real worker processes."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from consumers.stage_runtime import Entry, StageRuntime, ensure_group, lease
from consumers.stages import stage
from ingest.publisher import publish_articles
from schemas import ArticleEvents, Outcome
from schemas.streams import ARTICLES, DATA_FIELD, EVENTS, OUTCOMES, UNIQUE, dlq_stream
from storywatch.service import groups_idle
from storywatch.settings import Settings
from storywatch.workers import Workers, reclaim_once
from tests.integration.pipeline_harness import seed_articles

pytestmark = pytest.mark.integration

SETTINGS = Settings(batch_size=10, claim_idle_ms=100, max_deliveries=2, metrics_port=0)


async def _outcomes(redis: Redis) -> list[Outcome]:
    return [Outcome.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(OUTCOMES)]


async def _until(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out after {timeout} s"
        await asyncio.sleep(0.05)


async def _settled(redis: Redis, outcomes: int) -> bool:
    return await redis.xlen(OUTCOMES) >= outcomes and await groups_idle(redis)


async def test_lone_surrogate_entry_is_rejected_and_the_reclaimer_survives_it(redis: Redis, redis_url: str) -> None:
    """A raw entry whose JSON holds a lone surrogate, left pending among healthy entries by
    a consumer that died: every entry reaches an outcome."""
    await ensure_group(redis, ARTICLES, "dedup")
    healthy = seed_articles()[:3]
    await redis.xadd(ARTICLES, {DATA_FIELD: b'{"id": "\\udb48", "text": 5}'})
    await redis.xadd(ARTICLES, {DATA_FIELD: b'{"id": "ok\\udb48", "text": "\\udb48 Gipfel abgesagt", "published_at": "2025-03-01T10:00:00Z"}'})
    await publish_articles(redis, healthy)
    await redis.xreadgroup("dedup", "died", {ARTICLES: ">"}, count=10)  # then it died
    async with Workers(redis_url, SETTINGS) as workers:
        await _until(lambda: _settled(redis, 5))
        assert workers.healthy
    kinds = sorted(o.kind.value for o in await _outcomes(redis))
    assert kinds == ["processed"] * 3 + ["rejected"] * 2
    assert (await redis.xinfo_groups(ARTICLES))[0]["pending"] == 0


async def test_infrastructure_errors_back_off_without_spending_deliveries(redis: Redis) -> None:
    """Redis out of memory for many claim periods while a batch is in hand and another
    worker's reclaimer keeps looking: the stage backs off (``degraded``, so /ready says
    503), its lease keeps the entries, and once memory is back every article is processed
    and none is dead-lettered or charged another delivery."""
    articles = seed_articles()
    await ensure_group(redis, ARTICLES, "dedup")
    await publish_articles(redis, articles)
    reply = await redis.xreadgroup("dedup", "w", {ARTICLES: ">"}, count=10)
    entries = [Entry(i.decode(), f) for i, f in reply[0][1]]
    worker, other = StageRuntime(stage("dedup"), redis, SETTINGS, "w"), StageRuntime(stage("dedup"), redis, SETTINGS, "other")
    await redis.config_set("maxmemory", 1)
    try:
        async with lease(worker, [e.id for e in entries], SETTINGS.claim_idle_ms):
            task = asyncio.create_task(worker.handle(entries))
            for _ in range(SETTINGS.max_deliveries + 8):
                await asyncio.sleep(SETTINGS.claim_idle_ms / 1000)
                with contextlib.suppress(Exception):
                    await reclaim_once(other, SETTINGS)
            assert worker.degraded.startswith("OutOfMemoryError"), worker.degraded
            assert not task.done()
            await redis.config_set("maxmemory", 0)
            await asyncio.wait_for(task, timeout=20)
    finally:
        await redis.config_set("maxmemory", 0)
    assert not worker.degraded
    pending = await redis.xpending(ARTICLES, "dedup")
    assert pending["pending"] == 0 and await redis.xlen(dlq_stream(ARTICLES)) == 0
    assert await redis.xlen(UNIQUE) == len(articles)


async def test_time_zone_less_event_time_is_rejected_and_poisons_no_story(redis: Redis, redis_url: str) -> None:
    """A raw ``events`` entry with a naive event_time is rejected at track's contract;
    the real articles on that story are processed after it."""
    await ensure_group(redis, EVENTS, "track")
    real = seed_articles()
    forged = {"article_id": "naive-1", "source": "x.example", "event_time": "2025-03-01T10:00:00", "events": [
        {"type": "summit", "actors": ["Donald Trump", "Wladimir Putin"], "location": "Budapest", "status": "planned", "cue": "geplant", "evidence": "Gipfel geplant."},
    ]}
    await redis.xadd(EVENTS, {DATA_FIELD: json.dumps(forged)})
    await publish_articles(redis, real)
    async with Workers(redis_url, SETTINGS):
        await _until(lambda: _settled(redis, len(real) + 1))
    kinds = {o.article_id: o.kind.value for o in await _outcomes(redis)}
    assert kinds.pop("naive-1") == "rejected"
    assert set(kinds.values()) == {"processed"} and len(kinds) == len(real)
    assert await redis.xlen(dlq_stream(EVENTS)) == 0
    with pytest.raises(ValueError, match="timezone"):
        ArticleEvents.model_validate(forged)


async def test_an_article_without_a_time_is_rejected_before_the_dedup_index(redis: Redis, redis_url: str) -> None:
    """Rejected at the first stage, so the corrected resend is no copy of it."""
    article = seed_articles()[0]
    await ensure_group(redis, ARTICLES, "dedup")
    undated = article.model_dump(mode="json", exclude_none=True, exclude={"published_at", "received_at"})
    await redis.xadd(ARTICLES, {DATA_FIELD: json.dumps(undated)})
    async with Workers(redis_url, SETTINGS):
        await _until(lambda: _settled(redis, 1))
        await publish_articles(redis, [article])
        await _until(lambda: _settled(redis, 2))
    outcomes = await _outcomes(redis)
    assert [(o.article_id, o.kind.value, o.stage) for o in outcomes] == [(article.id, "rejected", "dedup"), (article.id, "processed", "track")]
    assert "published_at nor received_at" in (outcomes[0].error or "")


async def test_a_producer_cannot_pass_an_entry_off_as_a_replay(redis: Redis, redis_url: str) -> None:
    """A ``replay_of`` field from a producer is ignored: an edited resend of the same
    article is still a copy of the first, not a re-delivery of it."""
    article = seed_articles()[0]
    [first] = await publish_articles(redis, [article])
    edited = article.model_copy(update={"text": article.text + " Update: weitere Einzelheiten folgen.", "received_at": datetime.now(UTC)})
    for _ in range(2):
        await redis.xadd(ARTICLES, {DATA_FIELD: edited.model_dump_json(exclude_none=True), "replay_of": first})
    async with Workers(redis_url, SETTINGS):
        await _until(lambda: _settled(redis, 3))
    kinds = sorted(o.kind.value for o in await _outcomes(redis))
    assert kinds == ["duplicate", "duplicate", "processed"]


async def test_idle_consumers_with_nothing_pending_are_removed(redis: Redis, redis_url: str) -> None:
    await ensure_group(redis, UNIQUE, "extract")
    await redis.xadd(UNIQUE, {DATA_FIELD: b"{}"})
    for i in range(5):
        await redis.execute_command("XGROUP", "CREATECONSUMER", UNIQUE, "extract", f"gone-{i}")
    await redis.xreadgroup("extract", "holding", {UNIQUE: ">"}, count=1)
    runtime = StageRuntime(stage("extract"), redis, SETTINGS, "me")
    await asyncio.sleep(0.05)
    removed = await runtime.forget_idle_consumers(idle_ms=10)
    assert sorted(removed) == [f"gone-{i}" for i in range(5)]
    left = [c["name"].decode() for c in await redis.xinfo_consumers(UNIQUE, "extract")]
    assert left == ["holding"], "a consumer holding entries must stay (its entries are reclaimed, not dropped)"


async def test_a_missing_acl_permission_backs_off_without_spending_deliveries(redis: Redis, redis_url: str) -> None:
    """The worker's ACL user may not XADD (an operator's mistake): the stage backs off,
    charges nothing, and finishes once the permission is granted."""
    articles = seed_articles()[:2]
    await ensure_group(redis, ARTICLES, "dedup")
    await publish_articles(redis, articles)
    await redis.acl_setuser("limited", enabled=True, nopass=True, keys=["*"], channels=["*"], commands=["+@all", "-xadd"], reset=True)
    limited = Redis.from_url(redis_url.replace("redis://", "redis://limited@"))
    try:
        worker = StageRuntime(stage("dedup"), limited, SETTINGS, "w")
        reply = await limited.xreadgroup("dedup", "w", {ARTICLES: ">"}, count=10)
        entries = [Entry(i.decode(), f) for i, f in reply[0][1]]
        task = asyncio.create_task(worker.handle(entries))
        await _until(lambda: _degraded(worker))
        assert "permission" in worker.degraded, worker.degraded
        await redis.acl_setuser("limited", commands=["+xadd"])
        await asyncio.wait_for(task, timeout=20)
        assert not worker.degraded
    finally:
        await limited.aclose()
        await redis.acl_deluser("limited")
    assert (await redis.xpending(ARTICLES, "dedup"))["pending"] == 0 and await redis.xlen(UNIQUE) == len(articles)
    assert not await redis.hgetall("sw:failures:dedup")


async def _degraded(runtime: StageRuntime) -> bool:
    return bool(runtime.degraded)
