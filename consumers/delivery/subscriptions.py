"""The subscription store in Redis: add, list, get, remove.

Adding a subscription creates its consumer group on ``alerts`` at once (at the stream's
end, or its start with ``from_start``), so no alert published after the answer is
missed even if no delivery worker is running yet.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from schemas.streams import ALERTS, DATA_FIELD, SUBSCRIPTIONS, delivery_dlq, delivery_due_key, delivery_group, delivery_payload_key
from schemas.subscriptions import Subscription, SubscriptionRequest


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


async def remove(redis: Redis, sub_id: str) -> bool:
    """Forget a subscription, its consumer group and its undelivered alerts (its dead letters stay)."""
    if not await redis.hdel(SUBSCRIPTIONS, sub_id):
        return False
    try:
        await redis.xgroup_destroy(ALERTS, delivery_group(sub_id))
    except ResponseError:
        pass
    await redis.delete(delivery_due_key(sub_id), delivery_payload_key(sub_id))
    return True



async def outbox_state(redis: Redis, sub_id: str) -> dict[str, int]:
    """Deliveries waiting (not yet accepted by the target, retries included) and dead letters."""
    return {"waiting": await redis.zcard(delivery_due_key(sub_id)), "dead_letters": await redis.xlen(delivery_dlq(sub_id))}


async def dead_letters(redis: Redis, sub_id: str, limit: int = 100) -> list[tuple[str, dict[str, object]]]:
    """The subscription's dead-lettered deliveries, oldest first: (letter id, letter)."""
    raw = await redis.xrange(delivery_dlq(sub_id), count=limit)
    return [(i.decode(), json.loads(fields[DATA_FIELD.encode()])) for i, fields in raw]


async def replay_dead_letter(redis: Redis, sub_id: str, letter_id: str) -> str:
    """Put a dead-lettered delivery back in the outbox (due now, attempts from zero) and
    remove the letter, in one transaction; returns its alert id. ValueError if there is none."""
    raw = await redis.xrange(delivery_dlq(sub_id), min=letter_id, max=letter_id)
    if not raw:
        raise ValueError(f"no dead letter {letter_id} for subscription {sub_id}")
    letter = json.loads(raw[0][1][DATA_FIELD.encode()])
    alert_id = str(letter["alert_id"])
    pending = Pending(letter["alert"], letter["entry_id"]).dumps()
    async with redis.pipeline(transaction=True) as pipe:
        pipe.hset(delivery_payload_key(sub_id), alert_id, pending)
        pipe.zadd(delivery_due_key(sub_id), {alert_id: int(time.time() * 1000)})
        pipe.xdel(delivery_dlq(sub_id), letter_id)
        await pipe.execute()
    return alert_id
