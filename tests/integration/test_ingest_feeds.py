"""RSS and Atom feeds and their article pages served on 127.0.0.1, ingested end to end into Redis."""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ingest.feed_poller import FeedSettings, poll_feed, state_key
from schemas import Article
from schemas.streams import ARTICLES, DATA_FIELD
from tests.integration.fault_harness import refused_port

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
SETTINGS = FeedSettings(timeout=30.0, page_timeout=2, max_page_bytes=200_000, public_pages_only=False, host_interval=0)
"""Generous timeouts: only ``/slow/`` may miss them, and it never answers before a test ends."""


class NewsSite(ThreadingHTTPServer):
    """Serves tests/data/ingest with ETag/Last-Modified; ``/slow/`` answers only once
    ``release`` is set (at the end of the test), so never in time."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.conditional = True
        self.release = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    server: NewsSite

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.requests.append((self.path, dict(self.headers)))
        path = self.path.split("?")[0]
        if path.startswith("/slow/"):
            self.server.release.wait(120)
            return self._send(200, b"<html><body><p>late</p></body></html>", "text/html")
        file = DATA / path.lstrip("/")
        if not file.is_file() or DATA not in file.resolve().parents:
            return self._send(404, b"not found", "text/plain")
        body = file.read_text(encoding="utf-8").replace("{BASE}", self.server.base).encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.server.conditional and self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", None, etag)
        ctype = "application/rss+xml" if path.endswith("rss.xml") else "application/atom+xml" if path.endswith("atom.xml") else "text/html; charset=utf-8"
        self._send(200, body, ctype, etag)

    def _send(self, status: int, body: bytes, ctype: str | None, etag: str | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Tue, 21 Oct 2025 18:00:00 GMT")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout under test)


@pytest.fixture
def site() -> Iterator[NewsSite]:
    server = NewsSite()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


async def stream_articles(redis) -> list[Article]:
    return [Article.model_validate(json.loads(fields[DATA_FIELD.encode()])) for _, fields in await redis.xrange(ARTICLES)]


async def test_rss_end_to_end_then_nothing_new(redis, site: NewsSite) -> None:
    url = f"{site.base}/rss.xml"
    first = await poll_feed(redis, url, settings=SETTINGS)

    assert first.status == "ok" and first.items == 4 and first.new == 4
    articles = {a.title: a for a in await stream_articles(redis)}
    assert len(articles) == 3 == len(first.published)

    fetched = articles["Lawrow und Rubio bereiten Präsidententreffen vor"]
    assert "Sergej Lawrow und Marco Rubio, haben zur Vorbereitung" in fetched.text  # from the page
    assert "Weitere Meldungen" not in fetched.text and "Abu Dhabi" not in fetched.text
    assert "Artikel anhören" not in fetched.text and "Abo?" not in fetched.text
    assert fetched.published_at == datetime(2025, 10, 20, 15, 28, 13, tzinfo=UTC)  # the feed's date
    assert fetched.url == f"{site.base}/pages/lawrow-rubio.html"  # tracking parameters gone
    assert (fetched.agency, fetched.language, fetched.source) == ("dpa", "de", "Beispiel Nachrichten")
    assert fetched.received_at is not None and not fetched.date_from_arrival

    full = articles["Gipfel in Budapest vorerst auf Eis"]  # content:encoded, no page needed
    assert full.agency == "dpa" and "Foto:" not in full.text and "Newsletter" not in full.text
    assert not any(path.startswith("/pages/gipfel") for path, _ in site.requests)

    late = articles["Seite antwortet nicht"]  # page timed out: the summary is published, the error reported
    assert late.text.startswith("Die Vorbereitungen für den Gipfel")
    problems = " | ".join(str(e) for e in first.errors)
    assert "item 2" in problems and "no complete response within 2 s" in problems
    assert "item 3" in problems and "HTTP 404" in problems and "item has no text" in problems

    second = await poll_feed(redis, url, settings=SETTINGS)
    assert second.status == "not_modified" and second.published == []
    assert site.requests[-1][0] == "/rss.xml" and site.requests[-1][1].get("If-None-Match")
    assert await redis.xlen(ARTICLES) == 3

    site.conditional = False  # the server ignores validators: the seen set still holds
    third = await poll_feed(redis, url, settings=SETTINGS)
    assert (third.status, third.items, third.new, third.published) == ("ok", 4, 0, [])
    assert await redis.xlen(ARTICLES) == 3
    assert int(await redis.hget(state_key(url), "errors")) == 3


async def test_atom_feed_with_pages(redis, site: NewsSite) -> None:
    url = f"{site.base}/atom.xml"
    result = await poll_feed(redis, url, settings=SETTINGS)
    assert (result.status, result.new, len(result.published), result.errors) == ("ok", 2, 2, [])
    articles = await stream_articles(redis)
    assert [a.title for a in articles] == ["Summit in Budapest on hold", "Ministers' meeting cancelled"]  # oldest first
    summit, cancelled = articles
    assert summit.agency == "Reuters" and summit.language == "en"
    assert "no plans for the meeting in the immediate future" in summit.text
    assert "newsletter" not in summit.text and "Markets wrap" not in summit.text
    assert "Photo:" not in cancelled.text and "called off at short notice" in cancelled.text
    assert cancelled.published_at == datetime(2025, 10, 22, 5, 45, tzinfo=UTC)
    keys = [k async for k in redis.scan_iter("sw:ingest:*")]
    ttls = [await redis.ttl(k) for k in keys]
    assert len(keys) == 2 and all(0 < t <= SETTINGS.seen_ttl_seconds for t in ttls)

    again = await poll_feed(redis, url, settings=FeedSettings(timeout=5.0, public_pages_only=False))  # a restart: new settings, new client
    assert again.published == [] and await redis.xlen(ARTICLES) == 2


async def test_feed_from_a_file_publishes_once(redis) -> None:
    path = str(DATA / "atom.xml")
    first = await poll_feed(redis, path, settings=SETTINGS)
    second = await poll_feed(redis, path, settings=SETTINGS)
    assert (len(first.published), second.new, second.published) == (2, 0, [])


async def test_bad_feeds_are_errors_not_crashes(redis, site: NewsSite) -> None:
    not_feed = await poll_feed(redis, f"{site.base}/not-a-feed.xml", settings=SETTINGS)
    missing = await poll_feed(redis, f"{site.base}/gone.xml", settings=SETTINGS)
    slow = await poll_feed(redis, f"{site.base}/slow/feed.xml", settings=FeedSettings(timeout=2))
    too_big = await poll_feed(redis, f"{site.base}/rss.xml", settings=FeedSettings(max_feed_bytes=100))
    with refused_port() as port:
        refused = await poll_feed(redis, f"http://127.0.0.1:{port}/feed.xml", settings=SETTINGS)
    for result, problem in [(not_feed, "not an RSS or Atom feed"), (missing, "HTTP 404"), (slow, "no complete response"),
                            (too_big, "exceeds the limit of 100"), (refused, "ConnectError")]:
        assert result.status == "error" and problem in str(result.errors[0]), result.errors
        assert str(result.errors[0]).startswith(result.source)
    assert await redis.xlen(ARTICLES) == 0


async def test_follow_feeds_polls_until_stopped(redis, site: NewsSite) -> None:
    from ingest.feed_poller import PollResult, follow_feeds

    stop = asyncio.Event()
    seen: list[PollResult] = []

    def on_result(result: PollResult) -> None:
        seen.append(result)
        if len(seen) == 4:
            stop.set()

    urls = [f"{site.base}/atom.xml", str(DATA / "rss.xml")]
    async with asyncio.timeout(60):
        await follow_feeds(redis, urls, 0.05, stop, settings=SETTINGS, on_result=on_result)
    assert [r.status for r in seen] == ["ok", "ok", "not_modified", "ok"]
    assert [len(r.published) for r in seen[2:]] == [0, 0]
    assert await redis.xlen(ARTICLES) == sum(len(r.published) for r in seen[:2]) > 2
