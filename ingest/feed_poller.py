"""Feed polling (imperative shell): fetch, remember what was seen in Redis, publish the new.

Per feed two keys, both under ``sw:ingest:`` and both expiring when a feed is no longer
polled: ``sw:ingest:feed:<h>`` (a hash: ETag, Last-Modified, error count, last poll)
and ``sw:ingest:seen:<h>`` (a set of item keys already published), ``<h>`` being a
hash of the feed URL (credentials removed: the URL stored and shown is
``ingest.fetch.redact_url`` of it). Items are marked seen only after the server
acknowledged them, chunk by chunk as they are published, so a crash in between
republishes (deduplication catches that) rather than losing items, and a feed of
40,000 items is on the stream as its pages come in, not after the last one. The
feed's validators (ETag, Last-Modified) are stored only when every new item was
handled, so items the server refused are tried again on the next poll.

Pages that feed items link to are fetched through ``ingest.fetch.page_client``:
public addresses only (unless ``FeedSettings.public_pages_only`` is off), at most one
request start per ``host_interval`` seconds per host. The feed URL itself is the
operator's choice and may be internal.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster

from ingest.feeds import FeedItem, NotAFeed, ParsedFeed, item_to_article, needs_page, parse_feed
from ingest.fetch import FetchError, HostPace, conditional_headers, fetch, page_client, redact_url
from ingest.metrics import FEED_POLLS, PAGE_FETCHES, SOURCE_ERRORS, count_record
from ingest.pages import PageContent, extract_page
from ingest.publisher import publish_report
from schemas.partitions import SINGLE, Partitioning
from ingest.seed_files import RecordError, read_file_bytes
from ingest.sources import by_publication
from schemas import Article
from schemas.errors import describe
from schemas.streams import feed_seen_key, feed_state_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedSettings:
    """Limits of one poll; the defaults suit news feeds polled every few minutes."""

    timeout: float = 15.0
    page_timeout: float = 10.0
    max_feed_bytes: int = 10 * 1024 * 1024
    max_page_bytes: int = 5 * 1024 * 1024
    page_concurrency: int = 4
    fetch_pages: bool = True
    seen_ttl_seconds: int = 90 * 24 * 3600
    public_pages_only: bool = True
    """Refuse pages on loopback, private, link-local, metadata ... addresses (SSRF)."""
    host_interval: float = 0.25
    partitioning: Partitioning = SINGLE
    """The partitioned layout the articles are published in (by id)."""
    """Seconds between two page requests to one host."""
    publish_every: int = 50
    """Items built (pages fetched) and published per step."""


@dataclass
class Clients:
    """The HTTP clients of polling: feeds (any address), pages (guarded), the per-host pace."""

    feeds: httpx.AsyncClient
    pages: httpx.AsyncClient
    pace: HostPace


@asynccontextmanager
async def open_clients(settings: FeedSettings) -> AsyncIterator[Clients]:
    async with httpx.AsyncClient(follow_redirects=True, timeout=settings.timeout) as feeds, \
            page_client(settings.page_timeout, settings.public_pages_only) as pages:
        yield Clients(feeds, pages, HostPace(settings.host_interval))


@dataclass
class PollResult:
    """What one poll of one feed did."""

    source: str
    status: str = "ok"
    """ok, not_modified (HTTP 304) or error (the feed could not be read at all)."""
    items: int = 0
    new: int = 0
    published: list[str] = field(default_factory=list)
    """Ids of the articles the server acknowledged in this poll."""
    not_stored: int = 0
    """Articles the server did not acknowledge (tried again on the next poll)."""
    errors: list[RecordError] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        unstored = f", {self.not_stored} not stored" if self.not_stored else ""
        return (f"{self.source}: {self.status}, {self.items} items, {self.new} new, "
                f"{len(self.published)} published{unstored}, {len(self.errors)} errors in {self.seconds:.2f} s")


def state_key(source: str) -> str:
    """The feed's state key: from the URL without its credentials, so a new password keeps it."""
    return feed_state_key(redact_url(source))


def seen_key(source: str) -> str:
    return feed_seen_key(redact_url(source))


def local_path(url_or_path: str) -> Path | None:
    """The file a feed source names, or None for an http(s) URL."""
    parts = urlsplit(url_or_path)
    if parts.scheme in ("http", "https"):
        return None
    return Path(parts.path) if parts.scheme == "file" else Path(url_or_path)


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


