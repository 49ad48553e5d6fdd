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
   minute), the dedup index its window's worth (``dedup_window_days``), and the rest as
   measured. Divided by the articles of the dedup window, that is the figure held
   against the target (<= 2 KB per article); filing records by their TTL. Stories
   (heads, timelines, index) are reported per article beside it: archiving takes a cold
   story out of the index but keeps its head and timeline, so they grow with the
   stories ever seen.

It also checks retention for real: after ``storywatch trim`` with retention 0 every
stage stream is empty and the memory left is the index, the stories and the outcomes.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from collections import defaultdict
from pathlib import Path

from redis.asyncio import Redis

from bench.news_mix import meeting_stories, mix_articles
from bench.pipeline_bench import event_articles
from consumers.track_stage import FILED_TTL
from ingest.publisher import publish_articles, stamp_arrival
from consumers.stages import STAGES, all_streams
from schemas.streams import DATA_FIELD, KEY_PREFIX
from storywatch.retention import trim_all
from storywatch.service import wait_until_idle
from storywatch.settings import Settings
from storywatch.workers import Workers


def key_class(key: str) -> str:
    """What a key is, for the memory breakdown."""
    if key in all_streams():
        return f"stream {key}"
    if key.startswith("{" + f"{KEY_PREFIX}:dd:"):
        return "dedup index"
    if key.startswith(f"{KEY_PREFIX}:story:ix:"):
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


async def measure(url: str, n: int, per_day: int, mix: str) -> None:
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
    stories = len([k async for k in redis.scan_iter(f"{KEY_PREFIX}:story:*", count=1000) if b":ix:" not in k])

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
            steady = size / n * per_day * FILED_TTL / 86_400
            print(f"{what:<26}{size:>12,}{size / n:>11,.0f}{f'{FILED_TTL / 86_400:g} days (TTL) = {per_day * FILED_TTL / 86_400:,.0f}':>34}{steady:>16,.0f}")
        elif what.startswith("stories"):
            steady = 0.0
            print(f"{what:<26}{size:>12,}{size / n:>11,.0f}{'per article; kept (see below)':>34}{'':>16}")
        else:
            steady = float(size)
            print(f"{what:<26}{size:>12,}{'':>11}{'as measured':>34}{steady:>16,.0f}")
        total += steady
    print(f"\nsteady state without stories: {total / 2**20:,.0f} MiB = {total / window_articles:,.0f} bytes per article "
          f"of the {defaults.dedup_window_days:g}-day window ({window_articles:,.0f} articles)")
    kept = sum(size for what, size in sizes.items() if what.startswith("stories"))
    print(f"stories: {stories} heads, {kept / max(stories, 1):,.0f} bytes per story, {kept / n:,.0f} bytes per article tracked: heads and "
          "timelines stay when a story is archived (only its index entries go), so these grow with the stories ever seen")

    before = await used_memory(redis)
    await trim_all(redis, {s: 0.0 for s in defaults.retention_hours})
    left = {s.input: int(await redis.xlen(s.input)) for s in STAGES}
    print(f"\ntrim with retention 0: stage streams now {left}; used_memory {before / 2**20:,.1f} -> {await used_memory(redis) / 2**20:,.1f} MiB")
    await redis.aclose()


async def main(args: argparse.Namespace) -> None:
    if args.redis_url:
        await measure(args.redis_url, args.articles, args.per_day, args.mix)
        return
    from storywatch.embedded import EmbeddedServer

    with tempfile.TemporaryDirectory(prefix="storywatch-bench-") as tmp, EmbeddedServer(Path(tmp), persist=False) as server:
        await measure(server.url, args.articles, args.per_day, args.mix)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--per-day", type=int, default=200_000)
    parser.add_argument("--mix", choices=["realistic", "event"], default="realistic",
                        help="bench.news_mix articles (60%% without an event, 30%% near-copies) or pipeline_bench's (every one an event)")
    parser.add_argument("--redis-url")
    asyncio.run(main(parser.parse_args()))
