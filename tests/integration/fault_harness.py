"""Real worker processes against a real server, and the checks every fault scenario shares.

Workers are started as ``python -m storywatch.cli worker`` subprocesses with small
batches and a short claim idle time, so that a scenario (crash, restart, poison, two
workers) plays out in seconds. The checks read only what the pipeline wrote to Redis.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from redis import Redis

from consumers.stages import GROUP_STAGES
from consumers.story_store import load_all_sync
from schemas import Alert, Article, ArticleEvents, Outcome, OutcomeKind, Story
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import ALERTS, DATA_FIELD, EVENTS, OUTCOME_COUNTS, OUTCOMES, outbox_key

ROOT = Path(__file__).resolve().parents[2]

PEOPLE = [("Merz", "Macron"), ("Trump", "Putin"), ("Selenskyj", "Biden"), ("Merz", "Trump"), ("Macron", "Putin"), ("Biden", "Putin")]
PLACES = ["Berlin", "Budapest", "Kiew", "Paris", "Genf"]
CLAIMS = ["ist geplant", "findet am Montag statt", "wurde verschoben", "wurde abgesagt"]

WORKER_FLAGS = ["--metrics-port", "0", "--batch-size", "5", "--claim-idle-ms", "500", "--max-deliveries", "3", "--log-level", "WARNING"]


NOUNS = (
    "Hafen Brücke Schule Wetter Haushalt Bahn Energie Klima Handel Zoll Ernte Kohle Gas Strom Miete Rente Steuer Grenze "
    "Flotte Satellit Museum Theater Kanal Tunnel Flughafen Autobahn Fabrik Werft Bibliothek Kaserne Klinik Labor Archiv "
    "Wald Fluss Insel Küste Gebirge Gletscher Wüste Steppe Moor Deich Turm Markt Messe Börse Bank Kredit Anleihe Währung"
).split()


def _filler(i: int) -> str:
    """Sentences of words no other article has in this order: keeps unrelated texts apart."""
    rng = random.Random(i)
    words = rng.sample(NOUNS, 12)
    return " ".join(f"Außerdem ging es um {words[k]}, {words[k + 1]} und {words[k + 2]}." for k in range(0, 12, 3))


def corpus(n: int, prefix: str = "a") -> list[Article]:
    """``n`` short German articles about 30 meetings; from the 60th on, every 10th one is an
    exact copy of the article published 60 before it.

    Articles about one meeting and copies and their originals are far apart in the stream
    (farther than the batches in flight), and dates follow stream order, so neither the
    stories nor which copy counts as the original depend on how workers interleave.
    """
    start = datetime(2025, 3, 1, 8, tzinfo=UTC)
    articles: list[Article] = []
    for i in range(n):
        story = i % 30
        (a, b), place = PEOPLE[story % len(PEOPLE)], PLACES[story // len(PEOPLE)]
        claim = CLAIMS[(i // 30) % len(CLAIMS)]
        text = f"Das Treffen von {a} und {b} in {place} {claim}. {_filler(i)}"
        if i >= 60 and i % 10 == 9:
            text = articles[i - 60].text
        articles.append(Article(id=f"{prefix}-{i:04d}", text=text, source=f"src{i % 3}", published_at=start + timedelta(minutes=i), language="de"))
    return articles


def publish(redis: Redis, articles: list[Article], layout: Partitioning = SINGLE) -> list[str]:
    """XADD the articles as the publisher does (stamped with their arrival time, onto
    their partition's stream)."""
    from ingest.publisher import articles_stream, stamp_arrival

    pipe = redis.pipeline(transaction=False)
    for article in articles:
        pipe.xadd(articles_stream(article, layout), {DATA_FIELD: stamp_arrival(article).model_dump_json(exclude_none=True)})
    return [i.decode() for i in pipe.execute()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def refused_port() -> Iterator[int]:
    """A port of 127.0.0.1 that refuses connections while it is held: bound but never
    listening, so no other process can take it and answer in the meantime."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield int(s.getsockname()[1])


@dataclass
class Worker:
    """One ``storywatch worker`` process; its output goes to a log file."""

    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def consumer(self) -> str:
        return f"{socket.gethostname()}-{self.proc.pid}"

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self, timeout: float = 20) -> int:
        """SIGTERM, then wait: the exit status of a clean shutdown."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_worker(url: str, tmp: Path, *extra: str, env: dict[str, str] | None = None) -> Worker:
    """``python -m storywatch.cli worker`` on this checkout, with the scenario flags."""
    log = tmp / f"worker-{time.monotonic_ns()}.log"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")}
    full_env |= {"PYTHONPATH": str(ROOT), **(env or {})}
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "storywatch.cli", "worker", "--redis-url", url, *WORKER_FLAGS, *extra], cwd=ROOT, env=full_env, stdout=fh, stderr=subprocess.STDOUT)
    return Worker(proc, log)


