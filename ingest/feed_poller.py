"""Feed polling (imperative shell): fetch, remember what was seen in Redis, publish the new.

Per feed two keys, both under ``sw:ingest:`` and both expiring when a feed is no longer
polled: ``sw:ingest:feed:<h>`` (a hash: ETag, Last-Modified, error count, last poll)
and ``sw:ingest:seen:<h>`` (a set of item keys already published), ``<h>`` being a
hash of the feed URL. Items are marked seen only after they were published, so a
crash in between republishes (deduplication catches that) rather than losing items.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError
from redis.asyncio import Redis

from ingest.feeds import FeedItem, NotAFeed, ParsedFeed, item_to_article, needs_page, parse_feed
from ingest.fetch import FetchError, conditional_headers, fetch
from ingest.metrics import FEED_POLLS, PAGE_FETCHES, SOURCE_ERRORS, count_record
from ingest.pages import PageContent, extract_page
from ingest.publisher import publish_articles
from ingest.seed_files import RecordError, read_file_bytes
from ingest.sources import by_publication
from schemas import Article
from schemas.errors import describe
from schemas.streams import feed_seen_key as seen_key
from schemas.streams import feed_state_key as state_key

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


@dataclass
class PollResult:
    """What one poll of one feed did."""

    source: str
    status: str = "ok"
    """ok, not_modified (HTTP 304) or error (the feed could not be read at all)."""
    items: int = 0
    new: int = 0
    published: list[str] = field(default_factory=list)
    """Ids of the articles published by this poll."""
    errors: list[RecordError] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"{self.source}: {self.status}, {self.items} items, {self.new} new, "
                f"{len(self.published)} published, {len(self.errors)} errors in {self.seconds:.2f} s")


def local_path(url_or_path: str) -> Path | None:
    """The file a feed source names, or None for an http(s) URL."""
    parts = urlsplit(url_or_path)
    if parts.scheme in ("http", "https"):
        return None
    return Path(parts.path) if parts.scheme == "file" else Path(url_or_path)


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


async def _page_for(client: httpx.AsyncClient, item: FeedItem, settings: FeedSettings) -> PageContent:
    """The fetched and extracted page of an item; FetchError or ValueError when there is none."""
    assert item.link is not None
    fetched = await fetch(client, item.link, timeout=settings.page_timeout, max_bytes=settings.max_page_bytes)
    ctype = (fetched.content_type or "text/html").split(";")[0].strip().lower()
    if ctype not in ("text/html", "application/xhtml+xml", "text/plain"):
        raise FetchError(item.link, "content_type", f"page is {ctype}, not HTML")
    html = fetched.content.decode("utf-8", errors="replace")
    page = extract_page(html, fetched.url) if ctype != "text/plain" else PageContent(text=html)
    if page is None:
        raise FetchError(item.link, "no_text", "no article text found in the page")
    return page


async def _build(client: httpx.AsyncClient | None, item: FeedItem, feed: ParsedFeed, source: str,
                 settings: FeedSettings, gate: asyncio.Semaphore) -> tuple[Article | None, list[RecordError]]:
    """An item's Article (its page fetched when it has only a summary) and what went wrong."""
    errors: list[RecordError] = []
    page = None
    if client is not None and settings.fetch_pages and needs_page(item) and urlsplit(item.link or "").scheme in ("http", "https"):
        try:
            async with gate:
                page = await _page_for(client, item, settings)
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


async def _load(redis: Redis, client: httpx.AsyncClient | None, source: str, settings: FeedSettings) -> tuple[bytes | None, str | None, dict[str, str]]:
    """(feed bytes or None when unchanged, content type, the validators to store)."""
    if (path := local_path(source)) is not None:
        return read_file_bytes(path, settings.max_feed_bytes), None, {}
    assert client is not None
    state = {k.decode(): v.decode() for k, v in (await redis.hgetall(state_key(source))).items()}
    headers = conditional_headers(state.get("etag"), state.get("last_modified"))
    fetched = await fetch(client, source, timeout=settings.timeout, max_bytes=settings.max_feed_bytes, headers=headers)
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
    async with redis.pipeline(transaction=True) as pipe:
        if keys:
            pipe.sadd(seen_key(source), *keys)
        pipe.expire(seen_key(source), ttl)
        pipe.hset(state_key(source), mapping={"source": source, "last_poll": str(time.time()), **validators})
        if errors:
            pipe.hincrby(state_key(source), "errors", errors)
        pipe.expire(state_key(source), ttl)
        await pipe.execute()


