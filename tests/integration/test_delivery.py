"""Webhook delivery end to end: pipeline, a local receiver, a subscription to one actor.

The receiver must get exactly the alerts that match, once each, signed, across an
outage of the receiver and a kill -9 of the delivery worker while deliveries wait.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from redis import Redis

from consumers.delivery.filters import matches
from consumers.delivery.webhooks import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify
from consumers.delivery.subscriptions import DeliveryKeys
from schemas import Alert, Article
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import ALERTS, DATA_FIELD, delivery_dlq, delivery_group, dlq_stream
from tests.integration.fault_harness import ROOT, groups_idle, publish, start_worker, wait_for
from schemas.subscriptions import AlertFilter
from tests.integration.webhook_receiver import Receiver

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DELIVERY_ENV = {
    "STORYWATCH_DELIVERY_RETRY_BASE_S": "0.2",
    "STORYWATCH_DELIVERY_RETRY_MAX_S": "1",
    "STORYWATCH_DELIVERY_TIMEOUT_S": "1",
}
"""Back-off in fractions of a second and a short lease, so an outage plays out in seconds."""


def devset() -> list[Article]:
    from ingest.sources import by_publication, read_inputs

    return by_publication(list(read_inputs([ROOT / "tests" / "data" / "devset" / "articles.jsonl"])))  # type: ignore[arg-type]


def alerts(redis: Redis) -> list[Alert]:
    return [Alert.model_validate_json(f[DATA_FIELD.encode()]) for _, f in redis.xrange(ALERTS)]


def subscribe(url: str, redis_url: str, *options: str, env: dict[str, str] | None = None) -> dict[str, object]:
    import os
    import subprocess
    import sys

    full_env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | (env or {})
    out = subprocess.run([sys.executable, "-m", "storywatch.cli", "subscribe", "add", url, "--redis-url", redis_url, "--json", *options],
                         cwd=ROOT, capture_output=True, text=True, timeout=60, check=True, env=full_env)
    return json.loads(out.stdout)


def idle(redis: Redis, layout: Partitioning = SINGLE) -> bool:
    from redis.exceptions import ResponseError

    try:
        return groups_idle(redis, layout)
    except ResponseError:  # the workers have not created their groups yet
        return False


def receiver_gets_exactly_the_matching_alerts_once(redis: Redis, redis_url: str, tmp_path: Path, env: dict[str, str] | None = None,
                                                   layout: Partitioning = SINGLE) -> None:
    """The pipeline and a delivery worker with a subscription to one actor; the receiver
    goes down between matching alerts, the delivery worker is killed with -9 while
    deliveries wait in its outbox, the receiver comes back: it has exactly the matching
    alerts, once each, validly signed, and nothing is left pending or dead-lettered."""
    env = env or {}
    receiver = Receiver().start()
    sub = subscribe(receiver.url, redis_url, "--actor", "Macron", env=env)
    secret = str(sub["secret"])
    pipeline = start_worker(redis_url, tmp_path, "--stage", "dedup,extract,track", env=env)
    delivery = start_worker(redis_url, tmp_path, "--stage", "deliver", env=env | DELIVERY_ENV)
    workers = [pipeline, delivery]
    articles = devset()
    half = len(articles) // 2
    flt = AlertFilter(actors=["Macron"])
    try:
        publish(redis, articles[:half], layout)
        wait_for(lambda: idle(redis, layout), 120, "the first half through the pipeline", workers)
        first = [a for a in alerts(redis) if matches(flt, a)]
        wait_for(lambda: len(receiver.received()) >= len(first), 60, "the first deliveries", workers)

        receiver.go_down()  # outage: connections refused from here on
        publish(redis, articles[half:], layout)
        wait_for(lambda: idle(redis, layout), 120, "the second half through the pipeline", workers)
        expected = [a for a in alerts(redis) if matches(flt, a)]
        assert len(expected) > len(first) > 0, "the outage must fall between matching alerts"
        wait_for(lambda: b"delivery failed; will retry" in delivery.log.read_bytes(), 30, "failed attempts during the outage", workers)
        waiting = redis.zcard(DeliveryKeys.of(str(sub["id"]), layout).due)
        delivery.kill()  # kill -9 while deliveries wait in the outbox
        assert waiting > 0, "no delivery waited in the outbox when the worker was killed"
        delivery = start_worker(redis_url, tmp_path, "--stage", "deliver", env=env | DELIVERY_ENV)
        workers[1] = delivery
        wait_for(lambda: b"delivery failed; will retry" in delivery.log.read_bytes(), 60, "the new worker to retry against the closed port too", workers)
        receiver.start()  # back on the same port
        wait_for(lambda: len(receiver.received()) >= len(expected), 120, "every matching alert after the outage", workers)
        # settled: nothing due, in the outbox or unread, so nothing more (a repeat) can arrive
        wait_for(lambda: delivery_settled(redis, str(sub["id"]), layout), 60, "the deliveries to settle", workers)
    finally:
        for worker in workers:
            worker.stop()
        receiver.stop()

    got = receiver.received()
    keys = Counter(r.headers[IDEMPOTENCY_HEADER] for r in got)
    assert sorted(keys) == sorted(a.alert_id for a in expected)
    assert set(keys.values()) == {1}, f"repeated deliveries: {[k for k, n in keys.items() if n > 1]}"
    for request in got:
        assert verify(secret, request.headers[SIGNATURE_HEADER], request.body, now=time.time())
        body = json.loads(request.body)
        assert body["alert"]["alert_id"] == request.headers[IDEMPOTENCY_HEADER]
        assert any("Macron" in actor for actor in body["alert"]["actors"])
    assert len(alerts(redis)) > len(expected)  # the filter left other alerts out
    assert redis.xlen(DeliveryKeys.of(str(sub["id"]), layout).dlq) == 0
    assert all(redis.xlen(k) == 0 for k in layout.keys(dlq_stream(ALERTS)))
    assert delivery_settled(redis, str(sub["id"]), layout)


def delivery_settled(redis: Redis, subscription: str, layout: Partitioning = SINGLE) -> bool:
    """Nothing of the subscription is due, parked in its outbox, pending or unread."""
    keys = DeliveryKeys.of(subscription, layout)
    group = next((g for g in redis.xinfo_groups(ALERTS) if g["name"].decode() == delivery_group(subscription)), None)
    return (redis.zcard(keys.due) == 0 and redis.hlen(keys.outbox) == 0
            and group is not None and group["pending"] == 0 and group["lag"] == 0)


def test_receiver_gets_exactly_the_matching_alerts_once_across_an_outage_and_a_kill(redis_url: str, tmp_path: Path) -> None:
    redis = Redis.from_url(redis_url)
    redis.flushdb()
    receiver_gets_exactly_the_matching_alerts_once(redis, redis_url, tmp_path)


def test_a_refused_delivery_goes_to_the_subscriptions_dead_letters_and_replays(redis_url: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    redis = Redis.from_url(redis_url)
    redis.flushdb()
    receiver = Receiver(status=410).start()
    healthy = Receiver().start()
    refused = subscribe(receiver.url, redis_url)
    other = subscribe(healthy.url, redis_url)
    delivery = start_worker(redis_url, tmp_path, "--stage", "deliver", env=DELIVERY_ENV)
    alert = Alert(alert_id="al-test", kind="story_new", story_id="st", story_title="Summit", to_status="planned", evidence="e", article_id="a",
                  event_time="2025-01-01T00:00:00Z")  # type: ignore[arg-type]
    try:
        redis.xadd(ALERTS, {DATA_FIELD: b'{"not": "an alert"}'})  # outside the contract: dead-lettered once per subscription
        redis.xadd(ALERTS, {DATA_FIELD: alert.model_dump_json()})
        dlq = delivery_dlq(str(refused["id"]))
        wait_for(lambda: redis.xlen(dlq) == 1, 30, "the refused delivery dead-lettered", [delivery])
        wait_for(lambda: len(healthy.received()) == 1, 30, "the other subscription's delivery", [delivery])
        assert len(receiver.received()) == 1  # 410 is not retried
        receiver.status = 200
        run = [sys.executable, "-m", "storywatch.cli", "dlq", "replay", "--all", "--subscription", str(refused["id"]), "--redis-url", redis_url]
        out = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        wait_for(lambda: len(receiver.received()) == 2, 30, "the replayed delivery", [delivery])
        assert redis.xlen(dlq) == 0
        rejected = [json.loads(f[DATA_FIELD.encode()]) for _, f in redis.xrange(dlq_stream(ALERTS))]
        assert sorted(r["stage"] for r in rejected) == sorted(delivery_group(str(s["id"])) for s in (refused, other))
    finally:
        delivery.stop()
        receiver.stop()
        healthy.stop()
    assert receiver.received()[1].headers[IDEMPOTENCY_HEADER] == "al-test"
