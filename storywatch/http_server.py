"""The one HTTP server of a storywatch process: metrics, health, readiness, intake.

* ``GET /metrics``: Prometheus exposition of every ``storywatch_*`` metric;
* ``GET /health``: 200 while the process answers at all (liveness). It does not ask
  Redis: a Redis blip must not make a supervisor restart every healthy worker;
* ``GET /ready``: 200 when Redis answers PING and this process's stages are running;
* ``POST /articles``: HTTP intake (see ``ingest.http_intake``); with
  ``STORYWATCH_API_TOKEN`` set it requires ``Authorization: Bearer <token>``.

Binds to 127.0.0.1 unless told otherwise. Bound to any other address, anyone who can
reach the port could publish articles: the process then refuses to start unless a token
is set or the intake is switched off (``STORYWATCH_INTAKE_ENABLED=false``); ``/metrics``,
``/health`` and ``/ready`` stay open either way.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn
from prometheus_client import REGISTRY, make_asgi_app
from redis.asyncio import Redis

from ingest.http_intake import make_intake_app
from schemas.partitions import SINGLE, Partitioning
from storywatch.settings import Settings

log = logging.getLogger(__name__)

App = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]], Awaitable[None]]


class OpenIntake(SystemExit):
    """The intake would accept articles from anyone on a non-loopback address."""


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_for(redis: Redis, is_running: Callable[[], bool], settings: Settings) -> App:
    """The process's app as the settings say; ``OpenIntake`` for an intake open to the network."""
    token = settings.api_token.get_secret_value() if settings.api_token else None
    if settings.intake_enabled and not token and settings.metrics_port and not is_loopback(settings.metrics_host):
        raise OpenIntake(
            f"storywatch: refusing to serve POST /articles on {settings.metrics_host} without a token: set STORYWATCH_API_TOKEN, "
            "or STORYWATCH_INTAKE_ENABLED=false to serve only /metrics, /health and /ready there"
        )
    return make_app(redis, is_running, api_token=token, intake=settings.intake_enabled, partitioning=settings.partitioning)


def make_app(redis: Redis, is_running: Callable[[], bool], max_body_bytes: int = 5 * 1024 * 1024,
             api_token: str | None = None, intake: bool = True, partitioning: Partitioning = SINGLE) -> App:
    metrics_app = make_asgi_app(REGISTRY)
    intake_app = make_intake_app(redis, max_body_bytes=max_body_bytes, api_token=api_token, partitioning=partitioning) if intake else None

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        path = scope.get("path", "")
        if path == "/metrics":
            await metrics_app(scope, receive, send)
        elif path == "/articles" and intake_app is not None:
            await intake_app(scope, receive, send)
        elif path == "/health":
            await _json(send, 200, {"status": "alive"})
        elif path == "/ready":
            ok, detail = await _check(redis, is_running)
            await _json(send, 200 if ok else 503, detail)
        else:
            await _json(send, 404, {"error": f"no such path: {path}", "paths": ["/metrics", "/health", "/ready", "/articles"]})

    return app


async def _check(redis: Redis, is_running: Callable[[], bool]) -> tuple[bool, dict[str, Any]]:
    try:
        redis_ok = bool(await asyncio.wait_for(redis.ping(), timeout=2))
    except Exception as exc:
        return False, {"redis": f"unreachable: {type(exc).__name__}"}
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


class PortInUse(OSError):
    """The HTTP port cannot be bound (another process has it, or no permission)."""


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket on host:port, or PortInUse naming the address and the cause.

    Bound here rather than by uvicorn, which calls ``sys.exit`` from inside its task
    when the bind fails (an unretrieved-task traceback and a misleading exit status).
    """
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise PortInUse(exc.errno, f"cannot serve HTTP on {host}:{port}: {exc.strerror} (another process there? choose --metrics-port, or 0 for no HTTP)") from exc
    sock.set_inheritable(True)
    return sock


class HttpServer:
    """uvicorn in the running event loop; ``port=0`` disables it."""

    def __init__(self, app: App, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off", access_log=False))
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Bind (PortInUse if that fails) and serve in the background."""
        if self.port == 0:
            return
        sock = bind(self.host, self.port)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started and not self._task.done():
            await asyncio.sleep(0.02)
        if self._task.done():
            self._task.result()
            raise PortInUse(0, f"HTTP server on {self.host}:{self.port} stopped at start")

    async def stop(self) -> None:
        if self._task is not None:
            self._server.should_exit = True
            await self._task
