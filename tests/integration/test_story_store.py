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
from consumers.story_store import ARCHIVED, COMPACTED, HOT, PACKED, decode_head, encode_claim, index_keys, index_member, load_full, story_key, timeline_key
from consumers.stage_runtime import StageRuntime
from consumers.stages import stage as stage_spec
from storywatch.settings import Settings
from schemas import ArticleEvents, EventMention, Status
from schemas.alerts import Alert, AlertKind
from schemas.streams import ALERTS, DATA_FIELD, EVENTS

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _article(ident: str, at: datetime, actors: tuple[str, ...], status: Status = Status.PLANNED, place: str = "Budapest") -> ArticleEvents:
    m = EventMention(type="summit", actors=list(actors), location=place, event_date=date(2026, 3, 20), status=status, cue="x", evidence=f"{ident} says {status.value}")
    return ArticleEvents(article_id=ident, source=f"src-{ident}", event_time=at, published_at=at, events=[m])


def TrackStage(redis, consumer: str, archive_after: timedelta = timedelta(days=30), await_max_days: float = 400.0) -> StageRuntime:
    """The track stage as a worker runs it."""
    settings = Settings(metrics_port=0, story_archive_after_days=archive_after.total_seconds() / 86400, story_await_max_days=await_max_days)
    return StageRuntime(stage_spec("track"), redis, settings, consumer)


def Undated(redis, consumer: str) -> StageRuntime:
    """The track stage with scheduled dates holding no story hot (``story_await_max_days``
    0): the tests of archiving mechanics date their story 19 days after its first report,
    and archive it after 31 days of other traffic."""
    return TrackStage(redis, consumer, await_max_days=0)


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
    head = decode_head(await redis.get(story_key(sid)), sid)
    assert len(head.timeline) == 49 and head.reports == 300
    assert await redis.llen(timeline_key(sid)) == 251  # each claim stored once: in the head or in the list
    (full,) = await load_full(redis, [sid])
    assert [e.article_id for e in full.timeline] == [f"a{i}" for i in range(300)] == full.article_ids


async def test_claims_are_stored_as_short_arrays_and_older_object_claims_still_read(redis):
    stage = TrackStage(redis, consumer="t")
    await _track(redis, stage, _article("a1", T0, ("Putin", "Trump")), _article("a2", T0 + timedelta(hours=1), ("Putin", "Trump"), Status.CANCELLED))
    sid = await _story_of(redis, "a1")
    assert not await redis.exists(timeline_key(sid))  # both in the head, which the next decision reads
    claims = json.loads(await redis.get(story_key(sid)))[7]
    assert [c[:3] for c in claims] == [["p", int(T0.timestamp()), "a1"], ["c", int(T0.timestamp()) + 3600, "a2"]]
    older = {"status": "postponed", "at": "2026-02-28T12:00:00+01:00", "article_id": "a0", "source": "src-a0", "evidence": "put off"}
    await redis.lpush(timeline_key(sid), json.dumps(older))  # a claim written before the short form
    (full,) = await load_full(redis, [sid])
    assert [(e.article_id, e.status, e.source, e.evidence) for e in full.timeline] == [
        ("a0", Status.POSTPONED, "src-a0", "put off"), ("a1", Status.PLANNED, "src-a1", "a1 says planned"), ("a2", Status.CANCELLED, "src-a2", "a2 says cancelled")]
    assert full.timeline[0].at == datetime(2026, 2, 28, 11, tzinfo=UTC) and full.timeline[1].at == T0


