"""Stream retention: trim by age, never an entry some consumer group still needs.

Every stream keeps its entries for a configured number of hours after they arrived
(``Settings.retention_hours``). On top of that, nothing a group has not finished with
is ever removed: the floor passed to ``XTRIM MINID`` is at most each group's first
pending entry and the first entry it has not been delivered yet, and a stage's input
stream is not trimmed at all while its group does not exist (articles published before
the first worker started). The floor is worked out and applied in one Lua script, so a
group cannot move between the two. Dead-letter streams are never trimmed here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any

from redis.asyncio import Redis

from consumers import metrics
from consumers.stages import GROUP_STAGES
from schemas.partitions import SINGLE, Partitioning

_SCRIPT = resources.files("storywatch").joinpath("retention_trim.lua").read_text()

GROUPS_OF: dict[str, list[str]] = {}
for _spec in GROUP_STAGES:  # a subscription's group comes and goes with it
    GROUPS_OF.setdefault(_spec.input, []).append(_spec.group)


@dataclass
class TrimResult:
    """What a trim did (or, dry, would do) to one stream."""

    stream: str
    retention_hours: float
    floor: str
    """Entries with smaller ids are (or would be) removed."""
    limited_by: str
    """``age``, ``group G pending``, ``group G not delivered``, ``group G missing`` or ``no stream``."""
    removed: int
    length: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def trim_stream(redis: Redis, stream: str, hours: float, dry_run: bool = False, name: str | None = None) -> TrimResult:
    """Trim one stream (or only work out its floor and count what is below it); ``name``
    is the stream's name without its partition tag (the groups that read it)."""
    reply = await redis.eval(_SCRIPT, 1, stream, int(hours * 3_600_000), "0" if dry_run else "1", *GROUPS_OF.get(name or stream, []))
    floor, removed, reason = (_s(reply[0]), int(reply[1]), _s(reply[2]))
    if dry_run:
        removed = await count_below(redis, stream, floor)
    return TrimResult(stream, hours, floor, reason, removed, int(await redis.xlen(stream)))


async def trim_all(redis: Redis, retention_hours: dict[str, float], dry_run: bool = False, partitioning: Partitioning = SINGLE) -> list[TrimResult]:
    """Trim every stream (of every partition) that has a retention; counts what was
    removed per stream."""
    results = [
        await trim_stream(redis, stream, hours, dry_run, name)
        for name, hours in retention_hours.items() for stream in partitioning.keys(name)
    ]
    if not dry_run:
        for result in results:
            metrics.TRIMMED.labels(result.stream).inc(result.removed)
    return results


async def count_below(redis: Redis, stream: str, floor: str, chunk: int = 1000) -> int:
    """Entries with an id below ``floor`` (for dry runs; pages through them)."""
    if floor in ("0-0", "0-1"):
        return 0
    total, start = 0, "-"
    while True:
        page = await redis.xrange(stream, min=start, max="(" + floor, count=chunk)
        total += len(page)
        if len(page) < chunk:
            return total
        start = "(" + _s(page[-1][0])


def _s(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
