"""Track stage cost against the number of live stories and against a story's length.

    python -m bench.track_scale [--live 1000 10000 50000 200000] [--lengths 10 100 1000 10000]
                                [--articles 1000] [--repeat 3]

Everything runs through the real ``TrackStage`` against a real server (the embedded
Valkey unless ``--redis-url``): entries are read from the ``events`` stream with
XREADGROUP COUNT 100 and handed to ``TrackStage.handle``, which decodes them, reads the
candidate stories, decides, encodes and commits (the fenced commit with the acks). The
input is ``bench.news_mix.mix_events``: 60% of articles without events, 30% one, 10%
three to five, 30% copies; mentions name stories of a Zipf-skewed universe, so popular
participants are in thousands of stories.

Per point it prints, for the measured articles only (the preload is not timed):

* ``client CPU``: CPU seconds of this process (decode, decide, encode, redis-py) per article;
* ``server CPU``: the server's used_cpu_user + used_cpu_sys per article (INFO cpu);
* ``articles/s``: wall clock, reading included;
* ``heads``: story heads fetched from the server and decoded per article (the stage's
  cache starts empty each run), median over the runs;

as min / median over ``--repeat`` runs (``--commandstats``: also, per point, the server's
busiest commands of its last run, from ``INFO commandstats``; ``--op-cost``: the server's
CPU per plain command, protocol included, at that dataset; ``--pad-keys N``: N unrelated
keys of ~200 bytes written beside the stories, to tell the server's dataset size from the
stories' own structures) (each run tracks fresh articles on the same
stories). Live stories are pre-loaded in the stage's own storage format, each with a
few claims (``--preload independent``: random identities, so at 200,000 a mention fits
~11 of them, which tracking would never have kept apart; ``trackable``: none that a
report of another would fit, as tracking leaves them); the length sweep pre-loads one story of N claims (spread one hour apart)
that every measured article with an event reports on.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import time
from datetime import timedelta

from redis.asyncio import Redis

from bench.news_mix import START, Identity, Universe, mix_events, story_of
from consumers.stage_runtime import Entry, StageRuntime, ensure_group
from consumers.stages import stage as stage_spec
from consumers.story_store import HOT, decode_head, preload_commands, story_key
from schemas import ArticleEvents, Status, Story, TimelineEntry
from schemas.streams import DATA_FIELD, EVENTS
from storywatch.heap import NO_AUTOMATIC_FULL, YOUNG_THRESHOLD, settle
from storywatch.service import redis_endpoint
from storywatch.settings import Settings

BATCH = 100


async def preload(redis: Redis, stories: list[tuple[Story, list[TimelineEntry]]]) -> None:
    """Write stories as the stage would have (not timed)."""
    for start in range(0, len(stories), 500):
        async with redis.pipeline(transaction=False) as pipe:
            for cmd in preload_commands(stories[start:start + 500]):
                pipe.execute_command(*cmd)
            await pipe.execute()


async def server_cpu(redis: Redis) -> float:
    info = await redis.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


async def pad(redis: Redis, count: int) -> None:
    """``count`` keys no article touches (nine strings of 200 bytes to one small sorted set)."""
    for start in range(0, count, 5000):
        async with redis.pipeline(transaction=False) as pipe:
            for i in range(start, min(count, start + 5000)):
                if i % 10:
                    pipe.set(f"pad:{i}", "x" * 200)
                else:
                    pipe.zadd(f"pad:z:{i}", {f"a{i}": i, f"b{i}": i + 1})
            await pipe.execute()


OPS = 20_000


async def op_cost(redis: Redis, size: int) -> str:
    """Server CPU per command (µs, INFO cpu, protocol included) of plain commands that
    touch no structure holding every story, and of one that does (ZADD of members to the
    hot set, removed after), each ``OPS`` times in pipelines of 1,000: how the server's cost
    per command moves with its dataset alone."""
    kinds = {
        "SET new key": lambda p, i: p.set(f"bench:op:s:{i}", "x" * 100),
        "GET head": lambda p, i: p.get(story_key(f"st-pre{i % size:07d}")),
        "ZADD new small set": lambda p, i: p.zadd(f"bench:op:z:{i}", {"1": i}),
        "ZADD to the hot set": lambda p, i: p.zadd(HOT, {f"bench:op:h:{i}": 10**13 + i}),
    }
    out = []
    for name, command in kinds.items():
        s0 = await server_cpu(redis)
        for start in range(0, OPS, 1000):
            async with redis.pipeline(transaction=False) as pipe:
                for i in range(start, start + 1000):
                    command(pipe, i)
                await pipe.execute()
        out.append(f"{name} {(await server_cpu(redis) - s0) / OPS * 1e6:.2f}")
    for start in range(0, OPS, 1000):
        await redis.delete(*(f"bench:op:{t}:{i}" for t in "sz" for i in range(start, start + 1000)))
        await redis.zrem(HOT, *(f"bench:op:h:{i}" for i in range(start, start + 1000)))
    return "; ".join(out)


def busiest(stats: dict[str, dict[str, float]], n: int, top: int = 8) -> str:
    """The commands with the most server time: calls and microseconds per article, microseconds per call
    (a script's or EXEC's time includes the commands it runs)."""
    rows = sorted(stats.items(), key=lambda kv: -kv[1]["usec"])[:top]
    return "; ".join(f"{k.removeprefix('cmdstat_')} {v['calls'] / n:.2f}x{v['usec_per_call']:.2f}={v['usec'] / n:.1f}" for k, v in rows)


Run = tuple[float, float, float, int, int]
"""Client CPU s, server CPU s, wall s, heads fetched, heads decoded."""


async def track(redis: Redis, articles: list[ArticleEvents], warm: list[str] | None = None) -> Run:
    """Publish ``articles`` on ``events``, then read and track them through the stage
    (the heap settled each second, as ``storywatch.heap.keep_settled`` does in a worker):
    the reading's and tracking's CPU and wall time and the heads the stage read. With
    ``warm`` (story ids), the stage's cache first holds those stories as stored, untimed
    (a worker that has tracked them lately)."""
    stage = StageRuntime(stage_spec("track"), redis, Settings(metrics_port=0), "bench")
    stream, group = stage.stream, stage.group
    await ensure_group(redis, stream, group)
    if warm:
        store = stage.logic.store  # type: ignore[attr-defined]
        for start in range(0, len(warm), 1000):
            for sid, raw in zip(warm[start:start + 1000], await redis.mget([story_key(i) for i in warm[start:start + 1000]]), strict=True):
                if raw is not None:
                    store.cache.put(decode_head(raw, sid))
    await _publish(redis, articles)
    gc.collect()
    gc.freeze()
    s0, c0, w0 = await server_cpu(redis), time.process_time(), time.perf_counter()
    done, settled = 0, time.monotonic()
    while done < len(articles):
        reply = await redis.xreadgroup(group, "bench", {stream: ">"}, count=BATCH, block=1000)
        for _, raw in reply:
            entries = [Entry(i.decode(), f) for i, f in raw]
            await stage.handle(entries)
            done += len(entries)
        if time.monotonic() - settled >= 1.0:
            settle()
            settled = time.monotonic()
    c1, w1 = time.process_time(), time.perf_counter()
    reads = getattr(stage.logic.store, "reads", None)  # the track stage's StoryStore; an earlier one counts nothing: -1 per article
    n = len(articles)
    return c1 - c0, await server_cpu(redis) - s0, w1 - w0, getattr(reads, "fetched", -n), getattr(reads, "decoded", -n)


async def _publish(redis: Redis, articles: list[ArticleEvents]) -> None:
    async with redis.pipeline(transaction=False) as pipe:
        for a in articles:
            pipe.xadd(EVENTS, {DATA_FIELD: a.model_dump_json(exclude_none=True)})
        await pipe.execute()


def summary(runs: list[Run], n: int) -> str:
    client = [r[0] / n * 1e3 for r in runs]
    server = [r[1] / n * 1e3 for r in runs]
    rate = [n / r[2] for r in runs]
    return (f"{min(client):.3f} / {statistics.median(client):.3f} | {min(server):.3f} / {statistics.median(server):.3f} | "
            f"{max(rate):,.0f} / {statistics.median(rate):,.0f} | {statistics.median(r[3] for r in runs) / n:.2f} / {statistics.median(r[4] for r in runs) / n:.2f}")


HEADER = ("| {what} | client CPU ms/article min / median | server CPU ms/article min / median | articles/s max / median | heads fetched / decoded per article |\n"
          "|---|---|---|---|---|")


RECENT_STORIES = 6667
"""``--draw recent``: the newest live stories a feed still reports on: a day's new
stories at ``bench.memory_bench``'s ``--stories-per-day 6667`` (200,000 live stories
over the 30 days a story stays hot), each getting its reports within its first day."""


def drawn(idents: list[Identity], size: int, new: list[Identity], draw: str, recent: int) -> list[Identity]:
    """What the measured mentions name: 70% a live story, 30% a new one. ``uniform``:
    any of the ``size`` live stories alike (the worst case for a per-process cache: at
    200,000 most stories a run meets are new to it); ``recent``: one of the ``recent``
    newest (``idents[i]`` is ``st-pre<i>``, stamped ``i`` seconds before the newest), as in
    ``bench.memory_bench``'s model of a feed, where a story is reported within its first day.
    A ``recent`` run's stage starts with those stories in its cache (as stored, untimed):
    a worker that has tracked the day's feed has met them all (the cache holds 20,000);
    a ``uniform`` run's starts empty, as before."""
    live = idents[:size] if draw == "uniform" else idents[:min(size, recent)]
    return live * 7 + new * 3 if size >= 10 else idents


