"""Throughput and memory of the dedup path alone: fingerprint + Redis decision.

Articles of about 5 KB (German and English, from the test-set writer; a share of them
edited copies) go through ``fingerprint`` and ``DedupIndex.decide`` in batches of 100
on one client core. The same run measures a raw redis-py baseline: pipelined
``SET NX EX`` of 100 keys per round trip. Memory per indexed article is the
``used_memory`` growth divided by the number of articles the index kept.

    python -m bench.dedup_bench [--articles 20000] [--cpu 0] [--redis-url redis://...]

``--cpu`` pins the client (fingerprinting, encoding, parsing) to one core and the
embedded server to the other cores. Server time per article is reported twice: the
server's CPU time (``INFO cpu``) and the time spent inside the dedup script
(``INFO commandstats``).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import tempfile
import time
from pathlib import Path

from redis.asyncio import Redis

from consumers.dedup_index import DedupIndex
from consumers.fingerprint import fingerprints
from schemas import Article
from tests.data.dedup.make_corpus import BANK, Writer, copies, facts_for

BATCH = 100


def articles(n: int, copy_share: float, seed: int = 7) -> list[Article]:
    """About 5 KB each; ``copy_share`` of them are edited copies of an earlier one."""
    rng = random.Random(seed)
    out: list[Article] = []
    while len(out) < n:
        lang = rng.choice(("de", "en"))
        writer = Writer(BANK[lang], facts_for(lang, len(out), rng), random.Random(rng.random()))
        paragraphs = writer.article(22)
        out.append(Article(id=f"a{len(out)}", text="\n\n".join(paragraphs)))
        if rng.random() < copy_share / (1 - copy_share) and len(out) < n:
            edit, edited = rng.choice(copies(paragraphs, writer, rng))
            out.append(Article(id=f"a{len(out)}-{edit}", text="\n\n".join(edited)))
    return out


async def server_cpu(redis: Redis) -> float:
    info = await redis.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


async def run_overlapped(redis: Redis, items: list[Article]) -> float:
    """Articles/s when the next batch is fingerprinted while the previous decision is in flight."""
    index = DedupIndex(redis)
    await redis.execute_command("FLUSHDB", "SYNC")
    start = time.perf_counter()
    pending: asyncio.Task | None = None
    for i in range(0, len(items), BATCH):
        fps = fingerprints(items[i : i + BATCH])
        if pending:
            await pending
        pending = asyncio.create_task(index.decide(fps))
        await asyncio.sleep(0)  # let the task send its pipeline before the next batch
    if pending:
        await pending
    return len(items) / (time.perf_counter() - start)


async def script_usec(redis: Redis) -> float:
    stats = await redis.info("commandstats")
    return sum(float(v["usec"]) for k, v in stats.items() if k in ("cmdstat_evalsha", "cmdstat_eval"))


async def run_dedup(redis: Redis, items: list[Article]) -> dict[str, float]:
    index = DedupIndex(redis)
    await redis.execute_command("FLUSHDB", "SYNC")
    await redis.config_resetstat()
    mem0 = (await redis.info("memory"))["used_memory"]
    cpu0 = await server_cpu(redis)
    kinds: dict[str, int] = {}
    fp_time = 0.0
    trips = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(0, len(items), BATCH):
        t0 = time.perf_counter()
        fps = fingerprints(items[i : i + BATCH])
        fp_time += time.perf_counter() - t0
        for v in await index.decide(fps):
            kinds[v.kind] = kinds.get(v.kind, 0) + 1
        trips += 1
    elapsed = time.perf_counter() - start
    client_cpu = time.process_time() - cpu_start
    mem1 = (await redis.info("memory"))["used_memory"]
    indexed = kinds.get("unique", 0)
    return {
        "articles/s": len(items) / elapsed,
        "fingerprint ms/article": fp_time / len(items) * 1000,
        "client CPU us/article": client_cpu / len(items) * 1e6,
        "round trips/article": trips / len(items),
        "server CPU us/article": (await server_cpu(redis) - cpu0) / len(items) * 1e6,
        "script us/article": await script_usec(redis) / len(items),
        "bytes/indexed article": (mem1 - mem0) / max(1, indexed),
        "indexed": indexed,
        "size()": await index.size(),
        **{f"kind {k}": v for k, v in sorted(kinds.items())},
    }


async def run_baseline(redis: Redis, items: list[Article]) -> dict[str, float]:
    """Raw redis-py: one pipelined SET NX EX of 100 precomputed keys per round trip."""
    await redis.execute_command("FLUSHDB", "SYNC")
    keys = [f"bench:{a.id}" for a in items]
    start = time.perf_counter()
    for i in range(0, len(keys), BATCH):
        async with redis.pipeline(transaction=False) as pipe:
            for k in keys[i : i + BATCH]:
                pipe.set(k, "1", nx=True, ex=3600)
            await pipe.execute()
    elapsed = time.perf_counter() - start
    await redis.execute_command("FLUSHDB", "SYNC")
    return {"articles/s": len(keys) / elapsed, "round trips/article": 1 / BATCH}


async def measure(url: str, n: int, copy_share: float) -> None:
    items = articles(n, copy_share)
    size = sum(len(a.text.encode()) for a in items) / len(items)
    gc.collect()
    gc.freeze()  # the pre-generated articles are not part of the measured path: keep them out of GC passes
    redis = Redis.from_url(url)
    try:
        baseline = await run_baseline(redis, items)
        overlapped = await run_overlapped(redis, items)
        dedup = await run_dedup(redis, items)
    finally:
        await redis.aclose()
    print(f"{n} articles, mean {size / 1000:.1f} KB, {copy_share:.0%} edited copies, batches of {BATCH}, one client process (pid {os.getpid()})\n")
    print("| path | articles/s | round trips/article | notes |")
    print("|---|---|---|---|")
    print(f"| raw redis-py pipelined SET NX EX (baseline) | {baseline['articles/s']:,.0f} | {baseline['round trips/article']:.2f} | keys precomputed, no fingerprint |")
    print(
        f"| fingerprint + DedupIndex.decide | {dedup['articles/s']:,.0f} | {dedup['round trips/article']:.2f} | "
        f"fingerprint {dedup['fingerprint ms/article']:.3f} ms/article, server CPU {dedup['server CPU us/article']:.0f} us/article, "
        f"of which in the script {dedup['script us/article']:.0f} us/article |"
    )
    print(f"| same, next batch fingerprinted while one decision is in flight | {overlapped:,.0f} | {dedup['round trips/article']:.2f} | |")
    client, server = dedup["client CPU us/article"], dedup["server CPU us/article"]
    print(
        f"\nCPU per article: client {client:.0f} us (fingerprint, encoding, parsing), server {server:.0f} us. "
        f"Rate the CPU allows, one core each: {1e6 / max(client, server):,.0f} articles/s with the next batch "
        f"fingerprinted during a decision, {1e6 / (client + server):,.0f} without."
    )
    print(f"\nRedis memory per indexed article: {dedup['bytes/indexed article']:,.0f} bytes ({dedup['indexed']:,} indexed, size() = {dedup['size()']:,})")
    print("Verdicts: " + ", ".join(f"{k[5:]} {v:,}" for k, v in dedup.items() if k.startswith("kind ")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--copies", type=float, default=0.2, help="share of edited copies")
    parser.add_argument("--redis-url", help="measure against this server instead of an embedded one")
    parser.add_argument("--cpu", type=int, help="pin the client to this core")
    args = parser.parse_args()
    if args.redis_url:
        _pin(args.cpu)
        asyncio.run(measure(args.redis_url, args.articles, args.copies))
        return
    from storywatch.embedded import EmbeddedServer

    with tempfile.TemporaryDirectory() as tmp, EmbeddedServer(Path(tmp), persist=False) as server:
        if args.cpu is not None:
            others = os.sched_getaffinity(0) - {args.cpu}
            if others:
                os.sched_setaffinity(_server_pid(server.url), others)
        _pin(args.cpu)
        asyncio.run(measure(server.url, args.articles, args.copies))


def _server_pid(url: str) -> int:
    from redis import Redis as SyncRedis

    with SyncRedis.from_url(url) as client:
        return int(client.info("server")["process_id"])


def _pin(cpu: int | None) -> None:
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})


if __name__ == "__main__":
    main()
