"""Running stages: FastStream batch subscribers, a reclaimer per stage, and gauges.

FastStream reads each stage's stream with XREADGROUP (COUNT = batch size) and hands
the raw entries to the stage, which decodes them against the contract itself (so one
bad record is rejected on its own instead of failing the batch) and acknowledges them
in the same transaction that publishes its outputs. FastStream's ack policy is
therefore MANUAL. Entries that stay pending (a failure, a crash, a stopped worker) are
taken back by the reclaimer with XAUTOCLAIM and dead-lettered after too many tries.

FastStream stops a subscriber for good when its consumer group disappears (NOGROUP:
the server was flushed or restarted without its data). A watchdog notices, marks the
process failed (``/ready`` answers 503) and ``storywatch worker`` exits non-zero, so
a supervisor restarts it and start-up creates the groups again, deliberately.
"""

from __future__ import annotations

from datetime import timedelta

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator
from typing import Any

from faststream import AckPolicy, Context
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.parser.message import MessageFormat
from redis.asyncio import Redis

from consumers.dedup_stage import DedupStage
from consumers.delivery.deliver import DeliveryService, DeliverySettings
from consumers.delivery.schedule import RetryPolicy
from consumers.extract_stage import ExtractStage
from consumers.stage_runtime import Entry, Stage, deleted_from_reply, ensure_group, entries_from_reply
from consumers.track_stage import TrackStage
from schemas.streams import STAGE_INPUT, STAGES
from consumers import metrics
from storywatch.ops import OpsDuty
from storywatch.server_check import UnsupportedServer, refuse_cluster
from storywatch.settings import Settings

log = logging.getLogger(__name__)

DELIVER = "deliver"
"""Not a stream stage: the webhook delivery of every subscription (``consumers.delivery``)."""

WORKER_STAGES = (*STAGES, DELIVER)
"""What ``worker --stage`` may run."""


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


def build_stage(name: str, redis: Redis, settings: Settings, consumer: str = "storywatch") -> Stage:
    if name == "dedup":
        return DedupStage(redis, window_seconds=int(settings.dedup_window_days * 86400), consumer=consumer)
    if name == "extract":
        return ExtractStage(redis, consumer)
    if name == "track":
        return TrackStage(redis, consumer, archive_after=timedelta(days=settings.story_archive_after_days), candidates_per_term=settings.story_candidates_per_term)
    raise ValueError(f"unknown stage {name!r}; stages are {', '.join(STAGES)}")