async def live_sweep(redis: Redis, sizes: list[int], n: int, repeat: int, kind: str = "independent", stats: bool = False, padding: int = 0,
                     probe: bool = False, draws: tuple[str, ...] = ("uniform",), recent: int = RECENT_STORIES) -> None:
    print(HEADER.format(what=f"live stories (draw{f'; recent: the newest {recent:,}' if 'recent' in draws else ''})"))
    await redis.flushdb()
    await pad(redis, padding)
    universe = Universe(seed=1)
    idents = universe.identities(max(sizes) + n) if kind == "independent" else universe.trackable(max(sizes) + n)
    rng = random.Random(2)
    loaded = 0
    at = START + timedelta(days=20)
    for size in sorted(sizes):
        batch = [story_of(ident, f"st-pre{i:07d}", 3, at - timedelta(seconds=i), rng) for i, ident in enumerate(idents[loaded:size], start=loaded)]
        await preload(redis, batch)
        loaded = size
        for d, draw in enumerate(draws):
            runs: list[Run] = []
            for r in range(repeat):
                await redis.config_resetstat()
                pool = drawn(idents, size, idents[max(sizes):], draw, recent)
                start, prefix = at + timedelta(hours=1 + r + d * repeat), f"l{size}r{r}-" if draw == "uniform" else f"l{size}{draw[0]}r{r}-"
                articles = mix_events(rng.sample(pool, min(len(pool), 20_000)), n, start, rng, prefix=prefix)
                warm = [f"st-pre{i:07d}" for i in range(min(size, recent))] if draw == "recent" else None
                runs.append(await track(redis, articles, warm))
            print(f"| {size:,} ({draw}) | {summary(runs, n)} |", flush=True)
        if probe:
            print(f"|   server CPU µs per command | {await op_cost(redis, size)} | | | |", flush=True)
        if stats:
            print(f"|   commandstats, last run (calls x usec = usec per article) | {busiest(await redis.info('commandstats'), n)} | | | |", flush=True)


