"""The extract stage: a unique article in, its event mentions out (possibly none).

Every unique article goes on to tracking, with or without events, so that each one
ends with a ``processed`` outcome.
"""

from __future__ import annotations

import logging

from consumers import metrics
from consumers.extraction import article_events
from consumers.stage_runtime import Decision, Item, StageLogic, View
from schemas import UniqueArticle
from schemas.streams import EVENTS

log = logging.getLogger(__name__)


class ExtractStage(StageLogic[UniqueArticle]):
    async def decide(self, items: list[Item[UniqueArticle]], view: View) -> Decision:
        out = Decision()
        for item in items:
            try:
                result = article_events(item.message.article)
            except Exception as exc:  # a bug on one input must not stop the others
                log.error("extraction failed", extra={"stage": "extract", "entry": item.entry.id}, exc_info=True)
                out.failed[item.entry.id] = f"{type(exc).__name__}: {exc}"
                continue
            out.observe += [metrics.EVENTS.labels(e.type, e.status.value).inc for e in result.events]
            out.publish.append((EVENTS, result))
            out.done.append(item.entry.id)
        return out
