"""The HTTP ways in for people and systems: subscriptions, the alert stream, the story board.

* ``GET|POST /subscriptions``, ``GET|DELETE /subscriptions/{id}``: manage webhook
  subscriptions (bearer token);
* ``GET /alerts/stream?actor=...``: Server-Sent Events, one ``alert`` event per matching
  alert with the stream id as its ``id``. A client reconnecting with ``Last-Event-ID``
  (browsers and ``curl`` scripts send it) continues right after that entry, so nothing is
  lost or repeated; ``?since=0-0`` replays from the start, no id means only new alerts;
* ``GET /stories``: the stories with their timelines, as JSON, for the board;
* ``GET /``: the live story board (one page, no build step).

The board and the stream are open unless ``board_public`` is off; then they take the
token too, as a bearer header or, since ``EventSource`` cannot send headers, ``?token=``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import ipaddress
import json
import logging
import re
from datetime import timedelta
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from consumers import metrics
from consumers.delivery import subscriptions as store
from consumers.delivery.filters import FilterError, filter_from_pairs, matches
from schemas import Alert
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import ALERTS, DATA_FIELD
from schemas.subscriptions import AlertFilter, SubscriptionRequest

log = logging.getLogger(__name__)

KEEPALIVE_S = 15.0
_STREAM_ID = re.compile(r"^\d+-\d+$|^\d+$")
_BOARD = resources.files("storywatch").joinpath("board.html")


class InsecureBind(ValueError):
    """Serving the API beyond loopback without a token."""


def is_loopback(host: str) -> bool:
    bare = host.strip("[]").lower()
    if bare == "localhost":
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to expose the API on a non-loopback address without a token."""
    if not token and not is_loopback(host):
        raise InsecureBind(
            f"refusing to serve POST /articles and /subscriptions on {host} without a token: set STORYWATCH_API_TOKEN, "
            "bind 127.0.0.1, or STORYWATCH_INTAKE_ENABLED=false to serve only /metrics, /health and /ready there"
        )


class Access:
    """Who may call what: the token (if any) and whether the board is open."""

    def __init__(self, token: str | None, board_public: bool) -> None:
        self.token = token
        self.board_public = board_public

    def allowed(self, scope: dict[str, Any], query: list[tuple[str, str]], board: bool = False) -> bool:
        if not self.token or (board and self.board_public):
            return True
        offered = _bearer(scope) or (dict(query).get("token") if board else None)
        return offered is not None and hmac.compare_digest(offered.encode(), self.token.encode())


def _bearer(scope: dict[str, Any]) -> str | None:
    value = header(scope, b"authorization")
    if value and value[:7].lower() == "bearer ":
        return value[7:].strip()
    return None


def header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def respond(send: Any, status: int, body: Any, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode()
    base = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": base + (headers or [])})
    await send({"type": "http.response.body", "body": data})


async def unauthorized(send: Any) -> None:
    await respond(send, 401, {"error": "missing or wrong bearer token (Authorization: Bearer $STORYWATCH_API_TOKEN)"}, [(b"www-authenticate", b"Bearer")])


async def read_body(receive: Any, limit: int = 64 * 1024) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > limit:
            raise ValueError(f"body exceeds {limit} bytes")
        if not message.get("more_body"):
            return bytes(body)


# --- subscriptions -----------------------------------------------------------------

async def subscriptions(scope: dict[str, Any], receive: Any, send: Any, redis: Redis, partitioning: Partitioning = SINGLE) -> None:
    """``/subscriptions`` and ``/subscriptions/{id}``."""
    method = scope["method"]
    rest = scope["path"].rstrip("/")[len("/subscriptions"):].lstrip("/")
    if not rest:
        if method == "GET":
            await respond(send, 200, {"subscriptions": [s.public() for s in await store.load_all(redis)]})
        elif method == "POST":
            await _create(receive, send, redis)
        else:
            await respond(send, 405, {"error": "use GET or POST"}, [(b"allow", b"GET, POST")])
        return
    if method == "GET":
        found = await store.get(redis, rest)
        await (respond(send, 200, found.public()) if found else respond(send, 404, {"error": f"no subscription {rest}"}))
    elif method == "DELETE":
        removed = await store.remove(redis, rest, partitioning)
        await respond(send, 200 if removed else 404, {"removed": rest} if removed else {"error": f"no subscription {rest}"})
    else:
        await respond(send, 405, {"error": "use GET or DELETE"}, [(b"allow", b"GET, DELETE")])


async def _create(receive: Any, send: Any, redis: Redis) -> None:
    try:
        request = SubscriptionRequest.model_validate_json(await read_body(receive))
    except ValueError as exc:  # ValidationError is a ValueError
        problems = exc.errors() if isinstance(exc, ValidationError) else str(exc)
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in problems) if isinstance(problems, list) else problems
        await respond(send, 422, {"error": detail})
        return
    sub = await store.add(redis, request)
    await respond(send, 201, sub.public() | {"secret": sub.secret}, [(b"location", f"/subscriptions/{sub.id}".encode())])


# --- Server-Sent Events ------------------------------------------------------------

def start_id(scope: dict[str, Any], query: list[tuple[str, str]]) -> str | None:
    """Where a stream resumes: Last-Event-ID, else ``?since=``/``?last_event_id=``; None = new only."""
    params = dict(query)
    value = header(scope, b"last-event-id") or params.get("last_event_id") or params.get("since")
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if not _STREAM_ID.match(value):
        raise FilterError(f"Last-Event-ID {value[:40]!r} is not a stream id such as 1761083713000-0 (0-0 replays from the start)")
    return value


