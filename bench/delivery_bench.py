"""Delivery benchmark: latency from an alert's publication to each webhook's receipt.

    python -m bench.delivery_bench [--subscriptions 10] [--rate 50] [--seconds 10]

One run, on one server (the embedded Valkey unless ``--redis-url``):

1. baseline: a raw redis-py + httpx loop (XREAD BLOCK on ``alerts``, one plain POST per
   subscription, no filter, no signature, no outbox) delivering to the same receiver;
2. storywatch: ``--subscriptions`` subscriptions (each matching every alert) served by one
   ``storywatch worker --stage deliver`` process, which filters, signs, keeps its outbox
   and acknowledges as in production.

Alerts are published at ``--rate`` per second for ``--seconds``; latency is the time from
just before the XADD to the receiver's reading of the request (one clock: publisher and
receiver are this process). Prints p50/p95/p99/max and deliveries per second.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from redis.asyncio import Redis

from consumers.delivery import subscriptions as store
from schemas import Alert
from schemas.streams import ALERTS, DATA_FIELD
from schemas.subscriptions import SubscriptionRequest
from storywatch.embedded import EmbeddedServer

ROOT = Path(__file__).resolve().parents[1]


class Receiver:
    """An ASGI receiver: records (path, alert id, arrival time) of every POST."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[str, str, float]] = []

    async def __call__(self, scope: dict, receive, send) -> None:  # type: ignore[no-untyped-def,type-arg]
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        key = next((v.decode() for k, v in scope["headers"] if k == b"idempotency-key"), "")
        self.arrivals.append((scope["path"], key, time.time()))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def alert(n: int) -> Alert:
    return Alert(alert_id=f"al-bench-{n}", kind="status_changed", story_id=f"st-{n % 50}", story_title=f"Summit {n % 50}", event_type="summit",
                 actors=["Merz", "Macron"], location="Paris", from_status="planned", to_status="postponed",  # type: ignore[arg-type]
                 evidence="Das Treffen wurde verschoben.", article_id=f"a{n}", event_time=datetime.now(UTC))


async def publish_at_rate(redis: Redis, rate: float, seconds: float, offset: int) -> dict[str, float]:
    """Publish alerts at ``rate``/s; returns alert id -> time just before its XADD."""
    sent: dict[str, float] = {}
    total = int(rate * seconds)
    start = time.perf_counter()
    for i in range(total):
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        item = alert(offset + i)
        sent[item.alert_id] = time.time()
        await redis.xadd(ALERTS, {DATA_FIELD: item.model_dump_json(exclude_none=True)})
    return sent


async def wait_for_all(receiver: Receiver, expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(receiver.arrivals) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def figures(name: str, sent: dict[str, float], arrivals: list[tuple[str, str, float]], expected: int, seconds: float) -> dict[str, float]:
    latencies = sorted((at - sent[key]) * 1000 for _path, key, at in arrivals if key in sent)
    if not latencies:
        raise SystemExit(f"{name}: nothing delivered")
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    row = {"delivered": len(latencies), "expected": expected, "per_s": len(latencies) / seconds,
           "p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98], "max_ms": latencies[-1]}
    print(f"{name:<28}{row['delivered']:>6}/{expected:<6}{row['per_s']:>9.0f}/s"
          f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['max_ms']:>9.1f}", flush=True)
    return row


async def baseline(redis: Redis, url: str, subscriptions: int, stop: asyncio.Event) -> None:
    """XREAD + plain POSTs: the least any delivery can cost on this machine."""
    last = "$"
    async with httpx.AsyncClient() as http:
        while not stop.is_set():
            reply = await redis.xread({ALERTS: last}, count=100, block=100)
            for _stream, entries in reply or []:
                for entry_id, fields in entries:
                    last = entry_id.decode()
                    body = fields[DATA_FIELD.encode()]
                    key = Alert.model_validate_json(body).alert_id
                    await asyncio.gather(*(http.post(f"{url}/base/{i}", content=body, headers={"Idempotency-Key": key}) for i in range(subscriptions)))


async def run(args: argparse.Namespace, url: str) -> None:
    redis = Redis.from_url(url)
    await redis.flushdb()
    receiver = Receiver()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(receiver, host="127.0.0.1", port=port, log_level="warning", lifespan="off", access_log=False))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    target = f"http://127.0.0.1:{port}"
    expected = int(args.rate * args.seconds) * args.subscriptions
    print(f"{args.subscriptions} subscriptions, {args.rate:g} alerts/s for {args.seconds:g} s = {expected} deliveries per run")
    print(f"{'':<28}{'delivered':>13}{'rate':>11}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")

    stop = asyncio.Event()
    loop_task = asyncio.create_task(baseline(redis, target, args.subscriptions, stop))
    await asyncio.sleep(0.3)
    sent = await publish_at_rate(redis, args.rate, args.seconds, 0)
    await wait_for_all(receiver, expected, 30)
    stop.set()
    await loop_task
    figures("raw redis-py + httpx", sent, receiver.arrivals, expected, args.seconds)
    receiver.arrivals.clear()

    for i in range(args.subscriptions):
        await store.add(redis, SubscriptionRequest(url=f"{target}/hook/{i}"))  # type: ignore[arg-type]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | {"PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as log:
        worker = subprocess.Popen([sys.executable, *os.environ.get("BENCH_PROFILE", "").split(), "-m", "storywatch.cli", "worker", "--stage", "deliver", "--redis-url", url, "--metrics-port", "0",
                                   "--log-level", "WARNING"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            await asyncio.sleep(2.0)  # the worker starts and opens its groups
            sent = await publish_at_rate(redis, args.rate, args.seconds, 1_000_000)
            await wait_for_all(receiver, expected, 60)
            figures("storywatch deliver worker", sent, receiver.arrivals, expected, args.seconds)
        finally:
            worker.terminate()
            worker.wait(30)
    server.should_exit = True
    await serving
    await redis.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscriptions", type=int, default=10)
    parser.add_argument("--rate", type=float, default=50, help="alerts per second")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    if args.redis_url:
        asyncio.run(run(args, args.redis_url))
        return
    with tempfile.TemporaryDirectory() as tmp, EmbeddedServer(Path(tmp), persist=False) as server:
        asyncio.run(run(args, server.url))


if __name__ == "__main__":
    main()