def wait_for(condition: Callable[[], bool], timeout: float, what: str, workers: list[Worker] = ()) -> None:  # type: ignore[assignment]
    """Poll ``condition`` until true; on timeout fail with the workers' output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    logs = "\n".join(f"--- worker {w.proc.pid} (exit {w.proc.poll()}):\n{w.output()[-3000:]}" for w in workers)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{logs}")


def outcome_count(redis: Redis, layout: Partitioning = SINGLE) -> int:
    """Outcome records (``filed`` records of further partitions not counted)."""
    return sum(1 for o in _read(redis, OUTCOMES, Outcome, layout) if o.kind is not OutcomeKind.FILED)


def groups_idle(redis: Redis, layout: Partitioning = SINGLE) -> bool:
    """Every stage group has read and acknowledged its whole stream (in every partition),
    and nothing waits to be relayed to another partition."""
    for spec, p in ((s, p) for s in GROUP_STAGES for p in range(layout.count)):
        stream = layout.key(spec.input, p)
        infos = {i["name"].decode(): i for i in redis.xinfo_groups(stream)} if redis.exists(stream) else {}
        info = infos.get(spec.group)
        if info is None or info["pending"] or info.get("lag"):
            return False
        if not layout.single and redis.hlen(layout.key(outbox_key(spec.name), p)):
            return False
    return True


def done(redis: Redis, expected: int, layout: Partitioning = SINGLE) -> Callable[[], bool]:
    return lambda: outcome_count(redis, layout) >= expected and groups_idle(redis, layout)


def _read(redis: Redis, stream: str, model: type, layout: Partitioning = SINGLE) -> list:  # type: ignore[type-arg]
    return [model.model_validate_json(f[DATA_FIELD.encode()]) for key in layout.keys(stream) for _, f in redis.xrange(key)]


@dataclass
class Result:
    """What the pipeline made of a corpus, read back from Redis."""

    outcomes: dict[str, list[Outcome]] = field(default_factory=dict)
    events: Counter[tuple[str, int]] = field(default_factory=Counter)
    """Event records per (article, part)."""
    filed: Counter[tuple[str, tuple[int, ...]]] = field(default_factory=Counter)
    """``filed`` records per (article, events filed)."""
    alerts: list[Alert] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    @property
    def kinds(self) -> dict[str, str]:
        return {a: [o.kind.value for o in os_][0] for a, os_ in self.outcomes.items()}


def read_result(redis: Redis, layout: Partitioning = SINGLE) -> Result:
    result = Result()
    for outcome in _read(redis, OUTCOMES, Outcome, layout):
        if outcome.kind is OutcomeKind.FILED:  # an article's events filed in a further partition
            result.filed[(outcome.article_id, tuple(i for i, s in enumerate(outcome.stories) if s))] += 1
        else:
            result.outcomes.setdefault(outcome.article_id, []).append(outcome)
    result.events = Counter((e.article_id, e.part) for e in _read(redis, EVENTS, ArticleEvents, layout))
    result.alerts = _read(redis, ALERTS, Alert, layout)
    result.stories = load_all_sync(redis, layout)
    result.counters = dict(Counter())
    for key in layout.keys(OUTCOME_COUNTS):
        for k, v in redis.hgetall(key).items():
            result.counters[k.decode()] = result.counters.get(k.decode(), 0) + int(v)
    return result


def assert_exactly_once(result: Result, articles: list[Article]) -> None:
    """Every article has exactly one outcome; no event record, timeline entry or alert twice."""
    ids = {a.id for a in articles}
    missing = ids - set(result.outcomes)
    assert not missing, f"articles without an outcome: {sorted(missing)[:10]}"
    twice = {a: [o.kind.value for o in os_] for a, os_ in result.outcomes.items() if len(os_) > 1}
    assert not twice, f"articles with more than one outcome: {dict(list(twice.items())[:10])}"
    assert set(result.outcomes) == ids, f"outcomes for unknown articles: {sorted(set(result.outcomes) - ids)[:10]}"
    assert sum(result.counters.values()) == len(articles), result.counters
    assert all(n == 1 for n in result.events.values()), [a for a, n in result.events.items() if n > 1]
    assert all(n == 1 for n in result.filed.values()), [a for a, n in result.filed.items() if n > 1]
    alert_ids = Counter(a.alert_id for a in result.alerts)
    assert all(n == 1 for n in alert_ids.values()), [a for a, n in alert_ids.items() if n > 1]
    for story in result.stories:
        entries = Counter((t.article_id, t.status.value) for t in story.timeline)
        assert all(n == 1 for n in entries.values()), (story.story_id, entries)


def pending_of(redis: Redis, consumer: str, layout: Partitioning = SINGLE) -> int:
    """Entries pending for one consumer, over every stage group (of every partition)."""
    total = 0
    for stream, group in ((key, s.group) for s in GROUP_STAGES for key in layout.keys(s.input)):
        for c in redis.xinfo_consumers(stream, group) if redis.exists(stream) else []:
            if c["name"].decode() == consumer:
                total += int(c["pending"])
    return total


def kill_mid_batch(worker: Worker, redis: Redis, total: int, layout: Partitioning = SINGLE, timeout: float = 60) -> int:
    """kill -9 ``worker`` while it holds entries and work is left; return how many it held.

    Whether a running worker holds anything at a given instant is chance (between two
    batches it holds nothing), so it is frozen (SIGSTOP) and looked at; holding nothing, it
    runs on for a moment and is looked at again."""
    deadline = time.monotonic() + timeout
    while True:
        worker.proc.send_signal(signal.SIGSTOP)
        _until_frozen(worker.proc.pid)
        time.sleep(0.05)  # commands it sent before it froze reach the server
        held = pending_of(redis, worker.consumer, layout)
        assert outcome_count(redis, layout) < total, "the worker finished before it was killed"
        if held:
            worker.kill()
            return held
        assert time.monotonic() < deadline, f"the worker held no entries whenever it was looked at for {timeout} s"
        worker.proc.send_signal(signal.SIGCONT)
        time.sleep(0.02)


def _until_frozen(pid: int, timeout: float = 10) -> None:
    """Wait until the process is in the stopped state (``T`` in /proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + timeout
    while stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] not in ("T", "t"):
        assert time.monotonic() < deadline, f"process {pid} did not stop"
        time.sleep(0.005)


