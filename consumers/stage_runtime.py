"""The one stage runtime: it owns the batch protocol, a stage supplies only its decision.

Every stage is declared once as a ``StageSpec`` (``consumers.stages``). For each batch
the runtime alone

1. decodes every entry against the stage's message model (a record outside the
   contract is rejected on its own: an outcome for stages that account articles, a
   dead letter for the others);
2. asks the stage to ``decide`` what the batch produces. ``decide`` writes nothing
   (the dedup index's decide-and-insert is idempotent by entry: deciding again gives
   the same verdicts); it may read, and under the WATCHED strategy its reads are
   watched;
3. commits the decision with ONE atomic, *fenced* commit (``fenced_commit.lua``):
   outputs, outcomes and acknowledgements are written together, and only while every
   input entry is still pending for this consumer. After a crash either all of it
   happened or none did; when a slow consumer's entries were reclaimed by another
   one, only one of the two results is ever written. A batch that lost entries is
   decided again without them, which is harmless because nothing was written;
4. records the failures of single entries (they stay pending; the reclaimer hands them
   out again, one at a time, and dead-letters them after ``max_deliveries``);
5. carries out the stage's after-commit effects, which the commit parked in the stage's
   outbox, so an effect is never repeated for a lost batch and never lost to a crash.

Infrastructure errors (a lost connection, OOM, a missing ACL permission, a transaction
that keeps conflicting) are nobody's entry's fault: the runtime backs off and retries
the same batch in process, without spending deliveries, and says so (``degraded``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from redis import exceptions as redis_errors
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from consumers import metrics
from schemas import DeadLetter, Outcome, OutcomeKind
from schemas.errors import describe
from schemas.outcomes import TERMINAL
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import DATA_FIELD, OUTCOME_COUNTS, OUTCOMES, dlq_stream, failures_key, outbox_key, relay_marker_key, replay_marks_key, suspects_key

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

REPLAY_FIELD = "replay_of"
"""Field of an entry re-injected from a dead-letter stream: the id of the original entry.
Trusted only where ``dlq replay`` recorded it (``replay_marks_key``); a producer cannot set it."""

FAULT_ENV = "STORYWATCH_FAULT_INJECT"
"""Test hook, inert unless set: ``<stage>:<regex>`` makes that stage fail every entry whose
article id matches the regex, as a bug would (the entry stays pending, is retried and is
finally dead-lettered). Used by the fault-injection tests; never set it in production."""

CRASH_ENV = "STORYWATCH_FAULT_CRASH"
"""Test hook, inert unless set: ``<stage>:<regex>`` makes the whole process exit at once
(as a segfault or the OOM killer would) when that stage is about to decide an entry whose
article id matches. Used by the crash-loop test; never set it in production."""

MAX_ATTEMPTS = 20
"""Commits a batch may lose to concurrent writers (WATCH) before the runtime backs off."""

_COMMIT_SCRIPT = resources.files("consumers").joinpath("fenced_commit.lua").read_text()
_MAX_ID_PROBE_BYTES = 1_000_000
"""Bodies larger than this are not parsed just to find an article id for an error message."""


class CommitStrategy(Enum):
    """How a stage's decision is committed.

    FENCED: the fenced commit alone (the decision depends on nothing another worker may
    change between deciding and committing, or on a state that is itself idempotent).
    WATCHED: the fenced commit inside MULTI/EXEC, under WATCH of every key the decision
    read, so a batch decided on state another worker changed meanwhile is decided again.
    """

    FENCED = "fenced"
    WATCHED = "watched"


class StageOptions(Protocol):
    """What stages may be configured with (the service's settings satisfy it)."""

    dedup_window_days: float
    extract_budget_ms: float
    story_candidates_per_term: int
    story_archive_after_days: float
    story_await_max_days: float
    alert_policy: Path | None


@dataclass(frozen=True)
class StageSpec:
    """One stage, declared once: everything the worker, ``replay``, ``stats``, ``dlq``
    and the metrics need to know about it."""

    name: str
    input: str
    """The stream it reads; its consumer group is named after the stage."""
    model: type[BaseModel]
    """The message model every input entry is decoded against."""
    outputs: tuple[str, ...]
    """The streams it writes (besides its dead-letter stream)."""
    commit: CommitStrategy
    accounts_articles: bool
    """Whether its entries carry articles whose outcome is still open: then a rejected or
    dead-lettered entry gives its article an outcome (unless the message says it has one)."""
    replay_waits: bool
    """Whether batch ``replay`` waits for this stage to be idle before collecting results."""
    build: Callable[[Redis, StageOptions], StageLogic[Any]]
    route: Callable[[str, BaseModel, Partitioning, int], list[tuple[int, BaseModel]]] | None = None
    """The partitions an output message goes to, with the message each one gets (stream,
    message, layout, own partition); None: always the stage's own partition."""
    per_subscription: bool = False
    """Read by one consumer group per subscription (named after the stage and the
    subscription) instead of one for the stage: the delivery service starts a runtime per
    subscription (``consumers.delivery``); the stage's own group is never created."""

    @property
    def group(self) -> str:
        return self.name

    @property
    def dlq(self) -> str:
        return dlq_stream(self.input)


@dataclass(slots=True)
class Entry:
    """One stream entry as read: its id, raw fields and how often it was delivered."""

    id: str
    fields: dict[bytes, bytes]
    deliveries: int = 1
    origin: str | None = None
    """The entry a replayed dead letter stands for, once the runtime verified the mark."""

    @property
    def body(self) -> bytes | None:
        return self.fields.get(DATA_FIELD.encode())

    @property
    def origin_id(self) -> str:
        """The entry this one stands for: itself, or the original of a replayed dead letter."""
        return self.origin or self.id


@dataclass(slots=True)
class Item(Generic[M]):
    """An entry decoded against its stage's contract."""

    entry: Entry
    message: M


@dataclass
class Rejection:
    entry: Entry
    article_id: str
    error: str


def clean(text: str) -> str:
    """``text`` with anything that cannot be written as UTF-8 (lone surrogates) replaced,
    so that an outcome or dead letter about any input can always be serialised."""
    return text.encode("utf-8", "replace").decode("utf-8")


def decode(entry: Entry, model: type[M]) -> M | Rejection:
    """The entry's body as ``model``, or a Rejection that names the entry and the problem."""
    body = entry.body
    if body is None:
        return Rejection(entry, f"entry:{entry.id}", f"entry {entry.id}: no {DATA_FIELD} field")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        return Rejection(entry, claimed_id(body) or f"entry:{entry.id}", clean(f"entry {entry.id}: {describe(exc)}"))


def claimed_id(body: bytes) -> str | None:
    """The article id a body names, if it can be read at all (for errors and outcomes).

    Never raises: the body may be anything (huge, not UTF-8, nested thousands deep, lone
    surrogates); the id returned is always writable.
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
    return clean(str(ident)[:200]) if ident else None


def dump(model: BaseModel) -> dict[str, str]:
    return {DATA_FIELD: model.model_dump_json(exclude_none=True)}


def body(model: BaseModel) -> bytes:
    """``dump``'s body as the UTF-8 bytes pydantic serialises to: the same bytes on the
    wire without making a str of them and encoding it again (an article's ~3 KB)."""
    return model.__pydantic_serializer__.to_json(model, exclude_none=True)


class Writes:
    """Commands for the fenced commit: the keys they touch and their arguments.

    ``key`` names a stream or bookkeeping key in the committing partition (see
    ``schemas.partitions``); the runtime sets it, so ``publish`` writes the partition's
    streams and counts. ``add`` writes exactly the key it is given.
    """

    def __init__(self, key: Callable[[str], str] | None = None) -> None:
        self.key: Callable[[str], str] = key or _same
        self.keys: list[str] = []
        self._index: dict[str, int] = {}
        self.args: list[str | int | bytes] = []
        """Ops, each: command, n, the n key indexes (into the script's KEYS), argument count, arguments."""
        self._last: tuple[int, str, tuple[str | int | bytes, ...]] | None = None
        """Where the last op starts in ``args``, its command and its arguments."""

    def add(self, command: str, key: str, *args: str | int | bytes) -> None:
        """Queue ``command key *args``. The same command with the same arguments as the op
        before, on another key (a story's stamp in each index key it is under), joins that
        op: one key index more instead of a whole op, in packing, on the wire and in the
        script's arguments."""
        if key not in self._index:
            self.keys.append(key)
            self._index[key] = len(self.keys) + 1  # KEYS[1] is the input stream
        last = self._last
        if last is not None and last[1] == command and last[2] == args:
            start = last[0]
            n = self.args[start + 1]
            self.args[start + 1] = n + 1  # type: ignore[operator]
            self.args.insert(start + 2 + n, self._index[key])  # type: ignore[operator]  # before the op's argument count: the op is the last one
            return
        self._last = (len(self.args), command, args)
        self.args += [command, 1, self._index[key], len(args), *args]

    def ops(self) -> Iterator[tuple[str | int | bytes, ...]]:
        """The queued writes as plain commands (one per key), in order."""
        args, i = self.args, 0
        while i < len(args):
            cmd, n = args[i], int(args[i + 1])
            argc = int(args[i + 2 + n])
            rest = args[i + 3 + n:i + 3 + n + argc]
            for index in args[i + 2:i + 2 + n]:
                yield (cmd, self.keys[int(index) - 2], *rest)
            i += 3 + n + argc

    def publish(self, stream: str, model: BaseModel) -> None:
        """XADD a message; an article's outcome also counts in ``OUTCOME_COUNTS``."""
        self.add("XADD", self.key(stream), "*", DATA_FIELD, body(model))
        if isinstance(model, Outcome) and model.kind in TERMINAL:
            self.add("HINCRBY", self.key(OUTCOME_COUNTS), model.kind.value, 1)


@dataclass
class Decision:
    """What a stage made of a batch: data only, written by the runtime's commit."""

    publish: list[tuple[str, BaseModel]] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    """Entries finished (acknowledged by the commit)."""
    failed: dict[str, str] = field(default_factory=dict)
    """Entries that failed on their own: entry id -> error. They stay pending."""
    writes: Writes = field(default_factory=Writes)
    """Other writes of the commit (stories, indexes)."""
    effects: dict[str, str] = field(default_factory=dict)
    """After-commit effects: key -> payload, handed to ``StageLogic.effect``."""
    observe: list[Callable[[], None]] = field(default_factory=list)
    """Metrics to record once the decision is committed (never for a lost one)."""


class View:
    """What ``decide`` reads through: the client, and WATCH under the WATCHED strategy."""

    def __init__(self, redis: Redis, pipe: Pipeline | None) -> None:
        self.redis = redis
        self._pipe = pipe

    async def watch(self, *keys: str) -> None:
        """Watch keys before reading them (a no-op for FENCED stages)."""
        if self._pipe is not None and keys:
            await self._pipe.watch(*keys)

    async def read_watched(self, keys: Sequence[str], *reads: tuple[Any, ...]) -> list[Any]:
        """WATCH ``keys``, then run ``reads`` (raw commands): their raw replies in order, a
        command's error in its place (``ResponseError``), never raised.

        On one server the WATCH and the reads go out in one write on the watched
        connection and the replies come back in order, so the server takes the WATCH
        before it reads: one round trip where ``watch`` and a read make two. A live
        feed's batches are one to a few articles, and a track batch's reads are most of
        its time in the stage; each round trip is a wake-up of the server and of this
        process on shared cores. Elsewhere (a Cluster, a FENCED stage) it is ``watch``
        and then the reads, in one pipeline."""
        pipe = self._pipe
        if pipe is not None and keys and type(pipe) is Pipeline and not pipe.explicit_transaction:
            return await _watch_and_read(pipe, keys, reads)
        await self.watch(*keys)
        if not reads:
            return []
        async with self.redis.pipeline(transaction=False) as batch:
            for command in reads:
                batch.execute_command(*command)
            return list(await batch.execute(raise_on_error=False))


async def _watch_and_read(pipe: Pipeline, keys: Sequence[str], reads: tuple[tuple[Any, ...], ...]) -> list[Any]:
    """``View.read_watched`` on the pipeline's own connection (taken from the pool as
    ``Pipeline.watch`` takes it). A connection that fails midway is dropped, never
    handed back with replies unread; the pipeline's reset then releases it."""
    conn = pipe.connection
    if conn is None:
        conn = pipe.connection = await pipe.connection_pool.get_connection()
    pipe.watching = True  # from here the pipeline's reset UNWATCHes (or drops) the connection
    try:
        await conn.send_packed_command(conn.pack_commands([("WATCH", *keys), *reads]))
        replies = [await _reply(conn) for _ in range(len(reads) + 1)]
    except BaseException:
        pipe.watching = False
        await conn.disconnect()
        raise
    if isinstance(replies[0], redis_errors.ResponseError):
        raise replies[0]
    return replies[1:]


async def _reply(conn: Any) -> Any:
    """One reply read off ``conn``; an error reply returned, not raised."""
    try:
        return await conn.read_response()
    except redis_errors.ResponseError as exc:
        return exc


class StageLogic(ABC, Generic[M]):
    """What a stage supplies: its decision, and optionally an after-commit effect."""

    @abstractmethod
    async def decide(self, items: list[Item[M]], view: View) -> Decision:
        """What the batch produces. Writes nothing; may read through ``view``."""

    def owes_outcome(self, message: M) -> bool:
        """Whether this message's article still waits for its outcome (copies do not)."""
        return True

    def warm_up(self) -> None:
        """Called once before the first batch is read: pay here what the first batches
        would otherwise pay (patterns compiled on first use), so that a restarted
        worker's first alerts are as quick as the rest."""

    def bind(self, partitioning: Partitioning, partition: int) -> None:
        """Told which partition the stage runs in (a stage with state keys of its own
        tags them with it, so they share the partition's slot)."""

    async def effect(self, key: str, payload: str) -> None:
        """Carry out one after-commit effect; must be idempotent by ``key``."""
        raise NotImplementedError(f"{type(self).__name__} declares effects but carries none out")


class Contention(Exception):
    """A batch kept conflicting with other workers' writes: retried later, nobody's fault."""


_INFRA_CODES = re.compile(r"\b(OOM|NOPERM|READONLY|LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|MISCONF|NOAUTH|WRONGPASS)\b|ACL failure|no permissions|used memory > 'maxmemory'")
"""Server errors that say the server cannot or may not do it now, as replies and as they
read when raised inside a script."""


def is_infrastructure(exc: BaseException) -> bool:
    """Whether an error is the infrastructure's (retry with back-off, charge no entry)."""
    if isinstance(exc, (Contention, ConnectionError, redis_errors.ConnectionError, redis_errors.TimeoutError,
                        redis_errors.NoPermissionError, redis_errors.OutOfMemoryError, redis_errors.AuthenticationError, redis_errors.BusyLoadingError, redis_errors.ReadOnlyError)):
        return True
    return isinstance(exc, redis_errors.ResponseError) and bool(_INFRA_CODES.search(str(exc)))


def backoff(failures: int, base: float, cap: float = 10.0) -> float:
    """Seconds to wait after ``failures`` failed attempts in a row: doubling, capped."""
    return min(cap, base * (2 ** min(failures, 10)))


def _pattern_ids(spec_env: str, stage: str, entries: list[Entry]) -> list[tuple[Entry, str]]:
    spec = os.environ.get(spec_env)
    if not spec or not spec.startswith(f"{stage}:"):
        return []
    pattern = re.compile(spec.split(":", 1)[1])
    return [(e, ident) for e in entries if (ident := claimed_id(e.body or b"")) and pattern.search(ident)]


def injected_faults(stage: str, entries: list[Entry]) -> dict[str, str]:
    """Errors the ``STORYWATCH_FAULT_INJECT`` test hook assigns to entries (normally none)."""
    return {e.id: f"InjectedFault: {FAULT_ENV} fails article {ident} in {stage}" for e, ident in _pattern_ids(FAULT_ENV, stage, entries)}


def _injected_crash(stage: str, entries: list[Entry]) -> None:
    if _pattern_ids(CRASH_ENV, stage, entries):
        os._exit(70)


def queue_commit(client: Redis | Pipeline, stream: str, group: str, consumer: str, done: list[str], writes: Writes) -> Any:
    """Send (or, on a pipeline, queue) the fenced commit of ``done`` with ``writes``."""
    keys = [stream, *writes.keys]
    args = [group, consumer, len(done), *done, *writes.args]
    return client.eval(_COMMIT_SCRIPT, len(keys), *keys, *args)


def lost_entries(reply: list[Any]) -> set[str]:
    """The entries a fenced commit found no longer ours (empty when it committed)."""
    return set() if int(reply[0]) == 1 else {_s(i) for i in reply[1:]}


class Gate:
    """Lets the stages of one process work side by side, or one suspect entry alone.

    When a process dies, every entry it had in hand, in any stage, was charged a
    delivery; in a crash loop the innocent neighbours of a poison entry would run out of
    deliveries with it. So an entry past its deliveries is not dead-lettered for a crash
    until it crashed its process while it was the only thing the process worked on.
    """

    def __init__(self) -> None:
        self._cond = asyncio.Condition()
        self._working = 0
        self._alone = False

    @contextlib.asynccontextmanager
    async def shared(self) -> AsyncIterator[None]:
        async with self._cond:
            await self._cond.wait_for(lambda: not self._alone)
            self._working += 1
        try:
            yield
        finally:
            async with self._cond:
                self._working -= 1
                self._cond.notify_all()

    async def idle(self) -> None:
        """Until no stage of the process has a batch in hand (for work that stops the
        event loop, such as the heap's settle pass: between batches it delays no batch
        already started)."""
        async with self._cond:
            await self._cond.wait_for(lambda: self._working == 0 and not self._alone)

    @contextlib.asynccontextmanager
    async def alone(self) -> AsyncIterator[None]:
        async with self._cond:
            await self._cond.wait_for(lambda: not self._alone)
            self._alone = True
            await self._cond.wait_for(lambda: self._working == 0)
        try:
            yield
        finally:
            async with self._cond:
                self._alone = False
                self._cond.notify_all()


class StageRuntime:
    """One stage of one process: a consumer in the stage's group, running its batches."""

    def __init__(
        self, spec: StageSpec, redis: Redis, options: StageOptions, consumer: str = "storywatch", gate: Gate | None = None,
        partition: int = 0, partitioning: Partitioning = SINGLE,
    ) -> None:
        self.spec = spec
        self.partition = partitioning.check(partition)
        self.partitioning = partitioning
        self.gate = gate or Gate()
        """Shared by the stages of one process (see ``Gate``)."""
        self.redis = redis
        self.consumer = consumer
        self.logic = spec.build(redis, options)
        self.logic.bind(partitioning, self.partition)
        self.stopping = asyncio.Event()
        self.degraded = ""
        """Why the stage is backing off from an infrastructure error ("" when it is not)."""
        self._received = metrics.MESSAGES_IN.labels(self.name)
        self._processed = metrics.PROCESSED.labels(self.name)
        self._seconds = metrics.STAGE_SECONDS.labels(self.name)
        """The metrics every batch records, looked up once: a live feed's batches are one
        to a few entries, and ``labels`` (a lock and a lookup) was paid three times each."""

    @property
    def name(self) -> str:
        return self.spec.name

    def key(self, name: str) -> str:
        """``name`` in this runtime's partition: every stream and bookkeeping key its
        commits touch, so that each commit stays in one Cluster slot (a stage reading a
        global stream commits in that stream's slot)."""
        return self.partitioning.committed_with(name, self.spec.input, self.partition)

    @property
    def stream(self) -> str:
        return self.key(self.spec.input)

    @property
    def dlq(self) -> str:
        return self.key(self.spec.dlq)

    @property
    def failures(self) -> str:
        return self.key(failures_key(self.name))

    @property
    def suspects(self) -> str:
        return self.key(suspects_key(self.name))

    @property
    def outbox(self) -> str:
        return self.key(outbox_key(self.name))

    def writes(self) -> Writes:
        return Writes(self.key)

    @property
    def group(self) -> str:
        return self.spec.group

    # --- one batch ---------------------------------------------------------------

    async def handle(self, entries: list[Entry]) -> None:
        """Decide and commit one batch; entries that fail on their own stay pending.

        An infrastructure error is retried with back-off, in process and without new
        deliveries, until it passes or the worker stops (then the entries stay pending).
        """
        if not entries:
            return
        async with self.gate.shared():
            await self._handle(entries)

    async def _handle(self, entries: list[Entry]) -> None:
        failures = 0
        while True:
            try:
                await self._handle_once(entries)
                if self.degraded:
                    log.warning("stage recovered", extra={"stage": self.name, "after": self.degraded})
                self.degraded = ""
                return
            except Exception as exc:
                if not is_infrastructure(exc):
                    raise
                failures += 1
                self.degraded = f"{type(exc).__name__}: {exc}"
                metrics.ERRORS.labels(self.name, "infrastructure").inc()
                log.warning("infrastructure error; backing off without charging the entries", extra={"stage": self.name, "error": self.degraded, "attempt": failures})
                if self.stopping.is_set():
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), timeout=backoff(failures, 0.05, cap=5.0))

    async def handle_or_record(self, entries: list[Entry]) -> None:
        """``handle``, and when a batch fails as a whole (a bug), its error recorded for each
        entry (they stay pending and are retried one at a time), never raised."""
        try:
            await self.handle(entries)
        except Exception as exc:
            log.exception("batch failed; its entries stay pending for a retry one by one", extra={"stage": self.name, "entries": len(entries)})
            with contextlib.suppress(Exception):
                await self.record_failures({e.id: f"{type(exc).__name__}: {exc}" for e in entries})

    async def _handle_once(self, entries: list[Entry]) -> None:
        started = time.perf_counter()
        self._received.inc(len(entries))
        await self._verify_replays(entries)
        faults = injected_faults(self.name, entries)
        items: list[Item[Any]] = []
        rejected: list[Rejection] = []
        for entry in entries:
            if entry.id in faults:
                continue
            decoded = decode(entry, self.spec.model)
            if isinstance(decoded, Rejection):
                rejected.append(decoded)
            else:
                items.append(Item(entry, decoded))
        _injected_crash(self.name, [i.entry for i in items])
        decision, rejected = await self._decide_and_commit(items, rejected)
        for rejection in rejected:
            metrics.REJECTED.labels(self.name).inc()
            log.warning("rejected record", extra={"stage": self.name, "entry": rejection.entry.id, "error": rejection.error})
        for observe in decision.observe:
            observe()
        await self.record_failures(decision.failed | faults)
        self._processed.inc(len(decision.done) + len(rejected))
        self._seconds.observe(time.perf_counter() - started)
        await self._carry_out(decision.effects)

    async def _decide_and_commit(self, items: list[Item[Any]], rejected: list[Rejection]) -> tuple[Decision, list[Rejection]]:
        """Decide and commit until a commit goes through; entries lost to another consumer
        are dropped and the rest decided again (nothing was written for the lost attempt)."""
        watched = self.spec.commit is CommitStrategy.WATCHED
        for _attempt in range(MAX_ATTEMPTS):
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    decision = await self.logic.decide(items, View(self.redis, pipe if watched else None))
                    writes = self._commit_writes(decision, items, rejected)
                    done = [r.entry.id for r in rejected] + decision.done
                    if watched:
                        pipe.multi()
                        queue_commit(pipe, self.stream, self.group, self.consumer, done, writes)
                        (reply,) = await pipe.execute()
                    else:
                        reply = await queue_commit(self.redis, self.stream, self.group, self.consumer, done, writes)
                except redis_errors.WatchError:
                    continue
            lost = lost_entries(reply)
            if not lost:
                return decision, rejected
            log.warning("entries taken over by another consumer; batch decided again without them", extra={"stage": self.name, "lost": len(lost)})
            items = [i for i in items if i.entry.id not in lost]
            rejected = [r for r in rejected if r.entry.id not in lost]
        raise Contention(f"{self.name}: batch kept conflicting with other workers {MAX_ATTEMPTS} times")

    def _commit_writes(self, decision: Decision, items: list[Item[Any]], rejected: list[Rejection]) -> Writes:
        writes = decision.writes
        writes.key = self.key
        for rejection in rejected:
            self._write_rejection(writes, rejection)
        for stream, message in decision.publish:
            routes = self.spec.route(stream, message, self.partitioning, self.partition) if self.spec.route else [(self.partition, message)]
            for target, model in routes:
                if target == self.partition and not self.partitioning.is_global(stream):
                    writes.publish(stream, model)
                else:  # another partition's slot: relayed after the commit, idempotently
                    decision.effects[f"{RELAY_PREFIX}{self.name}:{self.partition}:{uuid.uuid4().hex}"] = json.dumps(
                        {"stream": self.partitioning.key(stream, target), "body": dump(model)[DATA_FIELD]})
        for entry_id in (i.entry.id for i in items if i.entry.origin and i.entry.id in decision.done):
            writes.add("HDEL", self.key(replay_marks_key(self.spec.input)), entry_id)
        for key, payload in decision.effects.items():
            writes.add("HSET", self.outbox, key, json.dumps({"at": time.time(), "payload": payload}))
        return writes

    def _write_rejection(self, writes: Writes, rejection: Rejection) -> None:
        """A record outside the contract is acknowledged, not retried: an article gets a
        ``rejected`` outcome; a stage that accounts no articles dead-letters it."""
        if self.spec.accounts_articles:
            writes.publish(OUTCOMES, Outcome(article_id=rejection.article_id, kind=OutcomeKind.REJECTED, stage=self.name, error=rejection.error, entry_id=rejection.entry.id))
        else:
            writes.publish(self.dlq, self._letter(rejection.entry, rejection.error, outcome=False))

    # --- failures and dead letters -------------------------------------------------

    async def record_failures(self, failed: dict[str, str]) -> None:
        """Log failed entries and keep their last error for the dead letter."""
        for entry_id, error in failed.items():
            metrics.ERRORS.labels(self.name, "processing").inc()
            log.error("entry failed, left pending for retry", extra={"stage": self.name, "entry": entry_id, "error": error})
        if failed:
            await self.redis.hset(self.failures, mapping={k: clean(v) for k, v in failed.items()})  # type: ignore[arg-type]

    async def last_error(self, entry: Entry) -> str:
        """The last recorded error of an entry (a crash records none)."""
        raw = await self.redis.hget(self.failures, entry.id)
        return raw.decode(errors="replace") if raw else f"not acknowledged after {entry.deliveries} deliveries (the worker died or timed out)"

    async def dead_letter(self, entry: Entry, error: str) -> None:
        """Move an entry that failed ``max_deliveries`` times to the dead-letter stream.

        The dead letter, the ``dead_lettered`` outcome (only when the entry's article still
        waits for one) and the ack are one fenced commit.
        """
        writes = self.writes()
        owed = self._owes_outcome(entry)
        writes.publish(self.dlq, self._letter(entry, error, outcome=owed))
        if owed:
            writes.publish(OUTCOMES, self._dead_outcome(entry, error))
        writes.add("HDEL", self.failures, entry.id)
        writes.add("HDEL", self.suspects, entry.id)
        if entry.origin:
            writes.add("HDEL", self.key(replay_marks_key(self.spec.input)), entry.id)
        reply = await queue_commit(self.redis, self.stream, self.group, self.consumer, [entry.id], writes)
        if lost_entries(reply):
            log.warning("dead letter taken over by another consumer", extra={"stage": self.name, "entry": entry.id})
            return
        metrics.DEAD_LETTERS.labels(self.name).inc()
        log.error("dead-lettered", extra={"stage": self.name, "entry": entry.id, "error": error})

    async def account_deleted(self, entry_ids: list[str]) -> None:
        """Entries that vanished from the stream while pending (XDEL, trimming) still get an outcome.

        XAUTOCLAIM drops them from the pending list and names them; they are recorded as
        dead letters without fields, so no article disappears without a trace.
        """
        error = "entry was deleted from the stream before it was processed"
        writes = self.writes()
        for entry_id in entry_ids:
            entry = Entry(entry_id, {})
            writes.publish(self.dlq, self._letter(entry, error, outcome=self.spec.accounts_articles))
            if self.spec.accounts_articles:
                writes.publish(OUTCOMES, self._dead_outcome(entry, error))
        await queue_commit(self.redis, self.stream, self.group, self.consumer, [], writes)
        metrics.DEAD_LETTERS.labels(self.name).inc(len(entry_ids))
        log.error("pending entries were deleted from the stream; recorded as dead letters", extra={"stage": self.name, "entries": ",".join(entry_ids)})

    def _owes_outcome(self, entry: Entry) -> bool:
        if not self.spec.accounts_articles:
            return False
        decoded = decode(entry, self.spec.model)
        return isinstance(decoded, Rejection) or self.logic.owes_outcome(decoded)

    def _letter(self, entry: Entry, error: str, outcome: bool) -> DeadLetter:
        """The entry's own body (and a verified replay mark); other fields are not ours to keep."""
        fields = {DATA_FIELD: clean(entry.body.decode(errors="replace"))} if entry.body is not None else {}
        if entry.origin:
            fields[REPLAY_FIELD] = entry.origin
        return DeadLetter(stage=self.name, stream=self.stream, entry_id=entry.id, error=clean(error), deliveries=entry.deliveries, fields=fields, outcome=outcome)

    def _dead_outcome(self, entry: Entry, error: str) -> Outcome:
        article_id = claimed_id(entry.body or b"") or f"entry:{entry.id}"
        return Outcome(article_id=article_id, kind=OutcomeKind.DEAD_LETTERED, stage=self.name, error=clean(error), entry_id=entry.id)

    # --- replays and effects -------------------------------------------------------

    async def _verify_replays(self, entries: list[Entry]) -> None:
        """Trust a ``replay_of`` field only where ``dlq replay`` recorded it."""
        marked = [e for e in entries if REPLAY_FIELD.encode() in e.fields]
        if not marked:
            return
        recorded = await self.redis.hmget(self.key(replay_marks_key(self.spec.input)), [e.id for e in marked])
        for entry, origin in zip(marked, recorded, strict=True):
            entry.origin = origin.decode() if origin and origin == entry.fields[REPLAY_FIELD.encode()] else None
            if entry.origin is None:
                log.warning("ignored a replay_of field that no dlq replay wrote", extra={"stage": self.name, "entry": entry.id})

    async def _carry_out(self, effects: dict[str, str]) -> None:
        for key, payload in effects.items():
            try:
                if key.startswith(RELAY_PREFIX):
                    await self._relay(key, payload)
                else:
                    await self.logic.effect(key, payload)
            except Exception as exc:  # left in the outbox; drained again later
                metrics.ERRORS.labels(self.name, "effect").inc()
                log.error("after-commit effect failed; kept for a retry", extra={"stage": self.name, "key": key, "error": repr(exc)})
                continue
            await self.redis.hdel(self.outbox, key)

    async def _relay(self, key: str, payload: str) -> None:
        """XADD a message onto another partition's stream, at most once per relay key: a
        marker in the target's slot, set in the same script, makes a repeat (after a
        crash between the relay and the outbox clean-up) a no-op."""
        relay = json.loads(payload)
        stream = relay["stream"]
        marker = self.partitioning.beside(relay_marker_key(key), stream)
        await self.redis.eval(_RELAY, 2, marker, stream, DATA_FIELD, relay["body"], RELAY_MARKER_TTL)
        metrics.RELAYED.labels(self.name).inc()

    async def drain_outbox(self, older_than_s: float) -> int:
        """Carry out effects left behind (a crash after the commit, a failed effect)."""
        now, due = time.time(), {}
        async for key, raw in self.redis.hscan_iter(self.outbox):
            parked = json.loads(raw)
            if now - parked["at"] >= older_than_s:
                due[_s(key)] = parked["payload"]
        await self._carry_out(due)
        return len(due)

    # --- reclaiming ----------------------------------------------------------------

    async def reclaim_once(self, claim_idle_ms: int, max_deliveries: int, batch_size: int, cursor: str = "0-0") -> tuple[int, str]:
        """Take over entries idle longer than ``claim_idle_ms``: (how many, next cursor).

        The claim itself charges nothing (XAUTOCLAIM JUSTID); each entry is charged a
        delivery only when it is taken to be processed, one at a time, so a crash while
        working on one entry charges that entry alone. An entry delivered more than
        ``max_deliveries`` times is dead-lettered. Whatever one entry holds, the others
        are still processed. Entries deleted from the stream while pending are accounted
        for as dead letters.
        """
        raw_cursor, ids, deleted = await self.redis.eval(_CLAIM_IDS, 1, self.stream, self.group, self.consumer, claim_idle_ms, cursor, batch_size)
        next_cursor = _s(raw_cursor)
        deleted = [_s(i) for i in deleted]
        if deleted:
            await self.account_deleted(deleted)
        ids = [_s(i) for i in ids]
        if not ids:
            return len(deleted), next_cursor
        metrics.RECLAIMED.labels(self.name).inc(len(ids))
        async with lease(self, ids, claim_idle_ms):
            for entry_id in ids:
                if self.stopping.is_set():
                    break
                await self._reclaim_entry(entry_id, max_deliveries)
        return len(ids) + len(deleted), next_cursor

    async def _reclaim_entry(self, entry_id: str, max_deliveries: int) -> None:
        """Charge one delivery, then dead-letter or process the entry; never raises for
        the entry's sake (an infrastructure error is re-raised for the back-off)."""
        try:
            entry = await self.take(entry_id)
            if entry is None:
                return
            if entry.deliveries <= max_deliveries:
                await self.handle([entry])
            elif await self.redis.hexists(self.failures, entry.id) or await self.redis.hexists(self.suspects, entry.id):
                await self._verify_replays([entry])
                await self.dead_letter(entry, await self.last_error(entry))
            else:
                await self._try_alone(entry)
        except Exception as exc:
            if is_infrastructure(exc):
                raise
            log.error("reclaimed entry failed again", extra={"stage": self.name, "entry": entry_id, "error": repr(exc)})
            with contextlib.suppress(Exception):
                await self.record_failures({entry_id: f"{type(exc).__name__}: {exc}"})

    async def _try_alone(self, entry: Entry) -> None:
        """An entry past its deliveries that never failed on its own (its process died
        each time): work on it with nothing else in hand in this process, marked as a
        suspect first. If the process dies now, the mark convicts it next time."""
        log.warning("entry past its deliveries without an error of its own; trying it alone", extra={"stage": self.name, "entry": entry.id})
        async with self.gate.alone():
            # marked only once it is alone: a suspect of another stage waiting for the
            # gate must not be convicted by a crash of this one
            await self.redis.hset(self.suspects, entry.id, str(entry.deliveries))
            await self._handle([entry])
        await self.redis.hdel(self.suspects, entry.id)

    async def read_arrived(self, count: int) -> list[Entry]:
        """Up to ``count`` new entries of the stage's stream for this consumer, without
        waiting (XREADGROUP without BLOCK): what arrived while a small batch lingered
        (``Settings.linger_ms``). They are pending for this consumer like the batch's."""
        reply = await self.redis.xreadgroup(self.group, self.consumer, {self.stream: ">"}, count=count)
        return [Entry(i.decode() if isinstance(i, bytes) else i, fields) for _, items in reply or () for i, fields in items]

    async def take(self, entry_id: str) -> Entry | None:
        """Charge one delivery to an entry still pending for this consumer and read it."""
        reply = await self.redis.eval(_TAKE, 1, self.stream, self.group, self.consumer, entry_id)
        if not reply:
            return None
        count, flat = reply
        fields = dict(zip(flat[::2], flat[1::2], strict=True))
        return Entry(entry_id, fields, deliveries=int(count))

    async def forget_idle_consumers(self, idle_ms: int) -> list[str]:
        """Remove consumers idle longer than ``idle_ms`` that hold nothing (dead processes).

        The check and the removal are one script, so a consumer that just read entries
        is never removed with them.
        """
        removed = []
        for info in await self.redis.xinfo_consumers(self.stream, self.group):
            name = _s(info["name"])
            idle = int(info.get("inactive", info["idle"]) if info.get("inactive", -1) not in (-1, None) else info["idle"])
            if name == self.consumer or info["pending"] or idle < idle_ms:
                continue
            if await self.redis.eval(_DELETE_IF_IDLE, 1, self.stream, self.group, name):
                removed.append(name)
        if removed:
            log.info("removed idle consumers with nothing pending", extra={"stage": self.name, "consumers": ",".join(removed)})
        return removed


