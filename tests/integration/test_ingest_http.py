"""POST /articles against the intake app served by uvicorn on 127.0.0.1, publishing into Redis."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import pytest_asyncio
import uvicorn

from ingest.http_intake import make_intake_app
from schemas import Article
from schemas.streams import ARTICLES, DATA_FIELD

pytestmark = pytest.mark.integration

LIMIT = 64 * 1024
ARTICLE = {
    "id": "bsp-2025-10-21-gipfel",
    "url": "https://www.beispiel.de/politik/gipfel?utm_source=push",
    "source": "Beispiel Nachrichten",
    "text": "Washington (dpa) - Das Treffen von Trump und Putin in Budapest ist vorerst auf Eis gelegt.\n\nFoto: dpa\n\nArtikel anhören",
}


@asynccontextmanager
async def serving(app, timeout: float = 5, connections: int = 100) -> AsyncIterator[httpx.AsyncClient]:
    """uvicorn serving ``app`` on a free port of 127.0.0.1, and a client for it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", backlog=2048))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    async with asyncio.timeout(60):
        while not server.started:
            await asyncio.sleep(0.01)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=timeout, trust_env=False, limits=limits) as http:
        yield http
    server.should_exit = True
    await asyncio.wait_for(task, 10)
    sock.close()


@pytest_asyncio.fixture
async def client(redis) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(make_intake_app(lambda: redis, max_body_bytes=LIMIT)) as http:
        yield http


async def on_stream(redis) -> list[Article]:
    return [Article.model_validate(json.loads(f[DATA_FIELD.encode()])) for _, f in await redis.xrange(ARTICLES)]


async def test_one_article_is_accepted_normalised_and_published(client: httpx.AsyncClient, redis) -> None:
    response = await client.post("/articles", json=ARTICLE)
    assert response.status_code == 202
    assert response.json() == {"accepted": ["bsp-2025-10-21-gipfel"]}
    [article] = await on_stream(redis)
    assert article.id == ARTICLE["id"] and article.agency == "dpa" and article.language == "de"
    assert article.url == "https://www.beispiel.de/politik/gipfel"
    assert article.text == "Washington (dpa) - Das Treffen von Trump und Putin in Budapest ist vorerst auf Eis gelegt."
    assert article.received_at is not None and article.date_from_arrival


async def test_a_batch_is_accepted_with_its_ids(client: httpx.AsyncClient, redis) -> None:
    batch = [{"text": "The summit is on hold, officials said on Tuesday.", "published_at": "2025-10-21T17:30:00Z"},
             {"id": "b", "text": "Das Vortreffen der Außenminister wurde abgesagt."}]
    response = await client.post("/articles", json=batch, headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 202
    ids = response.json()["accepted"]
    assert len(ids) == 2 and ids[1] == "b"
    assert [a.id for a in await on_stream(redis)] == ids


async def test_bad_records_are_named_and_nothing_is_published(client: httpx.AsyncClient, redis) -> None:
    batch = [ARTICLE, {"id": "empty", "text": "   "}, {"id": "bad-date", "text": "x", "published_at": "gestern"},
             "not an object", {"id": "naive", "text": "y", "published_at": "2025-10-21T10:00:00"}]
    response = await client.post("/articles", json=batch)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["index"], e["id"]) for e in errors] == [(1, "empty"), (2, "bad-date"), (3, None), (4, "naive")]
    assert "empty" in errors[0]["error"] and "published_at" in errors[1]["error"]
    assert "expected a JSON object" in errors[2]["error"] and "timezone" in errors[3]["error"]
    assert await redis.xlen(ARTICLES) == 0


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "status", "says"),
    [
        ("POST", "/articles", {"content-type": "application/json"}, b"{not json", 400, "malformed JSON"),
        ("POST", "/articles", {"content-type": "application/json"}, b'{"text": "\xff\xfe"}', 400, "not UTF-8"),
        ("POST", "/articles", {"content-type": "application/json"}, b"[]", 422, "no records"),
        ("POST", "/articles", {"content-type": "text/plain"}, b"{}", 415, "application/json"),
        ("POST", "/articles", {"content-type": "application/json"}, b"[" + b'{"text": "a"},' * 8000 + b"{}]", 413, "limit"),
        ("GET", "/articles", {}, b"", 405, "POST"),
        ("POST", "/elsewhere", {"content-type": "application/json"}, b"{}", 404, "/articles"),
    ],
)
async def test_bad_requests(client: httpx.AsyncClient, redis, method: str, path: str, headers: dict, body: bytes, status: int, says: str) -> None:
    response = await client.request(method, path, headers=headers, content=body)
    assert response.status_code == status
    assert says in response.json()["error"] if status != 422 else says in response.json()["errors"][0]["error"]
    assert await redis.xlen(ARTICLES) == 0


