"""HTTP intake: ``POST /articles`` as a plain ASGI app, for systems that push articles.

The request body is one Article object or a JSON array of at most ``max_records`` of
them. Answers:

* 202 ``{"accepted": [ids...]}``: all records were valid and are on the ``articles`` stream;
* 422 ``{"errors": [{"index": i, "id": ..., "error": ...}], "errors_total": n}``: some
  record is invalid (the first ``max_errors_shown`` are listed); then nothing of the
  request is published, so the client can fix and resend the whole batch without
  creating copies;
* 400 body not JSON / not UTF-8 / nested too deeply, 408 body not received in time,
  413 body or record count over the limit, 415 not ``application/json``, 404 other
  paths, 405 other methods;
* 429 with ``Retry-After`` when ``max_in_flight`` requests are being handled and
  ``max_waiting`` more are queued (or one waited ``max_wait_seconds``): the service is
  full, try again later;
* 503 with ``Retry-After`` when Redis did not store the records (unreachable, out of
  memory); ``accepted`` then lists the records it did store.

Decoding and validating run in a worker thread: a 5 MB body of hostile JSON never
stalls the event loop that answers ``/health`` and ``/metrics``. At most
``max_in_flight`` requests publish at once, well under the Redis connection pool
(redis-py's default of 100), so a burst queues instead of failing with "Too many
connections".

The app needs no framework; any ASGI server (uvicorn) runs it, and the process that
serves ``/metrics`` can route ``/articles`` to it.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from ingest.jsonl import parse_record
from ingest.metrics import INTAKE_REQUESTS, count_record
from ingest.publisher import publish_report
from schemas.partitions import SINGLE, Partitioning
from schemas import Article

DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
PATH = "/articles"
MAX_ERROR_CHARS = 500
"""Longest error message per record in an answer (the record may be hostile, the answer must stay small)."""


@dataclass(frozen=True)
class IntakeLimits:
    """What one intake process accepts at once; the defaults suit a producer pushing batches."""

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_records: int = 1000
    max_errors_shown: int = 50
    max_in_flight: int = 16
    max_waiting: int = 1000
    max_wait_seconds: float = 10.0
    max_read_seconds: float = 30.0
    retry_after_seconds: int = 1

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
RedisSource = Redis | Callable[[], Redis | Awaitable[Redis]]


class HttpProblem(Exception):
    """A request that gets an error answer: status and the JSON body to send."""

    def __init__(self, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or []


def echo(value: object, limit: int = 200) -> str | None:
    """A client's value as it may be put in an answer: text only, short, no lone surrogates."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")[:limit]


def validate_records(payload: object, limits: IntakeLimits | None = None) -> tuple[list[Article], list[dict[str, Any]]]:
    """(normalised articles, errors naming index, id and reason) of a decoded request body (pure)."""
    limits = limits or IntakeLimits()
    records = payload if isinstance(payload, list) else [payload]
    if not records:
        return [], [{"index": None, "error": "empty array: no records"}]
    if len(records) > limits.max_records:
        raise HttpProblem(413, {"error": f"{len(records)} records exceed the limit of {limits.max_records} per request; send smaller batches"})
    articles: list[Article] = []
    errors: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        try:
            articles.append(parse_record(record))
        except (ValidationError, ValueError, RecursionError) as exc:
            problem = "record nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            record_id = echo(record.get("id")) if isinstance(record, dict) else None
            errors.append({"index": index, "id": record_id, "error": echo(problem, MAX_ERROR_CHARS)})
    return articles, errors


def parse_body(body: bytes, limits: IntakeLimits) -> tuple[list[Article], list[dict[str, Any]]]:
    """Decode and validate a request body (pure, CPU-bound: run it off the event loop)."""
    return validate_records(_decode(body), limits)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _check_request(scope: Scope, max_body_bytes: int) -> None:
    if scope["path"].rstrip("/") != PATH:
        raise HttpProblem(404, {"error": f"not found; articles are posted to {PATH}"})
    if scope["method"] != "POST":
        raise HttpProblem(405, {"error": "use POST"}, [(b"allow", b"POST")])
    ctype = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    if ctype != "application/json" and not ctype.endswith("+json"):
        raise HttpProblem(415, {"error": f"content-type must be application/json, got {ctype or 'none'}"})
    length = _header(scope, b"content-length")
    if length and length.isdigit() and int(length) > max_body_bytes:
        raise HttpProblem(413, {"error": f"body of {length} bytes exceeds the limit of {max_body_bytes}"})


async def _read_body(receive: Receive, limits: IntakeLimits) -> bytes:
    try:
        async with asyncio.timeout(limits.max_read_seconds):
            return await _read_all(receive, limits.max_body_bytes)
    except TimeoutError:
        raise HttpProblem(408, {"error": f"body not received within {limits.max_read_seconds:g} s"}) from None


