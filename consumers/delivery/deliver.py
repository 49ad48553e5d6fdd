"""Delivering alerts to webhooks: the ``deliver`` stage, one runtime per subscription.

``deliver`` is declared in the stage table (``consumers.stages``) with
``per_subscription``: every subscription has its own consumer group on ``alerts``
(``deliver:<id>``) and its own ``StageRuntime``, so a slow or dead target holds up no
other subscription. For each batch the runtime decodes the alerts, asks
``DeliveryLogic.decide`` (pure: ``plan``) which ones the subscription wants, and commits
the acknowledgements with one after-commit effect per wanted alert, keyed by alert id.
The effect schedules the delivery in the subscription's outbox (a hash of deliveries and
a sorted set of when each is due; idempotent by alert id, so an effect carried out twice
schedules one delivery). The runtime reclaims what a dead worker read, and carries out
effects a crash left in its own outbox.

The sender then works the outbox: it leases each due delivery (its due time moves past
the request's timeout, so two workers never send it at once), POSTs it signed, and on a
2xx removes it. A failure schedules the next attempt with exponential back-off and
jitter; a delivery still failing after ``give_up_after_s``, or refused outright (a 4xx
other than 408/425/429), moves to the subscription's own dead-letter stream.

Delivery is at least once: a worker killed between the target's answer and the removal
sends that delivery again, with the same ``Idempotency-Key`` (the alert id).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass, replace
from typing import Any

import httpx
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from consumers import metrics
from consumers.delivery.filters import matches
from consumers.delivery.schedule import RetryPolicy, retryable
from consumers.delivery.subscriptions import DeliveryKeys, Pending, load_all, migrate_untagged
from consumers.delivery.webhooks import build_request
from consumers.stage_runtime import Decision, Entry, Gate, Item, StageLogic, StageOptions, StageRuntime, StageSpec, View, lease
from consumers.stages import stage as stage_spec
from schemas import Alert
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import ALERTS, DATA_FIELD, delivery_group
from schemas.subscriptions import Subscription

log = logging.getLogger(__name__)

_SCHEDULE = """
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3]) == 1 then
  redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
end
return 1
"""
"""Schedule one delivery, once per alert id (the after-commit effect)."""

_LEASE_DUE = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local out = {}
for _, id in ipairs(ids) do
  local body = redis.call('HGET', KEYS[2], id)
  if body then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
    table.insert(out, id)
    table.insert(out, body)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
"""
"""Take the due deliveries and push their due time past the lease (no other sender takes them)."""


@dataclass(frozen=True)
class DeliverySettings:
    retry: RetryPolicy = RetryPolicy()
    timeout_s: float = 10.0
    concurrency: int = 8
    batch_size: int = 100
    poll_ms: int = 100
    claim_idle_ms: int = 30_000
    max_deliveries: int = 5
    idle_consumer_ms: int = 600_000
    refresh_s: float = 1.0


def plan(sub: Subscription, alerts: list[tuple[str, Alert]]) -> tuple[list[str], dict[str, Pending]]:
    """Which alerts become deliveries (pure): (entry ids to acknowledge: all of them,
    alert id -> delivery for the ones the filter wants, each alert id once)."""
    wanted: dict[str, Pending] = {}
    for entry_id, alert in alerts:
        if matches(sub.filter, alert):
            wanted.setdefault(alert.alert_id, Pending(alert.model_dump(mode="json", exclude_none=True), entry_id))
    return [entry_id for entry_id, _ in alerts], wanted


class DeliveryLogic(StageLogic[Alert]):
    """The ``deliver`` stage for one subscription: a side-effect-free decision, and an
    after-commit effect idempotent by alert id (scheduling the delivery)."""

    def __init__(self, sub: Subscription, redis: Redis, scheduled: asyncio.Event, keys: DeliveryKeys) -> None:
        self.sub = sub
        self.redis = redis
        self.scheduled = scheduled
        self.keys = keys

    async def decide(self, items: list[Item[Alert]], view: View) -> Decision:
        done, wanted = plan(self.sub, [(i.entry.id, i.message) for i in items])
        return Decision(done=done, effects={alert_id: pending.dumps() for alert_id, pending in wanted.items()})

    async def effect(self, key: str, payload: str) -> None:
        await self.redis.eval(_SCHEDULE, 2, self.keys.due, self.keys.outbox, key, int(time.time() * 1000), payload)
        self.scheduled.set()


