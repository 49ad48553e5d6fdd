"""The pipeline's stages, each declared once.

``worker --stage``, ``replay``, ``stats``, ``dlq`` and the metrics all iterate this
table; a new stage is one more row (and its ``StageLogic``), not a change to them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from redis.asyncio import Redis

from consumers.routing import route_output
from consumers.stage_runtime import CommitStrategy, StageLogic, StageOptions, StageSpec
from schemas import Alert, ArticleEvents, StreamArticle, UniqueArticle
from schemas.streams import ALERTS, ARTICLES, EVENTS, OUTCOMES, UNIQUE


# The stages' modules load their rules and lexicons at import: imported when a stage is
# built, so that listing the stages (``--help``, ``stats``, ``dlq``) stays quick.

def _dedup(redis: Redis, options: StageOptions) -> StageLogic[Any]:
    from consumers.dedup_stage import DedupStage

    return DedupStage(redis, window_seconds=int(options.dedup_window_days * 86400))


def _extract(_redis: Redis, options: StageOptions) -> StageLogic[Any]:
    from consumers.extract_stage import ExtractStage

    return ExtractStage(budget_seconds=options.extract_budget_ms / 1000)


def _track(redis: Redis, options: StageOptions) -> StageLogic[Any]:
    from consumers.alert_policy import POLICY_FILE, alert_policy
    from consumers.track_stage import FILED_TTL_MARGIN, TrackStage

    return TrackStage(redis, archive_after=timedelta(days=options.story_archive_after_days), candidates_per_term=options.story_candidates_per_term,
                      filed_ttl=int(options.dedup_window_days * 86400) + FILED_TTL_MARGIN, await_max=timedelta(days=options.story_await_max_days),
                      policy=alert_policy(options.alert_policy or POLICY_FILE))


def _deliver(_redis: Redis, _options: StageOptions) -> StageLogic[Any]:
    raise TypeError("deliver runs one runtime per subscription: consumers.delivery.deliver.subscription_spec")


STAGES: tuple[StageSpec, ...] = (
    StageSpec("dedup", ARTICLES, StreamArticle, (UNIQUE, EVENTS, OUTCOMES), CommitStrategy.FENCED, accounts_articles=True, replay_waits=True, build=_dedup, route=route_output),
    StageSpec("extract", UNIQUE, UniqueArticle, (EVENTS,), CommitStrategy.FENCED, accounts_articles=True, replay_waits=True, build=_extract, route=route_output),
    StageSpec("track", EVENTS, ArticleEvents, (ALERTS, OUTCOMES), CommitStrategy.WATCHED, accounts_articles=True, replay_waits=True, build=_track),
    # webhooks: decide which alerts a subscription wants (pure), commit the acks with the
    # deliveries as after-commit effects; the effect schedules the signed POST
    StageSpec("deliver", ALERTS, Alert, (), CommitStrategy.FENCED, accounts_articles=False, replay_waits=False, build=_deliver, per_subscription=True),
)

BY_NAME: dict[str, StageSpec] = {s.name: s for s in STAGES}
STAGE_NAMES: tuple[str, ...] = tuple(BY_NAME)
GROUP_STAGES: tuple[StageSpec, ...] = tuple(s for s in STAGES if not s.per_subscription)
"""The stages with one consumer group each, created at start and always there."""
PIPELINE_NAMES: tuple[str, ...] = tuple(s.name for s in GROUP_STAGES)
"""What batch ``replay`` runs."""


def stage(name: str) -> StageSpec:
    """The stage called ``name``; a ValueError naming the stages when there is none."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown stage {name!r}; stages are {', '.join(STAGE_NAMES)}") from None


def all_streams() -> tuple[str, ...]:
    """Every stream the stages read or write, dead-letter streams included, in pipeline order."""
    names = [n for s in STAGES for n in (s.input, *s.outputs)] + [s.dlq for s in STAGES]
    return tuple(dict.fromkeys(names))
