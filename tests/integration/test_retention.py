"""Retention never removes an entry a group still needs; it runs on schedule in the workers;
server-wide gauges come from one process and follow the groups that exist."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis

from consumers.stage_runtime import ensure_group
from ingest.publisher import publish_articles
from consumers.stages import stage
from schemas.streams import ALERTS, ARTICLES, EVENTS

DEDUP_GROUP = stage("dedup").group
from storywatch.ops import OpsDuty
from storywatch.retention import trim_all, trim_stream
from storywatch.settings import Settings
from tests.integration.fault_harness import ROOT, free_port, start_worker, wait_for
from tests.integration.pipeline_harness import seed_articles

pytestmark = pytest.mark.integration


async def _ids(redis: Redis, stream: str) -> list[str]:
    return [i.decode() for i, _ in await redis.xrange(stream)]


async def _until_older(redis: Redis, entry_id: str) -> None:
    """Wait until the server's clock is past an entry's millisecond: with a retention of
    zero hours, entries of the current millisecond are not yet older than the floor."""
    while True:
        seconds, micros = await redis.time()
        if seconds * 1000 + micros // 1000 > int(entry_id.split("-")[0]):
            return
        await asyncio.sleep(0.001)


async def test_trim_stops_at_the_first_pending_or_undelivered_entry_of_every_group(redis: Redis) -> None:
    await ensure_group(redis, ARTICLES, DEDUP_GROUP)
    ids = [(await redis.xadd(ARTICLES, {"n": str(i)})).decode() for i in range(10)]
    await _until_older(redis, ids[-1])
    await redis.xreadgroup(DEDUP_GROUP, "c1", {ARTICLES: ">"}, count=6)
    await redis.xack(ARTICLES, DEDUP_GROUP, *ids[:3])

    dry = await trim_stream(redis, ARTICLES, hours=0, dry_run=True)
    assert (dry.floor, dry.removed, dry.limited_by) == (ids[3], 3, "group dedup pending")
    assert await _ids(redis, ARTICLES) == ids, "a dry run removes nothing"

    done = await trim_stream(redis, ARTICLES, hours=0)
    assert (done.floor, done.removed, done.length) == (ids[3], 3, 7)
    assert await _ids(redis, ARTICLES) == ids[3:]

    await redis.xack(ARTICLES, DEDUP_GROUP, *ids[3:6])
    done = await trim_stream(redis, ARTICLES, hours=0)
    assert done.removed == 3 and done.limited_by == "group dedup not delivered"
    assert await _ids(redis, ARTICLES) == ids[6:], "undelivered entries stay"

    await redis.xgroup_create(ARTICLES, "audit", id="0")  # a second reader that has read nothing
    await redis.xreadgroup(DEDUP_GROUP, "c1", {ARTICLES: ">"})
    await redis.xack(ARTICLES, DEDUP_GROUP, *ids[6:])
    done = await trim_stream(redis, ARTICLES, hours=0)
    assert done.removed == 0 and done.limited_by == "group audit not delivered"

    await redis.xgroup_destroy(ARTICLES, "audit")
    kept = await trim_stream(redis, ARTICLES, hours=1)
    assert kept.removed == 0 and kept.limited_by == "age"


async def test_a_stage_input_without_its_group_is_not_trimmed(redis: Redis) -> None:
    await redis.xadd(EVENTS, {"n": "1"})
    result = await trim_stream(redis, EVENTS, hours=0)
    assert result.removed == 0 and result.limited_by == "group track missing" and result.length == 1


async def test_a_stream_without_groups_is_trimmed_by_age(redis: Redis) -> None:
    for i in range(5):
        await redis.xadd(ALERTS, {"n": str(i)})
    assert (await trim_stream(redis, ALERTS, hours=1)).removed == 0
    await _until_older(redis, (await _ids(redis, ALERTS))[-1])
    result = await trim_stream(redis, ALERTS, hours=0)
    assert result.limited_by == "age" and (result.removed, result.length) == (5, 0)
    missing = await trim_stream(redis, "no-such-stream", hours=0)
    assert (missing.removed, missing.limited_by, missing.length) == (0, "no stream", 0)


async def test_workers_trim_on_schedule_and_count_what_they_removed(redis_url: str, redis: Redis) -> None:
    from storywatch.service import outcome_counts, wait_until_idle
    from storywatch.workers import Workers

    def trimmed(stream: str) -> float:
        return REGISTRY.get_sample_value("storywatch_stream_trimmed_entries_total", {"stream": stream}) or 0.0

    before = trimmed(ARTICLES)
    retention = {"articles": 0, "articles.unique": 0, "events": 0}
    settings = Settings(claim_idle_ms=10_000, metrics_port=0, retention_hours=retention, trim_interval_s=0.2)
    articles = seed_articles()
    async with Workers(redis_url, settings) as workers:
        await publish_articles(redis, articles)
        assert await wait_until_idle(redis, timeout=60)
        deadline = asyncio.get_running_loop().time() + 60
        while asyncio.get_running_loop().time() < deadline:
            await workers.refresh_gauges()
            if not await redis.xlen(ARTICLES) and not await redis.xlen("articles.unique") and not await redis.xlen(EVENTS):
                break
            await asyncio.sleep(0.1)
    assert await redis.xlen(ARTICLES) == 0 and await redis.xlen("articles.unique") == 0 and await redis.xlen(EVENTS) == 0
    assert trimmed(ARTICLES) - before == len(articles)
    counts = await outcome_counts(redis)
    assert sum(counts.values()) == len(articles), "outcomes are kept (their retention is a week)"
    assert await redis.xlen("outcomes") == len(articles)


def test_trim_command_dry_run_reports_and_removes_nothing(redis_url: str) -> None:
    from redis import Redis as SyncRedis

    sync = SyncRedis.from_url(redis_url)
    sync.flushdb()
    newest_ms = max(int(sync.xadd(ALERTS, {"n": str(i)}).split(b"-")[0]) for i in range(3))
    def server_ms() -> int:
        seconds, micros = sync.time()
        return seconds * 1000 + micros // 1000

    wait_for(lambda: server_ms() > newest_ms, 10, "all three entries to be older than 0 hours")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | {
        "PYTHONPATH": str(ROOT), "STORYWATCH_RETENTION_HOURS": json.dumps({"alerts": 0}),
    }
    proc = subprocess.run([sys.executable, "-m", "storywatch.cli", "trim", "--dry-run", "--json", "--redis-url", redis_url],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    report = {s["stream"]: s for s in json.loads(proc.stdout)["streams"]}
    assert report["alerts"]["retention_hours"] == 0 and report["alerts"]["removed"] == 3 and report["articles"]["retention_hours"] == 1
    assert sync.xlen(ALERTS) == 3
    proc = subprocess.run([sys.executable, "-m", "storywatch.cli", "trim", "--redis-url", redis_url],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "alerts" in proc.stdout
    assert sync.xlen(ALERTS) == 0


async def test_gauges_of_a_destroyed_group_disappear(redis: Redis) -> None:
    def pending(group: str) -> float | None:
        return REGISTRY.get_sample_value("storywatch_group_pending", {"stream": ALERTS, "group": group})

    duty = OpsDuty(redis, "test-holder", Settings().retention_hours, trim_interval_s=3600)
    await redis.xadd(ALERTS, {"n": "1"})
    await redis.xgroup_create(ALERTS, "audit", id="0")
    await redis.xreadgroup("audit", "c", {ALERTS: ">"})
    await duty.tick()
    assert pending("audit") == 1
    assert REGISTRY.get_sample_value("storywatch_group_oldest_pending_age_seconds", {"stream": ALERTS, "group": "audit"}) is not None
    await redis.xgroup_destroy(ALERTS, "audit")
    await duty.tick()
    assert pending("audit") is None
    assert REGISTRY.get_sample_value("storywatch_group_oldest_pending_age_seconds", {"stream": ALERTS, "group": "audit"}) is None
    await duty.resign()
    assert REGISTRY.get_sample_value("storywatch_stream_length", {"stream": ALERTS}) is None


def _scrape(port: int) -> str:
    """The exposition text, or "" while nothing answers on the port yet."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
            return reply.read().decode()
    except OSError:
        return ""


