"""Stories in Redis through the real track stage: small heads over append-only
timelines, archiving after a silence, revival, and reading them back."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from consumers.stage_runtime import Entry, ensure_group
from consumers.story_store import ARCHIVED, HOT, index_keys, load_full, story_key, timeline_key
from consumers.stage_runtime import StageRuntime
from consumers.stages import stage as stage_spec
from storywatch.settings import Settings
from schemas import ArticleEvents, EventMention, Status
from schemas.streams import DATA_FIELD, EVENTS

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _article(ident: str, at: datetime, actors: tuple[str, ...], status: Status = Status.PLANNED, place: str = "Budapest") -> ArticleEvents:
    m = EventMention(type="summit", actors=list(actors), location=place, event_date=date(2026, 3, 20), status=status, cue="x", evidence=f"{ident} says {status.value}")
    return ArticleEvents(article_id=ident, source=f"src-{ident}", event_time=at, published_at=at, events=[m])


def TrackStage(redis, consumer: str, archive_after: timedelta = timedelta(days=30)) -> StageRuntime:
    """The track stage as a worker runs it."""
    settings = Settings(metrics_port=0, story_archive_after_days=archive_after.total_seconds() / 86400)
    return StageRuntime(stage_spec("track"), redis, settings, consumer)


async def _track(redis, stage: StageRuntime, *articles: ArticleEvents) -> None:
    stream, group = stage.stream, stage.group
    await ensure_group(redis, stream, group)
    for a in articles:
        await redis.xadd(EVENTS, {DATA_FIELD: a.model_dump_json(exclude_none=True)})
    reply = await redis.xreadgroup(group, stage.consumer, {stream: ">"}, count=1000)
    for _, raw in reply:
        await stage.handle([Entry(i.decode(), f) for i, f in raw])


async def _story_of(redis, article_id: str) -> str:
    (sid,) = [s.decode() for s in await redis.zrange(HOT, 0, -1) + await redis.zrange(ARCHIVED, 0, -1)
              if article_id in [e.article_id for e in (await load_full(redis, [s.decode()]))[0].timeline]]
    return sid


async def test_a_long_story_keeps_a_small_head_and_its_whole_timeline(redis):
    stage = TrackStage(redis, consumer="t")
    articles = [_article(f"a{i}", T0 + timedelta(hours=i), ("Putin", "Trump")) for i in range(300)]
    for start in range(0, 300, 50):
        await _track(redis, stage, *articles[start:start + 50])
    sid = await _story_of(redis, "a0")
    head = json.loads(await redis.get(story_key(sid)))
    assert len(head["timeline"]) == 49 and head["reports"] == 300
    assert await redis.llen(timeline_key(sid)) == 300
    (full,) = await load_full(redis, [sid])
    assert [e.article_id for e in full.timeline] == [f"a{i}" for i in range(300)] == full.article_ids


async def test_a_silent_story_is_archived_still_shown_and_revived(redis, redis_url):
    stage = TrackStage(redis, consumer="t", archive_after=timedelta(days=30))
    await _track(redis, stage, _article("first", T0, ("Putin", "Trump")))
    sid = await _story_of(redis, "first")
    keys = index_keys((await load_full(redis, [sid]))[0])
    await _track(redis, stage, _article("other", T0 + timedelta(days=31), ("Macron", "Merz"), place="Paris"))
    assert await redis.zscore(ARCHIVED, sid) is not None and await redis.zscore(HOT, sid) is None
    assert [await redis.zscore(k, sid) for k in sorted(keys)] == [None] * len(keys)

    shown = subprocess.run([sys.executable, "-m", "storywatch.cli", "stories", "show", sid, "--json", "--redis-url", redis_url],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    (record,) = json.loads(shown.stdout)
    assert record["archived"] and [t["article_id"] for t in record["timeline"]] == ["first"]

    await _track(redis, TrackStage(redis, consumer="u"), _article("again", T0 + timedelta(days=32), ("Putin", "Trump"), Status.POSTPONED))
    assert await _story_of(redis, "again") == sid
    assert await redis.zscore(HOT, sid) is not None and await redis.zscore(ARCHIVED, sid) is None
    assert None not in [await redis.zscore(k, sid) for k in sorted(keys)]
    (story,) = await load_full(redis, [sid])
    assert [e.article_id for e in story.timeline] == ["first", "again"] and story.status == Status.POSTPONED
