"""The stage runtime on a real server, with a stage that has an after-commit effect and
accounts no articles (the shape of a delivery stage), and with track's copy records."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest
from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import ResponseError, WatchError

from consumers.stage_runtime import CommitStrategy, Decision, Entry, Item, StageLogic, StageRuntime, StageSpec, View, Writes, ensure_group, queue_commit
from consumers.stages import stage
from schemas import ArticleEvents, DeadLetter, Outcome
from schemas.streams import DATA_FIELD, EVENTS, OUTCOME_COUNTS, OUTCOMES, dlq_stream, outbox_key
from storywatch import dead_letters
from storywatch.connections import connect
from storywatch.settings import Settings
from storywatch.workers import reclaim_once

pytestmark = pytest.mark.integration

IN, OUT = "test.notes", "test.sent"
SETTINGS = Settings(batch_size=10, claim_idle_ms=100, max_deliveries=2, metrics_port=0)


class Note(BaseModel):
    id: str


class Notify(StageLogic[Note]):
    """Decides one record per note; its effect (a 'send') is idempotent by key."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.fail_next = 0

    async def decide(self, items: list[Item[Note]], view: View) -> Decision:
        out = Decision()
        for item in items:
            out.publish.append((OUT, item.message))
            out.effects[f"note:{item.message.id}"] = item.message.id
            out.done.append(item.entry.id)
        return out

    async def effect(self, key: str, payload: str) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionRefusedError("receiver down")
        self.sent.append(payload)


def _spec(logic: Notify) -> StageSpec:
    return StageSpec("notify", IN, Note, (OUT,), CommitStrategy.FENCED, accounts_articles=False, replay_waits=False, build=lambda _r, _o: logic)


async def _read(redis: Redis, consumer: str, stream: str = IN, group: str = "notify") -> list[Entry]:
    reply = await redis.xreadgroup(group, consumer, {stream: ">"}, count=10)
    return [Entry(i.decode(), f) for i, f in reply[0][1]]


async def test_a_batch_that_lost_entries_never_repeats_an_effect(redis: Redis) -> None:
    await ensure_group(redis, IN, "notify")
    for i in range(3):
        await redis.xadd(IN, {DATA_FIELD: Note(id=f"n{i}").model_dump_json()})
    logic = Notify()
    slow, fast = StageRuntime(_spec(logic), redis, SETTINGS, "slow"), StageRuntime(_spec(logic), redis, SETTINGS, "fast")
    entries = await _read(redis, "slow")
    await redis.xclaim(IN, "notify", "fast", 0, [entries[0].id])  # another worker's reclaimer took one

    await slow.handle(entries)  # its first commit is fenced off; decided again without n0
    await fast.handle([entries[0]])
    await fast.handle([entries[0]])  # delivered again after it was done: nothing happens twice
    assert sorted(logic.sent) == ["n0", "n1", "n2"]
    assert await redis.xlen(OUT) == 3 and await redis.hlen(outbox_key("notify")) == 0


async def test_a_failed_effect_is_kept_and_carried_out_later(redis: Redis) -> None:
    await ensure_group(redis, IN, "notify")
    await redis.xadd(IN, {DATA_FIELD: Note(id="late").model_dump_json()})
    logic = Notify()
    logic.fail_next = 1
    runtime = StageRuntime(_spec(logic), redis, SETTINGS, "w")
    await runtime.handle(await _read(redis, "w"))
    assert logic.sent == [] and await redis.hlen(outbox_key("notify")) == 1
    assert await runtime.drain_outbox(older_than_s=0) == 1
    assert logic.sent == ["late"] and await redis.hlen(outbox_key("notify")) == 0


async def test_a_stage_that_accounts_no_articles_dead_letters_instead_of_giving_outcomes(redis: Redis) -> None:
    await ensure_group(redis, IN, "notify")
    await redis.xadd(IN, {DATA_FIELD: b'{"id": 5}'})
    runtime = StageRuntime(_spec(Notify()), redis, SETTINGS, "w")
    await runtime.handle(await _read(redis, "w"))
    assert await redis.xlen(OUTCOMES) == 0 and not await redis.hgetall(OUTCOME_COUNTS)
    [(_, fields)] = await redis.xrange(dlq_stream(IN))
    letter = DeadLetter.model_validate_json(fields[DATA_FIELD.encode()])
    assert letter.stage == "notify" and not letter.outcome and "id" in letter.error
    assert (await redis.xinfo_groups(IN))[0]["pending"] == 0


