"""End-to-end benchmark: articles/s through dedup + extract + track, and alert latency.

    python -m bench.pipeline_bench [--articles 10000] [--layouts all all/all dedup,track/extract] [--rate 500] [--seconds 10]

One run measures, on one server (the embedded Valkey unless ``--redis-url``):

1. the raw redis-py baseline: XADD of the same 5 KB bodies, then XREADGROUP COUNT 100
   with one XACK per batch, in msg/s (what a stage could do if it did nothing);
2. throughput: a backlog of ``--articles`` articles (about 5 KB, 10% copies, every one
   reporting a scheduled event) drained by ``storywatch worker`` processes in each
   ``--layouts`` arrangement, timed from the first publish to the last outcome;
3. latency: articles published at ``--rate`` per second for ``--seconds``, each one
   moving a story to a new status, timed from publication (``received_at``, stamped by
   the publisher) to the alert's arrival on the ``alerts`` stream.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from redis.asyncio import Redis

from ingest.publisher import publish_articles
from schemas import Alert, Article
from consumers.stages import GROUP_STAGES
from schemas.streams import ALERTS, DATA_FIELD, OUTCOME_COUNTS
from storywatch.service import redis_endpoint
from storywatch.settings import Settings
from tests.data.dedup.make_corpus import BANK, Writer, facts_for

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [("Merz", "Macron"), ("Starmer", "Merz"), ("Xi", "Modi"), ("Macron", "Starmer"), ("Modi", "Merz"), ("Xi", "Macron")]
CITIES = ["Paris", "Berlin", "London", "Genf", "Istanbul", "Helsinki", "Peking", "Tokio", "Doha", "Kairo", "Brüssel", "Hamburg"]
LEADS = {
    "planned": "{a} und {b} wollen sich am Donnerstag in {c} treffen.",
    "postponed": "Das Treffen von {a} und {b} in {c} wurde auf unbestimmte Zeit verschoben.",
    "cancelled": "Das geplante Treffen von {a} und {b} in {c} wurde abgesagt.",
    "took_place": "{a} und {b} trafen sich am Montag in {c}.",
}
STAGE_GROUPS = [(s.name, (s.input, s.group)) for s in GROUP_STAGES]
CYCLE = ["planned", "postponed", "planned", "cancelled", "planned", "took_place"]


def filler(rng: random.Random, index: int, paragraphs: int = 18) -> str:
    writer = Writer(BANK["de"], facts_for("de", index, rng), random.Random(rng.random()))
    return "\n\n".join(writer.article(paragraphs))


def event_articles(n: int, seed: int = 3, copy_share: float = 0.1, start: datetime | None = None) -> list[Article]:
    """~5 KB German articles; each reports a meeting whose status cycles per story."""
    rng = random.Random(seed)
    start = start or datetime(2026, 1, 1, tzinfo=UTC)
    stories = [(a, b, c) for a, b in PAIRS for c in CITIES]
    out: list[Article] = []
    for i in range(n):
        if out and rng.random() < copy_share:
            original = rng.choice(out)
            out.append(original.model_copy(update={"id": f"bench-{i}", "url": None}))
            continue
        a, b, c = stories[i % len(stories)]
        status = CYCLE[(i // len(stories)) % len(CYCLE)]
        text = LEADS[status].format(a=a, b=b, c=c) + "\n\n" + filler(rng, i)
        out.append(Article(id=f"bench-{i}", source=f"outlet-{i % 7}", language="de", published_at=start + timedelta(seconds=i), text=text[:5200]))
    return out


async def baseline(redis: Redis, bodies: list[str]) -> float:
    """Raw redis-py: consume with XREADGROUP COUNT 100 + one XACK per batch (msg/s)."""
    await redis.flushdb()
    await redis.xgroup_create("bench:raw", "g", id="0", mkstream=True)
    async with redis.pipeline(transaction=False) as pipe:
        for body in bodies:
            pipe.xadd("bench:raw", {DATA_FIELD: body})
        await pipe.execute()
    got, started = 0, time.perf_counter()
    while got < len(bodies):
        for _, entries in await redis.xreadgroup("g", "c", {"bench:raw": ">"}, count=100, block=100):
            got += len(entries)
            await redis.xack("bench:raw", "g", *(e[0] for e in entries))
    return len(bodies) / (time.perf_counter() - started)


def start_workers(url: str, layout: str, root: Path = ROOT) -> list[subprocess.Popen[bytes]]:
    """One ``storywatch worker`` per ``/``-separated part of ``layout``, each running the
    stages it names (``all`` or a comma list): ``all/all`` is two full workers,
    ``dedup,track/extract`` two processes splitting the stages. ``root``: the checkout
    whose code the workers run (another one to compare versions in one run)."""
    env = {**os.environ, "PYTHONPATH": str(root), "STORYWATCH_LOG_LEVEL": "WARNING"}
    return [
        subprocess.Popen([sys.executable, "-m", "storywatch.cli", "worker", "--stage", stages, "--redis-url", url, "--metrics-port", "0"], cwd=root, env=env)
        for stages in layout.split("/")
    ]


def stop_workers(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=30)


async def outcomes(redis: Redis) -> int:
    return sum(int(v) for v in (await redis.hgetall(OUTCOME_COUNTS)).values())


async def wait_ready(redis: Redis, layout: str) -> None:
    """Until the workers have joined their consumer groups (each polls its stream)."""
    wanted = {stage: sum(1 for part in layout.split("/") if part == "all" or stage in part.split(",")) for stage, _ in STAGE_GROUPS}
    while True:
        joined = {}
        for stage, (stream, group) in STAGE_GROUPS:
            try:
                joined[stage] = len(await redis.xinfo_consumers(stream, group))
            except Exception:
                joined[stage] = 0
        if all(joined[s] >= n for s, n in wanted.items()):
            return
        await asyncio.sleep(0.1)


async def throughput(redis: Redis, url: str, articles: list[Article], layout: str) -> float:
    await redis.flushdb()
    procs = start_workers(url, layout)
    try:
        await wait_ready(redis, layout)
        started = time.perf_counter()
        await publish_articles(redis, articles)
        while await outcomes(redis) < len(articles):
            await asyncio.sleep(0.02)
        return len(articles) / (time.perf_counter() - started)
    finally:
        stop_workers(procs)


async def latency(redis: Redis, url: str, rate: int, seconds: float, layout: str) -> tuple[int, list[float]]:
    await redis.flushdb()
    total = int(rate * seconds)
    articles = event_articles(total, seed=11, copy_share=0.0, start=datetime.now(UTC) - timedelta(days=1))
    procs = start_workers(url, layout)
    try:
        await wait_ready(redis, layout)
        await paced(redis, articles, rate)
        return total, await alert_latencies(redis, total)
    finally:
        stop_workers(procs)


async def paced(redis: Redis, articles: list[Article], rate: int) -> None:
    """Publish ``articles`` at ``rate`` per second (in 20 ms ticks)."""
    tick = 0.02
    per_tick = max(1, round(rate * tick))
    started = time.perf_counter()
    for i in range(0, len(articles), per_tick):
        await publish_articles(redis, articles[i:i + per_tick])
        delay = started + (i + per_tick) / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)


async def alert_latencies(redis: Redis, total: int) -> list[float]:
    """Once ``total`` articles have their outcome: publication (``received_at``, stamped
    by the publisher) to the alert's entry on ``alerts``, in seconds, per alert."""
    while await outcomes(redis) < total:
        await asyncio.sleep(0.05)
    lat = []
    for entry_id, fields in await redis.xrange(ALERTS):
        alert = Alert.model_validate_json(fields[DATA_FIELD.encode()])
        alerted_ms = int(entry_id.split(b"-")[0])
        if alert.received_at is not None:
            lat.append(alerted_ms / 1000 - alert.received_at.timestamp())
    return lat


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 1000) - 1] if len(values) > 1 else (values[0] if values else float("nan"))


