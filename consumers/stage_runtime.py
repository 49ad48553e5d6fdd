"""What every stage shares: reading entries, decoding the contract, writing back.

A stage gets a batch of stream entries and finishes it with ONE atomic commit (a Lua
script, ``fenced_commit.lua``) that publishes its outputs and acknowledges its inputs
together: after a crash either both happened or neither did, so at-least-once delivery
never loses an article. The commit is *fenced*: it writes only while every input entry
is still pending for this consumer, so when a slow consumer's entries were reclaimed by
another one, only one of the two results is ever written. Entries that fail stay
pending; the reclaimer hands them out again and dead-letters them after
``max_deliveries``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import ResponseError

from schemas import DeadLetter, Outcome, OutcomeKind
from schemas.errors import describe
from schemas.streams import DATA_FIELD, KEY_PREFIX, OUTCOMES, STAGE_INPUT, dlq_stream
from consumers import metrics

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

OUTCOME_COUNTS = f"{KEY_PREFIX}:stats:outcomes"
"""Hash: outcome kind -> number of articles, kept in the same transactions as the outcomes."""

REPLAY_FIELD = "replay_of"
"""Field of an entry re-injected from a dead-letter stream: the id of the original entry."""

FAULT_ENV = "STORYWATCH_FAULT_INJECT"
"""Test hook, inert unless set: ``<stage>:<regex>`` makes that stage fail every entry whose
article id matches the regex, as a bug would (the entry stays pending, is retried and is
finally dead-lettered). Used by the fault-injection tests; never set it in production."""

_COMMIT_SCRIPT = resources.files("consumers").joinpath("fenced_commit.lua").read_text()
_MAX_ID_PROBE_BYTES = 1_000_000
"""Bodies larger than this are not parsed just to find an article id for an error message."""


@dataclass(slots=True)
class Entry:
    """One stream entry as read: its id, raw fields and how often it was delivered."""

    id: str
    fields: dict[bytes, bytes]
    deliveries: int = 1

    @property
    def body(self) -> bytes | None:
        return self.fields.get(DATA_FIELD.encode())

    @property
    def origin_id(self) -> str:
        """The entry this one stands for: itself, or the original of a replayed dead letter."""
        raw = self.fields.get(REPLAY_FIELD.encode())
        return raw.decode(errors="replace") if raw else self.id


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
        return Rejection(entry, claimed_id(body) or f"entry:{entry.id}", f"entry {entry.id}: {describe(exc)}")


def claimed_id(body: bytes) -> str | None:
    """The article id a body names, if it can be read at all (for errors and outcomes).

    Never raises: the body may be anything (huge, not UTF-8, nested thousands deep).
    """
    if len(body) > _MAX_ID_PROBE_BYTES:
        return None
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    inner = data.get("article")
    ident = data.get("id") or data.get("article_id") or (inner.get("id") if isinstance(inner, dict) else None)
    return str(ident)[:200] if ident else None


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

    def writes(self, into: Writes | None = None) -> Writes:
        """The batch's publications (and outcome counters) as fenced-commit writes."""
        into = into or Writes()
        for out_stream, model in self.publish:
            into.add("XADD", out_stream, "*", *dump(model).popitem())
            if isinstance(model, Outcome):
                into.add("HINCRBY", OUTCOME_COUNTS, model.kind.value, 1)
        return into


