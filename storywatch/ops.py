"""Duties of the deployment as a whole: server-wide gauges and stream retention.

Stream lengths, group pending/lag, the oldest pending entry and Redis memory describe
the shared server, not one process. If every worker exported them, ``sum`` over
instances would count each stream once per worker; so exactly one process, the holder
of a short lease in Redis, exports them (through ``SERVER_METRICS``, a collector that
yields nothing in any other process) and runs retention on schedule. When the holder
stops it gives the lease up; when it dies the lease runs out within ``LEASE_MS`` and
another process takes over. A group that no longer exists is simply absent from the
next snapshot, so its series disappear.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import REGISTRY
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster

from consumers.stages import all_streams
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import OPS_LEADER_KEY
from consumers import metrics
from storywatch.retention import StoryRetention, retire_stories, trim_all
from storywatch.service import outcome_counts

log = logging.getLogger(__name__)

LEASE_KEY = OPS_LEADER_KEY
LEASE_MS = 15_000

_HOLD = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


async def hold_lease(redis: Redis, holder: str, ttl_ms: int = LEASE_MS) -> bool:
    """Take or renew the ops lease; True while ``holder`` has it."""
    return bool(await redis.eval(_HOLD, 1, LEASE_KEY, holder, ttl_ms))


async def release_lease(redis: Redis, holder: str) -> None:
    """Give the lease up (only if still ours) so that another process takes over at once."""
    await redis.eval(_RELEASE, 1, LEASE_KEY, holder)


def entry_time(entry_id: str) -> float:
    """When an entry arrived (seconds since the epoch), from its id."""
    return int(entry_id.split("-")[0]) / 1000


async def stream_info(redis: Redis, partitioning: Partitioning = SINGLE) -> dict[str, Any]:
    """Per stream (of every partition) its length and per group pending, lag and the
    oldest pending entry's age."""
    now = time.time()
    info: dict[str, Any] = {}
    for stream in (key for name in all_streams() for key in partitioning.keys(name)):
        length = await redis.xlen(stream)
        groups = await redis.xinfo_groups(stream) if length or await redis.exists(stream) else []
        info[stream] = {"length": length, "groups": {}}
        for g in groups:
            name = _s(g["name"])
            oldest = 0.0
            if g["pending"]:
                summary = await redis.xpending(stream, name)
                if summary.get("min"):
                    oldest = max(0.0, now - entry_time(_s(summary["min"])))
            info[stream]["groups"][name] = {"pending": int(g["pending"]), "lag": g.get("lag"), "oldest_pending_age_s": round(oldest, 3)}
    return info


@dataclass
class Snapshot:
    """What the lease holder last read from the server."""

    streams: dict[str, Any] = field(default_factory=dict)
    used_memory: int = 0
    maxmemory: int = 0
    last_trim: float | None = None
    outcomes: dict[str, int] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, int]] = field(default_factory=dict)


class ServerMetrics:
    """Collector of the server-wide series: present only while ``snapshot`` is set."""

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None

    def describe(self) -> list[Metric]:
        return []

    def collect(self) -> Iterator[Metric]:
        snap = self.snapshot
        if snap is None:
            return
        length = GaugeMetricFamily("storywatch_stream_length", "Entries in a stream", labels=["stream"])
        pending = GaugeMetricFamily("storywatch_group_pending", "Entries delivered to the group but not acknowledged", labels=["stream", "group"])
        lag = GaugeMetricFamily("storywatch_group_lag", "Entries not yet delivered to the group", labels=["stream", "group"])
        oldest = GaugeMetricFamily(
            "storywatch_group_oldest_pending_age_seconds", "Age (since arrival) of the group's oldest pending entry; 0 when none",
            labels=["stream", "group"],
        )
        for stream, data in snap.streams.items():
            length.add_metric([stream], data["length"])
            for group, g in data["groups"].items():
                pending.add_metric([stream, group], g["pending"])
                oldest.add_metric([stream, group], g["oldest_pending_age_s"])
                if g["lag"] is not None:
                    lag.add_metric([stream, group], g["lag"])
        yield from (length, pending, lag, oldest)
        waiting = GaugeMetricFamily("storywatch_subscription_waiting", "Deliveries a subscription's target has not accepted yet (retries included)", labels=["subscription"])
        dead = GaugeMetricFamily("storywatch_subscription_dead_letters", "Deliveries on a subscription's dead-letter stream", labels=["subscription"])
        for sub_id, state in snap.subscriptions.items():
            waiting.add_metric([sub_id], state["waiting"])
            dead.add_metric([sub_id], state["dead_letters"])
        yield from (waiting, dead)
        yield GaugeMetricFamily("storywatch_redis_used_memory_bytes", "Redis INFO used_memory", value=snap.used_memory)
        yield GaugeMetricFamily("storywatch_redis_maxmemory_bytes", "Redis maxmemory (0 = no limit)", value=snap.maxmemory)
        outcomes = CounterMetricFamily("storywatch_article_outcomes", "Articles by final outcome (processed, duplicate, rejected, dead_lettered), all workers together", labels=["kind"])
        for kind, count in snap.outcomes.items():
            outcomes.add_metric([kind], count)
        yield outcomes
        if snap.last_trim is not None:
            yield GaugeMetricFamily("storywatch_trim_last_success_timestamp_seconds", "When retention last trimmed every stream", value=snap.last_trim)


