"""The story index never hides a story the matching rule accepts; heads stay small."""

from __future__ import annotations

import itertools
import zlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consumers.story_store import PACKED, Candidates, Undecoded, _unfit, compacted, head_view, decode_claim, decode_head, encode_claim, encode_head, head, index_keys, lookup_keys, neighbour_keys, pack_head, stamped
from consumers.story_tracking import find_story, match_score, may_take, new_story_ids, probe_of, shadowed, track_article
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


def test_a_story_of_one_guest_the_rule_accepts_is_under_a_key_the_mention_reads():
    """The same, exhaustively, where hosts and guests are the point: every report and
    every story of one to three of two leaders who stand for a country, a country, a
    name that stands for none and an unknown one, at a city of the country, another city
    or no place. A story of one guest beside its host (Modi with Merz in Hamburg) is
    filed under terms that only a report that could join it looks up
    (``story_tracking._guest_alone_terms``): Modi with NATO's Rutte in Hamburg may be
    that meeting, Modi with Zelensky there is another."""
    names = ["Merz", "Modi", "Narendra Modi", "Zelensky", "Germany", "Rutte", "Nobody"]
    groups = [list(c) for n in (1, 2, 3) for c in itertools.combinations(names, n)]
    missed = []
    for kind, place in itertools.product(["meeting", "visit"], [None, "Hamburg", "Paris"]):
        for actors in groups:
            m = EventMention(type=kind, actors=actors, location=place, status=Status.PLANNED, cue="x", evidence="x")
            keys = {k for k, _ in lookup_keys(m)}
            for their_kind, their_place, theirs in itertools.product(["meeting", "visit"], [None, "Hamburg", "Paris"], groups):
                story = Story(story_id="s", title="t", type=their_kind, actors=theirs, location=their_place, status=Status.PLANNED, status_since=T0)
                if match_score(m, story) is not None and not keys & index_keys(story):
                    missed.append((kind, actors, place, their_kind, theirs, their_place))
    assert missed == []


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


def test_stories_met_only_as_neighbours_are_decoded_only_when_a_decision_reads_them():
    """A report of an announced story never reads its neighbours; one of a story not
    announced yet does (``shadowed``), and decides as with every neighbour decoded."""
    stories: dict[str, Story] = {}
    for i, other in enumerate(["Merz", "Xi", "Modi"]):
        stories |= track_article(_article(f"o{i}", i, _mention(("Trump", other))), stories).stories
    stories = {sid: stamped(s.model_copy(update={"announced": "Modi" not in s.actors})) for sid, s in stories.items()}  # Modi's: background so far
    merz, xi, modi = (next(s for s in stories.values() if name in s.actors) for name in ("Merz", "Xi", "Modi"))

    def batch() -> Candidates:  # as the store hands them over: Trump–Xi only under keys no mention looks up
        found = Candidates(stories={merz.story_id: merz, modi.story_id: modi}, undecoded=Undecoded({xi.story_id: encode_head(xi).encode()}))
        for story in stories.values():
            for key in index_keys(story):
                found.by_key.setdefault(key, []).append(story.story_id)
        return found

    known, found = _article("k", 5, _mention(("Merz", "Trump"), Status.POSTPONED)), batch()
    result = track_article(known, found.for_article(known), found.neighbours_for(known))
    assert result.assignments == [merz.story_id] and list(found.neighbours_for(known)) == sorted(stories)
    assert xi.story_id not in found.undecoded._done, "not decoded: no decision read it"

    quiet, found = _article("q", 5, _mention(("Modi", "Trump"))), batch()
    lazy = track_article(quiet, found.for_article(quiet), found.neighbours_for(quiet))
    assert lazy.assignments == [modi.story_id] and found.undecoded._done == {xi.story_id: xi}
    eager = track_article(quiet, found.for_article(quiet), dict(stories))
    assert lazy.stories == eager.stories and lazy.alerts == eager.alerts


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


def _object_form(item: Story | TimelineEntry) -> str:
    """How heads and claims were stored before their arrays: JSON objects without defaults."""
    return item.model_dump_json(exclude_none=True, exclude_defaults=True)


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
    assert decode_claim(_object_form(claim).encode()) == claim  # the object form stored before


def test_a_stored_claim_is_a_short_array():
    claim = TimelineEntry(status=Status.CANCELLED, at=T0, article_id="mix-715", source="outlet-35", evidence="The summit was called off.", confidence=0.95)
    assert encode_claim(claim) == '["c",%d,"mix-715","outlet-35","The summit was called off.",0.95]' % int(T0.timestamp())
    assert len(encode_claim(claim)) < 0.7 * len(_object_form(claim))


