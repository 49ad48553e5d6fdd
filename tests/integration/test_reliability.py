"""The recovery machinery on a real server: fenced commits, reclaiming, dead letters, bad input."""

from __future__ import annotations

import asyncio
import json

import pytest
from redis.asyncio import Redis

from consumers.stage_runtime import FAULT_ENV, Entry, StageRuntime, Writes, ensure_group, lost_entries, queue_commit
from consumers.stages import stage
from schemas import Outcome, UniqueArticle
from schemas.streams import ARTICLES, DATA_FIELD, EVENTS, OUTCOME_COUNTS, OUTCOMES, UNIQUE, dlq_stream
from storywatch import dead_letters
from storywatch.service import groups_idle
from storywatch.settings import Settings
from storywatch.workers import Workers, reclaim_once

pytestmark = pytest.mark.integration

SETTINGS = Settings(batch_size=10, claim_idle_ms=100, max_deliveries=2, metrics_port=0)


def _unique(i: int) -> dict[str, str]:
    body = UniqueArticle.model_validate({"article": {"id": f"u-{i}", "text": f"Das Treffen von Merz und Macron in Berlin wurde abgesagt. {i}", "published_at": "2025-03-01T10:00:00Z"}, "text_hash": f"h{i}"})
    return {DATA_FIELD: body.model_dump_json()}


def ExtractStage(redis: Redis, consumer: str) -> StageRuntime:
    return StageRuntime(stage("extract"), redis, SETTINGS, consumer)


async def _read(redis: Redis, consumer: str, count: int = 10) -> list[Entry]:
    reply = await redis.xreadgroup("extract", consumer, {UNIQUE: ">"}, count=count)
    return [Entry(i.decode(), f) for i, f in reply[0][1]]


async def test_commit_of_entries_taken_over_writes_nothing(redis: Redis) -> None:
    await ensure_group(redis, UNIQUE, "extract")
    for i in range(3):
        await redis.xadd(UNIQUE, _unique(i))
    slow, fast = ExtractStage(redis, "slow"), ExtractStage(redis, "fast")
    entries = await _read(redis, "slow")
    await redis.xclaim(UNIQUE, "extract", "fast", 0, [entries[0].id])  # the reclaimer of another worker

    writes = Writes()
    writes.publish(EVENTS, UniqueArticle.model_validate_json(entries[1].body))  # anything the batch would write
    reply = await queue_commit(redis, UNIQUE, "extract", "slow", [e.id for e in entries], writes)
    assert lost_entries(reply) == {entries[0].id}
    assert await redis.xlen(EVENTS) == 0, "a fenced commit that lost an entry must write nothing"
    await slow.handle(entries)  # decided again without the lost entry
    await fast.handle([entries[0]])
    await fast.handle([entries[0]])  # at-least-once: delivered again, written once
    ids = [json.loads(f[DATA_FIELD.encode()])["article_id"] for _, f in await redis.xrange(EVENTS)]
    assert sorted(ids) == ["u-0", "u-1", "u-2"]
    assert (await redis.xinfo_groups(UNIQUE))[0]["pending"] == 0


async def test_reclaim_walks_the_pending_list_and_accounts_for_deleted_entries(redis: Redis) -> None:
    await ensure_group(redis, UNIQUE, "extract")
    for i in range(25):
        await redis.xadd(UNIQUE, _unique(i))
    entries = await _read(redis, "dead", count=25)
    await redis.xdel(UNIQUE, entries[3].id)
    await asyncio.sleep(0.15)
    runtime = ExtractStage(redis, "heir")
    settings = Settings(batch_size=4, claim_idle_ms=100, max_deliveries=2, metrics_port=0)
    cursor, claimed = "0-0", 0
    for _ in range(20):
        n, cursor = await reclaim_once(runtime, settings, cursor)
        claimed += n
        if cursor == "0-0":
            break
    assert claimed == 25 and cursor == "0-0"
    assert (await redis.xinfo_groups(UNIQUE))[0]["pending"] == 0
    letters = await dead_letters.list_letters(redis, "extract")
    assert [x.letter.entry_id for x in letters] == [entries[3].id] and "deleted" in letters[0].letter.error
    outcomes = [Outcome.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(OUTCOMES)]
    assert [o.kind.value for o in outcomes].count("dead_lettered") == 1


