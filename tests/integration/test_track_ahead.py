"""A small track batch reads its state and the stories it could start with its candidate
lookup (``TrackStage._ahead``): the same stories, alerts and outcomes as reading them
after deciding, and the same guard against another worker's writes in between."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from consumers import track_stage
from consumers.stage_runtime import Entry, StageRuntime, ensure_group
from consumers.stages import stage as stage_spec
from consumers.story_store import HOT, index_keys, index_member, load_all, load_full
from schemas import ArticleEvents, EventMention, Status
from schemas.streams import ALERTS, DATA_FIELD, EVENTS, OUTCOMES, copies_key
from storywatch.settings import Settings

pytestmark = pytest.mark.integration
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _article(ident: str, at: datetime, actors: tuple[str, ...], status: Status = Status.PLANNED) -> ArticleEvents:
    m = EventMention(type="summit", actors=list(actors), location="Budapest", event_date=date(2026, 3, 20), status=status, cue="x", evidence=f"{ident} says {status.value}")
    return ArticleEvents(article_id=ident, source=f"src-{ident}", event_time=at, published_at=at, events=[m])


def _copy(ident: str, of: ArticleEvents, outlet: str) -> ArticleEvents:
    return ArticleEvents(article_id=ident, source=outlet, event_time=of.event_time, published_at=of.event_time, duplicate_of=of.article_id)


def _stage(redis, consumer: str) -> StageRuntime:
    return StageRuntime(stage_spec("track"), redis, Settings(metrics_port=0), consumer)


async def _one_by_one(redis, stage: StageRuntime, *articles: ArticleEvents) -> None:
    """Each article published and handled as a batch of one, as a live feed's are."""
    await ensure_group(redis, stage.stream, stage.group)
    for a in articles:
        await redis.xadd(EVENTS, {DATA_FIELD: a.model_dump_json(exclude_none=True)})
        for _, raw in await redis.xreadgroup(stage.group, stage.consumer, {stage.stream: ">"}, count=1):
            await stage.handle([Entry(i.decode(), f) for i, f in raw])


async def _outputs(redis) -> tuple[list, list, list]:
    stories = sorted((s.model_dump(mode="json") for s in await load_all(redis)), key=lambda s: s["story_id"])
    alerts = [(a["story_id"], a["article_id"], a.get("from_status"), a["to_status"]) for a in await _bodies(redis, ALERTS)]
    outcomes = [(o["article_id"], o["kind"], o.get("stories")) for o in await _bodies(redis, OUTCOMES)]
    return stories, alerts, outcomes


async def _bodies(redis, stream: str) -> list[dict]:
    return [json.loads(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(stream)]


async def _scenario(redis) -> None:
    """Copies before and after their originals, two stories, status changes, and a story
    the lookup no longer finds (its index entries gone) that a report would start again."""
    stage = _stage(redis, "t")
    o1 = _article("o1", T0, ("Putin", "Trump"))
    o2 = _article("o2", T0 + timedelta(hours=1), ("Putin", "Trump"), Status.CANCELLED)
    o3 = _article("o3", T0 + timedelta(hours=2), ("Macron", "Merz"))
    await _one_by_one(redis, stage, o1, _copy("c2", o2, "early.example"), o2, _copy("c1", o1, "late.example"), o3)
    (story,) = [s for s in await load_all(redis) if "o3" in s.article_ids]
    member = index_member(story.story_id)
    for key in index_keys(story):
        await redis.zrem(key, member)
    await _one_by_one(redis, stage, _article("o4", T0 + timedelta(hours=3), ("Macron", "Merz"), Status.CANCELLED), _copy("c3", o3, "third.example"))


async def test_batches_of_one_decide_as_when_their_state_is_read_after_deciding(redis, monkeypatch):
    asked = []
    state_reads = track_stage.TrackStage._state_reads

    def counted(self, *args):
        asked.append(1)
        return state_reads(self, *args)

    monkeypatch.setattr(track_stage.TrackStage, "_state_reads", counted)
    await _scenario(redis)
    ahead = await _outputs(redis)
    assert not asked  # every batch's state and new stories were read with its lookup
    await redis.flushdb()
    monkeypatch.setattr(track_stage, "AHEAD_MAX", 0)
    await _scenario(redis)
    assert asked  # read after deciding, as a large batch does
    after = await _outputs(redis)
    assert ahead == after
    stories, _, _ = ahead
    assert sorted(s["corroborated_by"] for s in stories) == [["early.example", "late.example"], ["third.example"]]
    assert sorted(len(s["timeline"]) for s in stories) == [2, 2]  # o4 found o3's story by its id


@pytest.mark.parametrize("events", [True, False])
async def test_a_copy_whose_original_is_filed_by_another_worker_meanwhile_is_decided_again(redis, events):
    """The copy's batch reads the original's filing record with its lookup (none yet: it
    would park its outlet); the other worker files the original before the commit. The
    record is WATCHed, so the commit is refused and the copy decided again: its outlet
    lands on the original's story instead of being parked where nobody reads it. An
    original without events changes no story (nothing else the batch WATCHed): only the
    record's WATCH stops the outlet from being parked for good."""
    first, other = _stage(redis, "first"), _stage(redis, "other")
    original = _article("o1", T0, ("Putin", "Trump"))
    if not events:
        original = original.model_copy(update={"events": []})
    read, calls = first.logic.store.candidates_along, 0

    async def candidates_then_the_other_worker(view, articles, *along):
        nonlocal calls
        found = await read(view, articles, *along)
        calls += 1
        if calls == 1:
            await _one_by_one(redis, other, original)
        return found

    first.logic.store.candidates_along = candidates_then_the_other_worker
    await _one_by_one(redis, first, _copy("c1", original, "copy.example"))
    assert calls == 2
    assert not await redis.exists(copies_key("o1"))
    if events:
        (sid,) = [s.decode() for s in await redis.zrange(HOT, 0, -1)]
        (story,) = await load_full(redis, [sid])
        assert story.corroborated_by == ["copy.example"] and story.article_ids == ["o1"]