async def _publish_new(redis: Redis, client: httpx.AsyncClient | None, feed: ParsedFeed,
                       result: PollResult, settings: FeedSettings) -> list[str]:
    """Build and publish the feed's unseen items (oldest first); returns the keys handled.

    An item that could not become an Article is reported once and still marked seen:
    the same broken item is not re-reported on every poll.
    """
    result.items = len(feed.items) + len(feed.errors)
    result.errors += feed.errors
    new = await _new_items(redis, result.source, feed.items)
    result.new = len(new)
    gate = asyncio.Semaphore(settings.page_concurrency)
    built = await asyncio.gather(*(_build(client, item, feed, result.source, settings, gate) for item in new))
    articles = [article for article, _ in built if article is not None]
    result.errors += [error for _, errors in built for error in errors]
    for ok in [False] * len(feed.errors) + [article is not None for article, _ in built]:
        count_record("feed", ok)
    ordered = by_publication(articles)
    await publish_articles(redis, ordered)
    result.published = [a.id for a in ordered if a.id]
    if result.errors:
        SOURCE_ERRORS.labels(result.source).inc(len(result.errors))
    return [item.key for item in new]


def _fail(result: PollResult, problem: str, started: float) -> PollResult:
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
    client: httpx.AsyncClient | None = None,
) -> PollResult:
    """Poll one RSS/Atom feed (URL or file) once and publish its new items onto ``articles``.

    Conditional GET with the ETag/Last-Modified of the previous poll; items already
    published (by GUID or canonical link) are skipped, so polling again, or after a
    restart, publishes nothing twice. Never raises for a bad feed or item: they are
    reported in ``PollResult.errors`` and counted. Redis errors do propagate.
    """
    settings = settings or FeedSettings()
    started = time.perf_counter()
    result = PollResult(url_or_path)
    own_client = client is None and local_path(url_or_path) is None
    if own_client:
        client = httpx.AsyncClient(follow_redirects=True, timeout=settings.timeout)
    try:
        try:
            content, ctype, validators = await _load(redis, client, url_or_path, settings)
        except (FetchError, OSError, ValueError) as exc:
            return _fail(result, str(exc), started)
        if content is None:
            result.status = "not_modified"
            FEED_POLLS.labels("not_modified").inc()
            await _remember(redis, url_or_path, [], {}, 0, settings.seen_ttl_seconds)
            result.seconds = time.perf_counter() - started
            return result
        try:
            feed = parse_feed(content, url_or_path, ctype)
        except NotAFeed as exc:
            return _fail(result, str(exc), started)
        handled = await _publish_new(redis, client, feed, result, settings)
        await _remember(redis, url_or_path, handled, validators, len(result.errors), settings.seen_ttl_seconds)
    finally:
        if own_client and client is not None:
            await client.aclose()
    FEED_POLLS.labels("ok").inc()
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

    Feeds are polled concurrently with one shared HTTP client; one feed failing does not
    stop the others. Each result goes to ``on_result`` (default: a log line).
    """
    settings = settings or FeedSettings()
    urls = list(urls)
    report = on_result or (lambda r: log.log(logging.WARNING if r.errors else logging.INFO, r.summary()))
    async with httpx.AsyncClient(follow_redirects=True, timeout=settings.timeout) as client:
        while not stop_event.is_set():
            results = await asyncio.gather(*(poll_feed(redis, u, settings=settings, client=client) for u in urls), return_exceptions=True)
            for url, res in zip(urls, results, strict=True):
                if isinstance(res, BaseException):
                    log.error("polling %s failed: %s", url, res)
                    SOURCE_ERRORS.labels(url).inc()
                else:
                    report(res)
            try:
                await asyncio.wait_for(stop_event.wait(), timeout=interval)
            except TimeoutError:
                pass
