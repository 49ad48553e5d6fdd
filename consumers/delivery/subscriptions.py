"""The subscription store in Redis: add, list, get, remove.

Adding a subscription creates its consumer group on ``alerts`` at once (at the stream's
end, or its start with ``from_start``), so no alert published after the answer is
missed even if no delivery worker is running yet.

A subscription's delivery keys (its outbox, due times and dead letters) live in the
slot of the ``alerts`` stream (``Partitioning.alerts_key``): with several partitions
they carry the tag ``{alerts}``, so the delivery's commit and scripts stay in one Redis
Cluster slot; with one partition their names are the single-server ones.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import ResponseError

from schemas.partitions import SINGLE, Partitioning
from schemas.streams import (
    ALERTS, DATA_FIELD, SUBSCRIPTIONS, delivery_dlq, delivery_due_key, delivery_group, delivery_payload_key, dlq_stream, failures_key, outbox_key,
    suspects_key,
)
from schemas.subscriptions import Subscription, SubscriptionRequest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryKeys:
    """The keys of one subscription's deliveries, all in the ``alerts`` stream's slot."""

    due: str
    """Sorted set: alert id -> when its next attempt is due."""
    outbox: str
    """Hash: alert id -> the delivery still to be made."""
    dlq: str
    """Stream: the deliveries its target never accepted."""

    @classmethod
    def of(cls, sub_id: str, layout: Partitioning = SINGLE) -> DeliveryKeys:
        return cls(layout.alerts_key(delivery_due_key(sub_id)), layout.alerts_key(delivery_payload_key(sub_id)), layout.alerts_key(delivery_dlq(sub_id)))


@dataclass
class Pending:
    """One delivery in the outbox."""

    alert: dict[str, Any]
    entry_id: str
    attempts: int = 0
    first_attempt_at: float | None = None
    last_error: str = ""

    def dumps(self) -> str:
        return json.dumps(self.__dict__, separators=(",", ":"))

    @classmethod
    def loads(cls, raw: bytes | str) -> Pending:
        return cls(**json.loads(raw))


def new_subscription(request: SubscriptionRequest, now: datetime | None = None) -> Subscription:
    """A subscription with a fresh id (and secret, unless the request brings one)."""
    return Subscription(
        id="sub-" + secrets.token_hex(6),
        url=str(request.url),
        format=request.format,
        filter=request.filter,
        secret=request.secret or "whsec_" + secrets.token_urlsafe(32),
        description=request.description,
        created_at=now or datetime.now(UTC),
    )


async def add(redis: Redis, request: SubscriptionRequest) -> Subscription:
    sub = new_subscription(request)
    try:
        await redis.xgroup_create(ALERTS, delivery_group(sub.id), id="0" if request.from_start else "$", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise
    await redis.hset(SUBSCRIPTIONS, sub.id, sub.model_dump_json())
    return sub


async def load_all(redis: Redis) -> list[Subscription]:
    raw = await redis.hgetall(SUBSCRIPTIONS)
    return sorted((Subscription.model_validate_json(v) for v in raw.values()), key=lambda s: (s.created_at, s.id))


async def get(redis: Redis, sub_id: str) -> Subscription | None:
    raw = await redis.hget(SUBSCRIPTIONS, sub_id)
    return Subscription.model_validate_json(raw) if raw else None


async def remove(redis: Redis, sub_id: str, layout: Partitioning = SINGLE) -> bool:
    """Forget a subscription, its consumer group and its undelivered alerts (its dead letters stay)."""
    if not await redis.hdel(SUBSCRIPTIONS, sub_id):
        return False
    try:
        await redis.xgroup_destroy(ALERTS, delivery_group(sub_id))
    except ResponseError:
        pass
    keys = DeliveryKeys.of(sub_id, layout)
    await redis.delete(keys.due, keys.outbox)
    return True


async def outbox_state(redis: Redis, sub_id: str, layout: Partitioning = SINGLE) -> dict[str, int]:
    """Deliveries waiting (not yet accepted by the target, retries included) and dead letters."""
    keys = DeliveryKeys.of(sub_id, layout)
    return {"waiting": await redis.zcard(keys.due), "dead_letters": await redis.xlen(keys.dlq)}


async def dead_letters(redis: Redis, sub_id: str, limit: int = 100, layout: Partitioning = SINGLE) -> list[tuple[str, dict[str, object]]]:
    """The subscription's dead-lettered deliveries, oldest first: (letter id, letter)."""
    raw = await redis.xrange(DeliveryKeys.of(sub_id, layout).dlq, count=limit)
    return [(i.decode(), json.loads(fields[DATA_FIELD.encode()])) for i, fields in raw]


async def replay_dead_letter(redis: Redis, sub_id: str, letter_id: str, layout: Partitioning = SINGLE) -> str:
    """Put a dead-lettered delivery back in the outbox (due now, attempts from zero) and
    remove the letter, in one transaction (one slot: the keys are beside ``alerts``);
    returns its alert id. ValueError if there is none."""
    keys = DeliveryKeys.of(sub_id, layout)
    raw = await redis.xrange(keys.dlq, min=letter_id, max=letter_id)
    if not raw:
        raise ValueError(f"no dead letter {letter_id} for subscription {sub_id}")
    letter = json.loads(raw[0][1][DATA_FIELD.encode()])
    alert_id = str(letter["alert_id"])
    pending = Pending(letter["alert"], letter["entry_id"]).dumps()
    async with redis.pipeline(transaction=True) as pipe:
        pipe.hset(keys.outbox, alert_id, pending)
        pipe.zadd(keys.due, {alert_id: int(time.time() * 1000)})
        pipe.xdel(keys.dlq, letter_id)
        await pipe.execute()
    return alert_id


def untagged_keys(sub_id: str, layout: Partitioning) -> list[tuple[str, str]]:
    """(name before, name now) of every delivery key that ``{alerts}`` renamed: a
    partitioned deployment on one server kept them untagged until the delivery ran on
    Redis Cluster too. Empty with one partition (the names never changed)."""
    if layout.single:
        return []
    stage = delivery_group(sub_id)
    names = [delivery_due_key(sub_id), delivery_payload_key(sub_id), delivery_dlq(sub_id), failures_key(stage), suspects_key(stage), outbox_key(stage)]
    return [(name, layout.alerts_key(name)) for name in names]


async def migrate_untagged(redis: Redis, sub_ids: list[str], layout: Partitioning) -> list[str]:
    """Move a subscription's delivery keys (and ``alerts.dlq``) from their untagged names
    to their ``{alerts}`` names, once, on one server (RENAMENX: where a key already has
    its new name, the old one is left alone and named in the log). A cluster never held them
    untagged: the delivery did not run there before. Returns the keys moved."""
    if layout.single or isinstance(redis, RedisCluster):
        return []
    pairs = [p for sub_id in sub_ids for p in untagged_keys(sub_id, layout)] + [(dlq_stream(ALERTS), layout.keys(dlq_stream(ALERTS))[0])]
    moved = []
    for old, new in pairs:
        if not await redis.exists(old):
            continue
        if await redis.renamenx(old, new):
            moved.append(f"{old} -> {new}")
        else:
            log.warning("a delivery key exists under both names; the untagged one is left for an operator", extra={"key": old, "in_use": new})
    return moved