def sse_event(entry_id: str, alert: Alert) -> bytes:
    return f"id: {entry_id}\nevent: alert\ndata: {alert.model_dump_json(exclude_none=True)}\n\n".encode()


async def alert_stream(scope: dict[str, Any], receive: Any, send: Any, redis: Redis, query: list[tuple[str, str]], closing: asyncio.Event) -> None:
    """``GET /alerts/stream``: matching alerts as Server-Sent Events until the client goes."""
    try:
        flt = filter_from_pairs(query, ignore=("since", "last_event_id", "token"))
        last = start_id(scope, query)
    except FilterError as exc:
        await respond(send, 400, {"error": str(exc)})
        return
    try:
        if last is None:
            newest = await redis.xrevrange(ALERTS, count=1)
            last = newest[0][0].decode() if newest else "0-0"
    except RedisError as exc:
        await respond(send, 503, {"error": f"Redis unreachable: {exc}"})
        return
    headers = [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache"), (b"x-accel-buffering", b"no")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"retry: 1000\n: connected\n\n", "more_body": True})
    gone = asyncio.Event()

    async def watch_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        gone.set()

    watcher = asyncio.create_task(watch_disconnect())
    metrics.SSE_CLIENTS.inc()
    try:
        await _pump(send, redis, flt, last, gone, closing)
    finally:
        metrics.SSE_CLIENTS.dec()
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await watcher
        with contextlib.suppress(Exception):
            await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _pump(send: Any, redis: Redis, flt: AlertFilter, last: str, gone: asyncio.Event, closing: asyncio.Event) -> None:
    quiet = 0.0
    failures = 0
    while not gone.is_set() and not closing.is_set():
        try:
            reply = await redis.xread({ALERTS: last}, count=100, block=1000)
            failures = 0
        except RedisError as exc:  # ride out a lost connection; the client keeps its place
            failures += 1
            log.warning("alert stream: Redis error; retrying", extra={"error": repr(exc), "attempt": failures})
            await asyncio.sleep(min(5.0, 0.1 * 2 ** failures))
            continue
        chunk = bytearray()
        for entry_id, fields in reply[0][1] if reply else []:
            last = entry_id.decode()
            try:
                alert = Alert.model_validate_json(fields.get(DATA_FIELD.encode(), b""))
            except ValidationError:
                log.warning("alert stream: skipped an entry that is not an alert", extra={"entry": last})
                continue
            if matches(flt, alert):
                chunk += sse_event(last, alert)
        quiet = 0.0 if chunk else quiet + 1.0
        if quiet >= KEEPALIVE_S:
            chunk += b": keepalive\n\n"
            quiet = 0.0
        if chunk:
            await send({"type": "http.response.body", "body": bytes(chunk), "more_body": True})


# --- stories and the board ---------------------------------------------------------

async def latest_hot(redis: Redis, limit: int, archive_after: timedelta, partitioning: Partitioning = SINGLE) -> list[str]:
    """The ``limit`` hot stories (archived ones are cold) changed last, of every partition
    (one key per command: a cluster client routes each to its node). The hot set is
    scored by when a story goes cold: up to the stories' clock + the archive period, that
    is its last change + the period; above it are stories awaiting a later date, whose
    last change is read from their heads (the ``limit`` due soonest)."""
    from consumers.story_store import HOT, decode_head, span_ms
    from schemas.streams import story_key
    from storywatch.retention import story_clock

    shift, ranked = span_ms(archive_after), []
    for p in range(partitioning.count):
        k = functools.partial(partitioning.key, partition=p)
        if (clock := await story_clock(redis, k, archive_after)) is None:
            continue
        edge = clock + shift
        ranked += [(int(score) - shift, i.decode())
                   for i, score in await redis.zrange(k(HOT), edge, "-inf", desc=True, byscore=True, offset=0, num=limit, withscores=True)]
        awaiting = [i.decode() for i in await redis.zrange(k(HOT), f"({edge}", "+inf", byscore=True, offset=0, num=limit)]
        heads = await redis.mget([k(story_key(i)) for i in awaiting]) if awaiting else []
        ranked += [(decode_head(raw, i).stamp, i) for i, raw in zip(awaiting, heads, strict=True) if raw is not None]
    return [i for _stamp, i in sorted(ranked, reverse=True)[:limit]]


async def stories(send: Any, redis: Redis, query: list[tuple[str, str]], partitioning: Partitioning = SINGLE,
                  archive_after: timedelta = timedelta(days=30)) -> None:
    from consumers.story_store import load_full
    from storywatch.service import story_record

    params = dict(query)
    try:
        limit = max(1, min(5000, int(params.get("limit", "500"))))
    except ValueError:
        await respond(send, 400, {"error": "limit must be a number"})
        return
    newest = await redis.xrevrange(ALERTS, count=1)  # read first: later alerts come over the stream
    ids = await latest_hot(redis, limit, archive_after, partitioning)
    found = sorted(await load_full(redis, ids, partitioning), key=lambda s: s.status_since, reverse=True)
    records = []
    for story in found:
        record = story_record(story)
        record["evidence"] = [{"status": t.status.value, "at": t.at.isoformat(), "evidence": t.evidence, "source": t.source, "url": t.url} for t in story.timeline]
        records.append(record)
    await respond(send, 200, {"stories": records, "last_alert_id": newest[0][0].decode() if newest else "0-0"})


async def board(send: Any) -> None:
    data = _BOARD.read_bytes()
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(data)).encode()), (b"cache-control", b"no-cache")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def query_of(scope: dict[str, Any]) -> list[tuple[str, str]]:
    return parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=False)
