"""What every stage shares: reading entries, decoding the contract, writing back.

A stage gets a batch of stream entries and finishes it with ONE transaction that
publishes its outputs and acknowledges its inputs together (MULTI/EXEC): after a crash
either both happened or neither did, so at-least-once delivery never loses an article
and the stage's effects stay idempotent. Entries that fail stay pending; the reclaimer
hands them out again and dead-letters them after ``max_deliveries``.
"""

from __future__ import annotations

import json
import logging
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import ResponseError

from schemas import DeadLetter, Outcome, OutcomeKind
from schemas.streams import DATA_FIELD, KEY_PREFIX, OUTCOMES, STAGE_INPUT, dlq_stream
from storywatch import metrics

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

OUTCOME_COUNTS = f"{KEY_PREFIX}:stats:outcomes"
"""Hash: outcome kind -> number of articles, kept in the same transactions as the outcomes."""


@dataclass(slots=True)
class Entry:
    """One stream entry as read: its id, raw fields and how often it was delivered."""

    id: str
    fields: dict[bytes, bytes]
    deliveries: int = 1

    @property
    def body(self) -> bytes | None:
        return self.fields.get(DATA_FIELD.encode())


@dataclass
class Rejection:
    entry: Entry
    article_id: str
    error: str


def decode(entry: Entry, model: type[M]) -> M | Rejection:
    """The entry's body as ``model``, or a Rejection that names the entry and the problem."""
    body = entry.body
    if body is None:
        return Rejection(entry, f"entry:{entry.id}", f"entry {entry.id}: no {DATA_FIELD} field")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        return Rejection(entry, _claimed_id(body) or f"entry:{entry.id}", f"entry {entry.id}: {_summarise(exc)}")


def _claimed_id(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    inner = data.get("article")
    ident = data.get("id") or data.get("article_id") or (inner.get("id") if isinstance(inner, dict) else None)
    return str(ident)[:200] if ident else None


def _summarise(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def dump(model: BaseModel) -> dict[str, str]:
    return {DATA_FIELD: model.model_dump_json(exclude_none=True)}


@dataclass
class BatchOutput:
    """What a stage wants written for a batch, in the same transaction as the acks."""

    publish: list[tuple[str, BaseModel]] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def reject(self, stage: str, rejection: Rejection) -> None:
        """A record outside the contract: its outcome says why; it is acknowledged, not retried."""
        log.warning("rejected record", extra={"stage": stage, "entry": rejection.entry.id, "error": rejection.error})
        metrics.REJECTED.labels(stage).inc()
        self.publish.append(
            (OUTCOMES, Outcome(article_id=rejection.article_id, kind=OutcomeKind.REJECTED, stage=stage, error=rejection.error, entry_id=rejection.entry.id))
        )
        self.done.append(rejection.entry.id)

    def queue(self, pipe: Pipeline, stream: str, group: str) -> None:
        for out_stream, model in self.publish:
            pipe.xadd(out_stream, dump(model))
            if isinstance(model, Outcome):
                pipe.hincrby(OUTCOME_COUNTS, model.kind.value, 1)
        if self.done:
            pipe.xack(stream, group, *self.done)


class Stage(ABC):
    """One pipeline stage: a consumer group on its input stream."""

    name: str

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.stream, self.group = STAGE_INPUT[self.name]

    @abstractmethod
    async def process(self, entries: list[Entry]) -> BatchOutput:
        """Decide what the batch produces (may read Redis; writes go into the output)."""

    async def commit(self, out: BatchOutput) -> None:
        """Publish outputs and acknowledge inputs atomically."""
        async with self.redis.pipeline(transaction=True) as pipe:
            out.queue(pipe, self.stream, self.group)
            await pipe.execute()

    async def handle(self, entries: list[Entry]) -> None:
        """Process and commit one batch; failed entries stay pending for a retry."""
        if not entries:
            return
        started = time.perf_counter()
        metrics.MESSAGES_IN.labels(self.name).inc(len(entries))
        out = await self.process(entries)
        await self.commit(out)
        await self.record_failures(out.failed)
        metrics.PROCESSED.labels(self.name).inc(len(out.done))
        metrics.STAGE_SECONDS.labels(self.name).observe(time.perf_counter() - started)

    async def record_failures(self, failed: dict[str, str]) -> None:
        """Log failed entries and keep their last error for the dead letter."""
        for entry_id, error in failed.items():
            metrics.ERRORS.labels(self.name, "processing").inc()
            log.error("entry failed, left pending for retry", extra={"stage": self.name, "entry": entry_id, "error": error})
        if failed:
            await self.redis.hset(self._failures_key, mapping=failed)  # type: ignore[arg-type]

    @property
    def _failures_key(self) -> str:
        return f"{KEY_PREFIX}:failures:{self.name}"

    async def last_errors(self, entries: list[Entry]) -> dict[str, str]:
        """The last recorded error of each entry (a crash records none)."""
        raw = await self.redis.hmget(self._failures_key, [e.id for e in entries])
        return {
            e.id: r.decode() if r else f"not acknowledged after {e.deliveries} deliveries (the worker died or timed out)"
            for e, r in zip(entries, raw, strict=True)
        }

    async def dead_letter(self, entries: list[Entry], errors: dict[str, str]) -> None:
        """Move entries that failed ``max_deliveries`` times to the dead-letter stream."""
        async with self.redis.pipeline(transaction=True) as pipe:
            for entry in entries:
                error = errors[entry.id]
                fields = {k.decode(errors="replace"): v.decode(errors="replace") for k, v in entry.fields.items()}
                letter = DeadLetter(stage=self.name, stream=self.stream, entry_id=entry.id, error=error, deliveries=entry.deliveries, fields=fields)
                pipe.xadd(dlq_stream(self.stream), dump(letter))
                body = entry.body or b""
                pipe.hincrby(OUTCOME_COUNTS, OutcomeKind.DEAD_LETTERED.value, 1)
                pipe.xadd(OUTCOMES, dump(Outcome(article_id=_claimed_id(body) or f"entry:{entry.id}", kind=OutcomeKind.DEAD_LETTERED, stage=self.name, error=error, entry_id=entry.id)))
            pipe.xack(self.stream, self.group, *(e.id for e in entries))
            pipe.hdel(self._failures_key, *(e.id for e in entries))
            await pipe.execute()
        metrics.DEAD_LETTERS.labels(self.name).inc(len(entries))
        for entry in entries:
            log.error("dead-lettered", extra={"stage": self.name, "entry": entry.id, "error": errors[entry.id]})


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    """Create the consumer group at the start of the stream (so a backlog is read), once."""
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def entries_from_reply(reply: list[Any]) -> list[Entry]:
    """Entries from an XAUTOCLAIM/XRANGE-style list of (id, fields); deleted ones skipped."""
    return [Entry(_s(i), fields) for i, fields in reply if fields is not None]


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
