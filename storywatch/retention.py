"""Stream retention: trim by age, never an entry some consumer group still needs.

Every stream keeps its entries for a configured number of hours after they arrived
(``Settings.retention_hours``). On top of that, nothing a group has not finished with
is ever removed: the floor passed to ``XTRIM MINID`` is at most each group's first
pending entry and the first entry it has not been delivered yet, and a stage's input
stream is not trimmed at all while its group does not exist (articles published before
the first worker started). The floor is worked out and applied in one Lua script, so a
group cannot move between the two. Dead-letter streams are never trimmed here.

Stories have their own retention (``retire_stories``): a story archived for longer than
``story_compact_after_days`` is compacted (its timeline and claims dropped, a reduced
head kept for ``storywatch stories show``), and one archived for longer than
``story_delete_after_days`` is deleted. Periods run on the stories' own clock, the
newest event time tracked (``sw:stories:clock``, and the archive sets), not the wall
clock: a replay of old news is not retired by the date it is replayed on. They count
from when a story was archived: its silence (``cold_from``, from its scheduled date when
that is later than its last report) plus the archive period, so a story awaiting its
date is neither archived nor compacted before it.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from redis.asyncio import Redis

from consumers import metrics
from consumers.stages import GROUP_STAGES
from consumers.story_store import ARCHIVED, CLOCK, COMPACTED, HOT, compacted, decode_head, index_keys, index_member, pack_head
from consumers.story_store import span_ms
from schemas import Story
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import story_key, timeline_key

log = logging.getLogger(__name__)

_SCRIPT = resources.files("storywatch").joinpath("retention_trim.lua").read_text()
_RETIRE = resources.files("consumers.lua").joinpath("story_retire.lua").read_text()
RETIRE_BATCH = 200
"""Stories compacted or deleted per script call."""

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


@dataclass(frozen=True)
class StoryRetention:
    """When stories are archived (by the track stage), compacted and deleted."""

    archive_after: timedelta
    compact_after: timedelta
    """Archived for longer than this: compacted."""
    delete_after: timedelta
    """Archived for longer than this: deleted."""

    @classmethod
    def of(cls, settings: Any) -> StoryRetention:
        return cls(timedelta(days=settings.story_archive_after_days), timedelta(days=settings.story_compact_after_days),
                   timedelta(days=settings.story_delete_after_days))


@dataclass
class StoryRetirement:
    """What story retention did (or, dry, would do) in one partition."""

    partition: int
    clock: str | None
    """The stories' clock (ISO time), or None when the partition has no story."""
    compacted: int
    deleted: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def story_clock(redis: Redis, k: Any, archive_after: timedelta) -> int | None:
    """The partition's story time (ms): the newest event time the track stage recorded
    (``sw:stories:clock``), and at least when the newest archived or compacted story went
    cold. Not the top of the hot set: a story awaiting its date is scored there by the
    date (months ahead), not by a report. A partition written before the clock was kept
    reads its newest report off the hot set (scored by it then)."""
    clock = await redis.zrange(k(CLOCK), -1, -1, withscores=True)
    seen = [int(clock[0][1])] if clock else []
    if not clock and (top := await redis.zrange(k(HOT), -1, -1, withscores=True)):
        seen.append(int(top[0][1]) - span_ms(archive_after))
    for name in (ARCHIVED, COMPACTED):
        if top := await redis.zrange(k(name), -1, -1, withscores=True):
            seen.append(int(top[0][1]) + span_ms(archive_after))
    return max(seen) if seen else None


async def retire_stories(redis: Redis, policy: StoryRetention, dry_run: bool = False, partitioning: Partitioning = SINGLE) -> list[StoryRetirement]:
    """Delete the stories archived past ``delete_after`` (compacted or not), then compact
    those archived past ``compact_after``; counted in metrics."""
    results = []
    for p in range(partitioning.count):
        k = functools.partial(partitioning.key, partition=p)
        clock = await story_clock(redis, k, policy.archive_after)
        if clock is None:
            results.append(StoryRetirement(p, None, 0, 0))
            continue
        delete_below = clock - span_ms(policy.archive_after + policy.delete_after)
        compact_below = clock - span_ms(policy.archive_after + policy.compact_after)
        deleted = sum([await retire_below(redis, k, "delete", source, delete_below, dry_run) for source in (COMPACTED, ARCHIVED)])
        # dry, the stories that would be deleted are still there: not counted again
        done = await retire_below(redis, k, "compact", ARCHIVED, compact_below, dry_run, above=delete_below if dry_run else None)
        results.append(StoryRetirement(p, datetime.fromtimestamp(clock / 1000, UTC).isoformat(), done, deleted))
    if not dry_run:
        metrics.STORIES_RETIRED.labels("compacted").inc(sum(r.compacted for r in results))
        metrics.STORIES_RETIRED.labels("deleted").inc(sum(r.deleted for r in results))
    return results


async def retire_below(redis: Redis, k: Any, mode: str, source: str, below: int, dry_run: bool = False, above: int | None = None) -> int:
    """Compact or delete the stories of ``source`` scored below ``below``, a batch per call,
    each only if still there at the score found (a revived story is left alone)."""
    if dry_run:
        return int(await redis.zcount(k(source), "-inf" if above is None else above, f"({below}"))
    total = 0
    while found := await redis.zrange(k(source), "-inf", f"({below}", byscore=True, offset=0, num=RETIRE_BATCH, withscores=True):
        ids = [i.decode() for i, _ in found]
        heads = await redis.mget([k(story_key(i)) for i in ids])
        keys, args = [k(source), k(COMPACTED)], [mode]
        for sid, (_, score), raw in zip(ids, found, heads, strict=True):
            story = _parsed(sid, raw)
            index = sorted(map(k, index_keys(story))) if story is not None else []
            keys += [k(story_key(sid)), k(timeline_key(sid)), *index]
            args += [sid, int(score), _compacted_head(sid, raw, story) if mode == "compact" else "", len(index), index_member(sid)]
        done = int(await redis.eval(_RETIRE, len(keys), *keys, *args))
        total += done
        if done == 0:  # every one changed meanwhile: the next run finds them where they are
            return total
    return total


def _parsed(story_id: str, raw: bytes | None) -> Story | None:
    if raw is None:
        return None
    try:
        return decode_head(raw, story_id)
    except ValueError as exc:  # a head that does not parse is kept as it is (its timeline goes)
        log.error("story head does not parse; kept as it is", extra={"story": story_id, "error": str(exc)[:200]})
        return None


def _compacted_head(story_id: str, raw: bytes | None, story: Story | None) -> bytes:
    if raw is None:
        return b""
    return pack_head(compacted(story)) if story is not None else raw


def _s(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
