"""Running stages: FastStream batch subscribers, a reclaimer per stage, and gauges.

FastStream reads each stage's stream with XREADGROUP (COUNT = batch size) and hands
the raw entries to the stage, which decodes them against the contract itself (so one
bad record is rejected on its own instead of failing the batch) and acknowledges them
in the same transaction that publishes its outputs. FastStream's ack policy is
therefore MANUAL. Entries that stay pending (a failure, a crash, a stopped worker) are
taken back by the reclaimer with XAUTOCLAIM and dead-lettered after too many tries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from typing import Any

from faststream import AckPolicy, Context
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.parser.message import MessageFormat
from redis.asyncio import Redis

from consumers.dedup_stage import DedupStage
from consumers.extract_stage import ExtractStage
from consumers.stage_runtime import Entry, Stage, ensure_group, entries_from_reply
from consumers.track_stage import TrackStage
from schemas.streams import ALL_STREAMS, STAGE_INPUT, STAGES
from storywatch import metrics
from storywatch.settings import Settings

log = logging.getLogger(__name__)


class PassThrough(MessageFormat):
    """Leave entry bodies undecoded: each stage validates them against the contract."""

    @classmethod
    async def encode(cls, **_: Any) -> bytes:
        raise NotImplementedError("storywatch publishes with XADD, not through the broker")

    @classmethod
    def parse(cls, data: bytes) -> tuple[bytes, dict[str, Any]]:
        return b"null", {}


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def build_stage(name: str, redis: Redis, settings: Settings) -> Stage:
    if name == "dedup":
        return DedupStage(redis, window_seconds=int(settings.dedup_window_days * 86400))
    if name == "extract":
        return ExtractStage(redis)
    if name == "track":
        return TrackStage(redis)
    raise ValueError(f"unknown stage {name!r}; stages are {', '.join(STAGES)}")


class Workers:
    """The stages of one process. ``async with Workers(...)`` starts and stops them."""

    def __init__(self, redis_url: str, settings: Settings, stages: tuple[str, ...] = STAGES, consumer: str | None = None) -> None:
        self.url = redis_url
        self.settings = settings
        self.stage_names = stages
        self.consumer = consumer or consumer_name()
        self.redis = Redis.from_url(redis_url)
        self.stages = [build_stage(n, self.redis, settings) for n in stages]
        self.broker = RedisBroker(redis_url, logger=None)
        self._tasks: list[asyncio.Task[None]] = []
        self.running = False
        for stage in self.stages:
            self._subscribe(stage)

    def _subscribe(self, stage: Stage) -> None:
        sub = StreamSub(
            stage.stream,
            group=stage.group,
            consumer=self.consumer,
            batch=True,
            max_records=self.settings.batch_size,
            polling_interval=self.settings.poll_interval_ms,
        )

        @self.broker.subscriber(stream=sub, ack_policy=AckPolicy.MANUAL, message_format=PassThrough, title=f"{stage.name}:{stage.stream}")
        async def on_batch(_body: Any, message: Any = Context("message")) -> None:
            raw = message.raw_message
            entries = [Entry(i.decode(), fields) for i, fields in zip(raw["message_ids"], raw["data"], strict=True)]
            await stage.handle(entries)

    async def __aenter__(self) -> Workers:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def start(self) -> None:
        for stream, group in STAGE_INPUT.values():
            await ensure_group(self.redis, stream, group)
        await self.broker.start()
        self._tasks = [asyncio.create_task(self._reclaim_forever(s), name=f"reclaim-{s.name}") for s in self.stages]
        self._tasks.append(asyncio.create_task(self._gauges_forever(), name="gauges"))
        self.running = True
        log.info("workers started", extra={"stages": ",".join(self.stage_names), "consumer": self.consumer})

    async def stop(self) -> None:
        """Finish the batch in hand, stop reading, hand nothing half-done to anyone."""
        self.running = False
        await self.broker.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.redis.aclose()
        log.info("workers stopped", extra={"consumer": self.consumer})

    async def _reclaim_forever(self, stage: Stage) -> None:
        interval = max(0.05, self.settings.claim_idle_ms / 4000)
        while True:
            try:
                claimed = await reclaim_once(stage, self.consumer, self.settings)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis away: try again later
                log.warning("reclaim failed", extra={"stage": stage.name, "error": repr(exc)})
                claimed = 0
            if not claimed:
                await asyncio.sleep(interval)

    async def _gauges_forever(self) -> None:
        while True:
            with contextlib.suppress(Exception):
                await update_gauges(self.redis)
            await asyncio.sleep(5)


async def reclaim_once(stage: Stage, consumer: str, settings: Settings) -> int:
    """Take over entries idle longer than ``claim_idle_ms``; returns how many were claimed.

    Entries delivered more than ``max_deliveries`` times are dead-lettered; the others
    are processed one by one, so a poison entry cannot take its neighbours down with it.
    """
    redis = stage.redis
    reply = await redis.xautoclaim(stage.stream, stage.group, consumer, settings.claim_idle_ms, "0-0", count=settings.batch_size)
    entries = entries_from_reply(reply[1])
    if not entries:
        return 0
    metrics.RECLAIMED.labels(stage.name).inc(len(entries))
    pending = await redis.xpending_range(stage.stream, stage.group, min=entries[0].id, max=entries[-1].id, count=len(entries) * 2 + 10, consumername=consumer)
    counts = {p["message_id"].decode(): int(p["times_delivered"]) for p in pending}
    for entry in entries:
        entry.deliveries = counts.get(entry.id, 1)
    poison = [e for e in entries if e.deliveries > settings.max_deliveries]
    if poison:
        await stage.dead_letter(poison, await stage.last_errors(poison))
    for entry in entries:
        if entry.deliveries <= settings.max_deliveries:
            with contextlib.suppress(Exception):
                await stage.handle([entry])
    return len(entries)


async def update_gauges(redis: Redis) -> dict[str, Any]:
    """Stream lengths and per-group pending/lag, for /metrics and ``storywatch stats``."""
    info: dict[str, Any] = {}
    for stream in ALL_STREAMS:
        length = await redis.xlen(stream)
        metrics.STREAM_LENGTH.labels(stream).set(length)
        groups = await redis.xinfo_groups(stream) if length or await redis.exists(stream) else []
        info[stream] = {"length": length, "groups": {}}
        for g in groups:
            name = g["name"].decode() if isinstance(g["name"], bytes) else g["name"]
            lag = g.get("lag")
            metrics.GROUP_PENDING.labels(stream, name).set(g["pending"])
            if lag is not None:
                metrics.GROUP_LAG.labels(stream, name).set(lag)
            info[stream]["groups"][name] = {"pending": g["pending"], "lag": lag}
    return info
