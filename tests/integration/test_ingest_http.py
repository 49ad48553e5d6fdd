"""POST /articles against the intake app served by uvicorn on 127.0.0.1, publishing into Redis."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

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


@pytest_asyncio.fixture
async def client(redis) -> AsyncIterator[httpx.AsyncClient]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(make_intake_app(lambda: redis, max_body_bytes=LIMIT), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    async with asyncio.timeout(5):
        while not server.started:
            await asyncio.sleep(0.01)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5, trust_env=False) as http:
        yield http
    server.should_exit = True
    await asyncio.wait_for(task, 5)
    sock.close()


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
