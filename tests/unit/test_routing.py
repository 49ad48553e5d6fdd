"""Where an article's events are tracked with several partitions (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from consumers.routing import route_output
from consumers.story_tracking import family
from consumers.track_stage import _spread, here
from schemas import ArticleEvents, EventMention, Status
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import EVENTS, OUTCOMES

AT = datetime(2026, 3, 1, tzinfo=UTC)


def _mention(kind: str, *actors: str) -> EventMention:
    return EventMention(type=kind, actors=list(actors), status=Status.PLANNED, cue="x", evidence=f"{kind} of {actors}")


def _article(*events: EventMention) -> ArticleEvents:
    return ArticleEvents(article_id="a1", event_time=AT, events=list(events))


def _apart() -> Partitioning:
    """A layout that keeps summits and matches in different partitions."""
    for count in range(2, 64):
        layout = Partitioning(count)
        if layout.of(f"family:{family('summit')}") != layout.of(f"family:{family('match')}"):
            return layout
    raise AssertionError("no layout keeps the two families apart")


def test_events_of_families_kept_apart_go_to_each_partition_and_the_first_owes_the_outcome() -> None:
    layout = _apart()
    article = _article(_mention("summit", "Putin", "Trump"), _mention("match", "Bayern", "Dortmund"), _mention("summit", "Xi"))
    routes = route_output(EVENTS, article, layout, own=0)
    assert [(p, m.tracked, m.part) for p, m in routes] == [
        (layout.of(f"family:{family('summit')}"), [0, 2], 0),
        (layout.of(f"family:{family('match')}"), [1], 1),
    ]
    assert all(m.events == article.events for _, m in routes), "every part carries the whole article"
    first, second = (here(m) for _, m in routes)
    assert [e.type for e in first.events] == ["summit", "summit"] and [e.type for e in second.events] == ["match"]
    assert _spread(["s1", "s2"], routes[0][1]) == ["s1", None, "s2"]
    assert _spread(["m1"], routes[1][1]) == [None, "m1", None]


def test_an_article_of_one_partition_one_layout_or_no_events_is_not_split() -> None:
    layout = _apart()
    one_family = _article(_mention("summit", "Putin", "Trump"), _mention("summit", "Xi"))
    assert route_output(EVENTS, one_family, layout, own=0) == [(layout.of(f"family:{family('summit')}"), one_family)]
    mixed = _article(_mention("summit", "Putin"), _mention("match", "Bayern"))
    assert route_output(EVENTS, mixed, SINGLE, own=0) == [(0, mixed)]
    empty = _article()
    assert route_output(EVENTS, empty, layout, own=0) == [(layout.of("a1"), empty)]
    assert route_output(OUTCOMES, mixed, layout, own=3) == [(3, mixed)]
    assert here(one_family) is one_family and _spread(["s1", "s2"], one_family) == ["s1", "s2"]


def test_indexes_out_of_range_in_tracked_are_ignored() -> None:
    article = _article(_mention("summit", "Putin")).model_copy(update={"tracked": [5, 0, -1]})
    assert [e.type for e in here(article).events] == ["summit"]
    assert _spread(["s1"], article) == ["s1"]