class Workers:
    """The stages of one process. ``async with Workers(...)`` starts and stops them."""

    def __init__(self, redis_url: str, settings: Settings, stages: tuple[str, ...] = WORKER_STAGES, consumer: str | None = None) -> None:
        self.url = redis_url
        self.settings = settings
        self.stage_names = tuple(n for n in stages if n != DELIVER)
        self.consumer = consumer or consumer_name()
        self.redis = Redis.from_url(redis_url)
        self.stages = [build_stage(n, self.redis, settings, self.consumer) for n in self.stage_names]
        self.delivery = delivery_service(self.redis, settings, self.consumer) if DELIVER in stages else None
        self.broker = RedisBroker(redis_url, logger=None)
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()
        self.failed = asyncio.Event()
        """Set when a subscriber stopped for good; the process should exit non-zero."""
        self.failure = ""
        self.running = False
        self._subscribers = [self._subscribe(stage) for stage in self.stages]
        self.ops = OpsDuty(self.redis, self.consumer, settings.retention_hours, settings.trim_interval_s)

    @property
    def healthy(self) -> bool:
        """Running, and every stage still reading (what ``/ready`` reports)."""
        return self.running and not self.failed.is_set()

    def _subscribe(self, stage: Stage) -> Any:
        sub = StreamSub(
            stage.stream,
            group=stage.group,
            consumer=self.consumer,
            batch=True,
            max_records=self.settings.batch_size,
            polling_interval=self.settings.poll_interval_ms,
        )

        subscriber = self.broker.subscriber(stream=sub, ack_policy=AckPolicy.MANUAL, message_format=PassThrough, title=f"{stage.name}:{stage.stream}")

        @subscriber
        async def on_batch(_body: Any, message: Any = Context("message")) -> None:
            raw = message.raw_message
            entries = [Entry(i.decode(), fields) for i, fields in zip(raw["message_ids"], raw["data"], strict=True)]
            async with lease(stage, entries, self.settings.claim_idle_ms):
                await stage.handle(entries)

        return subscriber

    async def __aenter__(self) -> Workers:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Create the groups (waiting for Redis with backoff), then start reading."""
        metrics.start_stage_counters(self.stage_names)
        await _with_backoff(self._ensure_groups, "waiting for Redis to create consumer groups", self._stopping)
        await self.broker.start()
        self._tasks = [asyncio.create_task(self._reclaim_forever(s), name=f"reclaim-{s.name}") for s in self.stages]
        self._tasks.append(asyncio.create_task(self._gauges_forever(), name="gauges"))
        self._tasks.append(asyncio.create_task(self._watch_subscribers(), name="watchdog"))
        if self.delivery is not None:
            await self.delivery.start()
        self.running = True
        log.info("workers started", extra={"stages": ",".join(self.stage_names), "consumer": self.consumer})

    async def _ensure_groups(self) -> None:
        await refuse_cluster(self.redis)
        for stream, group in STAGE_INPUT.values():
            await ensure_group(self.redis, stream, group)

    async def stop(self) -> None:
        """Finish the batch in hand, stop reading, hand nothing half-done to anyone.

        FastStream finishes the batch its subscriber holds; the reclaimers finish the
        entry they hold and then stop. Whatever is left pending for this consumer (only
        after a failure) is reclaimed by any other consumer after ``claim_idle_ms``.
        """
        self.running = False
        self._stopping.set()
        if self.delivery is not None:
            await self.delivery.stop()
        await self.broker.stop()
        _done, late = await asyncio.wait(self._tasks, timeout=10) if self._tasks else (set(), set())
        for task in late:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._tasks:  # started: the server answered; do not wait on one that never did
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._forget_consumer(), timeout=5)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ops.resign(), timeout=5)
        await self.redis.aclose()
        log.info("workers stopped", extra={"consumer": self.consumer})

    async def _forget_consumer(self) -> None:
        """Remove this consumer from its groups when it holds nothing (keeps XINFO tidy)."""
        for stage in self.stages:
            pending = await self.redis.xpending_range(stage.stream, stage.group, min="-", max="+", count=1, consumername=self.consumer)
            if not pending:
                await self.redis.xgroup_delconsumer(stage.stream, stage.group, self.consumer)

    async def _reclaim_forever(self, stage: Stage) -> None:
        """Reclaim until stopped; walks the whole pending list with the XAUTOCLAIM cursor."""
        interval = max(0.05, self.settings.claim_idle_ms / 4000)
        failures = 0
        cursor = "0-0"
        while not self._stopping.is_set():
            try:
                claimed, cursor = await reclaim_once(stage, self.consumer, self.settings, cursor)
                failures = 0
            except Exception as exc:  # Redis away: try again later, backing off
                failures += 1
                log.warning("reclaim failed; retrying", extra={"stage": stage.name, "error": repr(exc), "attempt": failures})
                claimed, cursor = 0, "0-0"
            if not claimed and cursor == "0-0":
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=backoff(failures, interval))

    async def refresh_gauges(self) -> None:
        """Server-wide gauges and retention (if this process holds the ops lease), and the dedup index size."""
        await self.ops.tick()
        for stage in self.stages:
            if isinstance(stage, DedupStage):
                metrics.DEDUP_INDEX_SIZE.set(await stage.index.size())

    async def _gauges_forever(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.refresh_gauges()
            except Exception as exc:
                log.warning("gauges and retention failed; retrying", extra={"error": repr(exc)})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=5)

    async def _watch_subscribers(self) -> None:
        """Notice a subscriber FastStream stopped for good (NOGROUP) and fail loudly."""
        while not self._stopping.is_set():
            stopped = [s.stream for s, sub in zip(self.stages, self._subscribers, strict=True) if not sub.running]
            if stopped and self.running:
                self.failure = f"stopped reading {', '.join(stopped)} (consumer group missing: server flushed or restarted without its data?)"
                log.critical("worker failed: " + self.failure, extra={"consumer": self.consumer})
                metrics.ERRORS.labels("workers", "subscriber_stopped").inc()
                self.failed.set()
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=0.5)


def delivery_service(redis: Redis, settings: Settings, consumer: str) -> DeliveryService:
    retry = RetryPolicy(settings.delivery_retry_base_s, settings.delivery_retry_max_s, settings.delivery_give_up_after_s)
    return DeliveryService(redis, consumer, DeliverySettings(
        retry=retry, timeout_s=settings.delivery_timeout_s, concurrency=settings.delivery_concurrency,
        batch_size=settings.batch_size, poll_ms=settings.poll_interval_ms, claim_idle_ms=settings.claim_idle_ms,
    ))


def backoff(failures: int, base: float, cap: float = 10.0) -> float:
    """Seconds to wait after ``failures`` failed attempts in a row: doubling, capped."""
    return min(cap, base * (2 ** min(failures, 10)))


async def _with_backoff(action: Any, what: str, stop: asyncio.Event) -> None:
    """Run ``action`` until it succeeds (or ``stop`` is set), waiting longer after each failure."""
    failures = 0
    while True:
        try:
            await action()
            return
        except UnsupportedServer:
            raise
        except Exception as exc:
            failures += 1
            if stop.is_set():
                raise
            log.warning(what, extra={"error": repr(exc), "attempt": failures})
            await asyncio.sleep(backoff(failures, 0.1))


async def reclaim_once(stage: Stage, consumer: str, settings: Settings, cursor: str = "0-0") -> tuple[int, str]:
    """Take over entries idle longer than ``claim_idle_ms``: (how many, next cursor).

    Entries delivered more than ``max_deliveries`` times are dead-lettered; the others
    are processed one by one, so a poison entry cannot take its neighbours down with it.
    Entries deleted from the stream while pending are accounted for as dead letters.
    """
    redis = stage.redis
    reply = await redis.xautoclaim(stage.stream, stage.group, consumer, settings.claim_idle_ms, cursor, count=settings.batch_size)
    next_cursor = reply[0].decode() if isinstance(reply[0], bytes) else str(reply[0])
    if deleted := deleted_from_reply(reply):
        await stage.account_deleted(deleted)
    entries = entries_from_reply(reply[1])
    if not entries:
        return len(deleted), next_cursor
    metrics.RECLAIMED.labels(stage.name).inc(len(entries))
    await _delivery_counts(stage, consumer, entries)
    poison = [e for e in entries if e.deliveries > settings.max_deliveries]
    if poison:
        await stage.dead_letter(poison, await stage.last_errors(poison))
    retry = [e for e in entries if e.deliveries <= settings.max_deliveries]
    async with lease(stage, retry, settings.claim_idle_ms):
        for entry in retry:
            await _retry(stage, entry)
    return len(entries) + len(deleted), next_cursor


_RENEW = """
local n = 0
for i = 3, #ARGV do
  if #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2]) > 0 then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    n = n + 1
  end
