"""Redis memory per article at steady state, with retention, for a daily article rate.

    python -m bench.memory_bench [--articles 3000] [--per-day 200000] [--mix realistic|event]

One run, on a fresh embedded Valkey (or ``--redis-url``, which is flushed):

1. the raw redis-py baseline: XADD of the same bodies onto one stream, bytes per entry
   (what merely holding the articles costs);
2. the pipeline: ``--articles`` articles (``--mix realistic``: ``bench.news_mix``, ~3 KB,
   60% without a scheduled event, 30% near-copies; ``--mix event``: ~5 KB, 10% copies,
   each reporting a scheduled event, as ``bench.pipeline_bench`` makes them) through the
   real stages in this process;
   then every key's ``MEMORY USAGE`` (exact, ``SAMPLES 0``) grouped by what it is:
   each stream, the dedup index, stories (with their term index and filing records),
   the rest;
3. the steady state at ``--per-day`` articles a day: each stream holds its retention's
   worth of entries (``Settings.retention_hours``; the ops lease holder trims once a
   minute), the dedup index its window's worth (``dedup_window_days``), filing records
   their TTL's worth, and the rest as measured;
4. stories through their life under the default settings: measured hot (head, index,
   timeline), then archived (as the track stage does after ``story_archive_after_days``
   of silence: out of the hot set, still in the index, its head packed) and compacted (as
   story retention does after ``story_compact_after_days`` archived: the timeline and
   index entries go, a reduced head stays, packed), with
   ``MEMORY USAGE`` at each step. Their steady state assumes each story gets its reports
   within a day and is then silent (the mix's stories are like that): it is hot for the
   archive period, archived with its timeline for the compaction period and compacted
   until ``story_delete_after_days``. New stories a day are the run's stories per article
   times ``--per-day`` (or ``--stories-per-day``), claims a day likewise.

Everything divided by the articles of the dedup window is the figure held against the
target (<= 2 KB per article).

It also checks retention for real: after ``storywatch trim`` with retention 0 every
stage stream is empty and the memory left is the index, the stories and the outcomes.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from redis.asyncio import Redis

from bench.news_mix import meeting_stories, mix_articles
from bench.pipeline_bench import event_articles
from consumers.story_store import ARCHIVED, HOT, PACKED, StoryStore, commands, decode_head, encode_head, load_full, pack_head
from consumers.track_stage import FILED_TTL_MARGIN
from consumers.stage_runtime import Writes
from ingest.publisher import publish_articles, stamp_arrival
from consumers.stages import STAGES, all_streams
from schemas.streams import DATA_FIELD, KEY_PREFIX, STORY_INDEX_MARK, story_key, timeline_key
from storywatch.retention import COMPACTED, retire_below, trim_all
from storywatch.service import wait_until_idle
from storywatch.settings import Settings
from storywatch.workers import Workers


def key_class(key: str) -> str:
    """What a key is, for the memory breakdown."""
    if key in all_streams():
        return f"stream {key}"
    if key.startswith("{" + f"{KEY_PREFIX}:dd:"):
        return "dedup index"
    if key.startswith(f"{KEY_PREFIX}{STORY_INDEX_MARK}"):
        return "stories: index"
    if key.startswith((f"{KEY_PREFIX}:story:", f"{KEY_PREFIX}:stories:")):
        return "stories: heads"
    if key.startswith(f"{KEY_PREFIX}:timeline:"):
        return "stories: timelines"
    if key.startswith((f"{KEY_PREFIX}:filed:", f"{KEY_PREFIX}:copies:")):
        return "filing records"
    return "other"


async def used_memory(redis: Redis) -> int:
    return int((await redis.info("memory"))["used_memory"])


async def breakdown(redis: Redis) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    async for raw in redis.scan_iter(count=1000):
        key = raw.decode()
        sizes[key_class(key)] += int(await redis.memory_usage(key, samples=0) or 0)
    return dict(sizes)


async def baseline_bytes_per_entry(redis: Redis, bodies: list[str]) -> float:
    before = await used_memory(redis)
    async with redis.pipeline(transaction=False) as pipe:
        for body in bodies:
            pipe.xadd("bench:raw", {DATA_FIELD: body})
        await pipe.execute()
    per_entry = (await used_memory(redis) - before) / len(bodies)
    await redis.delete("bench:raw")
    return per_entry


async def measure(url: str, n: int, per_day: int, mix: str, stories_per_day: float | None = None) -> None:
    redis = Redis.from_url(url)
    await redis.flushdb()
    if mix == "realistic":
        rng = random.Random(9)
        articles = mix_articles(n, meeting_stories(rng, max(1, n // 3)))
    else:
        articles = event_articles(n)
    bodies = [stamp_arrival(a).model_dump_json(exclude_none=True) for a in articles]
    raw = await baseline_bytes_per_entry(redis, bodies)

    settings = Settings(metrics_port=0, trim_interval_s=86_400, retention_hours={s: 10_000 for s in Settings().retention_hours})
    async with Workers(url, settings):
        await publish_articles(redis, articles)
        if not await wait_until_idle(redis, timeout=600):
            raise SystemExit("the pipeline did not finish")
    sizes = await breakdown(redis)
    lengths = {s: int(await redis.xlen(s)) for s in all_streams()}
    stories = len([k async for k in redis.scan_iter(f"{KEY_PREFIX}:story:*", count=1000) if STORY_INDEX_MARK.encode() not in k])

    defaults = Settings()
    window_articles = per_day * defaults.dedup_window_days
    print(f"articles {n} (~{sum(len(b) for b in bodies) // n} bytes of JSON each), {stories} stories; steady state at {per_day:,} a day")
    print(f"raw redis-py baseline: XADD of the same bodies = {raw:,.0f} bytes per entry\n")
    print(f"{'what':<26}{'measured':>12}{'per entry':>11}{'kept at steady state':>34}{'bytes':>16}")
    total = 0.0
    for what, size in sorted(sizes.items()):
        if what.startswith("stream "):
            stream = what.removeprefix("stream ")
            entries = lengths.get(stream, 0)
            per_entry = size / entries if entries else 0.0
            hours = defaults.retention_hours.get(stream)
            kept = per_day * (entries / n) * ((hours or 24 * 365) / 24 + defaults.trim_interval_s / 86_400)
            steady = per_entry * kept
            rule = f"{hours:g} h of entries" if hours is not None else "never trimmed"
            print(f"{what:<26}{size:>12,}{per_entry:>11,.0f}{rule + f' = {kept:,.0f}':>34}{steady:>16,.0f}")
        elif what == "dedup index":
            steady = size / n * window_articles
            print(f"{what:<26}{size:>12,}{size / n:>11,.0f}{f'{defaults.dedup_window_days:g} days = {window_articles:,.0f}':>34}{steady:>16,.0f}")
        elif what == "filing records":
            ttl_days = defaults.dedup_window_days + FILED_TTL_MARGIN / 86_400
            steady = size / n * per_day * ttl_days
            print(f"{what:<26}{size:>12,}{size / n:>11,.0f}{f'{ttl_days:g} days (TTL) = {per_day * ttl_days:,.0f}':>34}{steady:>16,.0f}")
        elif what.startswith("stories"):
            steady = 0.0
            print(f"{what:<26}{size:>12,}{size / n:>11,.0f}{'per article; kept (see below)':>34}{'':>16}")
        else:
            steady = float(size)
            print(f"{what:<26}{size:>12,}{'':>11}{'as measured':>34}{steady:>16,.0f}")
        total += steady
    print(f"\nsteady state without stories: {total / 2**20:,.0f} MiB = {total / window_articles:,.0f} bytes per article "
          f"of the {defaults.dedup_window_days:g}-day window ({window_articles:,.0f} articles)")

    before = await used_memory(redis)
    await trim_all(redis, {s: 0.0 for s in defaults.retention_hours})
    left = {s.input: int(await redis.xlen(s.input)) for s in STAGES}
    print(f"\ntrim with retention 0: stage streams now {left}; used_memory {before / 2**20:,.1f} -> {await used_memory(redis) / 2**20:,.1f} MiB")

    stories_total = await story_life(redis, n, per_day, stories_per_day, defaults)
    print(f"\nsteady state with stories: {(total + stories_total) / 2**20:,.0f} MiB = {(total + stories_total) / window_articles:,.0f} bytes per article "
          f"of the {defaults.dedup_window_days:g}-day window (target: <= 2,048)")
    await redis.aclose()


async def story_sizes(redis: Redis) -> dict[str, int]:
    """Bytes of the story keys by kind (heads include the hot/archived/compacted sets)."""
    return {what.removeprefix("stories: "): size for what, size in (await breakdown(redis)).items() if what.startswith("stories")}


async def growing_part(redis: Redis, ids: list[str]) -> int:
    """Bytes of the heads' parts that grow with a story's reports: its claims, sources,
    per-source statuses and corroborating outlets (each head's length less that of the
    same head without them, stored as it is: plain or packed)."""
    size = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for sid, raw in zip(chunk, await redis.mget([story_key(i) for i in chunk]), strict=True):
            story = decode_head(raw, sid)
            bare = story.model_copy(update={"timeline": [], "article_ids": [], "sources": [], "source_status": {}, "corroborated_by": []})
            size += len(raw) - len(pack_head(bare) if raw[:1] == PACKED else encode_head(bare).encode())
    return size


async def list_overhead(redis: Redis) -> int:
    """``MEMORY USAGE`` of a timeline list holding one 1-byte claim, less that byte: what a
    story's list costs besides its claims."""
    key = timeline_key("st-0000000000000000")
    await redis.rpush(key, "x")
    size = int(await redis.memory_usage(key, samples=0) or 0) - 1
    await redis.delete(key)
    return size


