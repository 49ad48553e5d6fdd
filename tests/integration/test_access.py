"""Access and failure reporting with real processes: passwords, secrets, a vanished group."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis

from storywatch.embedded import EmbeddedServer
from tests.integration.fault_harness import ROOT, assert_exactly_once, free_port, corpus, done, publish, read_result, start_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SECRET = "s3cret-Pa55word"


@pytest.fixture
def locked_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A server that needs a password for the default user and knows an ACL user ``pipeline``."""
    server = EmbeddedServer(tmp_path / "locked", persist=False, port=free_port()).start()
    admin = Redis.from_url(server.url)
    admin.acl_setuser("pipeline", enabled=True, passwords=[f"+{SECRET}"], keys=["*"], channels=["*"], commands=["+@all"])
    admin.config_set("requirepass", SECRET)
    admin.close()
    yield server.url.replace("redis://", "redis://pipeline:" + SECRET + "@")
    server._server.terminate()  # stopping needs no password this way


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | {"PYTHONPATH": str(ROOT)} | (env or {})
    return subprocess.run([sys.executable, "-m", "storywatch.cli", *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=60)


def test_password_protected_server_and_no_secret_in_output(locked_server: str, tmp_path: Path) -> None:
    redis = Redis.from_url(locked_server)
    articles = corpus(20, "auth")
    worker = start_worker(locked_server, tmp_path, "--log-level", "INFO")
    try:
        publish(redis, articles)
        wait_for(done(redis, len(articles)), 120, "the pipeline to work with a password", [worker])
    finally:
        assert worker.stop() == 0, worker.output()
    assert_exactly_once(read_result(redis), articles)
    assert "worker running" in worker.output() and SECRET not in worker.output()

    stats = _cli("stats", "--redis-url", locked_server)
    assert stats.returncode == 0 and SECRET not in stats.stdout + stats.stderr
    wrong = _cli("stats", "--redis-url", locked_server.replace(SECRET, "wrong-password"))
    assert wrong.returncode != 0 and "wrong-password" not in wrong.stdout + wrong.stderr
    helped = _cli("worker", "--help", env={"STORYWATCH_REDIS_URL": locked_server})
    assert helped.returncode == 0 and SECRET not in helped.stdout


def test_worker_exits_non_zero_when_its_groups_vanish(redis_url: str, tmp_path: Path) -> None:
    redis = Redis.from_url(redis_url)
    redis.flushdb()
    worker = start_worker(redis_url, tmp_path)
    # reading, not only its groups created: a flush before its subscribers start would be
    # undone by their start (FastStream declares the groups it reads)
    wait_for(lambda: redis.exists("articles") == 1 and len(redis.xinfo_consumers("articles", "dedup")) > 0, 60, "the worker to read", [worker])
    redis.flushdb()
    try:
        code = worker.proc.wait(60)
    except subprocess.TimeoutExpired:
        worker.proc.kill()
        raise AssertionError("the worker kept running without its consumer groups:\n" + worker.output()) from None
    assert code == 3, worker.output()
    assert "consumer group missing" in worker.output()
