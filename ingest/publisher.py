"""Publish articles onto the ``articles`` stream: pipelined XADD, one round trip per chunk.

A producer may only tell its caller "stored" for an XADD the server acknowledged with an
entry id. Every command of a pipeline gets its own reply (``raise_on_error=False``), so
under OOM, a missing ACL permission or a ``MOVED`` the acknowledged records are known
one by one; a lost connection leaves its chunk unacknowledged (it may or may not have
been stored) and says so.

By default an acknowledged XADD is in the server's memory and, with ``appendfsync
everysec``, on disk within about a second: a power loss can lose that last second.
``durability.on_disk`` additionally waits (``WAITAOF``) until the server has written the
chunk to its append-only file (and, with ``replicas``, until that many replicas have),
and only then reports the chunk stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from ingest.metrics import DATES_REPLACED
from schemas import Article
from schemas.articles import FUTURE_SKEW, claim_reason, plausible_publication
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import ARTICLES, DATA_FIELD

DEFAULT_CHUNK = 500


@dataclass(frozen=True)
class Durability:
    """What "stored" means: acknowledged in memory (default) or also fsynced to the AOF."""

    on_disk: bool = False
    replicas: int = 0
    """Replicas that must have the chunk in their AOF too (``WAITAOF 1 replicas``)."""
    timeout_ms: int = 5_000


@dataclass
class PublishReport:
    """Which records the server acknowledged (with their entry ids) and which it did not, and why."""

    stored: list[tuple[Article, str]] = field(default_factory=list)
    failed: list[tuple[Article, str]] = field(default_factory=list)

    @property
    def entry_ids(self) -> list[str]:
        return [entry_id for _, entry_id in self.stored]

    def extend(self, other: PublishReport) -> None:
        self.stored += other.stored
        self.failed += other.failed


class PublishError(RedisError):
    """Some records were not acknowledged; ``report`` says which were and which were not."""

    def __init__(self, report: PublishReport) -> None:
        first = report.failed[0][1] if report.failed else "unknown"
        super().__init__(f"{len(report.failed)} of {len(report.stored) + len(report.failed)} records not stored ({first})")
        self.report = report


def stamp_arrival(article: Article, now: datetime | None = None) -> Article:
    """Set received_at unless the record already carries a plausible one (a backfill replays
    history; a received_at in the future is not plausible); an undated article is ordered
    by its arrival, and flagged so. A publication date the contract finds implausible
    (``schemas.articles.plausible_publication``) is replaced by the arrival, noted on the
    record (``published_at_claimed``) and counted."""
    now = now or datetime.now(UTC)
    received = article.received_at if article.received_at is not None and article.received_at <= now + FUTURE_SKEW else now
    update: dict[str, object] = {"received_at": received}
    published, problem = plausible_publication(article.published_at, received) if article.published_at else (None, None)
    if problem:
        update |= {"published_at": published, "published_at_claimed": article.published_at.isoformat()}  # type: ignore[union-attr]
    claimed = update.get("published_at_claimed") or article.published_at_claimed
    if claimed and published is None:  # replaced when the record was read, before it had an arrival
        update["published_at"] = published = received
    update["date_from_arrival"] = published is None or claimed is not None
    if claimed:
        DATES_REPLACED.labels(claim_reason(str(claimed), received)).inc()
    return article.model_copy(update=update)


async def publish_report(redis: Redis, articles: Iterable[Article], chunk: int = DEFAULT_CHUNK,
                         durability: Durability | None = None, partitioning: Partitioning = SINGLE) -> PublishReport:
    """XADD every article (stamped with its arrival time) onto the articles stream of its
    partition (by article id); never raises for a server error, it is reported per
    record instead."""
    report = PublishReport()
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= chunk:
            report.extend(await _xadd_chunk(redis, batch, durability, partitioning))
            batch = []
    if batch:
        report.extend(await _xadd_chunk(redis, batch, durability, partitioning))
    return report


async def publish_articles(redis: Redis, articles: Iterable[Article], chunk: int = DEFAULT_CHUNK,
                           durability: Durability | None = None, partitioning: Partitioning = SINGLE) -> list[str]:
    """XADD every article; the entry ids, or ``PublishError`` naming what was and was not stored."""
    report = await publish_report(redis, articles, chunk, durability, partitioning)
    if report.failed:
        raise PublishError(report)
    return report.entry_ids


def _text(reply: object) -> str:
    return reply.decode() if isinstance(reply, bytes) else str(reply)


def articles_stream(article: Article, partitioning: Partitioning = SINGLE) -> str:
    """The articles stream an article is published on: its partition's, chosen by its id."""
    return partitioning.key(ARTICLES, partitioning.of(article.id or ""))


async def _xadd_chunk(redis: Redis, batch: list[Article], durability: Durability | None, partitioning: Partitioning = SINGLE) -> PublishReport:
    """The report names the articles as the caller passed them (not their stamped copies)."""
    try:
        async with redis.pipeline(transaction=False) as pipe:
            for article in batch:
                pipe.xadd(articles_stream(article, partitioning), {DATA_FIELD: stamp_arrival(article).model_dump_json(exclude_none=True)})
            replies = await pipe.execute(raise_on_error=False)
    except (RedisError, OSError) as exc:
        reason = f"not acknowledged, may or may not be stored ({type(exc).__name__}: {exc})"
        return PublishReport(failed=[(a, reason) for a in batch])
    report = PublishReport()
    for article, reply in zip(batch, replies, strict=True):
        if isinstance(reply, BaseException):
            report.failed.append((article, f"refused by the server ({type(reply).__name__}: {reply})"))
        else:
            report.stored.append((article, _text(reply)))
    if durability is not None and durability.on_disk and report.stored:
        problem = await _wait_on_disk(redis, durability)
        if problem:
            report.failed += [(a, problem) for a, _ in report.stored]
            report.stored = []
    return report


async def _wait_on_disk(redis: Redis, durability: Durability) -> str | None:
    """None once the server (and ``replicas`` replicas) fsynced everything written so far, else why not."""
    try:
        local, replicas = await redis.execute_command("WAITAOF", 1, durability.replicas, durability.timeout_ms)
    except ResponseError as exc:
        return f"stored in memory but not confirmed on disk: {exc} (--durable needs appendonly yes)"
    except (RedisError, OSError) as exc:
        return f"stored in memory but not confirmed on disk ({type(exc).__name__}: {exc})"
    if int(local) < 1 or int(replicas) < durability.replicas:
        return (f"stored in memory but not confirmed on disk within {durability.timeout_ms} ms "
                f"(fsynced locally: {int(local)}, replicas: {int(replicas)} of {durability.replicas})")
    return None
