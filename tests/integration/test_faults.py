"""Fault injection with real worker processes and a real server (issue: nothing lost).

1. kill -9 a worker in the middle of its batches, start another one;
2. stop the server under load and start it again on the same data (AOF);
3. a poison message among good ones;
4. two workers per stage on one stream give what one worker gives.

Every scenario ends with the same check: each published article has exactly one
outcome, and no event record, timeline entry or alert exists twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from redis import Redis

from schemas import DeadLetter
from schemas.streams import ARTICLES, DATA_FIELD, UNIQUE, dlq_stream
from storywatch.embedded import EmbeddedServer
from tests.integration.fault_harness import (
    run_workers,
    ROOT,
    assert_exactly_once,
    corpus,
    done,
    free_port,
    kill_mid_batch,
    outcome_count,
    pending_of,
    publish,
    read_result,
    start_worker,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_kill_9_mid_batch_then_another_worker_finishes(sync_redis: Redis, redis_url: str, tmp_path: Path) -> None:
    articles = corpus(150, "kill")
    first = start_worker(redis_url, tmp_path)
    publish(sync_redis, articles)
    wait_for(lambda: outcome_count(sync_redis) >= 20, 60, "the first outcomes", [first])
    stranded = kill_mid_batch(first, sync_redis, len(articles))

    second = start_worker(redis_url, tmp_path)
    try:
        wait_for(done(sync_redis, len(articles)), 120, "every article to get its outcome", [second])
    finally:
        assert second.stop() == 0, second.output()
    assert stranded > 0, "the killed worker held no pending entries: not killed mid-batch"
    assert pending_of(sync_redis, first.consumer) == 0, "the dead worker's pending entries were not reclaimed"
    assert_exactly_once(read_result(sync_redis), articles)


def _ready(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=3) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except urllib.error.URLError:  # not listening (yet)
        return 0


def test_server_stopped_under_load_and_restarted_on_same_data(tmp_path: Path) -> None:
    data, port, http = tmp_path / "data", free_port(), free_port()
    articles = corpus(150, "restart")
    server = EmbeddedServer(data, persist=True, port=port).start()
    url = server.url
    redis = Redis.from_url(url)
    worker = start_worker(url, tmp_path, "--metrics-port", str(http))
    try:
        publish(redis, articles[:100])
        wait_for(lambda: outcome_count(redis) >= 15, 60, "the first outcomes", [worker])
        wait_for(lambda: _ready(http) == 200, 60, "/ready to answer 200", [worker])
        server.stop()
        wait_for(lambda: _ready(http) == 503, 60, "/ready to answer 503 while the server is down", [worker])
        time.sleep(3)
        assert worker.proc.poll() is None, "the worker exited while the server was down:\n" + worker.output()
        server = EmbeddedServer(data, persist=True, port=port).start()
        redis = Redis.from_url(url)
        assert redis.xlen(ARTICLES) == 100, "published articles were lost in the restart"
        publish(redis, articles[100:])
        wait_for(done(redis, len(articles)), 120, "every article to get its outcome after the restart", [worker])
        assert _ready(http) == 200
        assert worker.stop() == 0, worker.output()
        assert_exactly_once(read_result(redis), articles)
    finally:
        if worker.proc.poll() is None:
            worker.proc.kill()
        server.stop()


def test_poison_message_is_dead_lettered_while_the_others_flow(sync_redis: Redis, redis_url: str, tmp_path: Path) -> None:
    articles = corpus(60, "good")
    poison = corpus(1, "poison")[0].model_copy(update={"text": "Das Treffen von Merz und Macron in Genf wurde abgesagt. Giftig."})
    mixed = articles[:30] + [poison] + articles[30:]
    worker = start_worker(redis_url, tmp_path, env={"STORYWATCH_FAULT_INJECT": "extract:^poison-"})
    try:
        publish(sync_redis, mixed)
        wait_for(done(sync_redis, len(mixed)), 120, "every article including the poison to get an outcome", [worker])
    finally:
        assert worker.stop() == 0, worker.output()

    result = read_result(sync_redis)
    assert_exactly_once(result, mixed)
    assert result.kinds[poison.id] == "dead_lettered"
    assert {k for a, k in result.kinds.items() if a != poison.id} <= {"processed", "duplicate"}
    later = {a.id for a in articles[30:]}
    outcome_ids = [json.loads(f[DATA_FIELD.encode()])["article_id"] for _, f in sync_redis.xrange("outcomes")]
    assert any(a in later for a in outcome_ids[: outcome_ids.index(poison.id)]), "articles behind the poison waited for it"

    letters = [DeadLetter.model_validate_json(f[DATA_FIELD.encode()]) for _, f in sync_redis.xrange(dlq_stream(UNIQUE))]
    assert len(letters) == 1
    letter = letters[0]
    assert letter.stage == "extract" and letter.stream == UNIQUE and letter.deliveries > 3
    assert "InjectedFault" in letter.error
    assert poison.id in letter.fields[DATA_FIELD]

    # the operator fixes the cause (a worker without the fault) and replays the dead letter
    fixed = start_worker(redis_url, tmp_path)
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | {"PYTHONPATH": str(ROOT)}
        cli = [sys.executable, "-m", "storywatch.cli"]
        listed = subprocess.run([*cli, "dlq", "list", "--redis-url", redis_url], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
        assert listed.returncode == 0 and poison.id in listed.stdout, listed.stderr
        replayed = subprocess.run([*cli, "dlq", "replay", "--all", "--redis-url", redis_url], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
        assert replayed.returncode == 0 and poison.id in replayed.stdout, replayed.stderr
        wait_for(lambda: any(o.kind.value == "processed" for o in read_result(sync_redis).outcomes.get(poison.id, [])), 60, "the replayed article to be processed", [fixed])
        wait_for(done(sync_redis, len(mixed) + 1), 60, "the pipeline to be idle", [fixed])
    finally:
        assert fixed.stop() == 0, fixed.output()
    assert sync_redis.xlen(dlq_stream(UNIQUE)) == 0
    stats = subprocess.run([*cli, "stats", "--json", "--redis-url", redis_url], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    report = json.loads(stats.stdout)
    assert report["published"] == len(mixed) and report["in_flight"] == 0
    assert report["outcomes"]["dead_lettered"] == 0 and sum(report["outcomes"].values()) == len(mixed)


def test_two_workers_per_stage_give_what_one_gives(sync_redis: Redis, redis_url: str, tmp_path: Path) -> None:
    """Same outcomes, same stories, the same alert for every new story and no alert twice.

    Story ids and status-change alerts in between may differ: two workers can file two
    articles of one story in the opposite order; the story is then created from the other
    article (another id), and an older claim filed after a newer one changes nothing (the
    final status is the same) and raises no alert.
    """
    one = run_workers(sync_redis, redis_url, tmp_path, [()])
    sync_redis.flushdb()
    two = run_workers(sync_redis, redis_url, tmp_path, [(), ()])
    assert two == one


def test_crash_loop_charges_only_the_entry_that_kills_the_worker(sync_redis: Redis, redis_url: str, tmp_path: Path) -> None:
    """A poison article makes the worker process exit (as the OOM killer would) every time
    it is worked on; a supervisor restarts the worker. The poison is dead-lettered;
    every healthy entry, including those claimed with it or in hand in another stage of
    the same process when it died, is processed, none dead-lettered."""
    articles = corpus(40, "loop")
    poison = corpus(1, "killer")[0].model_copy(update={"text": "Das Treffen von Merz und Macron in Genf wurde abgesagt. Tödlich."})
    mixed = articles[:12] + [poison] + articles[12:]
    env = {"STORYWATCH_FAULT_CRASH": "extract:^killer-"}
    publish(sync_redis, mixed)
    restarts = 0
    worker = start_worker(redis_url, tmp_path, env=env)
    deadline = time.monotonic() + 90
    try:
        while not done(sync_redis, len(mixed))() and time.monotonic() < deadline:
            if worker.proc.poll() is not None:
                restarts += 1
                worker = start_worker(redis_url, tmp_path, env=env)
            time.sleep(0.1)
    finally:
        if worker.proc.poll() is None:
            assert worker.stop() == 0, worker.output()
    result = read_result(sync_redis)
    assert_exactly_once(result, mixed)
    assert result.kinds[poison.id] == "dead_lettered" and restarts >= 3
    letters = [DeadLetter.model_validate_json(f[DATA_FIELD.encode()]) for s in ("articles.dlq", dlq_stream(UNIQUE), "events.dlq") for _, f in sync_redis.xrange(s)]
    healthy = {k for a, k in result.kinds.items() if a != poison.id}
    assert healthy <= {"processed", "duplicate"}, ("a healthy entry was dead-lettered", [(x.stage, x.entry_id, x.deliveries, x.error) for x in letters])
    assert [poison.id in (x.fields.get(DATA_FIELD) or "") for x in letters] == [True]


def test_out_of_memory_server_backs_off_says_not_ready_and_loses_nothing(sync_redis: Redis, redis_url: str, tmp_path: Path) -> None:
    """The server refuses writes (maxmemory reached) for several claim periods while a
    worker process has a backlog: the worker stays up, /ready answers 503, no delivery is
    charged for it, and when memory is back everything is processed, nothing
    dead-lettered."""
    articles = corpus(30, "oom")
    http = free_port()
    worker = start_worker(redis_url, tmp_path, "--metrics-port", str(http))
    try:
        wait_for(lambda: _ready(http) == 200, 30, "the worker to be ready", [worker])
        worker.proc.send_signal(signal.SIGSTOP)  # a backlog builds while it is paused
        publish(sync_redis, articles)
        sync_redis.config_set("maxmemory", 1)
        worker.proc.send_signal(signal.SIGCONT)
        wait_for(lambda: _ready(http) == 503, 60, "/ready to answer 503 while writes are refused", [worker])
        time.sleep(0.5 * (3 + 3))  # longer than claim idle x max deliveries of the worker flags
        assert worker.proc.poll() is None and _ready(http) == 503
    finally:
        sync_redis.config_set("maxmemory", 0)
    try:
        wait_for(done(sync_redis, len(articles)), 120, "every article to get its outcome once memory is back", [worker])
        wait_for(lambda: _ready(http) == 200, 60, "/ready to answer 200 again", [worker])
    finally:
        assert worker.stop() == 0, worker.output()
    result = read_result(sync_redis)
    assert_exactly_once(result, articles)
    assert set(result.kinds.values()) <= {"processed", "duplicate"}
    assert all(sync_redis.xlen(s) == 0 for s in ("articles.dlq", dlq_stream(UNIQUE), "events.dlq"))