async def test_failing_entry_is_dead_lettered_then_replayed(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    await ensure_group(redis, UNIQUE, "extract")
    monkeypatch.setenv(FAULT_ENV, "extract:^u-1$")
    for i in range(3):
        await redis.xadd(UNIQUE, _unique(i))
    runtime = ExtractStage(redis, "w")
    await runtime.handle(await _read(redis, "w"))
    assert await redis.xlen(EVENTS) == 2
    for _ in range(SETTINGS.max_deliveries + 1):
        await asyncio.sleep(0.15)
        await reclaim_once(runtime, SETTINGS)
    [letter] = await dead_letters.list_letters(redis, "extract")
    assert letter.article_id == "u-1" and "InjectedFault" in letter.letter.error and letter.letter.deliveries > SETTINGS.max_deliveries
    assert int(await redis.hget(OUTCOME_COUNTS, "dead_lettered")) == 1

    monkeypatch.delenv(FAULT_ENV)
    new_id = await dead_letters.replay(redis, "extract", letter)
    with pytest.raises(ValueError, match="gone"):
        await dead_letters.replay(redis, "extract", letter)
    await runtime.handle(await _read(redis, "w"))
    assert await redis.xlen(dlq_stream(UNIQUE)) == 0 and int(await redis.hget(OUTCOME_COUNTS, "dead_lettered")) == 0
    replayed = await redis.xrange(UNIQUE, min=new_id, max=new_id)
    assert replayed[0][1][b"replay_of"] == letter.letter.entry_id.encode()
    assert await redis.xlen(EVENTS) == 3


BAD_BODIES: list[bytes | None] = [
    None,  # no __data__ field at all
    b"\xff\xfe\xfa not utf-8",
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    json.dumps({"id": "huge", "text": "x" * 200_001}).encode(),
    json.dumps({"id": "typed", "text": ["not", "a", "string"], "published_at": 5}).encode(),
    json.dumps({"id": "ctl", "text": "Gipfel\x00\x1b[2J abgesagt \u202e", "published_at": "2025-03-01T10:00:00Z"}).encode(),
    json.dumps({"id": "xss", "text": "<script>alert(1)</script><b>Gipfel</b> abgesagt", "published_at": "2025-03-01T10:00:00Z"}).encode(),
    b"null",
]


async def test_bad_input_gets_an_outcome_and_never_stops_a_worker(redis: Redis, redis_url: str) -> None:
    async with Workers(redis_url, SETTINGS) as workers:
        for body in BAD_BODIES:
            await redis.xadd(ARTICLES, {"junk": "1"} if body is None else {DATA_FIELD: body})
        for stream in (UNIQUE, EVENTS):  # messages that skip the contract of a later stage
            await redis.xadd(stream, {DATA_FIELD: b'{"article": 1}'})
        expected = len(BAD_BODIES) + 2
        deadline = asyncio.get_running_loop().time() + 60
        while not (await redis.xlen(OUTCOMES) >= expected and await groups_idle(redis)):
            assert asyncio.get_running_loop().time() < deadline, "timed out waiting for every bad entry's outcome"
            await asyncio.sleep(0.05)
        assert workers.healthy
    outcomes = [Outcome.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(OUTCOMES)]
    assert len(outcomes) == expected
    kinds = {o.article_id: o.kind.value for o in outcomes}
    assert kinds["ctl"] == kinds["xss"] == "processed"
    assert [o.kind.value for o in outcomes].count("rejected") == expected - 2
    assert all(o.error for o in outcomes if o.kind.value == "rejected")


async def test_missing_group_marks_the_worker_failed(redis: Redis, redis_url: str) -> None:
    workers = Workers(redis_url, SETTINGS)
    await workers.start()
    try:
        assert workers.healthy
        await redis.flushdb()  # the server lost its data: every group is gone
        await asyncio.wait_for(workers.failed.wait(), timeout=60)
        assert not workers.healthy and "consumer group missing" in workers.failure
    finally:
        await workers.stop()


async def test_hostile_article_over_budget_is_processed_without_its_events_and_counted(redis: Redis) -> None:
    """60 KB of cue words without punctuation: extraction stops at the budget, the
    article still goes on to tracking (one events record each), the next one is unharmed,
    and the metric counts the cut."""
    from consumers import metrics

    await ensure_group(redis, UNIQUE, "extract")
    hostile = ("Treffen abgesagt verschoben Putin Trump Gipfel nicht sagte ab will " * 1000)[:60_000]
    body = UniqueArticle.model_validate({"article": {"id": "hostile", "text": hostile, "published_at": "2025-03-01T10:00:00Z"}, "text_hash": "hx"})
    await redis.xadd(UNIQUE, {DATA_FIELD: body.model_dump_json()})
    await redis.xadd(UNIQUE, _unique(1))
    before = metrics.EXTRACT_OVER_BUDGET._value.get()
    tiny = Settings(batch_size=10, claim_idle_ms=100, max_deliveries=2, metrics_port=0, extract_budget_ms=1e-6)
    runtime = StageRuntime(stage("extract"), redis, tiny, "w")
    await runtime.handle(await _read(redis, "w"))
    records = {json.loads(f[DATA_FIELD.encode()])["article_id"]: json.loads(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(EVENTS)}
    assert set(records) == {"hostile", "u-1"} and records["hostile"]["events"] == []
    assert metrics.EXTRACT_OVER_BUDGET._value.get() == before + 2, "a budget of a nanosecond cuts every article that can name an event"
    assert (await redis.xinfo_groups(UNIQUE))[0]["pending"] == 0
