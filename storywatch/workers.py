"""Running stages: FastStream batch subscribers, a reclaimer per stage, and gauges.

FastStream reads each stage's stream with XREADGROUP (COUNT = batch size) and hands
the raw entries to the stage runtime (``consumers.stage_runtime``), which decodes them
against the contract itself (so one bad record is rejected on its own instead of
failing the batch) and acknowledges them in the same commit that publishes its
outputs. FastStream's ack policy is therefore MANUAL. Entries that stay pending (a
failure, a crash, a stopped worker) are taken back by the runtime's reclaimer and
dead-lettered after too many tries.

FastStream stops a subscriber for good when its consumer group disappears (NOGROUP:
the server was flushed or restarted without its data). A watchdog notices, marks the
process failed (``/ready`` answers 503) and ``storywatch worker`` exits non-zero, so
a supervisor restarts it and start-up creates the groups again, deliberately.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from typing import Any

from faststream import AckPolicy
from faststream.redis import StreamSub
from faststream.redis.parser.message import MessageFormat

from consumers import metrics
from consumers.dedup_stage import DedupStage
from consumers.delivery.deliver import DeliveryService, DeliverySettings
from consumers.delivery.schedule import RetryPolicy
from consumers.stage_runtime import Entry, Gate, StageRuntime, backoff, ensure_group, lease
from consumers.stages import GROUP_STAGES, STAGE_NAMES
from consumers.stages import stage as stage_spec
from consumers.story_store import ensure_index
from storywatch.connections import broker, connect
from storywatch.ops import OpsDuty
from storywatch.retention import StoryRetention
from storywatch.server_check import UnsupportedServer, check_layout, refuse_cluster
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


class Workers:
    """The stages of one process. ``async with Workers(...)`` starts and stops them."""

    def __init__(
        self, redis_url: str, settings: Settings, stages: tuple[str, ...] = STAGE_NAMES, consumer: str | None = None,
        partitions: tuple[int, ...] | None = None, retire_stories: bool = True,
    ) -> None:
        """``retire_stories=False`` keeps every story (no compaction or deletion): a batch
        replay of history reports all the stories it made, however long it runs."""
        self.url = redis_url
        self.settings = settings
        self.stage_names = tuple(n for n in stages if not stage_spec(n).per_subscription)
        self.consumer = consumer or consumer_name()
        self.layout = settings.partitioning
        self.partitions = tuple(self.layout.check(p) for p in partitions) if partitions is not None else tuple(range(self.layout.count))
        """The partitions this process works on (every stage of each); others take the rest."""
        self.redis = connect(redis_url, cluster=settings.redis_cluster)
        gate = self.gate = Gate()
        self.stages = [
            StageRuntime(stage_spec(n), self.redis, settings, self.consumer, gate, partition=p, partitioning=self.layout)
            for n in self.stage_names for p in self.partitions
        ]
        self.delivery = delivery_service(self.redis, settings, self.consumer, gate) if "deliver" in stages else None
        self.broker = broker(redis_url, cluster=settings.redis_cluster)
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()
        self.failed = asyncio.Event()
        """Set when a subscriber stopped for good; the process should exit non-zero."""
        self.failure = ""
        self.running = False
        self._subscribers = [self._subscribe(stage) for stage in self.stages]
        self.ops = OpsDuty(self.redis, self.consumer, settings.retention_hours, settings.trim_interval_s, self.layout,
                           StoryRetention.of(settings) if retire_stories else None)

    @property
    def healthy(self) -> bool:
        """Running, every stage still reading and none backing off from an infrastructure
        error (what ``/ready`` reports)."""
        return self.running and not self.failed.is_set() and not any(s.degraded for s in self.stages)

    def _subscribe(self, stage: StageRuntime) -> Any:
        sub = StreamSub(
            stage.stream,
            group=stage.group,
            consumer=self.consumer,
            batch=True,
            max_records=self.settings.batch_size,
            polling_interval=self.settings.poll_interval_ms,
        )

        subscriber = self.broker.subscriber(stream=sub, ack_policy=AckPolicy.MANUAL, message_format=PassThrough, title=f"{stage.name}:{stage.stream}")  # type: ignore[call-overload]

        context = self.broker.context

        @subscriber
        async def on_batch(_body: Any) -> None:
            # the message from the context by hand: a ``Context("message")`` parameter is
            # resolved in a worker thread, a thread hop per batch (CPU, and latency on a
            # busy machine)
            raw = context.get_local("message").raw_message
            entries = [Entry(i.decode(), fields) for i, fields in zip(raw["message_ids"], raw["data"], strict=True)]
            if self.settings.linger_ms and len(entries) < self.settings.batch_size:
                # a live feed's batch of one or two pays a batch's fixed costs for each
                # entry: wait a little and take in what arrived meanwhile
                await asyncio.sleep(self.settings.linger_ms / 1000)
                try:
                    entries += await stage.read_arrived(self.settings.batch_size - len(entries))
                except Exception as exc:  # what it may have read stays pending: the reclaimer takes it back
                    log.warning("could not read what arrived while lingering; handling the batch as read", extra={"stage": stage.name, "error": f"{type(exc).__name__}: {exc}"})
            async with lease(stage, [e.id for e in entries], self.settings.claim_idle_ms):
                await stage.handle_or_record(entries)

        return subscriber

    async def __aenter__(self) -> Workers:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Create the groups (waiting for Redis with backoff), then start reading."""
        metrics.start_stage_counters(self.stage_names)
        self.warm_up()
        await _with_backoff(self._ensure_groups, "waiting for Redis to create consumer groups", self._stopping)
        await _with_backoff(self._start_reading, "waiting for Redis to start reading", self._stopping)
        self._tasks = [asyncio.create_task(self._reclaim_forever(s), name=f"reclaim-{s.name}") for s in self.stages]
        self._tasks.append(asyncio.create_task(self._gauges_forever(), name="gauges"))
        self._tasks.append(asyncio.create_task(self._watch_subscribers(), name="watchdog"))
        if self.delivery is not None:
            await self.delivery.start()
        self.running = True
        log.info("workers started", extra={"stages": ",".join(self.stage_names), "partitions": ",".join(map(str, self.partitions)), "consumer": self.consumer})

    def warm_up(self) -> None:
        """Each stage's one-time preparation, before anything is read (it blocks the
        event loop for a few hundred milliseconds, which is harmless before reading)."""
        started = time.perf_counter()
        for stage in self.stages:
            stage.logic.warm_up()
        log.info("stages warmed up", extra={"stages": ",".join(self.stage_names), "ms": round((time.perf_counter() - started) * 1000)})

    async def _start_reading(self) -> None:
        """Start the subscribers; a refusal (the server out of memory) stops them all again,
        so the next attempt starts from scratch."""
        try:
            await self.broker.start()
        except Exception:
            with contextlib.suppress(Exception):
                await self.broker.stop()
            raise

    async def _ensure_groups(self) -> None:
        await refuse_cluster(self.redis, self.layout.count)
        await check_layout(self.redis, self.layout)
        if "track" in self.stage_names:
            await ensure_index(self.redis, self.layout)  # stories written by a release before this one are found again
        for spec in GROUP_STAGES:
            for stream in self.layout.keys(spec.input):
                await ensure_group(self.redis, stream, spec.group)

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
        for stage in self.stages:
            stage.stopping.set()
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

    async def _reclaim_forever(self, stage: StageRuntime) -> None:
        """Reclaim until stopped; walks the whole pending list with the XAUTOCLAIM cursor.

        Each full walk also carries out after-commit effects left behind and removes
        consumers of dead processes that hold nothing.
        """
        interval = max(0.05, self.settings.claim_idle_ms / 4000)
        failures = 0
        cursor = "0-0"
        while not self._stopping.is_set():
            try:
                claimed, cursor = await reclaim_once(stage, self.settings, cursor)
                if cursor == "0-0":
                    await stage.drain_outbox(self.settings.claim_idle_ms / 1000)
                    await stage.forget_idle_consumers(idle_consumer_ms(self.settings))
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
            if isinstance(stage.logic, DedupStage):
                metrics.DEDUP_INDEX_SIZE.set(await stage.logic.index.size())

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


def delivery_service(redis: Any, settings: Settings, consumer: str, gate: Gate) -> DeliveryService:
    retry = RetryPolicy(settings.delivery_retry_base_s, settings.delivery_retry_max_s, settings.delivery_give_up_after_s)
    return DeliveryService(redis, consumer, settings, gate, DeliverySettings(
        retry=retry, timeout_s=settings.delivery_timeout_s, concurrency=settings.delivery_concurrency,
        batch_size=settings.batch_size, poll_ms=settings.poll_interval_ms, claim_idle_ms=settings.claim_idle_ms,
        max_deliveries=settings.max_deliveries, idle_consumer_ms=idle_consumer_ms(settings),
    ), settings.partitioning)


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


def idle_consumer_ms(settings: Settings) -> int:
    """How long a consumer with nothing pending may be silent before it counts as dead."""
    return max(1_000, 10 * settings.claim_idle_ms)


async def reclaim_once(stage: StageRuntime, settings: Settings, cursor: str = "0-0") -> tuple[int, str]:
    """One step of the reclaimer: see ``StageRuntime.reclaim_once``."""
    return await stage.reclaim_once(settings.claim_idle_ms, settings.max_deliveries, settings.batch_size, cursor)