times = st.datetimes(min_value=datetime(1960, 1, 1), max_value=datetime(2700, 1, 1),
                     timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))]) | st.none())
words = st.text(max_size=10)


@st.composite
def stories(draw):
    timeline = draw(st.lists(claims, max_size=4))
    if timeline and draw(st.booleans()):  # reports quoting one sentence
        timeline = [c.model_copy(update={"evidence": timeline[0].evidence}) for c in timeline]
    ids = [c.article_id for c in timeline]
    article_ids = draw(st.sampled_from([ids, ids[::-1], [*ids, "x"], []]))
    named = sorted({c.source for c in timeline if c.source is not None})
    sources = draw(st.sampled_from([named, [*named, "zz"], []]) | st.lists(words, max_size=3))  # claims' sources in it, or not
    return Story(
        story_id=draw(words), title=draw(words), type=draw(words), actors=draw(st.lists(words, max_size=3)),
        location=draw(st.none() | words), event_date=draw(st.none() | st.dates()), parent_id=draw(st.none() | words),
        status=draw(st.sampled_from(list(Status))), status_since=draw(times), timeline=timeline,
        sources=sources, corroborated_by=draw(st.lists(words, max_size=2)), article_ids=article_ids,
        version=draw(st.integers(0, 9)), reports=draw(st.integers(0, 9)),
        source_status=draw(st.dictionaries(st.sampled_from(sources) | words if sources else words, st.sampled_from(list(Status)), max_size=3)),
        stamp=draw(st.integers(0, 2**53)), announced=draw(st.booleans()), edition=draw(st.none() | st.sampled_from(["4", "2021"])),
    )


@settings(max_examples=500, deadline=None)
@given(stories())
def test_a_stored_head_reads_back_the_same(story):
    stored = encode_head(story)
    back = decode_head(stored.encode(), story.story_id)
    assert back == story and back.model_dump_json() == story.model_dump_json()
    assert decode_head(_object_form(story).encode(), "ignored") == story  # the object form stored before


def test_a_stored_head_is_a_short_array_without_the_claims_article_ids():
    stories: dict[str, Story] = {}
    for i in range(3):
        stories |= track_article(_article(f"mix-{i}", i, _mention(("Putin", "Trump"), Status.PLANNED if i < 2 else Status.POSTPONED)), stories).stories
    (story,) = stories.values()
    small = stamped(head(story))
    stored = encode_head(small)
    assert small.story_id not in stored  # the key's
    assert stored.startswith('["Trump–Putin summit in Budapest","summit",["Putin","Trump"]') and '"mix-0"' in stored and stored.count('"mix-0"') == 1  # ids only in the claims
    assert len(stored) < 0.6 * len(_object_form(small))
    assert decode_head(stored, small.story_id) == small


@settings(max_examples=300, deadline=None)
@given(stories())
def test_a_packed_head_reads_back_the_same(story):
    packed = pack_head(story)
    assert packed[:1] == PACKED
    back = decode_head(packed, story.story_id)
    assert back == story and back.model_dump_json() == story.model_dump_json()
    assert decode_head(pack_head(compacted(story)), story.story_id) == compacted(story)


def test_a_packed_head_of_a_story_with_several_claims_is_smaller():
    stories: dict[str, Story] = {}
    for i in range(6):
        stories |= track_article(_article(f"mix-{i}", i, _mention(("Putin", "Trump"), Status.PLANNED if i < 4 else Status.POSTPONED)), stories).stories
    (story,) = stories.values()
    assert len(pack_head(story)) < 0.5 * len(encode_head(story))


def test_a_damaged_packed_head_is_a_clear_error():
    whole = pack_head(next(iter(track_article(_article("mix-0", 0, _mention(("Putin", "Trump"))), {}).stories.values())))
    deflated_json = PACKED + zlib.compress(b"[1]")[2:-4]  # unpacks, does not read
    for raw in (PACKED, PACKED + b"not deflate", whole[:-3], whole + b"more", deflated_json):
        with pytest.raises(ValueError, match="story head st-1 does not (unpack|read)"):
            decode_head(raw, "st-1")


@pytest.mark.parametrize("raw", [b"[1]", b"not json", b'["t","k",[],null,null,"p",0,[["p",0,"a",5]],[]]', b'["t","k",[],null,null,"p",0,[],[],0,0,[[0,"p"]]]', b"[]", b"7",
                                 b'["t","k",[],null,null,"p",0,[["p",0,"a","s",0]],["s"]]', b'["t","k",[],null,null,"p",0,[["p",0,"a","s","said"],["p",0,"b","s",3]],["s"]]'])