def subscription_spec(sub: Subscription, scheduled: asyncio.Event, keys: DeliveryKeys) -> StageSpec:
    """The ``deliver`` row of the stage table, for one subscription: its own group, its
    own failures and outbox keys, its own metrics label."""
    return replace(stage_spec("deliver"), name=delivery_group(sub.id), build=lambda redis, _options: DeliveryLogic(sub, redis, scheduled, keys))


class SubscriptionWorker:
    """Runs one subscription: its stage runtime reading the group, and its sender."""

    def __init__(
        self, sub: Subscription, redis: Redis, consumer: str, options: StageOptions, gate: Gate, settings: DeliverySettings, layout: Partitioning = SINGLE,
    ) -> None:
        self.sub = sub
        self.redis = redis
        self.keys = DeliveryKeys.of(sub.id, layout)
        # its own connection pool: one target's slow connections never queue another's requests
        limits = httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency)
        self.http = httpx.AsyncClient(follow_redirects=False, limits=limits, trust_env=False)
        self.consumer = consumer
        self.settings = settings
        self.wake = asyncio.Event()
        # every key its commit touches is beside alerts: one Redis Cluster slot
        self.runtime = StageRuntime(subscription_spec(sub, self.wake, self.keys), redis, options, consumer, gate, partitioning=layout)
        self.group = self.runtime.group
        self.due_key = self.keys.due
        self.outbox_key = self.keys.outbox
        self.stopping = self.runtime.stopping
        self._sending: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(settings.concurrency)

    async def run(self) -> None:
        tasks = [asyncio.create_task(self._read_forever()), asyncio.create_task(self._reclaim_forever()), asyncio.create_task(self._send_forever())]
        try:
            await self.stopping.wait()
        finally:
            self.wake.set()
            _done, late = await asyncio.wait(tasks, timeout=self.settings.timeout_s + 1)
            for task in late:
                task.cancel()
            if self._sending:
                await asyncio.wait(self._sending, timeout=self.settings.timeout_s + 1)
            await self.http.aclose()
            with contextlib.suppress(Exception):  # keep the group's consumer list tidy
                if not await self.redis.xpending_range(ALERTS, self.group, min="-", max="+", count=1, consumername=self.consumer):
                    await self.redis.xgroup_delconsumer(ALERTS, self.group, self.consumer)

    # --- reading: the stage runtime decides and commits --------------------------------

    async def _read_forever(self) -> None:
        failures = 0
        while not self.stopping.is_set():
            try:
                reply = await self.redis.xreadgroup(self.group, self.consumer, {ALERTS: ">"}, count=self.settings.batch_size, block=self.settings.poll_ms)
                failures = 0
            except ResponseError as exc:
                if "NOGROUP" in str(exc):  # removed meanwhile; the service stops this worker
                    log.warning("subscription's group is gone", extra={"subscription": self.sub.id})
                    await self._pause(1.0)
                    continue
                failures += 1
                await self._pause(_backoff(failures), exc)
                continue
            except Exception as exc:  # Redis away: back off, nothing is lost (the group keeps its place)
                failures += 1
                await self._pause(_backoff(failures), exc)
                continue
            if reply:
                entries = [Entry(_s(i), fields) for i, fields in reply[0][1]]
                async with lease(self.runtime, [e.id for e in entries], self.settings.claim_idle_ms):
                    await self.runtime.handle_or_record(entries)

    async def _reclaim_forever(self) -> None:
        """What a dead worker read is decided again; effects a crash left behind are carried out."""
        interval = max(0.05, self.settings.claim_idle_ms / 4000)
        failures = 0
        cursor = "0-0"
        while not self.stopping.is_set():
            try:
                claimed, cursor = await self.runtime.reclaim_once(self.settings.claim_idle_ms, self.settings.max_deliveries, self.settings.batch_size, cursor)
                if cursor == "0-0":
                    await self.runtime.drain_outbox(self.settings.claim_idle_ms / 1000)
                    await self.runtime.forget_idle_consumers(self.settings.idle_consumer_ms)
                failures = 0
            except Exception as exc:
                failures += 1
                log.warning("delivery reclaim failed; retrying", extra={"subscription": self.sub.id, "error": repr(exc), "attempt": failures})
                claimed, cursor = 0, "0-0"
            if not claimed and cursor == "0-0":
                await self._pause(_backoff(failures) if failures else interval)

    # --- sending ---------------------------------------------------------------------

    async def _send_forever(self) -> None:
        failures = 0
        while not self.stopping.is_set():
            self.wake.clear()  # before looking: a commit from now on wakes the wait below
            try:
                sent = await self.send_due()
                wait = 0.0 if sent else await self._until_next_due()
                failures = 0
            except Exception as exc:
                failures += 1
                await self._pause(_backoff(failures), exc)
                continue
            if wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout=wait)

    async def _until_next_due(self) -> float:
        first = await self.redis.zrange(self.due_key, 0, 0, withscores=True)
        if not first:
            return 1.0
        return min(1.0, max(0.01, first[0][1] / 1000 - time.time()))

    async def send_due(self) -> int:
        """Lease the due deliveries and send each (at most ``concurrency`` at once)."""
        free = self.settings.concurrency - len(self._sending)
        if free <= 0:
            await asyncio.wait(self._sending, return_when=asyncio.FIRST_COMPLETED)
            return 1
        now_ms = int(time.time() * 1000)
        lease_ms = int((self.settings.timeout_s + 5) * 1000)
        flat = await self.redis.eval(_LEASE_DUE, 2, self.due_key, self.outbox_key, now_ms, now_ms + lease_ms, free)
        for alert_id, raw in zip(flat[::2], flat[1::2], strict=True):
            task = asyncio.create_task(self._send(_s(alert_id), Pending.loads(raw)))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        return len(flat) // 2

    async def _send(self, alert_id: str, pending: Pending) -> None:
        async with self._slots:
            pending.attempts += 1
            now = time.time()
            if pending.first_attempt_at is None:
                pending.first_attempt_at = now
            try:
                request = build_request(self.sub, Alert.model_validate(pending.alert), int(now), pending.attempts)
            except ValueError as exc:  # an outbox entry no longer in the contract: nobody can send it
                pending.last_error = f"cannot build the request: {exc}"[:300]
                await self._dead_letter(alert_id, pending)
                return
            status: int | None = None
            try:
                response = await self.http.post(request.url, content=request.body, headers=request.headers, timeout=self.settings.timeout_s)
                status = response.status_code
                error = "" if 200 <= status < 300 else f"HTTP {status}: {response.text[:200]}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
            try:
                await self._settle(alert_id, pending, status, error)
            except Exception as exc:  # the lease runs out and the delivery is taken again
                log.warning("could not record a delivery's result; it will be retried", extra={"subscription": self.sub.id, "alert": alert_id, "error": repr(exc)})

    async def _settle(self, alert_id: str, pending: Pending, status: int | None, error: str) -> None:
        if not error:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.zrem(self.due_key, alert_id)
                pipe.hdel(self.outbox_key, alert_id)
                await pipe.execute()
            metrics.DELIVERIES.labels(self.sub.id, "delivered").inc()
            metrics.DELIVERY_LATENCY.observe(max(0.0, time.time() - _entry_time(pending.entry_id)))
            return
        pending.last_error = error
        now = time.time()
        if not retryable(status) or self.settings.retry.gives_up(pending.first_attempt_at or now, now):
            await self._dead_letter(alert_id, pending)
            return
        delay = self.settings.retry.delay(pending.attempts)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.outbox_key, alert_id, pending.dumps())
            pipe.zadd(self.due_key, {alert_id: int((now + delay) * 1000)}, xx=True)
            await pipe.execute()
        metrics.DELIVERIES.labels(self.sub.id, "retry").inc()
        log.warning("delivery failed; will retry", extra={"subscription": self.sub.id, "alert": alert_id, "attempt": pending.attempts, "retry_in_s": round(delay, 2), "error": error})

    async def _dead_letter(self, alert_id: str, pending: Pending) -> None:
        letter = {"subscription_id": self.sub.id, "alert_id": alert_id, "entry_id": pending.entry_id, "attempts": pending.attempts,
                  "first_attempt_at": pending.first_attempt_at, "error": pending.last_error, "alert": pending.alert}
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.keys.dlq, {DATA_FIELD: json.dumps(letter, ensure_ascii=False)})
            pipe.zrem(self.due_key, alert_id)
            pipe.hdel(self.outbox_key, alert_id)
            await pipe.execute()
        metrics.DELIVERIES.labels(self.sub.id, "dead_lettered").inc()
        log.error("delivery dead-lettered", extra={"subscription": self.sub.id, "alert": alert_id, "attempts": pending.attempts, "error": pending.last_error})

    async def _pause(self, seconds: float, exc: BaseException | None = None) -> None:
        if exc is not None:
            log.warning("delivery worker: Redis error; backing off", extra={"subscription": self.sub.id, "error": repr(exc), "retry_in_s": round(seconds, 2)})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)


