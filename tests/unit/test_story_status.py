"""The status rule: event-time order, news over background, no flapping, late reports."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from consumers.story_status import WINDOW, Decision, counted, decide, is_backward, newest_claim, source_key, sources_for
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
    assert decide([entry(Status.POSTPONED, 0, "a"), entry(Status.TOOK_PLACE, 5, "b", background=True)]).status == Status.TOOK_PLACE


def test_a_recounted_call_off_or_delay_does_not_move_a_story():
    """"After the cancellation of last year's race" in a report on this year's race."""
    for status in (Status.CANCELLED, Status.POSTPONED, Status.ON_HOLD):
        assert decide([entry(Status.PLANNED, 0, "a"), entry(status, 5, "b", background=True)]).status == Status.PLANNED
        assert decide([entry(Status.PLANNED, 0, "a"), entry(status, 5, "b")]).status == status  # reported as news, it does


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


def _latest_by_source(entries: list[TimelineEntry]) -> dict[str, TimelineEntry]:
    latest: dict[str, TimelineEntry] = {}
    for e in entries:
        latest[source_key(e)] = e
    return latest


def _reference_sources(claims: list[TimelineEntry], status: Status) -> int:
    return max(1, sum(1 for e in _latest_by_source(claims).values() if e.status == status))


def _reference_wins(claim: TimelineEntry, current: Status, window: list[TimelineEntry]) -> bool:
    latest = _latest_by_source(window)
    challengers = sum(1 for e in latest.values() if e.status == claim.status)
    if is_backward(current, claim.status):
        defenders = sum(1 for e in latest.values() if e.status == current)
    else:
        first = min(e.at for e in window if e.status == claim.status)
        defenders = sum(1 for e in latest.values() if e.status == current and e.at >= first)
    return challengers > defenders


def reference_decide(timeline: list[TimelineEntry]) -> Decision | None:
    """The rule as first written: every step rescans the whole timeline up to the claim."""
    claims = counted(timeline)
    if not claims:
        return None
    basis = claims[0]
    for i, claim in enumerate(claims[1:], start=1):
        if claim.status == basis.status or (claim.background and (is_backward(basis.status, claim.status) or claim.status != Status.TOOK_PLACE)):
            continue
        window = [e for e in claims[: i + 1] if claim.at - e.at <= WINDOW]
        if _reference_wins(claim, basis.status, window):
            basis = claim
    return Decision(basis.status, basis.at, basis, _reference_sources(claims, basis.status))


# hours on a coarse grid (many claims exactly one window apart, many at one time) or in
# quarter steps, so the window's edge and ties are exercised
hours = st.one_of(st.integers(0, 40).map(lambda k: 6.0 * k), st.integers(0, 4 * 250).map(lambda q: q / 4))
detailed = st.lists(
    st.tuples(statuses, hours, st.sampled_from("abcdef"), st.booleans(), st.sampled_from([0.9, 0.9, 0.3]), st.sampled_from([None, None, "dpa", "afp"])),
    min_size=0,
    max_size=40,
)


@settings(max_examples=600, deadline=None)
@given(detailed)
@example([(Status.ON_HOLD, 0.0, "a", False, 0.9, None), (Status.PLANNED, 48.0, "b", False, 0.9, None)])  # a defender exactly a window back
@example([(Status.PLANNED, 0.0, "a", False, 0.9, None), (Status.CANCELLED, 0.0, "b", False, 0.9, None), (Status.PLANNED, 1.0, "c", False, 0.9, "dpa")])
def test_decision_equals_the_reference_rule(raw):
    timeline = [entry(s, h, src, bg, conf, agency) for s, h, src, bg, conf, agency in raw]
    assert decide(timeline) == reference_decide(timeline)
    claims = counted(timeline)
    assert newest_claim(timeline) == (claims[-1].at if claims else None)
    assert all(sources_for(claims, s) == _reference_sources(claims, s) for s in Status)