async def _read_all(receive: Receive, max_body_bytes: int) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise HttpProblem(400, {"error": "client disconnected"})
        body += message.get("body", b"")
        if len(body) > max_body_bytes:
            raise HttpProblem(413, {"error": f"body exceeds the limit of {max_body_bytes} bytes"})
        if not message.get("more_body"):
            return bytes(body)


def _decode(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise HttpProblem(400, {"error": f"body is not UTF-8 ({exc.reason} at byte {exc.start})"}) from None
    except json.JSONDecodeError as exc:
        raise HttpProblem(400, {"error": f"malformed JSON: {exc}"}) from None
    except RecursionError:
        raise HttpProblem(400, {"error": "JSON nested too deeply"}) from None


async def _respond(send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace")
    base = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": base + (headers or [])})
    await send({"type": "http.response.body", "body": data})


def _redis_getter(source: RedisSource) -> Callable[[], Awaitable[Redis]]:
    """Accept a client, or a (sync or async) factory called once on first use."""
    cached: list[Redis] = []

    async def get() -> Redis:
        if not cached:
            made = source() if callable(source) and not isinstance(source, Redis) else source
            cached.append(await made if inspect.isawaitable(made) else made)
        return cached[0]

    return get


async def _lifespan(receive: Receive, send: Send) -> None:
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})


class Gate:
    """At most ``max_in_flight`` requests handled at once, at most ``max_waiting`` queued."""

    def __init__(self, limits: IntakeLimits) -> None:
        self.limits = limits
        self.waiting = 0
        self._slots: asyncio.Semaphore | None = None

    def _full(self, why: str) -> HttpProblem:
        after = str(self.limits.retry_after_seconds)
        return HttpProblem(429, {"error": f"intake is full ({why}); retry after {after} s"}, [(b"retry-after", after.encode())])

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limits.max_in_flight)
        if self.waiting >= self.limits.max_waiting and self._slots.locked():
            raise self._full(f"{self.waiting} requests waiting")
        self.waiting += 1
        try:
            async with asyncio.timeout(self.limits.max_wait_seconds):
                await self._slots.acquire()
        except TimeoutError:
            raise self._full(f"no slot within {self.limits.max_wait_seconds:g} s") from None
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._slots.release()


def _check_token(scope: Scope, token: str | None) -> None:
    """401 unless the request carries ``Authorization: Bearer <token>`` (when a token is set)."""
    if token is None:
        return
    given = (_header(scope, b"authorization") or "").encode("latin-1")
    if not hmac.compare_digest(given, f"Bearer {token}".encode()):
        raise HttpProblem(401, {"error": "missing or wrong bearer token"}, [(b"www-authenticate", b'Bearer realm="storywatch"')])


def make_intake_app(redis_factory_or_client: RedisSource, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
                    limits: IntakeLimits | None = None, api_token: str | None = None,
                    partitioning: Partitioning = SINGLE) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI app of ``POST /articles``, publishing through ``ingest.publisher.publish_report``;
    with ``api_token``, only for requests that carry it as a bearer token."""
    limits = limits or IntakeLimits(max_body_bytes=max_body_bytes)
    get_redis = _redis_getter(redis_factory_or_client)
    gate = Gate(limits)

    async def accept(scope: Scope, receive: Receive) -> tuple[int, dict[str, Any]]:
        _check_token(scope, api_token)
        _check_request(scope, limits.max_body_bytes)
        async with gate.slot():
            articles, errors = await asyncio.to_thread(parse_body, await _read_body(receive, limits), limits)
            for ok in [True] * len(articles) + [False] * len(errors):
                count_record("http", ok)
            if errors:
                return 422, {"errors": errors[:limits.max_errors_shown], "errors_total": len(errors), "accepted": []}
            return await _publish(articles)

    async def _publish(articles: list[Article]) -> tuple[int, dict[str, Any]]:
        try:
            redis = await get_redis()
        except (RedisError, OSError) as exc:
            raise _unavailable(f"could not publish: {exc}", []) from None
        report = await publish_report(redis, articles, partitioning=partitioning)
        if report.failed:
            raise _unavailable(f"could not publish: {report.failed[0][1]}", [a.id for a, _ in report.stored],
                               [{"id": a.id, "error": echo(why, MAX_ERROR_CHARS)} for a, why in report.failed[:limits.max_errors_shown]])
        return 202, {"accepted": [a.id for a in articles]}

    def _unavailable(error: str, stored: list[str | None], failed: list[dict[str, Any]] | None = None) -> HttpProblem:
        after = str(limits.retry_after_seconds)
        return HttpProblem(503, {"error": echo(error, MAX_ERROR_CHARS), "accepted": stored, "not_stored": failed or []},
                           [(b"retry-after", after.encode())])

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        if scope["type"] != "http":
            return None
        try:
            status, body = await accept(scope, receive)
            headers: list[tuple[bytes, bytes]] = []
        except HttpProblem as problem:
            status, body, headers = problem.status, problem.body, problem.headers
        INTAKE_REQUESTS.labels(str(status)).inc()
        return await _respond(send, status, body, headers)

    return app