async def length_sweep(redis: Redis, lengths: list[int], n: int, repeat: int) -> None:
    print(HEADER.format(what="claims in one story"))
    rng = random.Random(3)
    ident = Identity("summit", ("Actor00001", "Actor00002"), "Geneva", START.date() + timedelta(days=400))
    for length in lengths:
        await redis.flushdb()
        at = START + timedelta(hours=length)
        await preload(redis, [story_of(ident, "st-long", length, at, rng)])
        runs: list[Run] = []
        for r in range(repeat):
            articles = mix_events([ident], n, at + timedelta(minutes=10 + 60 * r), rng, prefix=f"n{length}r{r}-", spacing=timedelta(seconds=1))
            for a in articles:  # keep the story's status: only its length grows
                for m in a.events:
                    m.status = Status.PLANNED
            runs.append(await track(redis, articles))
        print(f"| {length:,} | {summary(runs, n)} |", flush=True)


async def main(args: argparse.Namespace) -> None:
    gc.set_threshold(YOUNG_THRESHOLD, gc.get_threshold()[1], NO_AUTOMATIC_FULL)  # the worker's regime (storywatch.heap)
    async with redis_endpoint(Settings(redis_url=args.redis_url, metrics_port=0), fresh=True) as (url, _embedded):
        redis = Redis.from_url(url)
        try:
            print(f"{args.articles} articles per run (mix: 60% none, 30% one, 10% 3-5 mentions, 30% copies), batches of {BATCH}\n")
            if args.live:
                await live_sweep(redis, args.live, args.articles, args.repeat, args.preload, args.commandstats, args.pad_keys, args.op_cost,
                                 tuple(args.draw), args.recent)
                print()
            if args.lengths:
                await length_sweep(redis, args.lengths, args.articles, args.repeat)
        finally:
            await redis.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--live", type=int, nargs="*", default=[1000, 10_000, 50_000, 200_000])
    parser.add_argument("--lengths", type=int, nargs="*", default=[10, 100, 1000, 10_000])
    parser.add_argument("--articles", type=int, default=1000, help="articles tracked per run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--preload", choices=["independent", "trackable"], default="independent",
                        help="live stories of independent random identities, or only identities no report of another would fit "
                             "(as tracking leaves them: see bench.track_candidates)")
    parser.add_argument("--draw", nargs="+", choices=["uniform", "recent"], default=["uniform"],
                        help="which live stories mentions name: any alike (uniform), or the newest --recent (a day's new stories, each "
                             "reported within its first day, bench.memory_bench's model), or both (each point's runs of one draw, then the other's)")
    parser.add_argument("--recent", type=int, default=RECENT_STORIES, help="--draw recent: how many of the newest live stories mentions name")
    parser.add_argument("--commandstats", action="store_true", help="print the server's busiest commands per point (INFO commandstats)")
    parser.add_argument("--op-cost", action="store_true", help="print the server's CPU per plain command per point (after its runs; what they add is removed)")
    parser.add_argument("--pad-keys", type=int, default=0, help="unrelated keys written before the stories (server dataset size)")
    parser.add_argument("--redis-url")
    asyncio.run(main(parser.parse_args()))