def test_a_damaged_head_is_a_clear_error(raw):
    with pytest.raises(ValueError, match="story head st-1 does not read"):
        decode_head(raw, "st-1")


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_an_index_member_is_the_ids_64_bits_as_an_integer_and_reads_back_as_the_id(bits: int) -> None:
    from consumers.story_store import index_member, story_of

    sid = f"st-{bits:016x}"
    member = index_member(sid)
    assert int(member) == int.from_bytes(bits.to_bytes(8, "big"), "big", signed=True) and str(int(member)) == member
    assert story_of(member.encode()) == sid


def test_ids_of_another_shape_are_index_members_as_they_are() -> None:
    from consumers.story_store import index_member, story_of

    for sid in ("s1", "st-1", "st-ABCDEF0123456789", "story-0000000000000000", "+1", "1_000", " 7", "-", "--1", "\u0663"):
        assert index_member(sid) == sid and story_of(sid.encode()) == sid


def test_index_keys_are_named_short_and_differ_by_term_and_bucket() -> None:
    from schemas.streams import story_index_key

    names = {story_index_key("meeting:@hungary+zelensky@London"), story_index_key("meeting:@hungary+zelensky@London", 23116),
             story_index_key("meeting:@hungary+zelensky@London", 23117), story_index_key("meeting:@hungary+zelensky")}
    assert len(names) == 4 and all(len(n) == len("sw:ix:") + 11 and n.startswith("sw:ix:") for n in names)
    # the names are the stored index's: a release naming them otherwise would not find the stories filed before it
    assert (story_index_key("meeting:@hungary+zelensky@London"), story_index_key("meeting:@hungary+zelensky@London", 23116),
            story_index_key("summit:trump+putin", -1)) == ("sw:ix:Ey95zQAplvM", "sw:ix:44jPyYUEruw", "sw:ix:8j1g2cteoME")


def test_a_sentence_two_claims_quote_is_stored_once_in_their_head():
    said = "Das für den 11. April geplante Treffen von Orbán und Zelensky in London wurde abgesagt."
    timeline = [TimelineEntry(status=Status.CANCELLED, at=T0 + timedelta(hours=i), article_id=f"a{i}", source=f"s{i % 2}", evidence=said if i != 1 else "other")
                for i in range(3)]
    story = Story(story_id="st-1", title="t", type="meeting", status=Status.CANCELLED, status_since=T0, timeline=timeline,
                  article_ids=[c.article_id for c in timeline], sources=["s0", "s1"])
    stored = encode_head(story)
    assert stored.count(said) == 1 and decode_head(stored, "st-1") == story


_VIEWED = ("story_id", "type", "actors", "location", "event_date", "status", "status_since", "source_status", "edition")


@settings(max_examples=500, deadline=None)
@given(stories())
def test_a_head_view_holds_what_the_decoded_head_does_or_is_not_made(story):
    """``head_view`` reads the fields ``may_take`` tests as ``decode_head`` gives them
    (the last claim's time with them), or declines (then the head is decoded)."""
    stored = encode_head(story).encode()
    view, back = head_view(stored, story.story_id), decode_head(stored, story.story_id)
    if view is None:
        assert any(t.utcoffset() != timedelta(0) or t.microsecond or not 0 <= t.timestamp() < 2e10 for t in [back.status_since, *(c.at for c in back.timeline[-1:])])
        return
    assert all(getattr(view, f) == getattr(back, f) for f in _VIEWED)
    assert [c.at for c in view.timeline] == [c.at for c in back.timeline[-1:]]
    assert head_view(pack_head(story), story.story_id) is None and head_view(_object_form(story).encode(), story.story_id) is None


held = st.sampled_from(list(Status))
kinds = st.sampled_from(["summit", "meeting", "visit", "race", "festival", "call"])
cast = st.lists(st.sampled_from(["Trump", "Putin", "Merz", "Xi", "Olympic Games", "United States", "Hungary", "Orbán", "Budapest"]), max_size=3)
where = st.sampled_from([None, "Budapest", "Hungary", "Berlin", "Elysée Palace", "Paris"])
day = st.one_of(st.none(), st.integers(0, 800).map(lambda d: date(2025, 1, 1) + timedelta(days=d)))
when = st.integers(0, 900 * 24).map(lambda h: datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=h))
numbered = st.sampled_from([None, "4", "5", "2025", "2026"])