async def main(args: argparse.Namespace) -> None:
    async with redis_endpoint(Settings(redis_url=args.redis_url, metrics_port=0), fresh=True) as (url, _embedded):
        redis = Redis.from_url(url)
        try:
            articles = event_articles(args.articles)
            size = statistics.mean(len(a.model_dump_json()) for a in articles)
            base = await baseline(redis, [a.model_dump_json() for a in articles])
            print(f"articles: {len(articles)}, mean {size / 1024:.1f} KB on the wire, {os.cpu_count()} cores\n")
            print("| measurement | result |\n|---|---|")
            print(f"| raw redis-py XREADGROUP COUNT 100 + XACK per batch (baseline) | {base:,.0f} msg/s |")
            for layout in args.layouts:
                rate = await throughput(redis, url, articles, layout)
                print(f"| end to end, dedup+extract+track, workers `{layout}` | {rate:,.0f} articles/s |")
            total, lat = await latency(redis, url, args.rate, args.seconds, args.latency_layout)
            print(f"| publication -> alert at {args.rate}/s for {args.seconds:.0f} s, workers `{args.latency_layout}` ({total} articles, {len(lat)} alerts) | "
                  f"p50 {pct(lat, 0.5) * 1000:.1f} ms, p99 {pct(lat, 0.99) * 1000:.1f} ms, max {max(lat) * 1000:.1f} ms |")
        finally:
            await redis.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--layouts", nargs="+", default=["all", "all/all", "dedup,track/extract"],
                        help="worker processes to measure, '/'-separated, each 'all' or a comma list of stages")
    parser.add_argument("--rate", type=int, default=500, help="articles/s for the latency run")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--latency-layout", default="dedup,track/extract")
    parser.add_argument("--redis-url")
    asyncio.run(main(parser.parse_args()))