RELAY_PREFIX = "relay:"
"""Outbox key prefix of an output bound for another partition (carried out by the runtime)."""
RELAY_MARKER_TTL = 86400
"""How long a relay's marker guards against a repeat. A repeat happens only when the
process died between the relay and the outbox clean-up, and the reclaimer drains the
outbox within seconds; a day is far longer, and the markers of a day cost little."""

_RELAY = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) then
  redis.call('XADD', KEYS[2], '*', ARGV[1], ARGV[2])
  return 1
end
return 0
"""
"""Relay one message at most once: marker and XADD in the target partition's slot."""

_CLAIM_IDS = """
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5], 'JUSTID')
return {r[1], r[2], r[3] or {}}
"""
"""XAUTOCLAIM JUSTID (claims without counting a delivery): cursor, ids, deleted ids."""

_TAKE = """
if #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2]) == 0 then
  return false
end
local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3])
if #claimed == 0 or not claimed[1] then
  return false
end
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
return {p[1][4], claimed[1][2]}
"""
"""Count one delivery of an entry still ours (XCLAIM) and return (count, fields)."""

_DELETE_IF_IDLE = """
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then
  return 0
end
return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2]) >= 0 and 1 or 0
"""

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

MAX_LEASE_RENEWALS = 30


@contextlib.asynccontextmanager
async def lease(runtime: StageRuntime, ids: list[str], claim_idle_ms: int) -> AsyncIterator[None]:
    """Keep entries in hand from looking abandoned while they are being worked on.

    Every third of ``claim_idle_ms`` their idle time is reset, so other consumers reclaim
    only from a consumer that died or hangs (its event loop stops renewing), not from one
    that is merely slow or backing off from an infrastructure error, and a slow batch
    does not use up delivery attempts. Renewal stops after ``MAX_LEASE_RENEWALS`` in a row
    without a back-off, so an endless await cannot hold entries forever.

    The renewing task is started by a timer once the first third has passed: a batch
    handled sooner (a live feed's batches take milliseconds) costs a timer, not a task
    and its wake-ups (about 20 µs of CPU a batch, in every stage).
    """
    if not ids:
        yield
        return
    released = asyncio.Event()
    period = claim_idle_ms / 3000
    task: asyncio.Task[None] | None = None

    async def renew() -> None:
        left = MAX_LEASE_RENEWALS
        while left > 0 and not released.is_set():
            left = MAX_LEASE_RENEWALS if runtime.degraded else left - 1
            with contextlib.suppress(Exception):
                await runtime.redis.eval(_RENEW, 1, runtime.stream, runtime.group, runtime.consumer, *ids)
            if left > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(released.wait(), timeout=period)

    def start() -> None:
        nonlocal task
        task = asyncio.create_task(renew())

    timer = asyncio.get_running_loop().call_later(period, start)
    try:
        yield
    finally:
        released.set()
        timer.cancel()
        if task is not None:
            await task  # never cancelled mid-command: a cancelled call would cost its connection


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    """Create the consumer group at the start of the stream (so a backlog is read), once.

    An existing group is found with a read first: creating is refused while the server is
    out of memory, and a worker restarted then must still start.
    """
    if await redis.exists(stream):
        groups = await redis.xinfo_groups(stream)
        if any(_s(g["name"]) == group for g in groups):
            return
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except redis_errors.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def _same(key: str) -> str:
    return key


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