async def test_chunked_body_over_the_limit_is_refused(client: httpx.AsyncClient, redis) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b" " * 8192

    response = await client.post("/articles", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert await redis.xlen(ARTICLES) == 0


# --- attacks (issue: hostile bodies, bursts) ------------------------------------------

async def test_five_mib_of_empty_objects_gets_a_small_413_and_health_stays_responsive(redis) -> None:
    """5 MiB of ``[{},{},...]`` once produced a 112 MB error body after 27 s with the loop stalled."""
    from storywatch.http_server import make_app

    body = b"[" + b"{}," * (5 * 1024 * 1024 // 3 - 1) + b"{}]"
    assert len(body) <= 5 * 1024 * 1024
    async with serving(make_app(redis, lambda: True), timeout=60) as http:
        response = await http.post("/articles", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 413 and len(response.content) < 1024
        assert "limit of 1000 per request" in response.json()["error"]
    assert await redis.xlen(ARTICLES) == 0


async def test_health_answers_while_a_batch_is_validated(redis, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation runs off the event loop: /health answers while a (made slow) validation runs."""
    import threading

    import ingest.http_intake as intake
    from storywatch.http_server import make_app

    started, answered, finished = threading.Event(), threading.Event(), threading.Event()
    real = intake.parse_body

    def slow_parse(body: bytes, limits: intake.IntakeLimits):  # noqa: ANN202
        started.set()
        answered.wait(60)  # a CPU-heavy batch, as the event loop would feel it if it ran there: busy until /health answered
        try:
            return real(body, limits)
        finally:
            finished.set()

    monkeypatch.setattr(intake, "parse_body", slow_parse)
    async with serving(make_app(redis, lambda: True), timeout=30) as http:
        post = asyncio.create_task(http.post("/articles", json=[ARTICLE]))
        async with asyncio.timeout(60):
            while not started.is_set():
                await asyncio.sleep(0.01)
        try:
            health = await http.get("/health")  # on the loop, validation would block this until the client's timeout
        finally:
            answered.set()
        assert health.status_code == 200 and not finished.is_set()
        response = await post
    assert response.status_code == 202 and await redis.xlen(ARTICLES) == 1


async def test_error_answers_are_capped(client: httpx.AsyncClient, redis) -> None:
    batch = [{"id": f"bad-{i}", "text": ""} for i in range(300)]
    response = await client.post("/articles", json=batch)
    assert response.status_code == 422
    body = response.json()
    assert len(body["errors"]) == 50 and body["errors_total"] == 300
    assert await redis.xlen(ARTICLES) == 0


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b'{"id": "x", "text": ' + b"[" * 1000 + b"]" * 1000 + b"}", 400, "nested too deeply"),
        (b"[" * 30_000 + b"]" * 30_000, 400, "nested too deeply"),
        (b'{"id": "x", "text": ' + b"[" * 900 + b"]" * 900 + b"}", 422, "text"),
        (b'{"id": "\\udb48", "text": 5}', 422, "id"),
        (b'{"id": "ok-id", "text": "Gipfel \\udb48 abgesagt."}', 422, "text"),
    ],
)
async def test_deep_nesting_and_lone_surrogates_get_a_4xx(client: httpx.AsyncClient, redis, body: bytes, status: int, says: str) -> None:
    response = await client.post("/articles", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    payload = response.json()
    assert says in (payload["error"] if status == 400 else payload["errors"][0]["error"])
    assert await redis.xlen(ARTICLES) == 0


async def test_surrogate_id_is_echoed_escaped(client: httpx.AsyncClient) -> None:
    response = await client.post("/articles", content=b'{"id": "\\udb48", "text": 5}', headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["id"] == "\\udb48"


async def test_300_concurrent_posts_queue_instead_of_failing(redis) -> None:
    """300 at once used to get about 100 answers of 503 "Too many connections".

    They queue for the in-flight slots; how long the last one waits depends on the
    machine's load, so the wait allowed here is far above the default 10 s."""
    from ingest.http_intake import IntakeLimits

    limits = IntakeLimits(max_wait_seconds=120)
    async with serving(make_intake_app(lambda: redis, limits=limits), timeout=180, connections=300) as http:
        posts = [http.post("/articles", json={"id": f"burst-{i}", "text": f"Meldung {i}: das Treffen ist abgesagt."}) for i in range(300)]
        answers = await asyncio.gather(*posts)
    statuses = sorted({r.status_code for r in answers})
    assert statuses == [202], [r.text for r in answers if r.status_code != 202][:3]
    assert await redis.xlen(ARTICLES) == 300


async def test_a_full_intake_answers_429_with_retry_after(redis) -> None:
    from ingest.http_intake import IntakeLimits

    limits = IntakeLimits(max_in_flight=1, max_waiting=2, max_wait_seconds=60, retry_after_seconds=3)
    slow = asyncio.Event()

    class SlowRedis:
        """The real client, whose XADD pipeline waits until released: the intake is busy."""

        def __init__(self, inner) -> None:
            self._inner = inner

        def pipeline(self, *args, **kwargs):  # noqa: ANN002, ANN003
            return _Held(self._inner.pipeline(*args, **kwargs))

    class _Held:
        def __init__(self, pipe) -> None:
            self._pipe = pipe

        async def __aenter__(self):
            await self._pipe.__aenter__()
            return self

        async def __aexit__(self, *exc):
            return await self._pipe.__aexit__(*exc)

        def xadd(self, *args, **kwargs):  # noqa: ANN002, ANN003
            return self._pipe.xadd(*args, **kwargs)

        async def execute(self, *args, **kwargs):  # noqa: ANN002, ANN003
            await slow.wait()
            return await self._pipe.execute(*args, **kwargs)

    async with serving(make_intake_app(lambda: SlowRedis(redis), limits=limits), timeout=30, connections=10) as http:
        posts = [asyncio.create_task(http.post("/articles", json={"id": f"q-{i}", "text": "Das Treffen ist abgesagt."})) for i in range(6)]
        async with asyncio.timeout(60):  # one in flight and two waiting hold the rest off: three answered
            while sum(p.done() for p in posts) < 3:
                await asyncio.sleep(0.01)
        slow.set()
        answers = await asyncio.gather(*posts)
    codes = [r.status_code for r in answers]
    assert codes.count(202) == 3 and codes.count(429) == 3, codes
    refused = [r for r in answers if r.status_code == 429]
    assert all(r.headers["retry-after"] == "3" and "full" in r.json()["error"] for r in refused)
    assert await redis.xlen(ARTICLES) == 3


# --- bearer token ---------------------------------------------------------------------

async def test_the_intake_needs_the_bearer_token_and_metrics_and_health_do_not(redis) -> None:
    from storywatch.http_server import make_app

    async with serving(make_app(redis, lambda: True, api_token="t0ken-s3cret")) as http:
        missing = await http.post("/articles", json=ARTICLE)
        wrong = await http.post("/articles", json=ARTICLE, headers={"authorization": "Bearer guess"})
        right = await http.post("/articles", json=ARTICLE, headers={"authorization": "Bearer t0ken-s3cret"})
        health, metrics = await http.get("/health"), await http.get("/metrics")
    assert missing.status_code == wrong.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer") and "t0ken" not in missing.text + wrong.text
    assert right.status_code == 202 and await redis.xlen(ARTICLES) == 1
    assert health.status_code == 200 and metrics.status_code == 200


def test_a_worker_refuses_an_open_intake_off_loopback(redis_url: str, tmp_path) -> None:
    """Bound to 0.0.0.0 without STORYWATCH_API_TOKEN anyone on the network could publish."""
    import time

    from tests.integration.fault_harness import free_port, start_worker

    port = str(free_port())
    refused = start_worker(redis_url, tmp_path, "--metrics-host", "0.0.0.0", "--metrics-port", port)
    assert refused.proc.wait(30) != 0 and "STORYWATCH_API_TOKEN" in refused.output()
    for env, intake_status in (({"STORYWATCH_INTAKE_ENABLED": "false"}, 404), ({"STORYWATCH_API_TOKEN": "t0ken-s3cret"}, 401)):
        worker = start_worker(redis_url, tmp_path, "--metrics-host", "0.0.0.0", "--metrics-port", port, env=env)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2, trust_env=False)
                    break
                except httpx.TransportError:
                    assert worker.proc.poll() is None and time.monotonic() < deadline, worker.output()
                    time.sleep(0.1)
            posted = httpx.post(f"http://127.0.0.1:{port}/articles", json=ARTICLE, timeout=5, trust_env=False)
            assert health.status_code == 200 and posted.status_code == intake_status, (env, posted.text)
        finally:
            assert worker.stop() == 0, worker.output()
        assert "t0ken-s3cret" not in worker.output()
