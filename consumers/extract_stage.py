"""The extract stage: a unique article in, its event mentions out (possibly none).

Every unique article goes on to tracking, with or without events, so that each one
ends with a ``processed`` outcome.
"""

from __future__ import annotations

import logging

from consumers.extraction import article_events
from consumers.stage_runtime import BatchOutput, Entry, Rejection, Stage, decode
from schemas import UniqueArticle
from schemas.streams import EVENTS
from consumers import metrics

log = logging.getLogger(__name__)

class ExtractStage(Stage):
    name = "extract"

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
                result = article_events(item.article)
            except Exception as exc:  # a bug on one input must not stop the others
                log.error("extraction failed", extra={"stage": self.name, "entry": entry.id}, exc_info=True)
                out.failed[entry.id] = f"{type(exc).__name__}: {exc}"
                continue
            for event in result.events:
                metrics.EVENTS.labels(event.type, event.status.value).inc()
            out.publish.append((EVENTS, result))
            out.done.append(entry.id)
        return out
