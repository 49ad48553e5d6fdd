"""HTTP intake: ``POST /articles`` as a plain ASGI app, for systems that push articles.

The request body is one Article object or a JSON array of them. Answers:

* 202 ``{"accepted": [ids...]}``: all records were valid and are on the ``articles`` stream;
* 422 ``{"errors": [{"index": i, "id": ..., "error": ...}]}``: some record is invalid;
  then nothing of the request is published, so the client can fix and resend the whole
  batch without creating copies;
* 400 body not JSON / not UTF-8, 413 body over the limit, 415 not ``application/json``,
  404 other paths, 405 other methods, 503 Redis unreachable.

The app needs no framework; any ASGI server (uvicorn) runs it, and the process that
serves ``/metrics`` can route ``/articles`` to it.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from ingest.jsonl import parse_record
from ingest.metrics import INTAKE_REQUESTS, count_record
from ingest.publisher import publish_articles
from schemas import Article

DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
PATH = "/articles"

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


def validate_records(payload: object) -> tuple[list[Article], list[dict[str, Any]]]:
    """(normalised articles, errors naming index, id and reason) of a decoded request body (pure)."""
    records = payload if isinstance(payload, list) else [payload]
    if not records:
        return [], [{"index": None, "error": "empty array: no records"}]
    articles: list[Article] = []
    errors: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        try:
            articles.append(parse_record(record))
        except (ValidationError, ValueError) as exc:
            record_id = record.get("id") if isinstance(record, dict) else None
            errors.append({"index": index, "id": record_id, "error": str(exc)})
    return articles, errors


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


async def _read_body(receive: Receive, max_body_bytes: int) -> bytes:
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


async def _respond(send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode()
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


def make_intake_app(redis_factory_or_client: RedisSource, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI app of ``POST /articles``, publishing through ``ingest.publisher.publish_articles``."""
    get_redis = _redis_getter(redis_factory_or_client)

    async def accept(scope: Scope, receive: Receive) -> tuple[int, dict[str, Any]]:
        _check_request(scope, max_body_bytes)
        articles, errors = validate_records(_decode(await _read_body(receive, max_body_bytes)))
        for ok in [True] * len(articles) + [False] * len(errors):
            count_record("http", ok)
        if errors:
            return 422, {"errors": errors, "accepted": []}
        try:
            await publish_articles(await get_redis(), articles)
        except (RedisError, OSError) as exc:
            raise HttpProblem(503, {"error": f"could not publish: {exc}"}) from None
        return 202, {"accepted": [a.id for a in articles]}

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