@pytest.mark.slow
def test_server_wide_gauges_come_from_one_worker_and_counters_start_at_zero(redis_url: str, tmp_path: Path) -> None:
    from redis import Redis as SyncRedis

    SyncRedis.from_url(redis_url).flushdb()
    ports = [free_port(), free_port()]
    workers = [start_worker(redis_url, tmp_path, "--metrics-port", str(p)) for p in ports]
    try:
        def exporters() -> list[int]:
            return [p for p in ports if 'storywatch_stream_length{stream="articles"}' in _scrape(p)]

        wait_for(lambda: all("storywatch_build_info" in _scrape(p) for p in ports), 30, "both workers to serve metrics", workers)
        wait_for(lambda: len(exporters()) == 1, 30, "one worker to export the stream gauges", workers)
        leader = exporters()[0]
        for port in ports:
            text = _scrape(port)
            assert 'storywatch_dead_letters_total{stage="extract"} 0.0' in text
            assert "storywatch_build_info{" in text
            assert f"storywatch_ops_leader {1.0 if port == leader else 0.0}" in text
        gone = workers[ports.index(leader)]
        assert gone.stop() == 0
        other = ports[1 - ports.index(leader)]
        wait_for(lambda: 'storywatch_stream_length{stream="articles"}' in _scrape(other), 30, "the other worker to take over", workers)
    finally:
        for worker in workers:
            worker.stop()