async def test_a_silent_story_is_archived_still_shown_and_revived(redis, redis_url):
    stage = Undated(redis, consumer="t")
    await _track(redis, stage, _article("first", T0, ("Putin", "Trump")))
    sid = await _story_of(redis, "first")
    keys = index_keys((await load_full(redis, [sid]))[0])
    plain = await redis.get(story_key(sid))
    await _track(redis, stage, _article("other", T0 + timedelta(days=31), ("Macron", "Merz"), place="Paris"))
    assert await redis.zscore(ARCHIVED, sid) is not None and await redis.zscore(HOT, sid) is None
    packed = await redis.get(story_key(sid))
    assert packed[:1] == PACKED and plain[:1] == b"[", "an archived story's head is stored packed"
    assert decode_head(packed, sid) == decode_head(plain, sid)
    assert None not in [await redis.zscore(k, index_member(sid)) for k in sorted(keys)], "still found by a later report"

    shown = subprocess.run([sys.executable, "-m", "storywatch.cli", "stories", "show", sid, "--json", "--redis-url", redis_url],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    (record,) = json.loads(shown.stdout)
    assert record["archived"] and [t["article_id"] for t in record["timeline"]] == ["first"]

    await _track(redis, Undated(redis, consumer="u"), _article("again", T0 + timedelta(days=32), ("Putin", "Trump"), Status.POSTPONED))
    assert await _story_of(redis, "again") == sid
    assert await redis.zscore(HOT, sid) is not None and await redis.zscore(ARCHIVED, sid) is None
    assert None not in [await redis.zscore(k, index_member(sid)) for k in sorted(keys)]
    (story,) = await load_full(redis, [sid])
    assert [e.article_id for e in story.timeline] == ["first", "again"] and story.status == Status.POSTPONED
    assert (await redis.get(story_key(sid)))[:1] == b"[", "revived: written plain again"


async def test_an_archived_story_is_found_by_a_report_that_names_it_otherwise_whenever_it_was_archived(redis):
    """Archiving happens per batch; what a report is filed under must not depend on it.
    A report naming only some of the participants joins the story whether its batch
    came before or after the one that archived the story."""
    first = _article("first", T0, ("Putin", "Trump"))
    unrelated = _article("other", T0 + timedelta(days=31), ("Macron", "Merz"), place="Paris")
    later = _article("later", T0 + timedelta(days=32), ("Putin",), Status.POSTPONED)
    stage = Undated(redis, consumer="t")
    await _track(redis, stage, first, unrelated, later)  # one batch: archived after it
    together = await _story_of(redis, "first")
    assert await _story_of(redis, "later") == together
    await redis.flushdb()

    stage = Undated(redis, consumer="t")
    await _track(redis, stage, first)
    await _track(redis, stage, unrelated)
    sid = await _story_of(redis, "first")
    assert await redis.zscore(ARCHIVED, sid) is not None
    await _track(redis, stage, later)  # a batch of its own: the story was archived before
    assert await _story_of(redis, "later") == sid
    (story,) = await load_full(redis, [sid])
    assert story.status == Status.POSTPONED and await redis.zscore(HOT, sid) is not None


def _show(redis_url: str, sid: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storywatch.cli", "stories", "show", sid, *flags, "--redis-url", redis_url],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def _retire(redis_url: str, *flags: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "storywatch.cli", "trim", "--json", "--redis-url", redis_url, *flags],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    (report,) = json.loads(done.stdout)["stories"]
    return report


async def _archived_story(redis, stage: StageRuntime) -> str:
    """A story of three reports from two sources, archived: the clock moved on 31 days."""
    await _track(redis, stage, _article("first", T0, ("Putin", "Trump")), _article("second", T0 + timedelta(hours=2), ("Putin", "Trump"), Status.POSTPONED),
                 _article("third", T0 + timedelta(hours=3), ("Putin", "Trump"), Status.POSTPONED))
    sid = await _story_of(redis, "first")
    await _track(redis, stage, _article("other", T0 + timedelta(days=31), ("Macron", "Merz"), place="Paris"))
    assert await redis.zscore(ARCHIVED, sid) is not None
    return sid


async def test_a_story_archived_past_the_period_is_compacted_shown_and_revived(redis, redis_url):
    stage = Undated(redis, consumer="t")
    sid = await _archived_story(redis, stage)
    (before,) = await load_full(redis, [sid])
    assert _retire(redis_url, "--dry-run") == {"partition": 0, "clock": "2026-04-01T00:00:00+00:00", "compacted": 0, "deleted": 0}

    # the clock is the newest report (day 31 + a later one): archived 1 day, then 20 days
    await _track(redis, stage, _article("later", T0 + timedelta(days=51), ("Macron", "Merz"), place="Paris"))
    assert _retire(redis_url, "--dry-run")["compacted"] == 1 and len(decode_head(await redis.get(story_key(sid)), sid).timeline) == 3
    assert _retire(redis_url) == {"partition": 0, "clock": "2026-04-21T00:00:00+00:00", "compacted": 1, "deleted": 0}
    assert await redis.zscore(ARCHIVED, sid) is None and await redis.zscore(COMPACTED, sid) is not None
    assert not await redis.exists(timeline_key(sid))
    assert [await redis.zscore(k, index_member(sid)) for k in sorted(index_keys(before))] == [None] * len(index_keys(before)), "compacted: found by identity only"
    raw = await redis.get(story_key(sid))
    head = decode_head(raw, sid)
    assert head.timeline == [] and raw[:1] == PACKED
    assert (head.status, head.reports, head.sources, head.title) == (before.status, 3, before.sources, before.title)

    shown = _show(redis_url, sid)
    assert shown.returncode == 0, shown.stderr
    assert "(archived, compacted)" in shown.stdout and "the claims of its 3 reports were dropped" in shown.stdout
    assert f"status {before.status.value}" in shown.stdout
    (record,) = json.loads(_show(redis_url, sid, "--json").stdout)
    assert record["archived"] and record["compacted"] and record["reports"] == 3 and record["timeline"] == []
    assert sid in json.loads(subprocess.run([sys.executable, "-m", "storywatch.cli", "stories", "list", "--archived", "--json", "--redis-url", redis_url],
                                            cwd=ROOT, capture_output=True, text=True, timeout=60).stdout)[0]["story_id"]

    # a new report revives it: same id, hot and indexed again, its count goes on, the dropped claims stay dropped
    await _track(redis, Undated(redis, consumer="u"), _article("again", T0 + timedelta(days=52), ("Putin", "Trump"), Status.CANCELLED))
    assert await _story_of(redis, "again") == sid
    assert await redis.zscore(HOT, sid) is not None and await redis.zscore(COMPACTED, sid) is None and await redis.zscore(ARCHIVED, sid) is None
    (story,) = await load_full(redis, [sid])
    assert [e.article_id for e in story.timeline] == ["again"] and story.reports == 4 and story.status == Status.CANCELLED
    assert None not in [await redis.zscore(k, index_member(sid)) for k in sorted(index_keys(story))]


async def test_a_story_archived_past_the_longer_period_is_deleted_and_a_new_report_starts_afresh(redis, redis_url):
    stage = Undated(redis, consumer="t")
    sid = await _archived_story(redis, stage)
    # its last report at day 0 + 3 h: archived from day 30 + 3 h; the clock at day 32 (1.9 days archived), then 34
    await _track(redis, stage, _article("later", T0 + timedelta(days=32), ("Macron", "Merz"), place="Paris"))
    assert _retire(redis_url, "--story-compact-after-days", "1", "--story-delete-after-days", "2")[
        "compacted"] == 1 and await redis.zscore(COMPACTED, sid) is not None
    await _track(redis, stage, _article("much-later", T0 + timedelta(days=34), ("Macron", "Merz"), place="Paris"))
    assert _retire(redis_url, "--story-compact-after-days", "1", "--story-delete-after-days", "2")["deleted"] == 1
    assert not await redis.exists(story_key(sid), timeline_key(sid))
    assert [await redis.zscore(s, sid) for s in (HOT, ARCHIVED, COMPACTED)] == [None] * 3
    shown = _show(redis_url, sid)
    assert shown.returncode == 1 and f"no story {sid}" in shown.stderr

    await _track(redis, Undated(redis, consumer="u"), _article("again", T0 + timedelta(days=35), ("Putin", "Trump"), Status.CANCELLED))
    assert await _story_of(redis, "again") == sid
    (story,) = await load_full(redis, [sid])
    assert [e.article_id for e in story.timeline] == ["again"] and story.reports == 1 and story.sources == ["src-again"]


async def test_retention_leaves_a_story_revived_or_archived_again_since_it_was_found(redis):
    from storywatch.retention import _RETIRE

    sid = await _archived_story(redis, Undated(redis, consumer="t"))
    await _as_written_before(redis, sid)
    stamp = int(await redis.zscore(ARCHIVED, sid))
    keys = [ARCHIVED, COMPACTED, story_key(sid), timeline_key(sid)]
    await redis.zadd(ARCHIVED, {sid: stamp + 1})  # archived again since it was found: another stamp
    assert await redis.eval(_RETIRE, len(keys), *keys, "compact", sid, stamp, "{}", 0) == 0
    await redis.zrem(ARCHIVED, sid)  # revived since
    assert await redis.eval(_RETIRE, len(keys), *keys, "delete", sid, stamp, "", 0) == 0
    assert await redis.llen(timeline_key(sid)) == 3 and await redis.exists(story_key(sid)) and await redis.zscore(COMPACTED, sid) is None
    await redis.zadd(ARCHIVED, {sid: stamp})
    assert await redis.eval(_RETIRE, len(keys), *keys, "compact", sid, stamp, "{}", 0) == 1
    assert await redis.get(story_key(sid)) == b"{}" and await redis.zscore(COMPACTED, sid) == stamp and not await redis.exists(timeline_key(sid))


async def test_filing_records_outlive_the_dedup_window_by_a_day(redis):
    from schemas.streams import filed_key

    settings = Settings(metrics_port=0, dedup_window_days=2)
    await _track(redis, StageRuntime(stage_spec("track"), redis, settings, "t"), _article("first", T0, ("Putin", "Trump")))
    assert 3 * 86400 - 60 <= await redis.ttl(filed_key("first")) <= 3 * 86400


async def _as_written_before(redis, sid: str) -> None:
    """Store a story as heads were written before they held their claims alone: the head
    a JSON object, every claim (those it holds too) in the timeline list."""
    story = decode_head(await redis.get(story_key(sid)), sid)
    await redis.set(story_key(sid), story.model_dump_json(exclude_none=True, exclude_defaults=True))
    await redis.delete(timeline_key(sid))
    await redis.rpush(timeline_key(sid), *(e.model_dump_json(exclude_none=True, exclude_defaults=True) for e in story.timeline))


async def test_a_story_written_before_claims_were_stored_once_reads_the_same_and_goes_on(redis):
    stage = TrackStage(redis, consumer="t")
    await _track(redis, stage, _article("a1", T0, ("Putin", "Trump")), _article("a2", T0 + timedelta(hours=1), ("Putin", "Trump"), Status.CANCELLED))
    sid = await _story_of(redis, "a1")
    (now,) = await load_full(redis, [sid])
    await _as_written_before(redis, sid)
    assert (await load_full(redis, [sid]))[0] == now and await redis.llen(timeline_key(sid)) == 2

    # a report three days later: a1 and a2 leave the head and are appended (again); each is read once
    await _track(redis, TrackStage(redis, consumer="u"), _article("a3", T0 + timedelta(days=3), ("Putin", "Trump"), Status.POSTPONED))
    (story,) = await load_full(redis, [sid])
    assert [e.article_id for e in story.timeline] == story.article_ids == ["a1", "a2", "a3"] and story.reports == 3
    assert [json.loads(c)[2] for c in await redis.lrange(timeline_key(sid), 2, -1)] == ["a1", "a2"]
    assert [e.article_id for e in decode_head(await redis.get(story_key(sid)), sid).timeline] == ["a3"]
    assert story.timeline[:2] == now.timeline
    # the same reports on a story stored as today decide alike
    other = [_article(f"b{i}", T0 + timedelta(hours=h), ("Macron", "Merz"), status) for i, (h, status) in
             enumerate([(0, Status.PLANNED), (1, Status.CANCELLED), (72, Status.POSTPONED)], start=1)]
    await _track(redis, stage, *other[:2])
    await _track(redis, stage, other[2])
    (fresh,) = await load_full(redis, [await _story_of(redis, "b1")])
    assert (fresh.status, fresh.status_since, fresh.reports) == (story.status, story.status_since, story.reports)


async def test_claims_leave_the_head_for_the_list_once_the_decision_no_longer_reads_them(redis):
    stage = TrackStage(redis, consumer="t")
    await _track(redis, stage, *(_article(f"a{i}", T0 + timedelta(hours=30 * i), ("Putin", "Trump")) for i in range(4)))
    sid = await _story_of(redis, "a0")
    head = decode_head(await redis.get(story_key(sid)), sid)
    listed = [json.loads(c) for c in await redis.lrange(timeline_key(sid), 0, -1)]
    assert [e.article_id for e in head.timeline] == ["a2", "a3"] and [c[2] for c in listed] == ["a0", "a1"]
    assert listed[0] == json.loads(encode_claim((await load_full(redis, [sid]))[0].timeline[0]))


async def test_a_story_changed_by_another_worker_while_a_batch_is_decided_keeps_both_reports(redis):
    """The other worker's commit touches the index keys the batch read (not only the head),
    so the batch is decided again on the story as the other worker left it."""
    first, other = TrackStage(redis, consumer="first"), TrackStage(redis, consumer="other")
    await _track(redis, first, _article("a0", T0, ("Putin", "Trump")))
    read = first.logic.store.candidates_along
    calls = 0

    async def candidates_then_the_other_worker(pipe, articles, *along):
        nonlocal calls
        found = await read(pipe, articles, *along)
        calls += 1
        if calls == 1:  # between this batch's reads and its commit
            await _track(redis, other, _article("a2", T0 + timedelta(hours=2), ("Putin", "Trump")))
        return found

    first.logic.store.candidates_along = candidates_then_the_other_worker
    await _track(redis, first, _article("a1", T0 + timedelta(hours=1), ("Putin", "Trump")))
    assert calls == 2  # the first commit was aborted, the batch decided again
    sid = await _story_of(redis, "a0")
    (full,) = await load_full(redis, [sid])
    assert sorted(e.article_id for e in full.timeline) == ["a0", "a1", "a2"] and full.reports == 3


async def test_stories_indexed_the_way_before_are_filed_again_and_a_later_report_finds_them(redis):
    """A server written by a release that named index keys by their terms and stored
    members as id text: the first worker files its stories again, and a later report
    joins the story instead of starting another."""
    from consumers.story_store import INDEX_FORM, ensure_index, story_of
    from schemas.streams import OLD_STORY_INDEX, STORY_INDEX_FORM

    stage = TrackStage(redis, consumer="t")
    await _track(redis, stage, _article("first", T0, ("Putin", "Trump")))
    sid = await _story_of(redis, "first")
    story = decode_head(await redis.get(story_key(sid)), sid)
    keys = sorted(index_keys(story))
    for key in keys:  # the same entries as the release before wrote them
        await redis.delete(key)
        await redis.zadd(f"{OLD_STORY_INDEX}summit:{key[-11:]}", {sid: story.stamp})
    await redis.delete(STORY_INDEX_FORM)

    assert await ensure_index(redis) == 1
    assert [await redis.zscore(k, index_member(sid)) for k in keys] == [story.stamp] * len(keys)
    assert [k async for k in redis.scan_iter(match=f"{OLD_STORY_INDEX}*")] == []
    assert await redis.get(STORY_INDEX_FORM) == INDEX_FORM.encode()
    assert await ensure_index(redis) == 0, "once recorded, not again"
    assert story_of((await redis.zrange(keys[0], 0, 0))[0]) == sid

    await _track(redis, TrackStage(redis, consumer="t2"), _article("later", T0 + timedelta(hours=2), ("Putin", "Trump"), Status.CANCELLED))
    assert await _story_of(redis, "later") == sid and await redis.zcard(HOT) == 1


async def test_a_story_of_one_guest_indexed_the_way_before_is_filed_again_and_a_later_report_finds_it(redis):
    """A server written by the release that filed a story of one guest beside its host
    (Modi with Merz in Hamburg) under the one-participant terms: the first worker of this
    one files it under its own terms and takes it out of those, and a report of Modi with
    NATO's Rutte in Hamburg (which only those terms lead to) joins it."""
    from consumers.story_store import FORMS_BEFORE, INDEX_FORM, _bucket, _keys_of_the_form_before, ensure_index
    from consumers.story_tracking import ALONE, GUEST_ALONE, story_terms
    from schemas.streams import STORY_INDEX_FORM, story_index_key

    stage = TrackStage(redis, consumer="t")
    await _track(redis, stage, _article("first", T0, ("Merz", "Modi"), place="Hamburg"))
    sid = await _story_of(redis, "first")
    story = decode_head(await redis.get(story_key(sid)), sid)
    guest_terms = [t for t in story_terms(story) if GUEST_ALONE in t]
    assert guest_terms, "the story is filed under the guest's own terms"
    now = {k for t in guest_terms for k in (story_index_key(t), story_index_key(t, _bucket(story.event_date)))}
    before = _keys_of_the_form_before(story)
    assert before == {k for t in guest_terms for k in (story_index_key(t.replace(GUEST_ALONE, ALONE)), story_index_key(t.replace(GUEST_ALONE, ALONE), _bucket(story.event_date)))}
    for key in now:  # the entries as the release before wrote them
        await redis.delete(key)
    for key in before:
        await redis.zadd(key, {index_member(sid): story.stamp})
    await redis.set(STORY_INDEX_FORM, FORMS_BEFORE[-1])

    assert await ensure_index(redis) == 1
    assert [await redis.zscore(k, index_member(sid)) for k in sorted(now)] == [story.stamp] * len(now)
    assert [await redis.exists(k) for k in sorted(before)] == [0] * len(before)
    assert await redis.get(STORY_INDEX_FORM) == INDEX_FORM.encode()
    assert await ensure_index(redis) == 0, "once recorded, not again"

    await _track(redis, TrackStage(redis, consumer="t2"), _article("later", T0 + timedelta(hours=2), ("Modi", "Rutte"), Status.CANCELLED, place="Hamburg"))
    assert await _story_of(redis, "later") == sid and await redis.zcard(HOT) == 1


async def test_workers_record_the_index_form_on_a_server_without_stories(redis_url, redis):
    from schemas.streams import STORY_INDEX_FORM
    from storywatch.workers import Workers

    async with Workers(redis_url, Settings(metrics_port=0), stages=("track",)):
        assert await redis.get(STORY_INDEX_FORM) is not None


def _report(ident: str, at: datetime, on: date | None, status: Status, actors: tuple[str, ...] = ("Putin", "Trump"), place: str = "Budapest") -> ArticleEvents:
    m = EventMention(type="summit", actors=list(actors), location=place, event_date=on, status=status, cue="x", evidence=f"{ident} says {status.value}")
    return ArticleEvents(article_id=ident, source=f"src-{ident}", event_time=at, published_at=at, events=[m])


async def _traffic(redis, stage: StageRuntime, days: range) -> None:
    """Other stories reported every few days, retention run after each (as the ops duty does)."""
    from storywatch.retention import StoryRetention, retire_stories

    for day in days:
        await _track(redis, stage, _report(f"other-{day}", T0 + timedelta(days=day), None, Status.PLANNED, ("Macron", f"Merz{day}"), "Paris"))
        await retire_stories(redis, StoryRetention.of(Settings()))


async def _alerts(redis) -> list[Alert]:
    return [Alert.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(ALERTS)]


async def test_a_story_announced_far_ahead_is_kept_until_its_date_and_its_report_alerts_on_it(redis):
    """A summit announced 120 days ahead is silent by nature until then: 115 days of other
    traffic and retention neither archive nor compact it, and the report that it took place
    (stating no date) files under it and alerts its change, not a new story."""
    from storywatch.retention import StoryRetention, retire_stories

    stage = TrackStage(redis, consumer="t")
    on = (T0 + timedelta(days=120)).date()
    await _track(redis, stage, _report("announced", T0, on, Status.PLANNED))
    sid = await _story_of(redis, "announced")
    await _traffic(redis, stage, range(5, 116, 5))
    assert await redis.zscore(HOT, sid) is not None and await redis.zscore(COMPACTED, sid) is None, "kept hot until its date"
    (dry,) = await retire_stories(redis, StoryRetention.of(Settings()), dry_run=True)
    assert dry.clock == (T0 + timedelta(days=115)).isoformat(), "the stories' clock is the newest report, not the awaited date"

    await _track(redis, stage, _report("held", T0 + timedelta(days=120, hours=12), None, Status.TOOK_PLACE))
    assert await _story_of(redis, "held") == sid
    ours = [a for a in await _alerts(redis) if "Putin" in a.actors]
    assert [(a.kind, a.story_id) for a in ours if a.kind == AlertKind.STORY_NEW] == [(AlertKind.STORY_NEW, sid)], "no second story announced"
    assert [a.to_status for a in ours if a.kind == AlertKind.STATUS_CHANGED and a.story_id == sid] == [Status.TOOK_PLACE]
    (story,) = await load_full(redis, [sid])
    assert [e.article_id for e in story.timeline] == ["announced", "held"] and story.status == Status.TOOK_PLACE

    # silent from the end of its day (day 121) on, it is archived a period after, as any story
    await _traffic(redis, stage, range(150, 151))
    assert await redis.zscore(HOT, sid) is not None
    await _traffic(redis, stage, range(152, 153))
    assert await redis.zscore(HOT, sid) is None and await redis.zscore(ARCHIVED, sid) == int(datetime.combine(on + timedelta(days=1), datetime.min.time(), UTC).timestamp() * 1000)


async def test_a_hostile_far_date_keeps_a_story_hot_no_longer_than_the_await_cap(redis):
    stage = TrackStage(redis, consumer="t")
    await _track(redis, stage, _report("far", T0, date(9999, 12, 31), Status.PLANNED))
    sid = await _story_of(redis, "far")
    cold_at = int((T0 + timedelta(days=400 + 30)).timestamp() * 1000)
    assert await redis.zscore(HOT, sid) == cold_at, "year 9999 counts as the cap (400 days) + the archive period"
    await _traffic(redis, stage, range(429, 430))
    assert await redis.zscore(HOT, sid) is not None
    await _traffic(redis, stage, range(431, 432))
    assert await redis.zscore(HOT, sid) is None and await redis.zscore(ARCHIVED, sid) == int((T0 + timedelta(days=400)).timestamp() * 1000)


async def test_the_board_ranks_hot_stories_by_their_last_change_whatever_date_they_await(redis):
    from storywatch.api import latest_hot

    stage = TrackStage(redis, consumer="t")
    await _track(redis, stage, _report("b", T0, None, Status.PLANNED, ("Macron", "Merz"), "Paris"))
    await _track(redis, stage, _report("a", T0 + timedelta(days=1), (T0 + timedelta(days=200)).date(), Status.PLANNED))
    await _track(redis, stage, _report("c", T0 + timedelta(days=2), None, Status.PLANNED, ("Scholz", "Meloni"), "Rome"))
    a, b, c = [await _story_of(redis, i) for i in "abc"]
    assert (await redis.zrange(HOT, -1, -1))[0].decode() == a, "scored by its date: it stays hot the longest"
    assert await latest_hot(redis, 1, timedelta(days=30)) == [c]
    assert await latest_hot(redis, 3, timedelta(days=30)) == [c, a, b]


async def test_stories_filed_before_dates_counted_are_kept_until_their_date_and_the_clock_read_as_before(redis):
    """A partition written before: the hot set scored by last report + the period, no
    clock key. The clock reads off the hot set, and a story found due that awaits its
    date is filed hot again at its own time instead of being archived."""
    from storywatch.retention import StoryRetention, retire_stories
    from schemas.streams import STORIES_CLOCK

    stage = TrackStage(redis, consumer="t")
    on = (T0 + timedelta(days=90)).date()
    await _track(redis, stage, _report("announced", T0, on, Status.PLANNED))
    sid = await _story_of(redis, "announced")
    stamp = decode_head(await redis.get(story_key(sid)), sid).stamp
    await redis.zadd(HOT, {sid: stamp + 30 * 86_400_000})
    await redis.delete(STORIES_CLOCK)
    (dry,) = await retire_stories(redis, StoryRetention.of(Settings()), dry_run=True)
    assert dry.clock == datetime.fromtimestamp(stamp / 1000, UTC).isoformat()

    await _track(redis, stage, _report("other", T0 + timedelta(days=31), None, Status.PLANNED, ("Macron", "Merz"), "Paris"))
    day_end = int(datetime.combine(on + timedelta(days=1), datetime.min.time(), UTC).timestamp() * 1000)
    assert await redis.zscore(ARCHIVED, sid) is None and await redis.zscore(HOT, sid) == day_end + 30 * 86_400_000
    (dry,) = await retire_stories(redis, StoryRetention.of(Settings()), dry_run=True)
    assert dry.clock == (T0 + timedelta(days=31)).isoformat()


async def test_neighbours_are_read_only_when_a_story_not_announced_yet_asks_and_it_decides_as_with_them_all(redis):
    """The stories sharing only a participant with a report (``neighbour_keys``) are read
    when a report files under a story not announced yet (``shadowed``), and that report
    is decided as with every story at hand; a report of an announced story never reads them."""
    from consumers.story_store import preload_commands, stamped
    from consumers.story_tracking import track_article

    stories: dict = {}
    for i, other in enumerate(["Merz", "Xi", "Modi"]):
        stories |= track_article(_article(f"o{i}", T0 + timedelta(hours=i), ("Trump", other)), stories).stories
    stories = {sid: stamped(s.model_copy(update={"announced": "Modi" not in s.actors})) for sid, s in stories.items()}  # Modi's: background so far
    merz, xi, modi = (next(s for s in stories.values() if name in s.actors) for name in ("Merz", "Xi", "Modi"))
    for cmd in preload_commands([(s, s.timeline) for s in stories.values()]):
        await redis.execute_command(*cmd)

    stage = TrackStage(redis, consumer="t")
    store = stage.logic.store
    await _track(redis, stage, known := _article("k", T0 + timedelta(hours=5), ("Merz", "Trump"), Status.POSTPONED))
    assert await _story_of(redis, "k") == merz.story_id
    assert store.reads.fetched == 1 and xi.story_id not in store.cache._items, "Trump–Xi and Trump–Modi are only neighbours of the report: not read"

    quiet = _article("q", T0 + timedelta(hours=6), ("Modi", "Trump"))
    expected = track_article(quiet, dict(stories))  # every story at hand
    fetched = store.reads.fetched
    await _track(redis, stage, quiet)
    assert await _story_of(redis, "q") == modi.story_id == expected.assignments[0]
    assert xi.story_id in store.cache._items and store.reads.fetched > fetched, "the report of a story not announced yet read its neighbours"
    head = decode_head(await redis.get(story_key(modi.story_id)), modi.story_id)
    assert head.announced == expected.stories[modi.story_id].announced and head.status == expected.stories[modi.story_id].status
    alerts = [Alert.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(ALERTS)]
    assert [(a.story_id, a.kind, a.to_status) for a in alerts if a.article_id == "q"] == [(a.story_id, a.kind, a.to_status) for a in expected.alerts]
    assert known.article_id not in [a.article_id for a in expected.alerts]


async def test_a_story_started_unannounced_in_a_batch_and_reported_again_in_it_reads_the_neighbours_then(redis):
    """No story the batch read asks for its neighbours, but one its first article starts
    (unannounced: a name read from that article alone) does at its second: the batch reads
    them then and is decided again, as ``track_article`` decides with every story at hand."""
    from consumers.story_store import preload_commands, stamped
    from consumers.story_tracking import track_article

    stories: dict = {}
    for i, other in enumerate(["Merz", "Xi"]):
        stories |= track_article(_article(f"o{i}", T0 + timedelta(hours=i), ("Trump", other)), stories).stories
    stories = {sid: stamped(s.model_copy(update={"announced": True})) for sid, s in stories.items()}
    for cmd in preload_commands([(s, s.timeline) for s in stories.values()]):
        await redis.execute_command(*cmd)
    first, second = (_article(f"z{i}", T0 + timedelta(hours=5 + i), ("Trump", "Zorblax Quenn")) for i in range(2))
    one = track_article(first, dict(stories))
    two = track_article(second, {**stories, **one.stories})
    (sid,) = one.stories
    assert not one.stories[sid].announced and two.assignments == [sid]
    assert track_article(second, one.stories).alerts, "without its neighbours the second report would announce it"

    stage = TrackStage(redis, consumer="t")
    await _track(redis, stage, first, second)
    head = decode_head(await redis.get(story_key(sid)), sid)
    assert head.announced == two.stories[sid].announced and head.reports == 2
    alerts = [Alert.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(ALERTS)]
    assert [(a.article_id, a.kind, a.to_status) for a in alerts] == [(a.article_id, a.kind, a.to_status) for a in one.alerts + two.alerts]


async def test_candidates_a_report_cannot_be_filed_under_are_fetched_not_decoded_and_it_decides_as_with_them_all(redis):
    """A pair's summits at other dates come up under the report's keys; only the one it
    can be filed under (``story_tracking.may_take`` on the head's view) is decoded, and
    the report is filed and alerted as ``track_article`` does with every story decoded."""
    from consumers.story_store import preload_commands, stamped
    from consumers.story_tracking import track_article

    stories: dict = {}
    for i in range(4):
        at = T0 + timedelta(hours=i)
        m = EventMention(type="summit", actors=["Putin", "Trump"], location="Budapest", event_date=date(2026, 3, 20) + timedelta(days=60 * i), status=Status.PLANNED, cue="x", evidence="x")
        stories |= track_article(ArticleEvents(article_id=f"o{i}", source=f"src-{i}", event_time=at, published_at=at, events=[m]), stories).stories
    stories = {sid: stamped(s.model_copy(update={"announced": True})) for sid, s in stories.items()}  # in the news: a report reads no neighbours
    assert len(stories) == 4
    for cmd in preload_commands([(s, s.timeline) for s in stories.values()]):
        await redis.execute_command(*cmd)

    report = _article("r", T0 + timedelta(hours=5), ("Putin", "Trump"), Status.POSTPONED)
    expected = track_article(report, dict(stories))
    stage = TrackStage(redis, consumer="t")
    await _track(redis, stage, report)
    store = stage.logic.store
    assert store.reads.fetched == 4 and store.reads.decoded == 1, "the three summits of other dates are not decoded"
    assert await _story_of(redis, "r") == expected.assignments[0]
    (sid,) = expected.stories
    head = decode_head(await redis.get(story_key(sid)), sid)
    assert head.status == expected.stories[sid].status == Status.POSTPONED
    alerts = [Alert.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(ALERTS)]
    assert [(a.story_id, a.kind, a.to_status) for a in alerts if a.article_id == "r"] == [(a.story_id, a.kind, a.to_status) for a in expected.alerts]