def run_workers(redis: Redis, url: str, tmp_path: Path, workers: list[tuple[str, ...]], layout: Partitioning = SINGLE,
                env: dict[str, str] | None = None) -> dict[str, object]:
    """Run the pair corpus through one worker process per entry of ``workers`` (its extra
    flags); check exactly-once and that each story's last alert announces its final
    status; return what must not depend on the number of workers.

    With two workers on one stream, or with partitions, a copy can be decided before its
    original (another worker's batch, another partition commits first), so which of the
    two is the copy would depend on timing: the corpus's copies (60 articles after their
    originals) are published once the first 60 articles are through."""
    articles = corpus(120, "pair")
    waves = [articles] if layout.single and len(workers) == 1 else [articles[:60], articles[60:]]
    procs = [start_worker(url, tmp_path, *extra, env=env) for extra in workers]
    try:
        published = 0
        for wave in waves:
            publish(redis, wave, layout)
            published += len(wave)
            wait_for(done(redis, published, layout), 120, f"{len(workers)} worker(s) to process everything", procs)
    finally:
        for proc in procs:
            assert proc.stop() == 0, proc.output()
    result = read_result(redis, layout)
    assert_exactly_once(result, articles)
    final = {s.story_id: s.status.value for s in result.stories}
    last_alert = {a.story_id: a.to_status.value for a in result.alerts}
    assert last_alert == final, "the last alert of a story must announce its final status"
    return {
        "kinds": result.kinds,
        "stories": sorted((s.title, s.status.value, tuple(sorted(s.article_ids))) for s in result.stories),
        "new_story_alerts": sorted(a.story_title for a in result.alerts if a.kind.value == "story_new"),
    }