async def test_the_ops_duty_compacts_and_deletes_archived_stories_and_counts_them(redis: Redis) -> None:
    from datetime import timedelta

    from consumers.story_store import ARCHIVED, COMPACTED, HOT, encode_claim, preload_commands
    from schemas.streams import story_key, timeline_key
    from storywatch.retention import StoryRetention, retire_stories
    from tests.integration.test_story_store import T0, _article
    from consumers.story_tracking import track_article

    def retired(action: str) -> float:
        return REGISTRY.get_sample_value("storywatch_stories_retired_total", {"action": action}) or 0.0

    stories = [(s, s.timeline) for a in (_article(f"a{i}", T0 + timedelta(days=10 * i), (f"A{i}", f"B{i}")) for i in range(4))
               for s in track_article(a, {}).stories.values()]
    for command in preload_commands(stories):
        await redis.execute_command(*command)
    oldest, old, older, newest = (s.story_id for s, _ in stories)  # last reported on days 0, 10, 20, 30
    for sid, (story, _) in zip((oldest, old, older), stories):  # claims that left their heads
        await redis.rpush(timeline_key(sid), *map(encode_claim, story.timeline))
    for sid, (story, _) in zip((oldest, old, older), stories):
        await redis.zrem(HOT, sid)
        await redis.zadd(ARCHIVED, {sid: story.stamp})
    await redis.zadd(HOT, {newest: stories[3][0].stamp + 5 * 86_400_000})  # the clock: day 30 (hot for 5 days)
    before = (retired("compacted"), retired("deleted"))
    policy = StoryRetention(archive_after=timedelta(days=5), compact_after=timedelta(days=12), delete_after=timedelta(days=22))
    (dry,) = await retire_stories(redis, policy, dry_run=True)
    assert (dry.compacted, dry.deleted, dry.clock) == (1, 1, (T0 + timedelta(days=30)).isoformat())
    duty = OpsDuty(redis, "me", {}, trim_interval_s=60, stories=policy)
    await duty.tick()
    await duty.resign()
    # archived 5 days after the last report: by day 30 for 25, 15 and 5 days: deleted, compacted, kept
    assert (retired("compacted") - before[0], retired("deleted") - before[1]) == (1, 1)
    assert await redis.zscore(COMPACTED, old) is not None and not await redis.exists(timeline_key(old))
    assert await redis.zscore(ARCHIVED, older) is not None and await redis.exists(timeline_key(older))
    assert not await redis.exists(story_key(oldest)) and await redis.zscore(ARCHIVED, oldest) is None
    assert await redis.zscore(HOT, newest) is not None