SERVER_METRICS = ServerMetrics()
REGISTRY.register(SERVER_METRICS)


class OpsDuty:
    """Run by every worker process every few seconds; does the work only while holding the lease."""

    def __init__(self, redis: Redis, holder: str, retention_hours: dict[str, float], trim_interval_s: float, partitioning: Partitioning = SINGLE,
                 stories: StoryRetention | None = None) -> None:
        self.redis = redis
        self.stories = stories
        """Story retention run with each trim (None: stories are kept)."""
        self.partitioning = partitioning
        self.holder = holder
        self.retention_hours = retention_hours
        self.trim_interval_s = trim_interval_s
        self._next_trim = 0.0
        self._last_trim: float | None = None
        self.leader = False

    async def tick(self) -> None:
        """Refresh the lease; as the holder trim when due and export a fresh snapshot."""
        self.leader = await hold_lease(self.redis, self.holder)
        metrics.OPS_LEADER.set(1 if self.leader else 0)
        if not self.leader:
            SERVER_METRICS.snapshot = None
            return
        if time.monotonic() >= self._next_trim:
            results = await trim_all(self.redis, self.retention_hours, partitioning=self.partitioning)
            self._last_trim = time.time()
            self._next_trim = time.monotonic() + self.trim_interval_s
            if removed := {r.stream: r.removed for r in results if r.removed}:
                log.info("streams trimmed", extra={"removed": removed})
            if self.stories is not None:
                retired = await retire_stories(self.redis, self.stories, partitioning=self.partitioning)
                if compacted_or_deleted := {f"p{r.partition}": (r.compacted, r.deleted) for r in retired if r.compacted or r.deleted}:
                    log.info("stories compacted, deleted", extra={"retired": compacted_or_deleted})
        used, limit = await memory_of(self.redis)
        SERVER_METRICS.snapshot = Snapshot(
            await stream_info(self.redis, self.partitioning), used, limit, self._last_trim,
            await outcome_counts(self.redis, self.partitioning), await subscription_state(self.redis, self.partitioning),
        )

    async def resign(self) -> None:
        SERVER_METRICS.snapshot = None
        metrics.OPS_LEADER.set(0)
        if self.leader:
            await release_lease(self.redis, self.holder)
            self.leader = False


async def memory_of(redis: Redis) -> tuple[int, int]:
    """(used_memory, maxmemory) of the server; of a Redis Cluster, summed over its
    masters (a plain INFO there answers for one node only), maxmemory 0 if any master
    has no limit."""
    if not isinstance(redis, RedisCluster):
        memory = await redis.info("memory")
        return int(memory.get("used_memory", 0)), int(memory.get("maxmemory", 0))
    nodes = list((await redis.info("memory", target_nodes=RedisCluster.PRIMARIES)).values())
    limits = [int(n.get("maxmemory", 0)) for n in nodes]
    return sum(int(n.get("used_memory", 0)) for n in nodes), 0 if 0 in limits else sum(limits)


async def subscription_state(redis: Redis, partitioning: Partitioning = SINGLE) -> dict[str, dict[str, int]]:
    """Per subscription its waiting deliveries and dead letters (its group's lag is in stream_info)."""
    from consumers.delivery.subscriptions import load_all, outbox_state

    return {s.id: await outbox_state(redis, s.id, partitioning) for s in await load_all(redis)}


def _s(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
