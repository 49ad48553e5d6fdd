"""Feeds written by an attacker: links to internal addresses (SSRF), credentials in the
feed URL, a feed so large that waiting for all its pages delays everything."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from redis import Redis

import ingest.fetch
from ingest.feed_poller import FeedSettings, poll_feed
from ingest.fetch import HostPace
from schemas import Article
from schemas.streams import ARTICLES, DATA_FIELD

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SECRET_TEXT = "internal-only: the database password is swordfish"
PAGE = "<html><head><title>{t}</title></head><body><article><h1>{t}</h1>" + "<p>{t}: Das Treffen von Merz und Macron in Paris wurde abgesagt, teilte das Präsidialamt mit.</p>" * 5 + "</article></body></html>"

Route = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.base = f"http://{host}:{self.server_address[1]}"
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []


class _Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.server.seen.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path.split("?")[0])
        status, headers, body = route(self) if route else (404, {}, b"not found")
        self.send_response(status)
        for k, v in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def sites() -> Iterator[Callable[[str], Site]]:
    started: list[Site] = []

    def start(host: str = "127.0.0.1") -> Site:
        site = Site(host)
        threading.Thread(target=site.serve_forever, daemon=True).start()
        started.append(site)
        return site

    yield start
    for site in started:
        site.shutdown()
        site.server_close()


def rss(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><guid>{t}</guid><description>{t}: kurz.</description></item>" for t, link in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>{entries}</channel></rss>'.encode()


def static(body: bytes, ctype: str = "text/html; charset=utf-8") -> Route:
    return lambda _h: (200, {"Content-Type": ctype}, body)


async def stream(redis) -> list[Article]:
    return [Article.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(ARTICLES)]


async def test_links_to_internal_addresses_are_refused(redis, sites, monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed item linking to http://127.0.0.1:.../secret.txt had the secret published as text."""
    internal = sites("127.0.0.1")
    internal.routes["/secret.txt"] = static(SECRET_TEXT.encode(), "text/plain")
    public = sites("127.0.0.2")  # stands in for a public news site: the one address let through below
    public.routes["/hop"] = lambda _h: (302, {"Location": f"{internal.base}/secret.txt"}, b"")
    public.routes["/story"] = static(PAGE.format(t="Echt").encode())
    public.routes["/feed.xml"] = static(rss([
        ("loopback", f"{internal.base}/secret.txt"),
        ("by-name", f"http://localhost:{internal.server_address[1]}/secret.txt"),
        ("redirect", f"{public.base}/hop"),
        ("metadata", "http://169.254.169.254/latest/meta-data/"),
        ("private", "http://10.11.12.13/admin"),
        ("mapped", f"http://[::ffff:127.0.0.1]:{internal.server_address[1]}/secret.txt"),
        ("fine", f"{public.base}/story"),
    ]), "application/rss+xml")
    real_is_public = ingest.fetch.is_public
    monkeypatch.setattr(ingest.fetch, "is_public", lambda a: a == "127.0.0.2" or real_is_public(a))

    result = await poll_feed(redis, f"{public.base}/feed.xml", settings=FeedSettings(page_timeout=3, host_interval=0))

    articles = {a.title: a for a in await stream(redis)}
    assert all(SECRET_TEXT not in a.text for a in articles.values())
    assert not [path for path, _ in internal.seen], "the internal server was reached"
    assert "Das Treffen von Merz und Macron" in articles["fine"].text
    refused = {e.where.rstrip(")").rsplit("/", 1)[1]: e.problem for e in result.errors}
    assert len(refused) == 6, result.errors
    for title in ("loopback", "by-name", "redirect", "metadata", "private", "mapped"):
        assert "not a public address" in refused.get(title, ""), (title, refused)
        assert articles[title].text == f"{title}: kurz."  # the summary stands in, the error is reported


async def test_a_setting_allows_internal_pages(redis, sites) -> None:
    internal = sites("127.0.0.1")
    internal.routes["/page"] = static(PAGE.format(t="Intranet").encode())
    internal.routes["/feed.xml"] = static(rss([("intranet", f"{internal.base}/page")]), "application/rss+xml")
    result = await poll_feed(redis, f"{internal.base}/feed.xml", settings=FeedSettings(public_pages_only=False, host_interval=0))
    assert result.errors == [] and "Das Treffen" in (await stream(redis))[0].text


def test_pages_of_one_host_are_paced() -> None:
    pace = HostPace(0.5)
    assert [pace.reserve("http://a.example/1", now=10.0), pace.reserve("http://a.example/2", now=10.0),
            pace.reserve("http://b.example/1", now=10.0), pace.reserve("http://a.example/3", now=12.0)] == [0.0, 0.5, 0.0, 0.0]


async def test_a_large_feed_publishes_as_it_goes(redis, redis_url: str, sites) -> None:
    """A feed of 40k items published nothing until every page was fetched."""
    site = sites()
    sync = Redis.from_url(redis_url)
    on_stream_when_asked: dict[str, int] = {}

    def page(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        on_stream_when_asked[handler.path] = sync.xlen(ARTICLES)
        return 200, {"Content-Type": "text/html"}, PAGE.format(t=handler.path.strip("/")).encode()

    n = 120
    for i in range(n):
        site.routes[f"/p{i}"] = page
    site.routes["/feed.xml"] = static(rss([(f"t{i}", f"{site.base}/p{i}") for i in range(n)]), "application/rss+xml")
    result = await poll_feed(redis, f"{site.base}/feed.xml",
                             settings=FeedSettings(public_pages_only=False, host_interval=0, publish_every=50))
    assert len(result.published) == n and await redis.xlen(ARTICLES) == n
    assert on_stream_when_asked[f"/p{n - 1}"] >= 100, "the last page was fetched before anything was published"


def test_feed_credentials_are_never_printed_nor_stored(redis_url: str, sites, tmp_path: Path) -> None:
    """publish --feed printed the feed's password and Redis kept it in plain text."""
    site = sites()
    site.routes["/feed.xml"] = lambda h: ((200, {"Content-Type": "application/rss+xml"}, rss([("gone", f"{site.base}/missing")]))
                                          if h.headers.get("Authorization") == "Basic " + base64.b64encode(b"reader:hunter2").decode()
                                          else (401, {}, b"who are you"))
    redis = Redis.from_url(redis_url)
    redis.flushdb()
    url = site.base.replace("http://", "http://reader:hunter2@") + "/feed.xml?token=abc123secret"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYWATCH_")} | {"PYTHONPATH": str(ROOT), "STORYWATCH_FETCH_PRIVATE_PAGES": "true"}
    proc = subprocess.run([sys.executable, "-m", "storywatch.cli", "publish", "--feed", url, "--redis-url", redis_url],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert "1 published" in proc.stdout, proc.stdout + proc.stderr
    output = proc.stdout + proc.stderr
    assert "hunter2" not in output and "abc123secret" not in output and "reader:***@" in output
    dump = b""
    for key in redis.scan_iter("*"):
        kind = redis.type(key)
        if kind == b"hash":
            dump += b" ".join(k + b"=" + v for k, v in redis.hgetall(key).items())
        elif kind == b"stream":
            dump += b" ".join(v for _, fields in redis.xrange(key) for v in fields.values())
        elif kind == b"set":
            dump += b" ".join(redis.smembers(key))
        dump += key
    assert dump and b"hunter2" not in dump and b"abc123secret" not in dump
