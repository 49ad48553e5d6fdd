"""The partitioned key layout (pure): names, slots, routing, partition lists."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis
from redis.cluster import key_slot

from consumers.stage_runtime import StageRuntime
from consumers.stages import GROUP_STAGES
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import ALERTS, OUTCOME_COUNTS, OUTCOMES, dedup_tag, replay_marks_key
from storywatch.settings import Settings


def test_one_partition_keeps_the_single_server_names() -> None:
    assert SINGLE.key("articles", 0) == "articles"
    assert SINGLE.keys(OUTCOMES) == [OUTCOMES]
    assert SINGLE.of("any id") == 0


def test_partitions_tag_their_keys_and_leave_tagged_keys_alone() -> None:
    four = Partitioning(4)
    assert four.key("articles", 3) == "articles:{p3}"
    assert four.keys("events") == ["events:{p0}", "events:{p1}", "events:{p2}", "events:{p3}"]
    own = dedup_tag("x3") + ":b:1"
    assert four.key(own, 2) == own  # the dedup index keeps its own slot


def _commit_keys(runtime: StageRuntime) -> list[str]:
    spec = runtime.spec
    return [runtime.stream, runtime.dlq, runtime.failures, runtime.suspects, runtime.outbox,
            runtime.key(replay_marks_key(spec.input)), runtime.key(OUTCOME_COUNTS),
            *(runtime.key(o) for o in spec.outputs if not runtime.partitioning.is_global(o))]


@pytest.mark.parametrize("spec", GROUP_STAGES, ids=lambda s: s.name)
def test_every_key_a_partition_commits_to_is_in_one_slot(spec) -> None:  # type: ignore[no-untyped-def]
    layout = Partitioning(8)
    slots = []
    for p in range(layout.count):
        runtime = StageRuntime(spec, Redis(), Settings(metrics_port=0), partition=p, partitioning=layout)  # never connects
        keys = _commit_keys(runtime)
        assert {key_slot(k.encode()) for k in keys} == {key_slot(layout.key("x", p).encode())}, keys
        slots.append(key_slot(keys[0].encode()))
    assert len(set(slots)) == layout.count  # partitions are spread over slots


def test_alerts_are_one_stream_and_a_relay_marker_shares_its_slot() -> None:
    layout = Partitioning(4)
    assert layout.keys(ALERTS) == [ALERTS] and layout.key(ALERTS, 2) == ALERTS
    assert key_slot(layout.beside("sw:relayed:r1", ALERTS).encode()) == key_slot(ALERTS.encode())
    assert key_slot(layout.beside("sw:relayed:r1", "events:{p2}").encode()) == key_slot(b"events:{p2}")
    assert SINGLE.keys(ALERTS) == [ALERTS] and not SINGLE.is_global(ALERTS)


def test_routing_is_stable_and_spreads() -> None:
    layout = Partitioning(4)
    ids = [f"article-{i}" for i in range(4000)]
    counts = [0] * 4
    for ident in ids:
        counts[layout.of(ident)] += 1
    assert min(counts) > 800  # a fair spread
    assert layout.of("article-7") == Partitioning(4).of("article-7")  # no per-process salt


def test_partition_lists() -> None:
    layout = Partitioning(6)
    assert layout.parse("all") == (0, 1, 2, 3, 4, 5)
    assert layout.parse("0,2-3") == (0, 2, 3)
    with pytest.raises(ValueError, match="partition 6 does not exist"):
        layout.parse("6")
    with pytest.raises(ValueError, match="bad partition list"):
        layout.parse("one")
    with pytest.raises(ValueError, match="between 1 and 1024"):
        Partitioning(0)


def _delivery_runtime(layout: Partitioning):  # type: ignore[no-untyped-def]
    import asyncio

    from consumers.delivery.deliver import DeliverySettings, SubscriptionWorker
    from consumers.stage_runtime import Gate
    from schemas.subscriptions import Subscription

    sub = Subscription(id="sub-1", url="http://127.0.0.1:1/hook", secret="whsec_x", created_at="2025-01-01T00:00:00Z")  # type: ignore[arg-type]

    async def build() -> SubscriptionWorker:  # its HTTP client wants a running loop
        worker = SubscriptionWorker(sub, Redis(), "c", Settings(metrics_port=0), Gate(), DeliverySettings(), layout)  # never connects
        await worker.http.aclose()
        return worker

    return asyncio.run(build())


def test_every_key_a_delivery_commit_or_script_touches_is_in_the_alerts_slot() -> None:
    """The webhook delivery on a cluster: its commit (acks on ``alerts``, its outbox, its
    dead letters) and its scripts (scheduling, leasing, settling) stay in one slot."""
    layout = Partitioning(6)
    worker = _delivery_runtime(layout)
    runtime = worker.runtime
    keys = [*_commit_keys(runtime), worker.keys.due, worker.keys.outbox, worker.keys.dlq]
    assert runtime.stream == ALERTS
    assert {key_slot(k.encode()) for k in keys} == {key_slot(ALERTS.encode())}, keys
    assert worker.keys.due == "sw:deliver:sub-1:due:{alerts}" and runtime.dlq == "alerts.dlq:{alerts}"
    assert layout.keys("alerts.dlq") == ["alerts.dlq:{alerts}"]  # what dlq list and stats walk


def test_one_partition_keeps_the_single_server_delivery_names() -> None:
    worker = _delivery_runtime(SINGLE)
    runtime = worker.runtime
    assert (worker.keys.due, worker.keys.outbox, worker.keys.dlq) == ("sw:deliver:sub-1:due", "sw:deliver:sub-1:outbox", "sw:deliver:sub-1:dlq")
    assert (runtime.stream, runtime.dlq, runtime.failures, runtime.outbox) == (ALERTS, "alerts.dlq", "sw:failures:deliver:sub-1", "sw:outbox:deliver:sub-1")


def test_layout_traces_name_keys_of_another_partition_count() -> None:
    assert SINGLE.traces() == ["articles:{p0}", "outcomes:{p0}"]
    assert Partitioning(3).traces() == ["articles", "outcomes", "articles:{p3}", "outcomes:{p3}"]
    assert Partitioning(3).record() == "partitions=3"
