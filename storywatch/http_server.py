"""The HTTP server(s) of a storywatch process: ops paths, intake and the API.

* ``GET /metrics``: Prometheus exposition of every ``storywatch_*`` metric;
* ``GET /health``: 200 while the process answers at all (liveness). It does not ask
  Redis: a Redis blip must not make a supervisor restart every healthy worker;
* ``GET /ready``: 200 when Redis answers PING and this process's stages are running;
* ``POST /articles``: HTTP intake (see ``ingest.http_intake``);
* ``/subscriptions``, ``/alerts/stream``, ``/stories`` and the board at ``/``: see
  ``storywatch.api``.

Binds to 127.0.0.1 unless told otherwise. With ``STORYWATCH_API_TOKEN`` set, intake and
subscriptions need ``Authorization: Bearer <token>`` (the board too unless it is public).
Bound to any other address without a token, anyone who can reach the port could publish
articles and add subscriptions: the process then refuses to start, unless the intake is
switched off (``STORYWATCH_INTAKE_ENABLED=false``), which leaves only ``/metrics``,
``/health`` and ``/ready`` on that port. With a separate API port (``--api-port``) the
metrics port serves only those three (open) and may bind anywhere.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import timedelta
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn
from prometheus_client import REGISTRY, make_asgi_app
from redis.asyncio import Redis

from ingest.http_intake import make_intake_app
from schemas.partitions import SINGLE, Partitioning
from storywatch import api

log = logging.getLogger(__name__)

App = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]], Awaitable[None]]


OPS_PATHS = ("/metrics", "/health", "/ready")
API_PATHS = ("/", "/articles", "/subscriptions", "/alerts/stream", "/stories")


def make_app(
    redis: Redis,
    is_running: Callable[[], bool],
    max_body_bytes: int = 5 * 1024 * 1024,
    api_token: str | None = None,
    intake: bool = True,
    access: api.Access | None = None,
    closing: asyncio.Event | None = None,
    serve_ops: bool = True,
    serve_api: bool = True,
    partitioning: Partitioning = SINGLE,
    archive_after: timedelta = timedelta(days=30),
) -> App:
    """The ASGI app: the open ops paths and/or the API paths (token-checked by ``access``,
    by default: ``api_token`` with a public board); ``archive_after`` is the stories'
    archive period (the board reads the hot set's scores by it)."""
    metrics_app = make_asgi_app(REGISTRY)
    access = access or api.Access(api_token, board_public=True)
    intake_app = make_intake_app(redis, max_body_bytes=max_body_bytes, api_token=access.token, partitioning=partitioning) if intake else None
    closing = closing or asyncio.Event()
    paths = [*(OPS_PATHS if serve_ops else ()), *(p for p in API_PATHS if serve_api and (intake or p != "/articles"))]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        path = scope.get("path", "")
        if serve_ops and path in OPS_PATHS:
            await _ops(path, scope, receive, send)
        elif serve_api and (path in paths or path.startswith("/subscriptions/")):
            await _api(path, scope, receive, send)
        else:
            await api.respond(send, 404, {"error": f"no such path: {path}", "paths": paths})

    async def _ops(path: str, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if path == "/metrics":
            await metrics_app(scope, receive, send)
        elif path == "/health":
            await api.respond(send, 200, {"status": "alive"})
        else:
            ok, detail = await _check(redis, is_running)
            await api.respond(send, 200 if ok else 503, detail)

    async def _api(path: str, scope: dict[str, Any], receive: Any, send: Any) -> None:
        query = api.query_of(scope)
        board = path in ("/", "/alerts/stream", "/stories")
        if path == "/articles" and intake_app is not None:
            await intake_app(scope, receive, send)  # checks the token itself
        elif not access.allowed(scope, query, board=board):
            await api.unauthorized(send)
        elif path.startswith("/subscriptions"):
            await api.subscriptions(scope, receive, send, redis, partitioning)
        elif scope.get("method") != "GET":
            await api.respond(send, 405, {"error": "use GET"})
        elif path == "/alerts/stream":
            await api.alert_stream(scope, receive, send, redis, query, closing)
        elif path == "/stories":
            await api.stories(send, redis, query, partitioning, archive_after)
        else:
            await api.board(send)

    return app


async def _check(redis: Redis, is_running: Callable[[], bool]) -> tuple[bool, dict[str, Any]]:
    try:
        redis_ok = bool(await asyncio.wait_for(redis.ping(), timeout=2))
    except Exception as exc:
        return False, {"redis": f"unreachable: {type(exc).__name__}"}
    running = is_running()
    return redis_ok and running, {"redis": "ok", "stages": "running" if running else "stopped"}


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

    def __init__(self, app: App, host: str, port: int, closing: asyncio.Event | None = None) -> None:
        self.host = host
        self.port = port
        self.closing = closing
        """Set on stop, so that open event streams end instead of holding the shutdown."""
        self._server = uvicorn.Server(uvicorn.Config(
            app, host=host, port=port, log_level="warning", lifespan="off", access_log=False, timeout_graceful_shutdown=3,
        ))
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
        if self.closing is not None:
            self.closing.set()
        if self._task is not None:
            self._server.should_exit = True
            await self._task


def servers_for(redis: Redis, is_running: Callable[[], bool], settings: Any) -> list[HttpServer]:
    """The process's HTTP servers: one for everything, or (with ``api_port``) the open ops
    paths on the metrics address and the API on its own. InsecureBind when the API would
    face the network without a token."""
    token = settings.api_token_value()
    access = api.Access(token, settings.board_public)
    closing = asyncio.Event()
    intake = settings.intake_enabled
    if settings.api_port is None:
        exposed = bool(settings.metrics_port) and not api.is_loopback(settings.metrics_host) and not token
        if exposed and intake:
            api.check_bind(settings.metrics_host, token)
        app = make_app(redis, is_running, intake=intake, access=access, closing=closing, serve_api=not exposed, partitioning=settings.partitioning,
                       archive_after=timedelta(days=settings.story_archive_after_days))
        return [HttpServer(app, settings.metrics_host, settings.metrics_port, closing)]
    if settings.api_port:
        api.check_bind(settings.api_host, token)
    ops = make_app(redis, is_running, serve_api=False)
    api_app = make_app(redis, is_running, intake=intake, access=access, closing=closing, serve_ops=False, partitioning=settings.partitioning,
                       archive_after=timedelta(days=settings.story_archive_after_days))
    return [HttpServer(ops, settings.metrics_host, settings.metrics_port), HttpServer(api_app, settings.api_host, settings.api_port, closing)]