end
return n
"""
"""Reset the idle time of entries still pending for this consumer (JUSTID: the delivery
count stays as it is)."""


@contextlib.asynccontextmanager
async def lease(stage: Stage, entries: list[Entry], claim_idle_ms: int) -> AsyncIterator[None]:
    """Keep entries in hand from looking abandoned while they are being worked on.

    Every third of ``claim_idle_ms`` their idle time is reset, so other consumers reclaim
    only from a consumer that died or hangs (its event loop stops renewing), not from one
    that is merely slow, and a slow batch does not use up delivery attempts. Renewal
    stops after ``MAX_LEASE_RENEWALS`` so an endless await cannot hold entries forever.
    """
    if not entries:
        yield
        return
    ids = [e.id for e in entries]
    released = asyncio.Event()

    async def renew() -> None:
        for _ in range(MAX_LEASE_RENEWALS):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(released.wait(), timeout=claim_idle_ms / 3000)
                return
            with contextlib.suppress(Exception):
                await stage.redis.eval(_RENEW, 1, stage.stream, stage.group, stage.consumer, *ids)

    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        released.set()
        await task  # never cancelled mid-command: a cancelled call would cost its connection


MAX_LEASE_RENEWALS = 30


async def _delivery_counts(stage: Stage, consumer: str, entries: list[Entry]) -> None:
    """Fill in each entry's delivery count from XPENDING (XAUTOCLAIM counted this one)."""
    ids = sorted((e.id for e in entries), key=lambda i: tuple(int(p) for p in i.split("-")))
    pending = await stage.redis.xpending_range(stage.stream, stage.group, min=ids[0], max=ids[-1], count=len(entries) * 2 + 10, consumername=consumer)
    counts = {p["message_id"].decode(): int(p["times_delivered"]) for p in pending}
    for entry in entries:
        entry.deliveries = counts.get(entry.id, 1)


async def _retry(stage: Stage, entry: Entry) -> None:
    """Process one reclaimed entry; an exception is recorded as its error, never raised."""
    try:
        await stage.handle([entry])
    except Exception as exc:
        log.error("reclaimed entry failed again", extra={"stage": stage.name, "entry": entry.id, "error": repr(exc)}, exc_info=True)
        with contextlib.suppress(Exception):
            await stage.record_failures({entry.id: f"{type(exc).__name__}: {exc}"})
