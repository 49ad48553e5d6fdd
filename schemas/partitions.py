"""The partitioned key layout: what lets the pipeline spread over a Redis Cluster.

Every stage commits a batch with ONE script (``fenced_commit.lua``), and Redis Cluster
runs a script only when all its keys hash to one slot. So the pipeline is cut into
``count`` partitions, and every key a partition's commit touches (its input stream,
outputs, outcomes and their counts, pending bookkeeping: failures, suspects, outbox,
replay marks) carries the partition's hash tag, ``{p3}``: each commit stays in one slot,
and the partitions spread over the cluster's masters.

With one partition (the default) nothing is tagged: key names are exactly those of the
single-server layout, so an existing deployment keeps its data.

The tag is a suffix (``articles:{p3}``, ``sw:failures:dedup:{p3}``), so prefixes that
tools scan by (``sw:``) stay valid. Keys that already carry a tag of their own (the
dedup index, ``{sw:dd:...}``) live in their own slot and are never re-tagged: the dedup
index is global (a copy is found whatever partition its original went through), decided
with its own idempotent script before the partition's commit.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from schemas.streams import ALERTS, ARTICLES, OUTCOMES, dlq_stream

GLOBAL_STREAMS: frozenset[str] = frozenset({ALERTS})
"""Streams that are never partitioned: ``alerts`` is read by every alert consumer
(``storywatch alerts``, the webhook delivery, the board's stream) as one stream in one
order, and carries far fewer entries than the article streams. A partition's commit
cannot write it (another slot): the runtime relays its alerts there after the commit.
The stages that read a global stream (webhook delivery reads ``alerts``) commit in its
slot: their keys, its dead-letter stream included, are ``beside`` it (``{alerts}``)."""

_BESIDE_GLOBAL: dict[str, str] = {dlq_stream(s): s for s in GLOBAL_STREAMS}
"""Streams kept in a global stream's slot: its dead letters (``alerts.dlq:{alerts}``)."""


@dataclass(frozen=True)
class Partitioning:
    """``count`` partitions; partition ``p``'s keys are ``key(name, p)``."""

    count: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.count <= 1024:
            raise ValueError(f"partitions must be between 1 and 1024, not {self.count}")

    @property
    def single(self) -> bool:
        return self.count == 1

    def tag(self, partition: int) -> str:
        """The hash tag of a partition ("" in the single-partition layout)."""
        self.check(partition)
        return "" if self.single else "{p" + str(partition) + "}"

    def key(self, name: str, partition: int) -> str:
        """``name`` as a key of ``partition``; a global stream, and a key with a hash tag
        of its own, are kept."""
        tag = self.tag(partition)
        if not tag or self.is_global(name) or _tagged(name):
            return name
        return f"{name}:{tag}"

    def is_global(self, name: str) -> bool:
        """Whether ``name`` is one stream for all partitions (only with several)."""
        return not self.single and name in GLOBAL_STREAMS

    def beside(self, key: str, stream: str) -> str:
        """``key`` in the slot of ``stream`` (a partition's stream or a global one)."""
        if self.single or _tagged(key):
            return key
        if self.is_global(stream):
            return f"{key}:{{{stream}}}"  # {alerts} hashes like the untagged name alerts
        return self.key(key, self.partition_of_key(stream))

    def committed_with(self, name: str, stream: str, partition: int) -> str:
        """``name`` as a key committed together with ``stream`` read in ``partition``:
        the partition's key, or, for a global stream, ``stream`` itself and every other
        key beside it (the webhook delivery's bookkeeping, dead letters and outbox)."""
        if not self.is_global(stream):
            return self.key(name, partition)
        return name if name == stream else self.beside(name, stream)

    def alerts_key(self, key: str) -> str:
        """``key`` in the slot of the ``alerts`` stream: a subscription's delivery keys
        (``sw:deliver:<id>:due:{alerts}``), which its commit and its scripts touch with
        the stream. Untagged with one partition (the single-server names)."""
        return self.beside(key, ALERTS)

    def keys(self, name: str) -> list[str]:
        """``name`` in every partition (what ``stats``, ``dlq`` and retention walk); a
        global stream, and a stream kept beside one, once."""
        if self.is_global(name):
            return [name]
        if not self.single and name in _BESIDE_GLOBAL:
            return [self.beside(name, _BESIDE_GLOBAL[name])]
        return [self.key(name, p) for p in range(self.count)]

    def of(self, routing_key: str) -> int:
        """The partition of a routing key (an article id): stable across processes and
        versions (CRC-32, not Python's salted ``hash``)."""
        return zlib.crc32(routing_key.encode("utf-8", "surrogatepass")) % self.count

    def partition_of_key(self, key: str) -> int:
        """The partition a key was named for (0 in the single layout)."""
        if self.single:
            return 0
        if not key.endswith("}") or ":{p" not in key:
            raise ValueError(f"{key!r} is not a partitioned key")
        return self.check(int(key.rsplit(":{p", 1)[1][:-1]))

    def check(self, partition: int) -> int:
        if not 0 <= partition < self.count:
            raise ValueError(f"partition {partition} does not exist; partitions are 0..{self.count - 1}")
        return partition

    def record(self) -> str:
        """The layout as written to ``LAYOUT``."""
        return f"partitions={self.count}"

    def traces(self) -> list[str]:
        """Keys whose presence shows data laid out with another partition count (when no
        layout record says so: data written before the record existed): the untagged
        streams under several partitions; partition 0's streams under one; the first
        partition past ours."""
        streams = (ARTICLES, OUTCOMES)
        if self.single:
            return [f"{name}:{{p0}}" for name in streams]
        return [*streams, *(f"{name}:{{p{self.count}}}" for name in streams)]

    def parse(self, spec: str) -> tuple[int, ...]:
        """Partitions named on the command line: ``all``, or ``0,1,5``, or ``0-3``."""
        if spec.strip() in ("", "all"):
            return tuple(range(self.count))
        chosen: set[int] = set()
        for part in spec.split(","):
            low, _, high = part.strip().partition("-")
            try:
                first, last = int(low), int(high or low)
            except ValueError:
                raise ValueError(f"bad partition list {spec!r}: use all, 0,1,5 or 0-3") from None
            chosen |= {self.check(p) for p in range(first, last + 1)}
        return tuple(sorted(chosen))


def _tagged(key: str) -> bool:
    """Whether ``key`` carries a hash tag of its own (``{...}``)."""
    return "{" in key and "}" in key.split("{", 1)[1]


SINGLE: Partitioning = Partitioning()
"""The single-server layout: one partition, untagged names."""