@settings(max_examples=3000, deadline=None)
@given(kinds, cast, where, day, held, st.booleans(), when, kinds, cast, where, day, held, when, st.lists(held, max_size=3), st.lists(when, max_size=3), numbered, numbered)
def test_a_story_a_mention_cannot_take_by_its_view_is_one_find_story_does_not_file_it_under(mt, ma, ml, md, ms, bg, at, kt, ka, kl, kd, ks, since, latest, claimed, me, ke):
    """``may_take`` on a head's view answers as ``find_story`` on the decoded story."""
    m = EventMention(type=mt, actors=ma, location=ml, event_date=md, status=ms, background=bg, cue="x", evidence="x", edition=me)
    timeline = [TimelineEntry(status=ks, at=t, article_id=f"a{i}", source=f"s{i}") for i, t in enumerate(sorted(claimed))]
    story = Story(story_id="st-1", title="t", type=kt, actors=ka, location=kl, event_date=kd, status=ks, status_since=since, timeline=timeline,
                  sources=[f"s{i}" for i in range(len(timeline))], source_status={f"s{i}": s for i, s in enumerate(latest)}, edition=ke)
    view = head_view(encode_head(story).encode(), story.story_id)
    assert view is not None
    for published in (at, None):
        assert may_take(probe_of(m, published), view) == (find_story(m, {story.story_id: story}, "z", published) is not None)


def test_candidates_no_mention_can_take_are_left_undecoded_but_the_id_a_new_story_would_take_is_not():
    """Of a popular pair's stories at other dates, only the one the report can be filed
    under is decoded; a story holding the id the report's new story would take is too
    (``_new_story`` asks whether it exists), whatever its date."""
    mention = EventMention(type="summit", actors=["Putin", "Trump"], location="Budapest", event_date=date(2025, 11, 1), status=Status.PLANNED, cue="x", evidence="x")
    stories = {f"st-{i}": Story(story_id=f"st-{i}", title="t", type="summit", actors=["Putin", "Trump"], location="Budapest", event_date=date(2025, 11, 1) + timedelta(days=60 * i),
                                status=Status.PLANNED, status_since=T0) for i in range(4)}
    article = _article("r", 1, mention)
    found = Candidates()
    found.update(stories.values())
    raw = {sid: encode_head(s).encode() for sid, s in stories.items()}
    assert _unfit([article], found.by_key, raw) == {"st-1", "st-2", "st-3"}
    first, _ = new_story_ids(mention, "r")
    raw[first] = encode_head(stories["st-3"].model_copy(update={"story_id": first})).encode()
    found.update([stories["st-3"].model_copy(update={"story_id": first})])
    assert _unfit([article], found.by_key, raw) == {"st-1", "st-2", "st-3"}


def test_an_undecoded_candidate_still_shadows_a_new_story_of_its_article():
    """A candidate no mention can take (Trump's summit of another date, under the key
    ``summit:trump!1`` the report looks up) stays among what a story not announced yet is
    judged against (``shadowed``): the second report of Trump and an unknown name is
    decided as with every story decoded (not announced), not as without it (announced)."""
    def report() -> EventMention:
        return EventMention(type="summit", actors=["Trump", "Zorblax Quenn"], location="Budapest", event_date=date(2025, 11, 1), status=Status.PLANNED, cue="x", evidence="x")

    other = Story(story_id="st-o", title="t", type="summit", actors=["Trump"], location="Budapest", event_date=date(2026, 6, 1), status=Status.PLANNED,
                  status_since=T0, timeline=[TimelineEntry(status=Status.PLANNED, at=T0, article_id="o", source="s")], sources=["s"])
    (young,) = track_article(_article("z0", 1, report()), {"st-o": other}).stories.values()
    article = _article("z1", 2, report())
    found = Candidates(stories={young.story_id: young})
    found.update([other, young])
    unfit = _unfit([article], found.by_key, {"st-o": encode_head(other).encode()})
    assert unfit == {"st-o"}
    lazy = Candidates(stories={young.story_id: young}, by_key=found.by_key, undecoded=Undecoded({"st-o": encode_head(other).encode()}), unfit=unfit)
    assert list(lazy.for_article(article)) == [young.story_id] and "st-o" in list(lazy.neighbours_for(article))
    result = track_article(article, lazy.for_article(article), lazy.neighbours_for(article))
    every = track_article(article, {"st-o": other, young.story_id: young})
    assert result.stories == every.stories and result.alerts == every.alerts == []
    assert track_article(article, {young.story_id: young}, {}).alerts, "without it the report would announce the story"
