"""``storywatch publish`` as a process against real servers: only acknowledged XADDs count,
bad lines are skipped and named, a lost tail of the AOF is seen by ``stats --receipts``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis import Redis

from schemas import Article
from schemas.streams import ARTICLES, DATA_FIELD
from storywatch.embedded import EmbeddedServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "storywatch.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def jsonl(path: Path, records: list[dict | str]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def records(n: int, prefix: str = "r", size: int = 1) -> list[dict]:
    return [{"id": f"{prefix}-{i:05d}", "text": f"Meldung {i}: Das Treffen in Genf wurde abgesagt. " * size,
             "published_at": "2025-10-21T10:00:00+00:00"} for i in range(n)]


def on_stream(redis: Redis) -> list[Article]:
    return [Article.model_validate_json(f[DATA_FIELD.encode()]) for _, f in redis.xrange(ARTICLES)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nothing_published_when_the_server_is_down(tmp_path: Path) -> None:
    """It used to print "published 5 articles, 0 errors" and exit 0 with no server at all."""
    proc = cli("publish", str(jsonl(tmp_path / "a.jsonl", records(5))), "--redis-url", f"redis://127.0.0.1:{free_port()}/0")
    assert proc.returncode == 1, proc.stderr
    assert "stored 0 records, 5 not stored" in proc.stderr
    assert proc.stderr.count("not stored: r-") == 5 and "publish them again" in proc.stderr


def test_wrong_password_stores_nothing_and_says_so(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "locked", persist=False, port=free_port()).start()
    try:
        Redis.from_url(server.url).config_set("requirepass", "right-one")
        proc = cli("publish", str(jsonl(tmp_path / "a.jsonl", records(3))), "--redis-url", server.url.replace("redis://", "redis://default:wrong-one@"))
        assert proc.returncode == 1 and "stored 0 records, 3 not stored" in proc.stderr
        assert "wrong-one" not in proc.stdout + proc.stderr
    finally:
        server._server.terminate()


def test_out_of_memory_reports_exactly_which_records_were_stored(tmp_path: Path) -> None:
    """Under OOM publish crashed after 1,991 of 2,000 without saying which were stored."""
    server = EmbeddedServer(tmp_path / "small", persist=False, port=free_port()).start()
    try:
        admin = Redis.from_url(server.url)
        used = int(admin.info("memory")["used_memory"])
        admin.config_set("maxmemory", str(used + 600_000))
        receipt = tmp_path / "receipt.jsonl"
        source = records(2000, size=4)
        proc = cli("publish", str(jsonl(tmp_path / "a.jsonl", source)), "--redis-url", server.url, "--receipt", str(receipt))
        assert proc.returncode == 1, proc.stderr
        stored = {a.id for a in on_stream(admin)}
        told = {json.loads(line)["id"] for line in receipt.read_text().splitlines()}
        refused = {line.split(": ")[1] for line in proc.stderr.splitlines() if line.startswith("not stored: ")}
        assert 0 < len(stored) < 2000, "the limit should let some records in and refuse others"
        assert told == stored and refused == {r["id"] for r in source} - stored
        assert "OutOfMemoryError" in proc.stderr and f"stored {len(stored)} records, {2000 - len(stored)} not stored" in proc.stderr
    finally:
        server.stop()


def test_a_line_nested_100k_deep_is_named_and_the_others_are_published(tmp_path: Path, redis_url: str) -> None:
    """A 100k-deep line died with RecursionError and published none of the valid lines."""
    redis = Redis.from_url(redis_url)
    redis.flushdb()
    deep = '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = jsonl(tmp_path / "mixed.jsonl", [*records(2, "before"), deep, *records(2, "after")])
    proc = cli("publish", str(path), "--redis-url", redis_url)
    assert proc.returncode == 1
    assert f"{path}:3: JSON nested too deeply" in proc.stderr
    assert sorted(a.id for a in on_stream(redis)) == ["after-00000", "after-00001", "before-00000", "before-00001"]
    assert "stored 4 records, 0 not stored, 1 rejected" in proc.stderr


def test_jsonl_dates_without_offset_are_taken_as_utc_or_the_given_zone(tmp_path: Path, redis_url: str) -> None:
    """A real backfill of 76 articles with "2025-10-22T23:35" and "2025-10-23" was rejected whole."""
    redis = Redis.from_url(redis_url)
    lines = [{"id": "naive", "text": "Das Treffen wurde abgesagt.", "published_at": "2025-10-22T23:35"},
             {"id": "bare", "text": "Der Gipfel findet statt.", "published_at": "2025-10-23"},
             {"id": "offset", "text": "Die Reise wurde verschoben.", "published_at": "2025-10-22T23:35+05:00"}]
    path = jsonl(tmp_path / "backfill.jsonl", lines)
    redis.flushdb()
    proc = cli("publish", str(path), "--redis-url", redis_url)
    assert proc.returncode == 0, proc.stderr
    dates = {a.id: a.published_at for a in on_stream(redis)}
    assert dates["naive"] == datetime(2025, 10, 22, 23, 35, tzinfo=UTC)
    assert dates["bare"] == datetime(2025, 10, 23, tzinfo=UTC)
    assert dates["offset"] == datetime.fromisoformat("2025-10-22T23:35+05:00")
    redis.flushdb()
    proc = cli("publish", str(path), "--redis-url", redis_url, "--default-timezone", "Europe/Berlin")
    assert proc.returncode == 0, proc.stderr
    dates = {a.id: a.published_at for a in on_stream(redis)}
    assert dates["naive"] == datetime(2025, 10, 22, 21, 35, tzinfo=UTC)
    assert dates["bare"] == datetime(2025, 10, 22, 22, tzinfo=UTC)
    bad = cli("publish", str(path), "--redis-url", redis_url, "--default-timezone", "Mars/Olympus")
    assert bad.returncode == 2 and "unknown time zone" in bad.stderr


def test_durable_needs_an_append_only_file(tmp_path: Path, redis_url: str) -> None:
    memory_only = EmbeddedServer(tmp_path / "mem", persist=False, port=free_port()).start()
    try:
        proc = cli("publish", str(jsonl(tmp_path / "a.jsonl", records(3))), "--redis-url", memory_only.url, "--durable")
        assert proc.returncode == 1 and "appendonly" in proc.stderr and "3 not stored" in proc.stderr
    finally:
        memory_only.stop()
    with EmbeddedServer(tmp_path / "aof", persist=True, port=free_port()) as server:
        proc = cli("publish", str(jsonl(tmp_path / "a.jsonl", records(3))), "--redis-url", server.url, "--durable")
        assert proc.returncode == 0 and "stored 3 records, 0 not stored" in proc.stderr


def test_stats_sees_records_lost_with_the_tail_of_the_aof(tmp_path: Path) -> None:
    """Power loss cut the last second of the AOF: 400 records publish had called stored were
    gone and stats showed no sign of it. Here the tail of the AOF is cut by hand."""
    data = tmp_path / "data"
    receipt = tmp_path / "receipt.jsonl"
    port = free_port()
    with EmbeddedServer(data, persist=True, port=port) as server:
        url = server.url
        assert cli("publish", str(jsonl(tmp_path / "a.jsonl", records(100, "early"))), "--redis-url", url, "--receipt", str(receipt)).returncode == 0
        Redis.from_url(url).execute_command("BGREWRITEAOF")
        _wait_rewritten(Redis.from_url(url))
        assert cli("publish", str(jsonl(tmp_path / "b.jsonl", records(50, "late"))), "--redis-url", url, "--receipt", str(receipt)).returncode == 0
    [incr] = [p for p in (data / "appendonlydir").iterdir() if ".incr." in p.name]
    tail = incr.read_bytes()
    incr.write_bytes(tail[: len(tail) // 2])  # the second half never reached the disk
    with EmbeddedServer(data, persist=True, port=port) as server:
        proc = cli("stats", "--redis-url", server.url, "--receipts", str(receipt))
        held = Redis.from_url(server.url).xlen(ARTICLES)
        assert 100 <= held < 150
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert f"producers were told 150 stored; the stream holds {held}, 0 trimmed, {150 - held} missing" in proc.stdout
        assert f"LOST: {150 - held} records producers were told were stored" in proc.stdout
        assert f"late-{held - 100:05d}" in proc.stdout and "early-" not in proc.stdout.split("LOST")[1]
        report = json.loads(cli("stats", "--redis-url", server.url, "--receipts", str(receipt), "--json").stdout)
        assert report["receipts"]["told"] == 150 and len(report["receipts"]["missing"]) == 150 - held


def _wait_rewritten(redis: Redis) -> None:
    import time

    deadline = time.monotonic() + 20
    while redis.info("persistence")["aof_rewrite_in_progress"] or redis.info("persistence").get("aof_rewrite_scheduled"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
