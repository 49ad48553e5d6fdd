"""End to end on a realistic news mix with many live stories, against a raw redis-py baseline.

    python -m bench.realistic_bench [--articles 20000] [--live 50000] [--layouts all dedup,extract/track] [--repeat 2] [--rate 200] [--seconds 30]

One run, on one server (the embedded Valkey unless ``--redis-url``):

1. baseline: the same article bodies XADDed, then consumed with XREADGROUP COUNT 100 and
   one XACK per batch by redis-py in this process;
2. for each ``--layouts`` arrangement of ``storywatch worker`` processes: the database is
   flushed, ``--live`` live stories are pre-loaded in the track stage's storage format
   (meetings of the gazetteer's leaders in 16 cities on dates over two years, three
   claims each; not timed), the workers are started and joined, then ``--articles``
   articles of ``bench.news_mix.mix_articles`` (60% no scheduled event, 30% one, 10%
   three to five; 30% near-copies; 70% of event sentences name a pre-loaded story) are
   published and the run is timed from the first publish to the last outcome;
3. latency (``--rate``, 0 for none): the same set-up with the first ``--rate`` x
   ``--seconds`` articles published at ``--rate`` per second, each alert timed from
   publication (``received_at``, stamped by the publisher) to its entry on ``alerts``.

Figures, min / median over ``--repeat`` runs:

* ``articles/s``: articles over wall-clock seconds, publishing included (the publisher
  is this process, competing for the same two cores);
* ``worker CPU``: user+system CPU of all worker processes per article (utime+stime from
  /proc: decoding, dedup, extraction, tracking, redis-py, FastStream);
* ``server CPU``: the server's used_cpu_user+used_cpu_sys per article (INFO cpu),
  publishing included;
* each worker process: the same per process, in the layout's order (``dedup,extract/track``:
  the ``dedup,extract`` process, then the ``track`` one);
* first / last tenth: the same for the first and the last 10% of outcomes, to show drift;
* the latency run's first second: the alerts of the articles published in it (the
  workers' first articles) and the slowest of them, where a cold start would show.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import statistics
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from redis.asyncio import Redis

from bench.news_mix import START, meeting_identity, meeting_stories, mix_articles, story_of
from bench.pipeline_bench import ROOT, alert_latencies, outcomes, paced, pct, start_workers, stop_workers, wait_ready
from bench.track_scale import preload, server_cpu
from ingest.publisher import publish_articles
from schemas.streams import ALERTS, DATA_FIELD, EVENTS, UNIQUE
from storywatch.service import redis_endpoint
from storywatch.settings import Settings

TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pids: list[int]) -> float:
    """utime + stime of these processes, in seconds."""
    return sum(procs_cpu(pids))


def procs_cpu(pids: list[int]) -> tuple[float, ...]:
    """utime + stime of each of these processes, in seconds."""
    out = []
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        out.append((int(fields[11]) + int(fields[12])) / TICK)
    return tuple(out)


@dataclass
class Sample:
    at: float
    done: int
    worker: float
    server: float
    parts: tuple[float, ...] = ()
    """CPU of each worker process (in the layout's order)."""


@dataclass
class Span:
    articles: int
    seconds: float
    worker: float
    server: float
    parts: tuple[float, ...] = ()

    @classmethod
    def between(cls, a: Sample, b: Sample) -> Span:
        return cls(b.done - a.done, b.at - a.at, b.worker - a.worker, b.server - a.server, tuple(y - x for x, y in zip(a.parts, b.parts, strict=True)))


async def baseline(redis: Redis, bodies: list[str]) -> Span:
    """Raw redis-py XREADGROUP COUNT 100 + one XACK per batch."""
    await redis.flushdb()
    await redis.xgroup_create("bench:raw", "g", id="0", mkstream=True)
    async with redis.pipeline(transaction=False) as pipe:
        for body in bodies:
            pipe.xadd("bench:raw", {DATA_FIELD: body})
        await pipe.execute()
    s0, c0, w0 = await server_cpu(redis), time.process_time(), time.perf_counter()
    got = 0
    while got < len(bodies):
        for _, entries in await redis.xreadgroup("g", "c", {"bench:raw": ">"}, count=100, block=100):
            got += len(entries)
            await redis.xack("bench:raw", "g", *(e[0] for e in entries))
    return Span(got, time.perf_counter() - w0, time.process_time() - c0, await server_cpu(redis) - s0)


async def started(redis: Redis, url: str, layout: str, live: list, root: Path = ROOT) -> list[subprocess.Popen[bytes]]:
    """A flushed database with the live stories pre-loaded, and the workers (running the
    code of ``root``) ready."""
    await redis.flushdb()
    await load_live(redis, live)
    procs = start_workers(url, layout, root)
    await wait_ready(redis, layout)
    return procs


async def latency(redis: Redis, url: str, layout: str, live: list, articles: list, rate: int, root: Path = ROOT) -> tuple[list[float], float, float, dict[str, list[float]]]:
    """Alert latencies (s) with ``articles`` published at ``rate``/s, the worker and
    server CPU (s) it took, and each alert's latency split by stage (``legs``)."""
    procs = await started(redis, url, layout, live, root)
    try:
        pids = [p.pid for p in procs]
        w0, s0 = proc_cpu(pids), await server_cpu(redis)
        with collector_off():
            await paced(redis, articles, rate)
            lat = await alert_latencies(redis, len(articles))
        return lat, proc_cpu(pids) - w0, await server_cpu(redis) - s0, await legs(redis)
    finally:
        stop_workers(procs)


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    """No garbage collection in this process while it publishes and measures: a full pass
    over the corpus would delay a publish after its articles were stamped."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _entry_ms(entry_id: bytes) -> float:
    return int(entry_id.split(b"-")[0]) / 1000


async def legs(redis: Redis) -> dict[str, list[float]]:
    """For every alert, the seconds from publication to the dedup commit (its entry on
    ``articles.unique``), from there to the extract commit (``events``) and from there to
    the track commit (``alerts``), read from the entries' ids (server ms clocks)."""
    unique, events = {}, {}
    for entry_id, fields in await redis.xrange(UNIQUE):
        unique[json.loads(fields[DATA_FIELD.encode()])["article"]["id"]] = _entry_ms(entry_id)
    for entry_id, fields in await redis.xrange(EVENTS):
        body = json.loads(fields[DATA_FIELD.encode()])
        if body.get("duplicate_of") is None:
            events[body["article_id"]] = _entry_ms(entry_id)
    out: dict[str, list[float]] = {"dedup": [], "extract": [], "track": [], "total": [], "published": []}
    for entry_id, fields in await redis.xrange(ALERTS):
        alert = json.loads(fields[DATA_FIELD.encode()])
        a, published = alert["article_id"], alert.get("received_at")
        if a not in unique or a not in events or published is None:
            continue
        t0 = datetime.fromisoformat(published).timestamp()
        out["dedup"].append(unique[a] - t0)
        out["extract"].append(events[a] - unique[a])
        out["track"].append(_entry_ms(entry_id) - events[a])
        out["total"].append(_entry_ms(entry_id) - t0)
        out["published"].append(t0)
    return out


def first_second(split: dict[str, list[float]]) -> str:
    """The alerts of the articles published in the run's first second, while the workers
    had handled nothing before them: how many, and the slowest (ms)."""
    if not split["published"]:
        return "n/a"
    start = min(split["published"])
    first = [total for total, t0 in zip(split["total"], split["published"], strict=True) if t0 < start + 1.0]
    return f"{len(first)}: {max(first) * 1e3:.0f}"


def leg_cells(split: dict[str, list[float]]) -> str:
    """p50 / p99 of each leg, and the legs' mean share of the slowest 1% of alerts."""
    total = split["total"]
    if len(total) < 2:
        return "n/a"
    slow = sorted(range(len(total)), key=total.__getitem__)[-max(1, len(total) // 100):]
    parts = []
    for leg in ("dedup", "extract", "track"):
        v = split[leg]
        share = statistics.mean(v[i] for i in slow) * 1e3
        parts.append(f"{leg} {pct(v, 0.5) * 1e3:.0f} / {pct(v, 0.99) * 1e3:.0f} ({share:.0f})")
    return " · ".join(parts)


async def run(redis: Redis, url: str, layout: str, live: list, articles: list, root: Path = ROOT) -> tuple[Span, Span, Span]:
    """(whole run, first tenth, last tenth)."""
    procs = await started(redis, url, layout, live, root)
    try:
        pids = [p.pid for p in procs]

        async def sample() -> Sample:
            parts = procs_cpu(pids)
            return Sample(time.perf_counter(), await outcomes(redis), sum(parts), await server_cpu(redis), parts)

        n = len(articles)
        marks = [await sample()]
        publisher = asyncio.create_task(publish_articles(redis, articles))
        tenth, last = n // 10, None
        while True:
            s = await sample()
            if len(marks) == 1 and s.done >= tenth:
                marks.append(s)
            if last is None and s.done >= n - tenth:
                last = s
            if s.done >= n:
                marks.append(s)
                break
            await asyncio.sleep(0.02)
        await publisher
        return Span.between(marks[0], marks[-1]), Span.between(marks[0], marks[1]), Span.between(last, marks[-1])  # type: ignore[arg-type]
    finally:
        stop_workers(procs)


def cells(spans: list[Span]) -> str:
    rate = [s.articles / s.seconds for s in spans]
    worker = [s.worker / s.articles * 1e3 for s in spans]
    server = [s.server / s.articles * 1e3 for s in spans]
    parts = [[s.parts[k] / s.articles * 1e3 for s in spans] for k in range(min(len(s.parts) for s in spans))]
    return (f"{min(rate):,.0f} / {statistics.median(rate):,.0f} | {min(worker):.2f} / {statistics.median(worker):.2f} | "
            f"{min(server):.3f} / {statistics.median(server):.3f} | {' · '.join(f'{min(p):.2f} / {statistics.median(p):.2f}' for p in parts) or '-'}")


def corpus(n: int, live_stories: int) -> tuple[list, list]:
    """(the live stories' meetings, ``n`` articles of the mix): 70% of event sentences name
    one of 7,000 of the live stories, the rest one of 3,000 not pre-loaded."""
    rng = random.Random(9)
    meetings = meeting_stories(rng, live_stories + live_stories // 2)
    live, fresh = meetings[:live_stories], meetings[live_stories:]
    pool = rng.sample(live, min(len(live), 7000)) + rng.sample(fresh, min(len(fresh), 3000))
    return live, mix_articles(n, pool)


async def load_live(redis: Redis, live: list) -> None:
    """The live stories written as the track stage stores them (three claims each)."""
    rng = random.Random(5)
    at = START - timedelta(days=1)
    await preload(redis, [story_of(meeting_identity(m), f"st-pre{i:07d}", 3, at - timedelta(seconds=i), rng) for i, m in enumerate(live)])


async def main(args: argparse.Namespace) -> None:
    live, articles = corpus(args.articles, args.live)
    size = statistics.mean(len(a.model_dump_json()) for a in articles)
    gc.collect()
    gc.freeze()  # the corpus out of the collector's full passes: they would delay publishing and stamp it late
    async with redis_endpoint(Settings(redis_url=args.redis_url, metrics_port=0), fresh=True) as (url, _embedded):
        redis = Redis.from_url(url)
        try:
            base = [await baseline(redis, [a.model_dump_json() for a in articles]) for _ in range(args.repeat)]
            print(f"{len(articles)} articles (mean {size / 1024:.1f} KB), {args.live:,} live stories pre-loaded, {os.cpu_count()} cores, "
                  f"min / median of {args.repeat} runs\n")
            print("| what | articles/s min / median | client or worker CPU ms/article min / median | server CPU ms/article min / median | "
                  "each worker process (the layout's order) CPU ms/article min / median |")
            print("|---|---|---|---|---|")
            print(f"| raw redis-py XREADGROUP COUNT 100 + XACK per batch (baseline; client = this process) | {cells(base)} |", flush=True)
            roots = {"": ROOT} if not args.compare else {"this checkout": ROOT, f"{args.compare}": Path(args.compare)}
            for layout in args.layouts:
                results: dict[str, list[tuple[Span, Span, Span]]] = {name: [] for name in roots}
                for _ in range(args.repeat):  # versions interleaved, so both see the same load
                    for name, root in roots.items():
                        results[name].append(await run(redis, url, layout, live, articles, root))
                for name, runs in results.items():
                    for label, i in (("whole run", 0), ("first tenth", 1), ("last tenth", 2)):
                        print(f"| end to end, workers `{layout}`{f' ({name})' if name else ''}, {label} | {cells([r[i] for r in runs])} |", flush=True)
            if args.rate:
                paced_articles = articles[: int(args.rate * args.seconds)]
                n = len(paced_articles)
                print(f"\n| publication -> alert, {n} articles at {args.rate}/s, workers `{args.latency_layout}` | alerts | p50 ms | p99 ms | max ms | worker CPU ms/article | server CPU ms/article | "
                      "by stage: p50 / p99 ms (mean ms in the slowest 1%) | first second's alerts: how many, max ms |")
                print("|---|---|---|---|---|---|---|---|---|")
                for r in range(args.repeat):
                    for name, root in roots.items():
                        lat, worker, srv, split = await latency(redis, url, args.latency_layout, live, paced_articles, args.rate, root)
                        print(f"| run {r + 1}{f' ({name})' if name else ''} | {len(lat)} | {pct(lat, 0.5) * 1e3:.1f} | {pct(lat, 0.99) * 1e3:.1f} | {max(lat, default=float('nan')) * 1e3:.1f} | "
                              f"{worker / n * 1e3:.2f} | {srv / n * 1e3:.3f} | {leg_cells(split)} | {first_second(split)} |", flush=True)
        finally:
            await redis.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--live", type=int, default=50_000, help="live stories pre-loaded")
    parser.add_argument("--layouts", nargs="*", default=["all", "dedup,extract/track"])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rate", type=int, default=200, help="articles/s offered for the latency run (0: none)")
    parser.add_argument("--seconds", type=float, default=30, help="length of the latency run")
    parser.add_argument("--latency-layout", default="dedup,extract/track")
    parser.add_argument("--redis-url")
    parser.add_argument("--compare", metavar="DIR", help="also run the workers of another checkout (e.g. a git worktree of the version before), interleaved run by run")
    asyncio.run(main(parser.parse_args()))
