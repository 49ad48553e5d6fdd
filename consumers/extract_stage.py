"""The extract stage: a unique article in, its event mentions out (possibly none).

Every unique article goes on to tracking, with or without events, so that each one
ends with a ``processed`` outcome. Extraction has a time budget per article: an article
that runs past it goes on with the events found by then (often none), is counted in
``storywatch_extract_over_budget_total`` and logged, and never holds up the others.
"""

from __future__ import annotations

import logging

from consumers import metrics
from consumers.extraction import article_result, extract
from consumers.extraction import warm_up as warm_up_extraction
from consumers.stage_runtime import Decision, Item, StageLogic, View
from schemas import UniqueArticle
from schemas.streams import EVENTS

log = logging.getLogger(__name__)

DEFAULT_BUDGET_SECONDS = 0.5


class ExtractStage(StageLogic[UniqueArticle]):
    def __init__(self, budget_seconds: float | None = DEFAULT_BUDGET_SECONDS) -> None:
        self.budget_seconds = budget_seconds

    def warm_up(self) -> None:
        """Extract the shipped warm-up articles (``consumers/extraction/warmup.yaml``)."""
        warm_up_extraction()

    def owes_outcome(self, message: UniqueArticle) -> bool:
        """A copy's article got its outcome (``duplicate``) at dedup already."""
        return message.duplicate_of is None

    async def decide(self, items: list[Item[UniqueArticle]], view: View) -> Decision:
        out = Decision()
        for item in items:
            article = item.message.article
            try:
                extraction = extract(article, self.budget_seconds)
                result = article_result(article, extraction.events)
            except Exception as exc:  # a bug on one input must not stop the others
                log.error("extraction failed", extra={"stage": "extract", "entry": item.entry.id}, exc_info=True)
                out.failed[item.entry.id] = f"{type(exc).__name__}: {exc}"
                continue
            if extraction.over_budget:
                out.observe.append(metrics.EXTRACT_OVER_BUDGET.inc)
                log.warning("extraction over budget", extra={"stage": "extract", "article_id": article.id, "events_kept": len(extraction.events), "budget_s": self.budget_seconds})
            if item.message.duplicate_of is not None:  # a copy: its events only route it
                result = result.model_copy(update={"duplicate_of": item.message.duplicate_of})
            else:
                out.observe += [metrics.EVENTS.labels(e.type, e.status.value).inc for e in result.events]
            out.publish.append((EVENTS, result))
            out.done.append(item.entry.id)
        return out
