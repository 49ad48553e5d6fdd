"""Chaos, short enough for CI: workers killed at random (kill -9 and SIGTERM) while a few
hundred articles with 30% copies and some garbage are published in waves.

Ends with exactly one outcome per article, one rejection per garbage entry, no event
record, timeline entry or alert twice, and no dead letter at all (nothing here fails on
its own, so a dead letter would be a healthy entry charged for the crashes around it).
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest
from redis import Redis

from schemas import Article
from schemas.streams import ARTICLES, DATA_FIELD
from consumers.stages import STAGES
from tests.integration.fault_harness import assert_exactly_once, corpus, done, publish, read_result, start_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GARBAGE = [
    b"{not json",
    b'{"id": "\\udb48", "text": 5}',
    b'{"id": "no-text"}',
    b'{"id": "naive", "text": "Gipfel abgesagt", "published_at": "2025-03-01T10:00:00"}',
    b"null",
]


def _mix(n: int, rng: random.Random) -> list[Article]:
    """``n`` articles, about 30% of them copies (same text, own id) of an earlier one."""
    base = corpus(n, "chaos")
    out: list[Article] = []
    for i, article in enumerate(base):
        if i >= 10 and rng.random() < 0.3:
            article = article.model_copy(update={"text": rng.choice(out[: i - 5]).text})
        out.append(article)
    return out


def test_random_kills_while_publishing_lose_nothing_and_repeat_nothing(sync_redis: Redis, redis_url: str, tmp_path: Path) -> None:
    rng = random.Random(11)
    articles = _mix(400, rng)
    flags = ("--max-deliveries", "10")
    workers = [start_worker(redis_url, tmp_path, *flags) for _ in range(3)]
    kills = {"kill": 0, "term": 0}
    try:
        for start in range(0, len(articles), 25):
            publish(sync_redis, articles[start : start + 25])
            if start // 25 % 4 == 0:
                sync_redis.xadd(ARTICLES, {DATA_FIELD: GARBAGE[start // 100 % len(GARBAGE)]})
            time.sleep(0.25)
            if rng.random() < 0.5:
                victim = rng.randrange(len(workers))
                how = rng.choice(["kill", "term"])
                workers[victim].proc.send_signal(signal.SIGKILL if how == "kill" else signal.SIGTERM)
                workers[victim].proc.wait(30)
                kills[how] += 1
                workers[victim] = start_worker(redis_url, tmp_path, *flags)
        garbage = (len(articles) + 99) // 100
        wait_for(done(sync_redis, len(articles) + garbage), 120, "every article and garbage entry to get its outcome", workers)
    finally:
        for worker in workers:
            if worker.proc.poll() is None:
                worker.stop()
    assert kills["kill"] and kills["term"], kills
    result = read_result(sync_redis)
    junk = {a: os_ for a, os_ in result.outcomes.items() if not a.startswith("chaos-")}
    assert sum(len(v) for v in junk.values()) == garbage and all(o.kind.value == "rejected" for v in junk.values() for o in v)
    for article_id in junk:
        del result.outcomes[article_id]
    result.counters["rejected"] -= garbage
    assert_exactly_once(result, articles)
    assert sorted(set(result.kinds.values())) == ["duplicate", "processed"]
    assert all(sync_redis.xlen(spec.dlq) == 0 for spec in STAGES), "a healthy entry was dead-lettered"
