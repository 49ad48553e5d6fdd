"""The HTTP API on a real uvicorn server and a real Redis: subscriptions, the alert stream
(Server-Sent Events with resume), the stories, and who may call what."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
import pytest_asyncio
from redis.asyncio import Redis

from schemas import Alert
from schemas.streams import ALERTS, DATA_FIELD, delivery_group
from storywatch.api import Access, InsecureBind, check_bind
from storywatch.http_server import HttpServer, make_app
from tests.integration.fault_harness import ROOT, free_port

pytestmark = pytest.mark.integration

TOKEN = "t0ken-for-tests-only"


def alert(n: int, actor: str) -> Alert:
    return Alert(alert_id=f"al-{n}", kind="story_new", story_id=f"st-{n}", story_title=f"Summit {n}: {actor}", event_type="summit",
                 actors=[actor], to_status="planned", evidence=f"evidence {n}", article_id=f"a{n}", event_time=datetime(2025, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]


async def publish(redis: Redis, *alerts: Alert) -> list[str]:
    return [(await redis.xadd(ALERTS, {DATA_FIELD: a.model_dump_json()})).decode() for a in alerts]


@pytest_asyncio.fixture
async def serve(redis: Redis) -> AsyncIterator:  # type: ignore[type-arg]
    servers: list[HttpServer] = []

    async def start(token: str | None = None, board_public: bool = True) -> httpx.AsyncClient:
        closing = asyncio.Event()
        server = HttpServer(make_app(redis, lambda: True, access=Access(token, board_public), closing=closing), "127.0.0.1", free_port(), closing)
        await server.start()
        servers.append(server)
        return httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}", timeout=10, trust_env=False)

    yield start
    for server in servers:
        await server.stop()


async def read_events(response: httpx.Response, count: int) -> list[tuple[str, Alert]]:
    """The first ``count`` alert events of an open stream: (id, alert)."""
    events: list[tuple[str, Alert]] = []
    event_id, data = "", ""
    async for line in response.aiter_lines():
        if line.startswith("id: "):
            event_id = line[4:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and data:
            events.append((event_id, Alert.model_validate_json(data)))
            event_id, data = "", ""
            if len(events) == count:
                return events
    raise AssertionError(f"stream ended after {len(events)} events")


async def test_stream_resumes_after_a_disconnect_without_loss_or_repeat(serve, redis: Redis) -> None:  # type: ignore[no-untyped-def]
    client = await serve()
    ids = await publish(redis, alert(1, "Putin"), alert(2, "Xi"), alert(3, "Vladimir Putin"), alert(4, "Putin"))
    async with client, client.stream("GET", "/alerts/stream", params={"since": "0-0", "actor": "Putin"}) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        first = await asyncio.wait_for(read_events(response, 2), 10)
    # disconnected mid-stream; more alerts arrive meanwhile
    ids += await publish(redis, alert(5, "Putin"), alert(6, "Macron"), alert(7, "Putin"))
    last_seen = first[-1][0]
    client = await serve()
    async with client, client.stream("GET", "/alerts/stream", params={"actor": "Putin"}, headers={"Last-Event-ID": last_seen}) as response:
        later = await asyncio.wait_for(read_events(response, 3), 10)
    got = [a.alert_id for _, a in first + later]
    assert got == ["al-1", "al-3", "al-4", "al-5", "al-7"]
    assert [i for i, _ in first + later] == [ids[0], ids[2], ids[3], ids[4], ids[6]]


async def test_stream_without_an_id_sends_only_new_alerts(serve, redis: Redis) -> None:  # type: ignore[no-untyped-def]
    client = await serve()
    await publish(redis, alert(1, "Putin"))
    async with client, client.stream("GET", "/alerts/stream") as response:
        # the stream's start (the newest alert then) is fixed before its headers are sent
        await publish(redis, alert(2, "Xi"))
        [(_, got)] = await asyncio.wait_for(read_events(response, 1), 10)
    assert got.alert_id == "al-2"


async def test_stream_refuses_a_bad_filter_or_id(serve) -> None:  # type: ignore[no-untyped-def]
    client = await serve()
    async with client:
        bad = await client.get("/alerts/stream", params={"colour": "red"})
        assert bad.status_code == 400 and "colour" in bad.json()["error"]
        bad = await client.get("/alerts/stream", headers={"Last-Event-ID": "yesterday"})
        assert bad.status_code == 400 and "stream id" in bad.json()["error"]


async def test_subscriptions_need_the_token_and_get_their_own_group(serve, redis: Redis) -> None:  # type: ignore[no-untyped-def]
    client = await serve(TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"url": "http://127.0.0.1:9/hook", "filter": {"actors": ["Putin"], "transitions": ["*->cancelled"]}, "format": "slack"}
    async with client:
        assert (await client.post("/subscriptions", json=body)).status_code == 401
        assert (await client.post("/subscriptions", json=body, headers={"Authorization": "Bearer wrong"})).status_code == 401
        assert (await client.post("/articles", json={"id": "x", "text": "y"})).status_code == 401
        created = await client.post("/subscriptions", json=body, headers=auth)
        assert created.status_code == 201, created.text
        sub = created.json()
        assert sub["secret"] and sub["filter"]["actors"] == ["Putin"] and sub["format"] == "slack"
        groups = [g["name"].decode() for g in await redis.xinfo_groups(ALERTS)]
        assert delivery_group(sub["id"]) in groups
        listed = (await client.get("/subscriptions", headers=auth)).json()["subscriptions"]
        assert [s["id"] for s in listed] == [sub["id"]] and "secret" not in listed[0]
        bad = await client.post("/subscriptions", json=body | {"filter": {"transitions": ["soon"]}}, headers=auth)
        assert bad.status_code == 422 and "transition" in bad.json()["error"]
        assert (await client.delete(f"/subscriptions/{sub['id']}", headers=auth)).status_code == 200
        assert (await client.get(f"/subscriptions/{sub['id']}", headers=auth)).status_code == 404
        assert delivery_group(sub["id"]) not in [g["name"].decode() for g in await redis.xinfo_groups(ALERTS)]
        # the board and the ops paths stay open
        assert (await client.get("/")).status_code == 200
        assert (await client.get("/health")).status_code == 200
        assert (await client.get("/metrics")).status_code == 200


async def test_a_private_board_takes_the_token_as_header_or_query(serve) -> None:  # type: ignore[no-untyped-def]
    client = await serve(TOKEN, board_public=False)
    async with client:
        assert (await client.get("/stories")).status_code == 401
        assert (await client.get("/stories", params={"token": TOKEN})).status_code == 200
        assert (await client.get("/", headers={"Authorization": f"Bearer {TOKEN}"})).status_code == 200
        # the token in the query opens the board only, never the management API
        assert (await client.get("/subscriptions", params={"token": TOKEN})).status_code == 401


def test_no_token_no_network_bind() -> None:
    check_bind("127.0.0.1", None)
    check_bind("::1", None)
    check_bind("0.0.0.0", "secret")
    with pytest.raises(InsecureBind, match="STORYWATCH_API_TOKEN"):
        check_bind("0.0.0.0", None)


def test_worker_refuses_to_serve_the_network_without_a_token(redis_url: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "storywatch.cli", "worker", "--redis-url", redis_url, "--metrics-host", "0.0.0.0", "--metrics-port", str(free_port())]
    out = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "STORYWATCH_API_TOKEN" in out.stderr


async def test_stories_for_the_board_come_from_the_pipeline(serve, redis: Redis, redis_url: str) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.pipeline_harness import run_pipeline, seed_articles

    from consumers.story_store import story_ids

    result = await run_pipeline(redis_url, redis, [seed_articles()])
    client = await serve()
    async with client:
        body = (await client.get("/stories")).json()
    hot = set(await story_ids(redis, archived=False))  # the board lists the stories still followed
    assert hot and hot <= {s.story_id for s in result.stories}
    assert {s["story_id"] for s in body["stories"]} == hot
    assert all(s["evidence"] and s["evidence"][0]["evidence"] for s in body["stories"])
    assert body["last_alert_id"] == (await redis.xrevrange(ALERTS, count=1))[0][0].decode()