async def _page_for(clients: Clients, item: FeedItem, settings: FeedSettings) -> PageContent:
    """The fetched and extracted page of an item; FetchError or ValueError when there is none."""
    assert item.link is not None
    await clients.pace.wait(item.link)
    fetched = await fetch(clients.pages, item.link, timeout=settings.page_timeout, max_bytes=settings.max_page_bytes)
    ctype = (fetched.content_type or "text/html").split(";")[0].strip().lower()
    if ctype not in ("text/html", "application/xhtml+xml", "text/plain"):
        raise FetchError(item.link, "content_type", f"page is {ctype}, not HTML")
    html = fetched.content.decode("utf-8", errors="replace")
    page = extract_page(html, fetched.url) if ctype != "text/plain" else PageContent(text=html)
    if page is None:
        raise FetchError(item.link, "no_text", "no article text found in the page")
    return page


async def _build(clients: Clients | None, item: FeedItem, feed: ParsedFeed, source: str,
                 settings: FeedSettings, gate: asyncio.Semaphore) -> tuple[Article | None, list[RecordError]]:
    """An item's Article (its page fetched when it has only a summary) and what went wrong."""
    errors: list[RecordError] = []
    page = None
    if clients is not None and settings.fetch_pages and needs_page(item) and urlsplit(item.link or "").scheme in ("http", "https"):
        try:
            async with gate:
                page = await _page_for(clients, item, settings)
            PAGE_FETCHES.labels("ok").inc()
        except FetchError as exc:
            PAGE_FETCHES.labels(exc.kind).inc()
            errors.append(RecordError(item.where, f"page fetch failed, using the feed's summary ({exc})"))
    try:
        return item_to_article(item, feed.title or _host(source), page), errors
    except ValidationError as exc:
        return None, [*errors, RecordError(item.where, describe(exc))]
    except ValueError as exc:
        return None, [*errors, RecordError(item.where, str(exc))]


async def _load(redis: Redis, clients: Clients | None, source: str, settings: FeedSettings) -> tuple[bytes | None, str | None, dict[str, str]]:
    """(feed bytes or None when unchanged, content type, the validators to store)."""
    if (path := local_path(source)) is not None:
        return read_file_bytes(path, settings.max_feed_bytes), None, {}
    assert clients is not None
    state = {k.decode(): v.decode() for k, v in (await redis.hgetall(state_key(source))).items()}
    headers = conditional_headers(state.get("etag"), state.get("last_modified"))
    fetched = await fetch(clients.feeds, source, timeout=settings.timeout, max_bytes=settings.max_feed_bytes, headers=headers)
    if fetched.not_modified:
        return None, None, {}
    validators = {k: v for k, v in (("etag", fetched.etag), ("last_modified", fetched.last_modified)) if v}
    return fetched.content, fetched.content_type, validators


async def _new_items(redis: Redis, source: str, items: list[FeedItem]) -> list[FeedItem]:
    """Items whose key is not yet in the feed's seen set (and first of each key only)."""
    unique = list({item.key: item for item in reversed(items)}.values())[::-1]
    if not unique:
        return []
    flags = await redis.smismember(seen_key(source), [i.key for i in unique])
    return [item for item, seen in zip(unique, flags, strict=True) if not seen]


async def _remember(redis: Redis, source: str, keys: list[str], validators: dict[str, str], errors: int, ttl: int) -> None:
    """Record the items published and the feed's validators, in one transaction on one
    server. On a Redis Cluster the two keys are in two slots: the seen set is written
    first, so a crash in between costs only a full fetch next time (its items are then
    known), never a validator that hides items nobody recorded."""
    clustered = isinstance(redis, RedisCluster)
    async with redis.pipeline(transaction=True) as pipe:
        if keys:
            pipe.sadd(seen_key(source), *keys)
        pipe.expire(seen_key(source), ttl)
        if clustered:
            await pipe.execute()
        pipe.hset(state_key(source), mapping={"source": redact_url(source), "last_poll": str(time.time()), **validators})
        if errors:
            pipe.hincrby(state_key(source), "errors", errors)
        pipe.expire(state_key(source), ttl)
        await pipe.execute()


_NO_DATE = datetime.max.replace(tzinfo=UTC)


async def _publish_step(redis: Redis, clients: Clients | None, feed: ParsedFeed, items: list[FeedItem],
                        result: PollResult, settings: FeedSettings, url: str) -> bool:
    """Build and publish some items, then mark the handled ones seen; False when the
    server stored none of them (the rest of the poll waits for the next one)."""
    gate = asyncio.Semaphore(settings.page_concurrency)
    built = await asyncio.gather(*(_build(clients, item, feed, result.source, settings, gate) for item in items))
    result.errors += [error for _, errors in built for error in errors]
    for article, _ in built:
        count_record("feed", article is not None)
    keys = {id(article): item.key for (article, _), item in zip(built, items, strict=True) if article is not None}
    handled = [item.key for (article, _), item in zip(built, items, strict=True) if article is None]
    report = await publish_report(redis, by_publication([a for a, _ in built if a is not None]), partitioning=settings.partitioning)
    result.published += [article.id for article, _ in report.stored if article.id]
    handled += [keys[id(article)] for article, _ in report.stored if id(article) in keys]
    result.not_stored += len(report.failed)
    result.errors += [RecordError(f"{result.source} ({article.id})", f"not stored: {reason}") for article, reason in report.failed]
    await _remember(redis, url, handled, {}, 0, settings.seen_ttl_seconds)
    return bool(report.stored) or not report.failed


