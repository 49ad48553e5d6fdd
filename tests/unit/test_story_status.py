"""The status rule: event-time order, news over background, no flapping, late reports."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from consumers.story_status import decide, is_backward
from schemas import Status, TimelineEntry

T0 = datetime(2025, 5, 1, 9, tzinfo=UTC)


def entry(status: Status, hours: float, source: str, background: bool = False, confidence: float = 0.9, agency: str | None = None) -> TimelineEntry:
    return TimelineEntry(status=status, at=T0 + timedelta(hours=hours), article_id=f"{source}-{hours}", source=source, agency=agency, background=background, confidence=confidence)


def test_newer_forward_claim_wins():
    d = decide([entry(Status.PLANNED, 0, "a"), entry(Status.PLANNED, 1, "b"), entry(Status.CANCELLED, 2, "c")])
    assert d.status == Status.CANCELLED and d.since == T0 + timedelta(hours=2)


def test_background_never_moves_back_but_may_move_forward():
    assert decide([entry(Status.ON_HOLD, 0, "a"), entry(Status.PLANNED, 5, "b", background=True)]).status == Status.ON_HOLD
    assert decide([entry(Status.PLANNED, 0, "a"), entry(Status.TOOK_PLACE, 5, "b", background=True)]).status == Status.TOOK_PLACE


def test_conflicting_sources_do_not_flap():
    timeline = [
        entry(Status.PLANNED, 0, "bbc"),
        entry(Status.CANCELLED, 200, "guardian"),
        entry(Status.POSTPONED, 203, "spiegel"),  # one against one: the incumbent stays
    ]
    assert decide(timeline).status == Status.CANCELLED
    timeline.append(entry(Status.POSTPONED, 209, "lemonde"))  # two against one
    assert decide(timeline).status == Status.POSTPONED
    timeline.append(entry(Status.CANCELLED, 224, "guardian"))  # the same source again: still one
    assert decide(timeline).status == Status.POSTPONED


def test_copies_of_one_agency_count_once():
    timeline = [entry(Status.CANCELLED, 0, "x"), entry(Status.PLANNED, 1, "y", agency="dpa"), entry(Status.PLANNED, 2, "z", agency="dpa")]
    d = decide(timeline)
    assert d.status == Status.CANCELLED
    assert decide([*timeline, entry(Status.PLANNED, 3, "w")]).status == Status.PLANNED


def test_questions_never_decide():
    assert decide([entry(Status.PLANNED, 0, "a"), entry(Status.CANCELLED, 1, "b", confidence=0.2)]).status == Status.PLANNED
    assert decide([entry(Status.CANCELLED, 1, "b", confidence=0.2)]) is None


def test_backward_moves_after_the_window_need_one_source():
    d = decide([entry(Status.ON_HOLD, 0, "a"), entry(Status.PLANNED, 100, "b")])
    assert d.status == Status.PLANNED
    assert is_backward(Status.ON_HOLD, Status.PLANNED) and not is_backward(Status.PLANNED, Status.ON_HOLD)


statuses = st.sampled_from(list(Status))
claims = st.lists(st.tuples(statuses, st.integers(0, 200), st.sampled_from("abcd"), st.booleans()), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(claims, st.randoms())
def test_decision_does_not_depend_on_arrival_order(raw, rnd: random.Random):
    timeline = [entry(s, h, src, bg) for s, h, src, bg in raw]
    shuffled = list(timeline)
    rnd.shuffle(shuffled)
    first, second = decide(timeline), decide(shuffled)
    assert (first.status, first.since) == (second.status, second.since)
