"""What a compacted story keeps, how stories are stored, and the retention settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from consumers.story_store import compacted, decode_claim, decode_head, encode_claim, encode_head, head, is_compacted, stamped
from consumers.story_tracking import track_article
from schemas import ArticleEvents, EventMention, Status, Story, TimelineEntry
from storywatch.settings import Settings

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _story(reports: int = 3) -> Story:
    stories: dict[str, Story] = {}
    for i in range(reports):
        m = EventMention(type="summit", actors=["Putin", "Trump"], location="Budapest", event_date=date(2026, 3, 20),
                         status=Status.PLANNED if i < 2 else Status.POSTPONED, cue="x", evidence=f"report {i}")
        article = ArticleEvents(article_id=f"a{i}", source=f"src-{i}", event_time=T0 + timedelta(hours=i), published_at=T0, events=[m])
        stories |= track_article(article, stories).stories
    (story,) = stories.values()
    return story


def test_a_compacted_story_keeps_identity_status_sources_and_its_count_not_its_claims() -> None:
    story = _story()
    small = compacted(story)
    kept = ("story_id", "title", "type", "actors", "location", "event_date", "status", "status_since", "sources", "corroborated_by", "reports", "stamp")
    assert {f: getattr(small, f) for f in kept} == {f: getattr(story, f) for f in kept}
    assert (small.timeline, small.article_ids, small.source_status) == ([], [], {})
    assert story.reports == 3 and is_compacted(small) and not is_compacted(story)
    assert len(encode_head(small)) < 0.55 * len(encode_head(story))  # three short claims, their sources as indexes


def test_heads_and_claims_are_stored_without_defaults_and_read_back_the_same() -> None:
    story = stamped(head(_story()))
    stored = encode_head(story)
    assert "false" not in stored and "1.0" not in stored  # no background, no default confidence
    assert decode_head(stored, story.story_id) == story
    claim = story.timeline[0]
    assert "1.0" not in encode_claim(claim) and decode_claim(encode_claim(claim)) == claim


def test_stories_are_deleted_only_after_they_are_compacted() -> None:
    assert (Settings().story_compact_after_days, Settings().story_delete_after_days) == (14.0, 90.0)
    with pytest.raises(ValidationError, match=r"story_delete_after_days \(10\) must be longer than story_compact_after_days \(20\)"):
        Settings(story_compact_after_days=20, story_delete_after_days=10)


DAY_MS = 86_400_000


def _dated(on: date | None, stamp: datetime = T0) -> Story:
    return Story(story_id="st-0000000000000001", title="t", type="summit", event_date=on, status=Status.PLANNED, status_since=stamp,
                 stamp=int(stamp.timestamp() * 1000))


def test_a_story_is_silent_from_the_later_of_its_last_report_and_the_end_of_its_scheduled_day() -> None:
    from consumers.story_store import cold_from

    stamp = int(T0.timestamp() * 1000)
    assert cold_from(_dated(None)) == stamp, "undated: from its last report"
    assert cold_from(_dated(date(2026, 2, 1))) == stamp, "a date gone by holds nothing"
    assert cold_from(_dated(T0.date())) == stamp + DAY_MS, "reported on the day: silent from the day's end"
    assert cold_from(_dated(date(2026, 6, 1))) == int(datetime(2026, 6, 2, tzinfo=UTC).timestamp() * 1000)
    assert cold_from(_dated(date(2026, 6, 1)), timedelta(0)) == stamp, "await cap 0: dates hold no story"


def test_a_far_future_or_hostile_date_holds_a_story_no_longer_than_the_cap() -> None:
    from consumers.story_store import AWAIT_MAX, cold_from

    stamp = int(T0.timestamp() * 1000)
    assert AWAIT_MAX == timedelta(days=400)
    assert cold_from(_dated(date(9999, 12, 31))) == stamp + 400 * DAY_MS, "year 9999 counts as the cap (no overflow at its day's end)"
    assert cold_from(_dated(date(2027, 12, 1))) == stamp + 400 * DAY_MS
    assert cold_from(_dated(date(2026, 12, 1)), timedelta(days=30)) == stamp + 30 * DAY_MS


def test_a_story_goes_cold_an_archive_period_after_its_silence_began() -> None:
    from consumers.story_store import StoryStore

    store = StoryStore(None, archive_after=timedelta(days=30), await_max=timedelta(days=400))  # type: ignore[arg-type]  # no I/O
    stamp = int(T0.timestamp() * 1000)
    assert store.cold_at(_dated(None)) == stamp + 30 * DAY_MS
    assert store.cold_at(_dated(date(2026, 9, 1))) == int(datetime(2026, 10, 2, tzinfo=UTC).timestamp() * 1000)
    assert store.cold_at(_dated(date(9999, 1, 1))) == stamp + 430 * DAY_MS


def test_the_await_cap_is_a_setting_of_its_own() -> None:
    assert Settings().story_await_max_days == 400
    assert Settings(story_await_max_days=0).story_await_max_days == 0
    with pytest.raises(ValidationError):
        Settings(story_await_max_days=-1)


def test_a_story_found_due_is_archived_only_once_silent_past_its_own_date() -> None:
    from consumers.stage_runtime import Writes
    from consumers.story_store import ARCHIVED, CLOCK, HOT, StoryStore, commands

    store = StoryStore(None, archive_after=timedelta(days=30))  # type: ignore[arg-type]  # writes only
    stamp = int(T0.timestamp() * 1000)
    waiting, gone, undated = _dated(date(2026, 6, 1)), _dated(date(2026, 3, 10)), _dated(None)
    waiting.story_id, gone.story_id = "st-0000000000000002", "st-0000000000000003"
    writes = Writes()
    store.archive([waiting, gone, undated], writes, T0 + timedelta(days=40))
    ops = {(op[0], op[1], *op[2:]) for op in commands(writes) if op[0] != "SET"}
    assert ops == {
        ("ZADD", CLOCK, "GT", stamp + 40 * DAY_MS, "t"),
        ("ZADD", HOT, int(datetime(2026, 7, 2, tzinfo=UTC).timestamp() * 1000), waiting.story_id),  # filed hot again at its own time
        ("ZREM", HOT, gone.story_id), ("ZADD", ARCHIVED, int(datetime(2026, 3, 11, tzinfo=UTC).timestamp() * 1000), gone.story_id),
        ("ZREM", HOT, undated.story_id), ("ZADD", ARCHIVED, stamp, undated.story_id),
    }