async def test_a_dead_lettered_copy_record_gives_its_article_no_second_outcome(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy's article had its outcome (duplicate) at dedup; its copy record failing in
    track is dead-lettered without another outcome, and replaying it changes no count."""
    monkeypatch.setenv("STORYWATCH_FAULT_INJECT", "track:^copy-")
    await ensure_group(redis, EVENTS, "track")
    copy = ArticleEvents(article_id="copy-1", event_time=datetime(2025, 3, 1, tzinfo=UTC), duplicate_of="orig-1", source="b.example")
    await redis.xadd(EVENTS, {DATA_FIELD: copy.model_dump_json()})
    runtime = StageRuntime(stage("track"), redis, SETTINGS, "w")
    await runtime.handle(await _read(redis, "w", EVENTS, "track"))
    for _ in range(SETTINGS.max_deliveries + 1):
        await asyncio.sleep(0.15)
        await reclaim_once(runtime, SETTINGS)
    [letter] = await dead_letters.list_letters(redis, "track")
    assert letter.article_id == "copy-1" and not letter.letter.outcome
    assert await redis.xlen(OUTCOMES) == 0 and not await redis.hget(OUTCOME_COUNTS, "dead_lettered")

    monkeypatch.delenv("STORYWATCH_FAULT_INJECT")
    await dead_letters.replay(redis, "track", letter)
    await runtime.handle(await _read(redis, "w", EVENTS, "track"))
    assert not await redis.hget(OUTCOME_COUNTS, "dead_lettered")
    outcomes: list[Any] = [Outcome.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(OUTCOMES)]
    assert outcomes == []


async def test_an_output_for_another_partition_is_relayed_once(redis: Redis) -> None:
    """Partition 0's commit parks the output bound for partition 1 in its outbox; the
    relay XADDs it there once, and a repeat of the relay (a crash before the outbox was
    cleaned up) adds nothing."""
    from schemas.partitions import Partitioning

    layout = Partitioning(2)
    logic = Notify()
    spec = dataclasses.replace(_spec(logic), route=lambda _stream, message, _layout, _own: [(1, message)])
    runtime = StageRuntime(spec, redis, SETTINGS, "w", partition=0, partitioning=layout)
    await ensure_group(redis, runtime.stream, "notify")
    await redis.xadd(runtime.stream, {DATA_FIELD: Note(id="far").model_dump_json()})
    reply = await redis.xreadgroup("notify", "w", {runtime.stream: ">"}, count=10)
    entries = [Entry(i.decode(), f) for i, f in reply[0][1]]
    parked: dict[str, str] = {}
    original = runtime._carry_out

    async def keep(effects: dict[str, str]) -> None:
        parked.update(effects)
        await original(effects)

    runtime._carry_out = keep  # type: ignore[method-assign]
    await runtime.handle(entries)
    assert await redis.xlen(layout.key(OUT, 1)) == 1 and await redis.xlen(layout.key(OUT, 0)) == 0
    assert await redis.hlen(runtime.outbox) == 0
    relays = {k: v for k, v in parked.items() if k.startswith("relay:")}
    assert len(relays) == 1
    await original(relays)  # carried out again
    assert await redis.xlen(layout.key(OUT, 1)) == 1
    assert (await redis.xinfo_groups(runtime.stream))[0]["pending"] == 0


async def test_one_command_on_many_keys_is_one_op_and_commits_on_each_key_in_order(redis: Redis) -> None:
    """A story's stamp in each of its index keys travels as one op (one key index per
    key), and the commit runs it on every key, in the order the writes were queued."""
    await ensure_group(redis, IN, "notify")
    writes = Writes()
    writes.add("ZADD", "ix:a", 5, "s1")
    writes.add("ZADD", "ix:b", 5, "s1")
    writes.add("ZADD", "ix:c", 5, "s1")
    writes.add("ZREM", "ix:a", "s1")
    writes.add("ZADD", "ix:a", 7, "s2")
    writes.add("ZADD", "ix:b", 7, "s2")
    writes.add("SET", "plain", "x")
    assert writes.args.count("ZADD") == 2 and writes.args[:7] == ["ZADD", 3, 2, 3, 4, 2, 5]
    assert list(writes.ops()) == [
        ("ZADD", "ix:a", 5, "s1"), ("ZADD", "ix:b", 5, "s1"), ("ZADD", "ix:c", 5, "s1"), ("ZREM", "ix:a", "s1"),
        ("ZADD", "ix:a", 7, "s2"), ("ZADD", "ix:b", 7, "s2"), ("SET", "plain", "x"),
    ]
    assert await queue_commit(redis, IN, "notify", "c", [], writes) == [1]
    assert await redis.zrange("ix:a", 0, -1, withscores=True) == [(b"s2", 7.0)]
    assert await redis.zrange("ix:b", 0, -1, withscores=True) == [(b"s1", 5.0), (b"s2", 7.0)]
    assert await redis.zrange("ix:c", 0, -1, withscores=True) == [(b"s1", 5.0)]
    assert await redis.get("plain") == b"x"


async def test_a_read_sent_with_its_watch_is_guarded_by_it_and_leaves_the_connection_clean(redis_url: str) -> None:
    """``View.read_watched`` sends WATCH and the reads in one write: the server still takes
    the WATCH first (a write after the read fails the commit), an error reply is returned
    in its place, and the connection goes back to the pool with no reply left unread."""
    client = connect(redis_url)
    try:
        await client.flushdb()
        await client.set("a", "1")
        await client.hset("h", "f", "v")
        async with client.pipeline(transaction=True) as pipe:
            replies = await View(client, pipe).read_watched(["a", "h"], ("GET", "a"), ("HKEYS", "h"), ("HGET", "a", "x"), ("MGET", "a", "missing"))
            assert replies[:2] == [b"1", [b"f"]] and replies[3] == [b"1", None]
            assert isinstance(replies[2], ResponseError)  # WRONGTYPE, returned rather than raised
            await client.set("a", "2")  # another writer, after the read
            pipe.multi()
            pipe.set("a", "3")
            with pytest.raises(WatchError):
                await pipe.execute()
        async with client.pipeline(transaction=True) as pipe:  # the same connection, nothing stale on it
            assert await View(client, pipe).read_watched(["a"], ("GET", "a")) == [b"2"]
            pipe.multi()
            pipe.set("a", "4")
            assert await pipe.execute() == [True]
        assert await client.get("a") == b"4"
        assert await View(client, None).read_watched(["a"], ("GET", "a"), ("GET", "h")) == [b"4", mock.ANY]  # unwatched (FENCED): the reads alone
    finally:
        await client.aclose()


async def test_a_lease_keeps_a_slow_batch_fresh_and_a_quick_one_costs_no_renewal(redis: Redis) -> None:
    """Entries held past the claim idle time are renewed every third of it (their idle
    time stays below it, so no other consumer reclaims them); a batch let go before the
    first third never renews (the renewal starts on a timer, not with the batch)."""
    from consumers.stage_runtime import lease

    await ensure_group(redis, IN, "notify")
    await redis.xadd(IN, {DATA_FIELD: Note(id="n1").model_dump_json()})
    (entry,) = await _read(redis, "w")
    runtime = StageRuntime(_spec(Notify()), redis, SETTINGS, "w")
    renewals = 0
    real_eval = redis.eval

    async def counted(*args: Any) -> Any:
        nonlocal renewals
        renewals += 1
        return await real_eval(*args)

    with mock.patch.object(redis, "eval", counted):
        async with lease(runtime, [entry.id], 300):
            pass
        assert renewals == 0
        async with lease(runtime, [entry.id], 300):
            await asyncio.sleep(0.75)
    assert renewals >= 5
    (pending,) = await redis.xpending_range(IN, "notify", min="-", max="+", count=1)
    assert pending["consumer"] == b"w" and pending["time_since_delivered"] < 300
