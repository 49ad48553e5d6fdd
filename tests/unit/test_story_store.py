"""The story index never hides a story the matching rule accepts; heads stay small."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from consumers.story_store import Candidates, decode_claim, encode, encode_claim, head, index_keys, lookup_keys, neighbour_keys
from consumers.story_tracking import match_score, shadowed, track_article
from schemas import ArticleEvents, EventMention, Status, Story, TimelineEntry

T0 = datetime(2025, 10, 1, tzinfo=UTC)
types_ = st.sampled_from(["summit", "meeting", "call", "visit", "strike", "unlisted"])
people = st.lists(st.sampled_from(["Trump", "Putin", "Merz", "Xi", "Nobody", "Olympic Games", "Paralympics", "United States", "Hungary", "Orbán"]), max_size=4)
places = st.sampled_from([None, "Budapest", "Hungary", "Alaska", "United States", "Nowhere"])
dates = st.one_of(st.none(), st.integers(0, 400).map(lambda d: date(2025, 1, 1) + timedelta(days=d)))


@settings(max_examples=1500, deadline=None)
@given(types_, people, places, dates, st.sampled_from(list(Status)), st.booleans(), types_, people, places, dates, st.sampled_from(list(Status)))
def test_a_story_the_rule_accepts_is_under_a_key_the_mention_reads(mt, ma, ml, md, ms, bg, st_, sa, sl, sd, ss):
    m = EventMention(type=mt, actors=ma, location=ml, event_date=md, status=ms, background=bg, cue="x", evidence="x")
    story = Story(story_id="s", title="t", type=st_, actors=sa, location=sl, event_date=sd, status=ss, status_since=T0)
    if match_score(m, story) is not None:
        assert {k for k, _ in lookup_keys(m)} & index_keys(story)


@settings(max_examples=1000, deadline=None)
@given(types_, people, places, dates, st.sampled_from(list(Status)), types_, people, places, dates, st.sampled_from(list(Status)))
def test_a_story_that_may_shadow_a_new_one_is_under_a_key_the_mention_reads(mt, ma, ml, md, ms, st_, sa, sl, sd, ss):
    m = EventMention(type=mt, actors=ma, location=ml, event_date=md, status=ms, cue="x", evidence="x")
    new = Story(story_id="n", title="t", type=mt, actors=ma, location=ml, event_date=md, status=ms, status_since=T0)
    other = Story(story_id="s", title="t", type=st_, actors=sa, location=sl, event_date=sd, status=ss, status_since=T0, announced=True)
    if shadowed(m, new, [other], T0):
        assert {k for k, _ in neighbour_keys(m)} & index_keys(other)


def _mention(actors: tuple[str, ...], status: Status = Status.PLANNED, place: str | None = "Budapest") -> EventMention:
    return EventMention(type="summit", actors=list(actors), location=place, status=status, cue="x", evidence="x")


def _article(ident: str, hours: float, *mentions: EventMention) -> ArticleEvents:
    at = T0 + timedelta(hours=hours)
    return ArticleEvents(article_id=ident, source=f"src-{ident}", event_time=at, published_at=at, events=list(mentions))


def test_a_popular_name_does_not_bring_in_its_other_stories():
    """Trump's stories with others are not candidates for a Trump–Putin mention."""
    stories = {}
    for i, other in enumerate(["Merz", "Xi", "Modi", "Macron"]):
        stories |= track_article(_article(f"o{i}", i, _mention(("Trump", other))), stories).stories
    mine = track_article(_article("p", 10, _mention(("Putin", "Trump"))), stories).stories
    found = Candidates()
    found.update([*stories.values(), *mine.values()])
    candidates = found.for_article(_article("q", 11, _mention(("Putin", "Trump"), Status.POSTPONED)))
    assert list(candidates) == list(mine)


def test_a_head_keeps_only_the_window_and_the_decision_is_the_same():
    """A story of 300 hourly claims: its head holds the last 48 h, and filing the next
    claim under the head or under the whole story decides alike."""
    stories: dict[str, Story] = {}
    for i in range(300):
        stories |= track_article(_article(f"a{i}", i, _mention(("Putin", "Trump"))), stories).stories
    (full,) = stories.values()
    small = head(full)
    assert len(full.timeline) == 300 and len(small.timeline) == 49 and small.reports == 300
    for status in (Status.POSTPONED, Status.CANCELLED):
        nxt = _article("n", 300, _mention(("Putin", "Trump"), status))
        on_full, on_head = track_article(nxt, {full.story_id: full}), track_article(nxt, {small.story_id: small})
        assert on_full.alerts == on_head.alerts
        assert on_full.stories[full.story_id].status == on_head.stories[full.story_id].status


claims = st.builds(
    TimelineEntry,
    status=st.sampled_from(list(Status)),
    at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])),
    article_id=st.text(max_size=12), source=st.one_of(st.none(), st.text(max_size=8)), agency=st.one_of(st.none(), st.text(max_size=8)),
    url=st.one_of(st.none(), st.text(max_size=20)), evidence=st.text(max_size=40), attributed_to=st.one_of(st.none(), st.text(max_size=8)),
    background=st.booleans(), confidence=st.floats(0, 1),
)


@settings(max_examples=500, deadline=None)
@given(claims)
def test_a_stored_claim_reads_back_the_same(claim):
    back = decode_claim(encode_claim(claim).encode())
    assert back == claim and back.model_dump_json() == claim.model_dump_json()
    assert decode_claim(encode(claim).encode()) == claim  # the object form stored before


def test_a_stored_claim_is_a_short_array():
    claim = TimelineEntry(status=Status.CANCELLED, at=T0, article_id="mix-715", source="outlet-35", evidence="The summit was called off.", confidence=0.95)
    assert encode_claim(claim) == '["c",%d,"mix-715","outlet-35","The summit was called off.",0.95]' % int(T0.timestamp())
    assert len(encode_claim(claim)) < 0.7 * len(encode(claim))