async def story_life(redis: Redis, n: int, per_day: int, stories_per_day: float | None, settings: Settings) -> float:
    """Measure the stories hot, archived and compacted; print and return their steady-state bytes.

    A story costs a fixed part (its head without claims and sources, its index entries
    until compacted, its timeline list's key) and a part per claim (in its head while the
    next decision may read it, else in its list; and the head's sources, per-source
    statuses and corroborating outlets, counted as growing with the claims: an upper bound,
    as outlets repeat); each is scaled by its own rate (new stories a day, claims a day),
    so a story's claim count at steady state need not be the run's. The shares of claims
    in lists and of stories with a list are the run's: its stories get their reports
    within hours, as the steady state assumes (each story's within its first day, so all
    within the 48 h a head holds)."""
    ids = [i.decode() for i in await redis.zrange(HOT, 0, -1)] + [i.decode() for i in await redis.zrange(ARCHIVED, 0, -1)]
    count = len(ids)
    full = await load_full(redis, ids)
    claims = sum(len(s.timeline) for s in full)
    listed = sum([int(await redis.llen(timeline_key(i))) for i in ids])
    lists = sum([int(await redis.exists(timeline_key(i))) for i in ids])
    heads = [decode_head(raw, i) for i, raw in zip(ids, await redis.mget([story_key(i) for i in ids]), strict=True)]
    held = sum(len(h.timeline) for h in heads)
    growing = await growing_part(redis, ids)
    hot = await story_sizes(redis)
    writes = Writes()
    StoryStore(None).archive(heads, writes, datetime.max.replace(tzinfo=UTC))  # type: ignore[arg-type]  # writes only; every story due
    async with redis.pipeline(transaction=False) as pipe:
        for command in commands(writes):
            pipe.execute_command(*command)
        await pipe.execute()
    archived = await story_sizes(redis)
    growing_archived = await growing_part(redis, ids)
    await retire_below(redis, lambda key: key, "compact", ARCHIVED, 1 << 62)
    compacted = await story_sizes(redis)
    assert await redis.zcard(COMPACTED) == count, "every story compacted"
    growing_compacted = await growing_part(redis, ids)
    overhead = await list_overhead(redis)

    per_story = {
        "hot": (hot.get("heads", 0) - growing + hot.get("index", 0)) / count,
        "archived": (archived.get("heads", 0) - growing_archived + archived.get("index", 0)) / count,  # a later report still finds it
        "compacted": (compacted.get("heads", 0) - growing_compacted) / count,
    }
    per_claim_head, per_claim_archived = growing / max(claims, 1), growing_archived / max(claims, 1)
    per_claim_compacted = growing_compacted / max(claims, 1)
    per_claim_list = (hot.get("timelines", 0) - lists * overhead) / max(listed, 1)
    new_a_day = stories_per_day if stories_per_day is not None else per_day * count / n
    claims_a_day = per_day * claims / n
    per_story_claims = claims_a_day / new_a_day
    in_lists, with_list = listed / max(claims, 1), lists / count
    a, c, d = settings.story_archive_after_days, settings.story_compact_after_days, settings.story_delete_after_days
    parts = {
        f"hot heads (bare) + index ({a:g} days)": new_a_day * a * per_story["hot"],
        f"archived heads (bare) + index ({c:g} days)": new_a_day * c * per_story["archived"],
        f"compacted heads (bare) ({d - c:g} days)": new_a_day * (d - c) * per_story["compacted"],
        f"claims and sources in hot heads ({a:g} days)": claims_a_day * a * per_claim_head,
        f"claims and sources in archived heads ({c:g} days)": claims_a_day * c * per_claim_archived,
        f"sources in compacted heads ({d - c:g} days)": claims_a_day * (d - c) * per_claim_compacted,
        f"claims in lists ({a + c:g} days)": claims_a_day * (a + c) * per_claim_list * in_lists,
        f"list keys ({a + c:g} days)": new_a_day * (a + c) * overhead * with_list,
    }
    window_articles = per_day * settings.dedup_window_days
    print(f"\nstories: {count} from {n} articles, {claims} claims ({held} held by heads, {listed} in timeline lists of {lists} stories)")
    print(f"bytes per story without claims and sources: hot (head + index) {per_story['hot']:,.0f}, archived (head + index) {per_story['archived']:,.0f}, "
          f"compacted {per_story['compacted']:,.0f}; a timeline list's key {overhead}; per claim: in a hot head with its source {per_claim_head:,.0f}, "
          f"in an archived head {per_claim_archived:,.0f}, "
          f"in a list {per_claim_list:,.0f}, its source in a compacted head {per_claim_compacted:,.0f}")
    print(f"at {new_a_day:,.0f} new stories and {claims_a_day:,.0f} claims a day ({per_story_claims:,.1f} a story, all within its first day; "
          f"archive {a:g} days, compact {c:g} days and delete {d:g} days after it):")
    for what, size in parts.items():
        print(f"  {what:<34}{size / 2**20:>10,.0f} MiB = {size / window_articles:>6,.0f} bytes per article")
    total = sum(parts.values())
    print(f"  {'stories in all':<34}{total / 2**20:>10,.0f} MiB = {total / window_articles:>6,.0f} bytes per article")
    return total


async def main(args: argparse.Namespace) -> None:
    if args.redis_url:
        await measure(args.redis_url, args.articles, args.per_day, args.mix, args.stories_per_day)
        return
    from storywatch.embedded import EmbeddedServer

    with tempfile.TemporaryDirectory(prefix="storywatch-bench-") as tmp, EmbeddedServer(Path(tmp), persist=False) as server:
        await measure(server.url, args.articles, args.per_day, args.mix, args.stories_per_day)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--per-day", type=int, default=200_000)
    parser.add_argument("--mix", choices=["realistic", "event"], default="realistic",
                        help="bench.news_mix articles (60%% without an event, 30%% near-copies) or pipeline_bench's (every one an event)")
    parser.add_argument("--stories-per-day", type=float, help="new stories a day at steady state (default: the run's stories per article x --per-day)")
    parser.add_argument("--redis-url")
    asyncio.run(main(parser.parse_args()))
