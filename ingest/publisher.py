"""Publish articles onto the ``articles`` stream: pipelined XADD, one round trip per chunk."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from redis.asyncio import Redis

from schemas import Article
from schemas.streams import ARTICLES, DATA_FIELD


def stamp_arrival(article: Article, now: datetime | None = None) -> Article:
    """Set received_at unless the record already carries it (a backfill replays history);
    an undated article is ordered by its arrival, and flagged so."""
    received = article.received_at or now or datetime.now(UTC)
    return article.model_copy(update={"received_at": received, "date_from_arrival": article.published_at is None})


async def publish_articles(redis: Redis, articles: Iterable[Article], chunk: int = 500) -> list[str]:
    """XADD every article (stamped with its arrival time); returns the entry ids."""
    ids: list[str] = []
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= chunk:
            ids += await _xadd_all(redis, batch)
            batch = []
    if batch:
        ids += await _xadd_all(redis, batch)
    return ids


async def _xadd_all(redis: Redis, batch: list[Article]) -> list[str]:
    async with redis.pipeline(transaction=False) as pipe:
        for article in batch:
            pipe.xadd(ARTICLES, {DATA_FIELD: stamp_arrival(article).model_dump_json(exclude_none=True)})
        return [i.decode() if isinstance(i, bytes) else i for i in await pipe.execute()]
