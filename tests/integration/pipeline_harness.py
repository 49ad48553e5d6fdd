"""Run the real pipeline (FastStream workers on a real server) inside a test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from redis.asyncio import Redis

from ingest.publisher import publish_articles
from ingest.seed_files import RecordError
from ingest.sources import by_publication, read_inputs
from schemas import Alert, Article, Outcome, Story
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import OUTCOMES
from storywatch.service import article_outcomes, load_stories, read_alerts, read_streams, wait_until_idle
from storywatch.settings import Settings
from storywatch.workers import Workers

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_articles() -> list[Article]:
    records = list(read_inputs([SEEDS]))
    assert not [r for r in records if isinstance(r, RecordError)]
    return by_publication(records)  # type: ignore[arg-type]


@dataclass
class Result:
    outcomes: list[Outcome]
    stories: list[Story]
    alerts: list[Alert]

    def story(self, *actors: str, location: str | None = None, types: Sequence[str] = ()) -> Story:
        found = [
            s for s in self.stories
            if set(actors) <= set(s.actors) and (location is None or s.location == location) and (not types or s.type in types)
        ]
        assert len(found) == 1, f"expected one story with {actors} {location} {types}, got {[s.title for s in found]}"
        return found[0]

    def transitions(self, story: Story) -> list[tuple[str | None, str]]:
        return [(a.from_status, a.to_status) for a in self.alerts if a.story_id == story.story_id and a.kind == "status_changed"]


async def run_pipeline(redis_url: str, redis: Redis, batches: Sequence[Sequence[Article]], settings: Settings | None = None) -> Result:
    """Publish each batch (waiting for the pipeline to go idle in between) and collect."""
    settings = settings or Settings(claim_idle_ms=10_000)
    layout = settings.partitioning
    async with Workers(redis_url, settings):
        for batch in batches:
            await publish_articles(redis, batch, partitioning=layout)
            assert await wait_until_idle(redis, timeout=60, partitioning=layout)
    return await collect(redis, layout)


async def collect(redis: Redis, partitioning: Partitioning = SINGLE) -> Result:
    return Result(
        outcomes=article_outcomes([o for _, o in await read_streams(redis, OUTCOMES, Outcome, partitioning)]),
        stories=await load_stories(redis, partitioning),
        alerts=[a for _, a in await read_alerts(redis, partitioning=partitioning)],
    )


def summary(result: Result) -> dict[str, object]:
    """What a run decided, independent of entry ids and arrival order: to compare layouts
    and worker counts."""
    return {
        "outcomes": sorted((o.article_id, o.kind.value, o.duplicate_of or "", tuple(s or "" for s in o.stories)) for o in result.outcomes),
        "stories": sorted(
            (s.story_id, s.title, s.status.value, tuple(sorted(s.article_ids)), tuple(sorted((t.status.value, t.article_id) for t in s.timeline)),
             tuple(sorted(s.corroborated_by)))
            for s in result.stories
        ),
        "alerts": sorted((a.alert_id, a.story_id, a.kind.value, a.from_status or "", a.to_status, a.article_id) for a in result.alerts),
    }
