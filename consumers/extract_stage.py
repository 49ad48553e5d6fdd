"""The extract stage: a unique article in, its event mentions out (possibly none).

Every unique article goes on to tracking, with or without events, so that each one
ends with a ``processed`` outcome. Extraction has a time budget per article: an article
that runs past it goes on with the events found by then (often none), is counted in
``storywatch_extract_over_budget_total`` and logged, and never holds up the others.
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis

from consumers.extraction import article_result, extract
from consumers.stage_runtime import BatchOutput, Entry, Rejection, Stage, decode
from schemas import UniqueArticle
from schemas.streams import EVENTS
from consumers import metrics

log = logging.getLogger(__name__)

DEFAULT_BUDGET_SECONDS = 0.5


class ExtractStage(Stage):
    name = "extract"

    def __init__(self, redis: Redis, consumer: str = "storywatch", budget_seconds: float | None = DEFAULT_BUDGET_SECONDS) -> None:
        super().__init__(redis, consumer)
        self.budget_seconds = budget_seconds

    async def process(self, entries: list[Entry]) -> BatchOutput:
        out = BatchOutput()
        for entry in entries:
            item = decode(entry, UniqueArticle)
            if isinstance(item, Rejection):
                out.reject(self.name, item)
                continue
            if item.article.event_time is None:
                out.reject(self.name, Rejection(entry, item.article.id or "", f"entry {entry.id}: article has neither published_at nor received_at"))
                continue
            try:
                extraction = extract(item.article, self.budget_seconds)
                result = article_result(item.article, extraction.events)
            except Exception as exc:  # a bug on one input must not stop the others
                log.error("extraction failed", extra={"stage": self.name, "entry": entry.id}, exc_info=True)
                out.failed[entry.id] = f"{type(exc).__name__}: {exc}"
                continue
            if extraction.over_budget:
                metrics.EXTRACT_OVER_BUDGET.inc()
                log.warning("extraction over budget", extra={"article_id": item.article.id, "events_kept": len(extraction.events), "budget_s": self.budget_seconds})
            for event in result.events:
                metrics.EVENTS.labels(event.type, event.status.value).inc()
            out.publish.append((EVENTS, result))
            out.done.append(entry.id)
        return out
