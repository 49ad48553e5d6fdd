"""The one HTTP server of a storywatch process: metrics, health, readiness, intake.

* ``GET /metrics``: Prometheus exposition of every ``storywatch_*`` metric;
* ``GET /health``: 200 while Redis answers PING (liveness);
* ``GET /ready``: 200 when Redis answers and this process's stages are running;
* ``POST /articles``: HTTP intake (see ``ingest.http_intake``).

Binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn
from prometheus_client import REGISTRY, make_asgi_app
from redis.asyncio import Redis

from ingest.http_intake import make_intake_app

log = logging.getLogger(__name__)

App = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]], Awaitable[None]]


def make_app(redis: Redis, is_running: Callable[[], bool], max_body_bytes: int = 5 * 1024 * 1024) -> App:
    metrics_app = make_asgi_app(REGISTRY)
    intake_app = make_intake_app(redis, max_body_bytes=max_body_bytes)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        path = scope.get("path", "")
        if path == "/metrics":
            await metrics_app(scope, receive, send)
        elif path == "/articles":
            await intake_app(scope, receive, send)
        elif path in ("/health", "/ready"):
            ok, detail = await _check(redis, is_running if path == "/ready" else None)
            await _json(send, 200 if ok else 503, detail)
        else:
            await _json(send, 404, {"error": f"no such path: {path}", "paths": ["/metrics", "/health", "/ready", "/articles"]})

    return app


async def _check(redis: Redis, is_running: Callable[[], bool] | None) -> tuple[bool, dict[str, Any]]:
    try:
        redis_ok = bool(await asyncio.wait_for(redis.ping(), timeout=2))
    except Exception as exc:
        return False, {"redis": f"unreachable: {type(exc).__name__}"}
    if is_running is None:
        return redis_ok, {"redis": "ok"}
    running = is_running()
    return redis_ok and running, {"redis": "ok", "stages": "running" if running else "stopped"}


async def _json(send: Any, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class HttpServer:
    """uvicorn in the running event loop; ``port=0`` disables it."""

    def __init__(self, app: App, host: str, port: int) -> None:
        self.port = port
        self._server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off", access_log=False))
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.port == 0:
            return
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started and not self._task.done():
            await asyncio.sleep(0.02)
        if self._task.done():
            raise OSError(f"could not serve HTTP on port {self.port} (in use?)")

    async def stop(self) -> None:
        if self._task is not None:
            self._server.should_exit = True
            await self._task
