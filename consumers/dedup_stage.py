"""The dedup stage: copies stop here, everything else goes on to extraction.

The index remembers which *stream entry* first carried a text, so the same entry
delivered again (after a crash or a reclaim) is a re-delivery and passes again, while
the same article published a second time is a duplicate of the first. A dead letter
replayed onto the stream keeps the id of its original entry (``replay_of``), so it is
a re-delivery too, not a copy of itself.
"""

from __future__ import annotations

from pydantic import BaseModel
from redis.asyncio import Redis

from consumers.dedup_index import DedupIndex, Verdict
from consumers.fingerprint import Fingerprint, fingerprints
from consumers.stage_runtime import Decision, Entry, Item, StageLogic, View
from schemas import ArticleEvents, Outcome, OutcomeKind, StreamArticle, UniqueArticle
from schemas.partitions import Partitioning
from schemas.streams import EVENTS, OUTCOMES, UNIQUE
from consumers import metrics

_OWNER_SEP = "@"


def owner_token(article_id: str, entry_id: str) -> str:
    """What the index stores as a text's owner: the article and the entry that carried it."""
    return f"{article_id}{_OWNER_SEP}{entry_id}"


def owner_article(token: str) -> str:
    return token.rsplit(_OWNER_SEP, 1)[0]


class DedupStage(StageLogic[StreamArticle]):
    def __init__(self, redis: Redis, window_seconds: int = 7 * 86400) -> None:
        self.index = DedupIndex(redis, window_seconds=window_seconds)
        self.partitioned = False

    def bind(self, partitioning: Partitioning, partition: int) -> None:
        """With several partitions a copy's story partition is known only from its events,
        so copies go through extraction (see ``consumers.routing``)."""
        self.partitioned = not partitioning.single

    async def decide(self, items: list[Item[StreamArticle]], view: View) -> Decision:
        """Verdicts for the batch. The index records each unique text under its entry
        (idempotently: the same entry decided again gets the same verdict)."""
        out = Decision()
        prints = [
            fp.model_copy(update={"article_id": owner_token(fp.article_id, item.entry.origin_id)})
            for item, fp in zip(items, fingerprints([i.message for i in items]), strict=True)
        ]
        verdicts = await self.index.decide(prints)
        for item, fp, verdict in zip(items, prints, verdicts, strict=True):
            out.publish += _route(item.entry, item.message, fp, verdict, self.partitioned)
            out.observe.append(lambda v=verdict: _observe(v))
            out.done.append(item.entry.id)
        return out


def _observe(verdict: Verdict) -> None:
    metrics.DEDUP_DECISIONS.labels(verdict.kind).inc()
    if verdict.is_duplicate:
        metrics.DUPLICATES.labels(verdict.kind).inc()
    if verdict.kind == "near":
        metrics.SIMILARITY.observe(verdict.similarity)


def _route(entry: Entry, article: StreamArticle, fp: Fingerprint, verdict: Verdict, partitioned: bool = False) -> list[tuple[str, BaseModel]]:
    """Unique articles go on to extraction. A copy's outcome names its original, and the
    copy goes straight to tracking, which records its outlet as corroboration (through
    extraction, to find its story's partition, when there are several)."""
    if not verdict.is_duplicate:
        return [(UNIQUE, UniqueArticle(article=article, text_hash=fp.text_hash))]
    outcome = Outcome(
        article_id=article.id,  # type: ignore[arg-type]
        kind=OutcomeKind.DUPLICATE,
        stage="dedup",
        duplicate_of=owner_article(verdict.duplicate_of or ""),
        duplicate_kind=verdict.kind,
        similarity=verdict.similarity,
        entry_id=entry.id,
    )
    if partitioned:
        return [(OUTCOMES, outcome), (UNIQUE, UniqueArticle(article=article, text_hash=fp.text_hash, duplicate_of=outcome.duplicate_of))]
    copy = ArticleEvents(
        article_id=article.id,  # type: ignore[arg-type]
        source=article.source,
        agency=article.agency,
        url=article.url,
        title=article.title,
        published_at=article.published_at,
        received_at=article.received_at,
        event_time=article.event_time,  # type: ignore[arg-type]  # StreamArticle has one
        duplicate_of=outcome.duplicate_of,
    )
    return [(OUTCOMES, outcome), (EVENTS, copy)]