class Writes:
    """Commands for the fenced commit: the keys they touch and their arguments."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._index: dict[str, int] = {}
        self.args: list[str | int] = []

    def add(self, command: str, key: str, *args: str | int) -> None:
        if key not in self._index:
            self.keys.append(key)
            self._index[key] = len(self.keys) + 1  # KEYS[1] is the input stream
        self.args += [command, self._index[key], len(args), *args]


def queue_commit(client: Redis | Pipeline, stream: str, group: str, consumer: str, done: list[str], writes: Writes) -> Any:
    """Send (or, on a pipeline, queue) the fenced commit of ``done`` with ``writes``."""
    keys = [stream, *writes.keys]
    args = [group, consumer, len(done), *done, *writes.args]
    return client.eval(_COMMIT_SCRIPT, len(keys), *keys, *args)


def lost_entries(reply: list[Any]) -> set[str]:
    """The entries a fenced commit found no longer ours (empty when it committed)."""
    return set() if int(reply[0]) == 1 else {_s(i) for i in reply[1:]}


def injected_faults(stage: str, entries: list[Entry]) -> dict[str, str]:
    """Errors the ``STORYWATCH_FAULT_INJECT`` test hook assigns to entries (normally none)."""
    spec = os.environ.get(FAULT_ENV)
    if not spec or not spec.startswith(f"{stage}:"):
        return {}
    pattern = re.compile(spec.split(":", 1)[1])
    return {
        e.id: f"InjectedFault: {FAULT_ENV} fails article {ident} in {stage}"
        for e in entries
        if (ident := claimed_id(e.body or b"")) and pattern.search(ident)
    }


class Stage(ABC):
    """One pipeline stage: a consumer group on its input stream."""

    name: str

    def __init__(self, redis: Redis, consumer: str = "storywatch") -> None:
        self.redis = redis
        self.consumer = consumer
        self.stream, self.group = STAGE_INPUT[self.name]

    @abstractmethod
    async def process(self, entries: list[Entry]) -> BatchOutput:
        """Decide what the batch produces (may read Redis; writes go into the output)."""

    async def commit(self, out: BatchOutput) -> set[str]:
        """Publish outputs and acknowledge inputs atomically; returns the entries lost to another consumer."""
        reply = await queue_commit(self.redis, self.stream, self.group, self.consumer, out.done, out.writes())
        return lost_entries(reply)

    async def handle(self, entries: list[Entry]) -> None:
        """Process and commit one batch; failed entries stay pending for a retry.

        When another consumer took over some entries meanwhile, nothing was written and
        the batch is decided again without them (the other consumer commits those).
        """
        if not entries:
            return
        started = time.perf_counter()
        metrics.MESSAGES_IN.labels(self.name).inc(len(entries))
        faults = injected_faults(self.name, entries)
        entries = [e for e in entries if e.id not in faults]
        while True:
            out = await self.process(entries)
            lost = await self.commit(out)
            if not lost:
                break
            log.warning("entries taken over by another consumer; batch decided again without them", extra={"stage": self.name, "lost": len(lost)})
            entries = [e for e in entries if e.id not in lost]
        out.failed.update(faults)
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
        """Move entries that failed ``max_deliveries`` times to the dead-letter stream.

        The dead letter, the ``dead_lettered`` outcome and the ack are one fenced commit.
        """
        out = BatchOutput(done=[e.id for e in entries])
        for entry in entries:
            out.publish.append((dlq_stream(self.stream), self._letter(entry, errors[entry.id])))
            out.publish.append((OUTCOMES, self._dead_outcome(entry, errors[entry.id])))
        writes = out.writes()
        for entry in entries:
            writes.add("HDEL", self._failures_key, entry.id)
        reply = await queue_commit(self.redis, self.stream, self.group, self.consumer, out.done, writes)
        if lost := lost_entries(reply):
            log.warning("dead letters taken over by another consumer", extra={"stage": self.name, "lost": len(lost)})
            return
        metrics.DEAD_LETTERS.labels(self.name).inc(len(entries))
        for entry in entries:
            log.error("dead-lettered", extra={"stage": self.name, "entry": entry.id, "error": errors[entry.id]})

    async def account_deleted(self, entry_ids: list[str]) -> None:
        """Entries that vanished from the stream while pending (XDEL, trimming) still get an outcome.

        XAUTOCLAIM drops them from the pending list and names them; they are recorded as
        dead letters without fields, so no article disappears without a trace.
        """
        error = "entry was deleted from the stream before it was processed"
        out = BatchOutput()
        for entry_id in entry_ids:
            entry = Entry(entry_id, {})
            out.publish.append((dlq_stream(self.stream), self._letter(entry, error)))
            out.publish.append((OUTCOMES, self._dead_outcome(entry, error)))
        await queue_commit(self.redis, self.stream, self.group, self.consumer, [], out.writes())
        metrics.DEAD_LETTERS.labels(self.name).inc(len(entry_ids))
        log.error("pending entries were deleted from the stream; recorded as dead letters", extra={"stage": self.name, "entries": ",".join(entry_ids)})

    def _letter(self, entry: Entry, error: str) -> DeadLetter:
        fields = {k.decode(errors="replace"): v.decode(errors="replace") for k, v in entry.fields.items()}
        return DeadLetter(stage=self.name, stream=self.stream, entry_id=entry.id, error=error, deliveries=entry.deliveries, fields=fields)

    def _dead_outcome(self, entry: Entry, error: str) -> Outcome:
        article_id = claimed_id(entry.body or b"") or f"entry:{entry.id}"
        return Outcome(article_id=article_id, kind=OutcomeKind.DEAD_LETTERED, stage=self.name, error=error, entry_id=entry.id)


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


def deleted_from_reply(reply: list[Any]) -> list[str]:
    """Ids of deleted entries in an XAUTOCLAIM reply (Redis 6.2: nil fields; 7+: third element)."""
    deleted = [_s(i) for i, fields in reply[1] if fields is None]
    return deleted + [_s(i) for i in (reply[2] if len(reply) > 2 else [])]


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
