"""CPU per article of each stage on the realistic mix, one stage at a time in one process.

    python -m bench.stage_cpu [--articles 4000] [--live 50000] [--repeat 2] [--batch 100] [--profile track] [--redis-url URL]

``bench.realistic_bench`` times the workers end to end, where two processes and the
publisher share the cores and one stage's backlog shapes another's batches: its CPU
figures move by more than a change to one stage is worth. Here, on one server (the
embedded Valkey unless ``--redis-url``), per repeat:

1. the database is flushed, ``--live`` live stories are pre-loaded and ``--articles``
   articles of ``bench.realistic_bench.corpus`` are published (none of it timed);
2. the real stage runtimes of ``dedup``, ``extract`` and ``track`` (``StageRuntime.handle``:
   decoding, deciding, the fenced commit) drain their input streams one after the other,
   in batches of ``--batch`` (100) read with XREADGROUP, in this process, the heap settled each second
   as ``storywatch worker`` does (``storywatch.heap``).

Per stage, min / median over the repeats: CPU of this process per article of the run
(reading and handling its batches), the server's used_cpu_user+sys per article, and the
entries it handled (extract and track see only what the stage before passes on, so the
three CPU figures add up to a whole article's worker CPU), and the wall-clock time of one
``handle`` call (a batch's time in the stage once read: at ``--batch 1``, a live feed's
floor of each stage's latency). ``--profile STAGE``: that
stage's batches under cProfile in the last repeat, the functions with the most own time.
Run it in two checkouts in turn (``PYTHONPATH=<checkout>``) to compare them.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import statistics
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from bench.realistic_bench import corpus, load_live
from bench.track_scale import server_cpu
from consumers.stage_runtime import Entry, StageRuntime, ensure_group
from consumers.stages import stage
from ingest.publisher import publish_articles
from storywatch.connections import connect
from storywatch.heap import NO_AUTOMATIC_FULL, YOUNG_THRESHOLD, settle
from storywatch.service import redis_endpoint
from storywatch.settings import Settings

STAGES = ("dedup", "extract", "track")


@dataclass
class Drained:
    entries: int
    client: float
    server: float
    batches: list[float]
    """Wall-clock seconds of each ``handle`` call."""


async def drain(redis: Redis, name: str, batch: int, profile: cProfile.Profile | None = None) -> Drained:
    """Run stage ``name`` over its whole input stream: its CPU and the server's, in seconds."""
    runtime = StageRuntime(stage(name), redis, Settings(metrics_port=0), "bench")
    await ensure_group(redis, runtime.stream, runtime.group)
    s0, c0 = await server_cpu(redis), time.process_time()
    settled, handled, batches = time.monotonic(), 0, []
    while reply := await redis.xreadgroup(runtime.group, "bench", {runtime.stream: ">"}, count=batch, block=100):
        for _, raw in reply:
            entries = [Entry(i.decode(), f) for i, f in raw]
            if profile is not None:
                profile.enable()
            started = time.perf_counter()
            await runtime.handle(entries)
            batches.append(time.perf_counter() - started)
            if profile is not None:
                profile.disable()
            handled += len(entries)
        if time.monotonic() - settled >= 1.0:
            settle()
            settled = time.monotonic()
    return Drained(handled, time.process_time() - c0, await server_cpu(redis) - s0, batches)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def cell(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f}"


async def main(args: argparse.Namespace) -> None:
    live, articles = corpus(args.articles, args.live)
    gc.collect()
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, thresholds[1], NO_AUTOMATIC_FULL)
    runs: dict[str, list[Drained]] = {name: [] for name in STAGES}
    profile: cProfile.Profile | None = None
    async with redis_endpoint(Settings(redis_url=args.redis_url, metrics_port=0), fresh=True) as (url, _embedded):
        redis = connect(url)
        try:
            for repeat in range(args.repeat):
                await redis.flushdb()
                await load_live(redis, live)
                await publish_articles(redis, articles)
                for name in STAGES:
                    if name == args.profile and repeat == args.repeat - 1:
                        profile = cProfile.Profile()
                    runs[name].append(await drain(redis, name, args.batch, profile if name == args.profile else None))
        finally:
            await redis.aclose()
    n = len(articles)
    print(f"{n} articles of the realistic mix, {args.live:,} live stories pre-loaded, one process, batches of {args.batch}, min / median of {args.repeat}\n")
    print("| stage | entries | client CPU ms per article | server CPU ms per article | one batch's handling p50 / p99 ms (median of the repeats) |\n|---|---|---|---|---|")
    for name in STAGES:
        done = runs[name]
        walls = f"{statistics.median(_quantile(d.batches, 0.5) for d in done) * 1e3:.2f} / {statistics.median(_quantile(d.batches, 0.99) for d in done) * 1e3:.2f}"
        print(f"| {name} | {done[-1].entries} | {cell([d.client / n * 1e3 for d in done])} | {cell([d.server / n * 1e3 for d in done])} | {walls} |")
    whole = [sum(runs[name][r].client for name in STAGES) / n * 1e3 for r in range(args.repeat)]
    print(f"| all three | | {cell(whole)} | {cell([sum(runs[name][r].server for name in STAGES) / n * 1e3 for r in range(args.repeat)])} | |")
    if profile is not None:
        print(f"\n{args.profile}, last repeat, by own time:")
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--live", type=int, default=50000, help="live stories pre-loaded")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100, help="entries read per batch (1: a live feed's trickle)")
    parser.add_argument("--profile", choices=STAGES, help="profile this stage's batches (last repeat)")
    parser.add_argument("--top", type=int, default=30, help="functions listed with --profile")
    parser.add_argument("--redis-url")
    asyncio.run(main(parser.parse_args()))