class DeliveryService:
    """The subscription workers of one process, following the stored subscriptions."""

    def __init__(
        self, redis: Redis, consumer: str, options: StageOptions, gate: Gate, settings: DeliverySettings, layout: Partitioning = SINGLE,
    ) -> None:
        self.redis = redis
        self.layout = layout
        self.consumer = consumer
        self.options = options
        self.gate = gate
        self.settings = settings
        self.workers: dict[str, tuple[SubscriptionWorker, asyncio.Task[None]]] = {}
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        with contextlib.suppress(Exception):  # otherwise the follower retries with back-off
            await self.refresh()
        self._task = asyncio.create_task(self._follow(), name="deliver-subscriptions")

    async def refresh(self) -> None:
        """Start a worker per new subscription; stop those of removed or changed ones."""
        current = {s.id: s for s in await load_all(self.redis)}
        await self._migrate([i for i in current if i not in self.workers])
        for sub_id in [i for i, (w, _t) in self.workers.items() if current.get(i) != w.sub]:
            await self._stop_one(sub_id)
        for sub_id, sub in current.items():
            if sub_id not in self.workers:
                worker = SubscriptionWorker(sub, self.redis, self.consumer, self.options, self.gate, self.settings, self.layout)
                self.workers[sub_id] = (worker, asyncio.create_task(worker.run(), name=f"deliver-{sub_id}"))
                log.info("delivering subscription", extra={"subscription": sub_id, "url": sub.url})

    async def _migrate(self, sub_ids: list[str]) -> None:
        """Delivery keys a partitioned single-server deployment kept untagged move to
        their ``{alerts}`` names before their subscription runs (see ``migrate_untagged``)."""
        if sub_ids:
            for moved in await migrate_untagged(self.redis, sub_ids, self.layout):
                log.warning("moved a delivery key to the alerts stream's slot", extra={"key": moved})

    async def _follow(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                await self.refresh()
                failures = 0
            except Exception as exc:
                failures += 1
                log.warning("could not read subscriptions; retrying", extra={"error": repr(exc)})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.settings.refresh_s * (1 + min(failures, 10)))

    async def _stop_one(self, sub_id: str) -> None:
        worker, task = self.workers.pop(sub_id)
        worker.stopping.set()
        with contextlib.suppress(Exception):
            await task

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await self._task
        for sub_id in list(self.workers):
            await self._stop_one(sub_id)


def _backoff(failures: int) -> float:
    return min(5.0, 0.05 * 2 ** min(failures, 10))


def _entry_time(entry_id: str) -> float:
    return int(entry_id.split("-")[0]) / 1000


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