async def _publish_new(redis: Redis, clients: Clients | None, feed: ParsedFeed,
                       result: PollResult, settings: FeedSettings, url: str) -> bool:
    """Build and publish the feed's unseen items, oldest first, step by step; True when
    every one was handled (published, or reported as bad: a broken item is reported
    once and marked seen, not re-reported on every poll)."""
    result.items = len(feed.items) + len(feed.errors)
    result.errors += feed.errors
    for _ in feed.errors:
        count_record("feed", False)
    new = await _new_items(redis, url, feed.items)
    result.new = len(new)
    new.sort(key=lambda item: item.published_at or _NO_DATE)
    for start in range(0, len(new), settings.publish_every):
        if not await _publish_step(redis, clients, feed, new[start:start + settings.publish_every], result, settings, url):
            return False
    return result.not_stored == 0


def _fail(result: PollResult, problem: str, started: float) -> PollResult:
    """A poll that could not read the feed at all: one error, counted."""
    result.status = "error"
    result.errors.append(RecordError(result.source, problem))
    result.seconds = time.perf_counter() - started
    FEED_POLLS.labels("error").inc()
    SOURCE_ERRORS.labels(result.source).inc()
    count_record("feed", False)
    return result


async def poll_feed(
    redis: Redis,
    url_or_path: str,
    *,
    settings: FeedSettings | None = None,
    clients: Clients | None = None,
) -> PollResult:
    """Poll one RSS/Atom feed (URL or file) once and publish its new items onto ``articles``.

    Conditional GET with the ETag/Last-Modified of the previous poll; items already
    published (by GUID or canonical link) are skipped, so polling again, or after a
    restart, publishes nothing twice. Never raises for a bad feed or item: they are
    reported in ``PollResult.errors`` and counted. Redis errors do propagate.
    """
    settings = settings or FeedSettings()
    if clients is None and local_path(url_or_path) is None:
        async with open_clients(settings) as own:
            return await poll_feed(redis, url_or_path, settings=settings, clients=own)
    started = time.perf_counter()
    result = PollResult(redact_url(url_or_path))
    try:
        content, ctype, validators = await _load(redis, clients, url_or_path, settings)
    except (FetchError, OSError, ValueError) as exc:
        return _fail(result, str(exc), started)
    if content is None:
        result.status = "not_modified"
        FEED_POLLS.labels("not_modified").inc()
        await _remember(redis, url_or_path, [], {}, 0, settings.seen_ttl_seconds)
        result.seconds = time.perf_counter() - started
        return result
    try:
        feed = parse_feed(content, result.source, ctype)
    except NotAFeed as exc:
        return _fail(result, str(exc), started)
    complete = await _publish_new(redis, clients, feed, result, settings, url_or_path)
    if result.errors:
        SOURCE_ERRORS.labels(result.source).inc(len(result.errors))
    await _remember(redis, url_or_path, [], validators if complete else {}, len(result.errors), settings.seen_ttl_seconds)
    FEED_POLLS.labels("ok" if complete else "error").inc()
    result.status = "ok" if complete else "error"
    result.seconds = time.perf_counter() - started
    return result


async def follow_feeds(
    redis: Redis,
    urls: Iterable[str],
    interval: float,
    stop_event: asyncio.Event,
    *,
    settings: FeedSettings | None = None,
    on_result: Callable[[PollResult], None] | None = None,
) -> None:
    """Poll every feed, then wait ``interval`` seconds (or until ``stop_event``), until stopped.

    Feeds are polled concurrently with shared HTTP clients; one feed failing does not
    stop the others. Each result goes to ``on_result`` (default: a log line).
    """
    settings = settings or FeedSettings()
    urls = list(urls)
    report = on_result or (lambda r: log.log(logging.WARNING if r.errors else logging.INFO, r.summary()))
    async with open_clients(settings) as clients:
        while not stop_event.is_set():
            results = await asyncio.gather(*(poll_feed(redis, u, settings=settings, clients=clients) for u in urls), return_exceptions=True)
            for url, res in zip(urls, results, strict=True):
                if isinstance(res, BaseException):
                    log.error("polling %s failed: %s", redact_url(url), res)
                    SOURCE_ERRORS.labels(redact_url(url)).inc()
                else:
                    report(res)
            try:
                await asyncio.wait_for(stop_event.wait(), timeout=interval)
            except TimeoutError:
                pass
