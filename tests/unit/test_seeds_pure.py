"""The seeds' Must and Nice-to-have lists through the pure pipeline (no Redis)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from consumers.evaluation import run_pure_pipeline
from consumers.extraction import extract_events
from consumers.story_status import is_backward
from schemas import Article, Status, Story
from seedfiles import ARRIVAL, read_seeds

TEASER = "Weitere Meldungen"


def _by_date(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.event_time, a.id))


def _arrive_in(order: list[Article]) -> list[Article]:
    """Re-stamp arrival so the pipeline receives the dated articles in this order, all
    before the undated one (which keeps its own, newest, arrival time)."""
    dated = [a for a in order if not a.date_from_arrival]
    stamped = [a.model_copy(update={"received_at": ARRIVAL - timedelta(minutes=len(dated) - i)}) for i, a in enumerate(dated)]
    return stamped + [a for a in order if a.date_from_arrival]


def _run(order: list[Article]):
    decisions, stories, alerts = run_pure_pipeline(order)
    return decisions, stories, alerts


def _story(stories: dict[str, Story], type_family: set[str], actors: set[str], location: str | None = None) -> Story:
    found = [s for s in stories.values() if s.type in type_family and set(s.actors) == actors and (location is None or s.location == location)]
    assert len(found) == 1, [(s.title, s.status) for s in stories.values()]
    return found[0]


SUMMIT = {"summit", "meeting", "talks"}
PREP = {"preparatory_meeting", "meeting", "talks"}


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    return read_seeds()


@pytest.fixture(scope="module")
def in_date_order(seeds):
    ordered = _by_date(seeds)
    return _run(_arrive_in(ordered))


def test_budapest_summit_planned_then_on_hold_with_one_alert(in_date_order):
    _, stories, alerts = in_date_order
    story = _story(stories, SUMMIT, {"Putin", "Trump"}, "Budapest")
    assert story.status == Status.ON_HOLD
    assert story.type == "summit" and story.title == "Trump–Putin summit in Budapest"
    changes = [a for a in alerts if a["story_id"] == story.story_id and a["kind"] == "status_changed"]
    assert [(a["from_status"], a["to_status"]) for a in changes] == [("planned", "on_hold")]
    assert changes[0]["evidence"] and changes[0]["source"] and changes[0]["article_id"] in {"c0c7c25cd1612e28", "fddfa136899eb72f"}
    planned = [e for e in story.timeline if e.status == Status.PLANNED and not e.background]
    assert {e.at.date().isoformat() for e in planned} == {"2025-10-16", "2025-10-20"}


def test_preparatory_meeting_planned_on_hold_cancelled(in_date_order):
    _, stories, alerts = in_date_order
    prep = _story(stories, PREP, {"Lavrov", "Rubio"}, None)
    assert prep.type == "preparatory_meeting" and prep.title == "Rubio–Lavrov preparatory meeting"
    moves = [(a["from_status"], a["to_status"]) for a in alerts if a["story_id"] == prep.story_id and a["kind"] == "status_changed"]
    assert moves == [("planned", "on_hold"), ("on_hold", "cancelled")]
    assert prep.status == Status.CANCELLED
    assert next(a for a in alerts if a["to_status"] == "cancelled")["article_id"] == "468bb61556176f4d"
    budapest = _story(stories, SUMMIT, {"Putin", "Trump"}, "Budapest")
    assert prep.parent_id == budapest.story_id


def test_alaska_is_its_own_story_without_status_change(in_date_order):
    _, stories, alerts = in_date_order
    alaska = _story(stories, SUMMIT, {"Putin", "Trump"}, "Alaska")
    assert alaska.status == Status.TOOK_PLACE
    assert all(e.status == Status.TOOK_PLACE for e in alaska.timeline)
    assert not [a for a in alerts if a["story_id"] == alaska.story_id and a["kind"] == "status_changed"]
    budapest = _story(stories, SUMMIT, {"Putin", "Trump"}, "Budapest")
    assert all(e.status != Status.TOOK_PLACE for e in budapest.timeline)


def test_nothing_from_the_teaser_list(seeds):
    article = next(a for a in seeds if a.id == "64119b435b1aeb5b")
    teaser = article.text[article.text.index(TEASER) :]
    mentions = extract_events(article)
    assert mentions, "the article itself reports events"
    assert not [m for m in mentions if m.evidence in teaser or "Abu Dhabi" in m.evidence or "2026" in m.evidence]
    assert not [m for m in mentions if m.location == "Abu Dhabi"]


def test_teaser_list_alone_gives_nothing(seeds):
    article = next(a for a in seeds if a.id == "64119b435b1aeb5b")
    teaser_only = article.model_copy(update={"text": "Kurzmeldung ohne Termin.\n\n" + article.text[article.text.index(TEASER) :]})
    assert extract_events(teaser_only) == []


def test_zelensky_visit_planned_then_took_place(in_date_order):
    _, stories, alerts = in_date_order
    visit = next(s for s in stories.values() if s.type == "visit" and "Zelensky" in s.actors)
    assert visit.location == "Washington"
    moves = [(a["from_status"], a["to_status"]) for a in alerts if a["story_id"] == visit.story_id]
    assert moves == [(None, "planned"), ("planned", "took_place")]


def test_eu_summit_planned(in_date_order):
    _, stories, _ = in_date_order
    eu = _story(stories, {"summit"}, {"EU"})
    assert eu.status == Status.PLANNED and str(eu.event_date) == "2025-10-23"


def test_three_way_meeting_is_not_planned(in_date_order):
    decisions, stories, _ = in_date_order
    trio = {"Putin", "Trump", "Zelensky"}
    assert not [s for s in stories.values() if trio <= set(s.actors)]
    assert not [e for d in decisions for e in d["events"] if trio <= set(e["actors"]) and e["status"] == "planned"]


def _final(stories: dict[str, Story]) -> dict[tuple, Status]:
    return {(s.type, tuple(s.actors), s.location): s.status for s in stories.values() if {"Putin", "Trump"} == set(s.actors) or {"Lavrov", "Rubio"} == set(s.actors)}


ORDERS = [p for i, p in enumerate(itertools.permutations(range(4))) if i % 5 == 0]


@pytest.mark.parametrize("perm", ORDERS)
def test_any_order_same_final_statuses_and_no_backward_alert(seeds, in_date_order, perm):
    dated = [a for a in _by_date(seeds) if not a.date_from_arrival]
    undated = [a for a in seeds if a.date_from_arrival]
    _, stories, alerts = _run(_arrive_in([dated[i] for i in perm] + undated))
    _, reference, _ = in_date_order
    want = {(s.location, s.status) for s in reference.values() if set(s.actors) in ({"Putin", "Trump"}, {"Lavrov", "Rubio"}) and s.type != "call"}
    got = {(s.location, s.status) for s in stories.values() if set(s.actors) in ({"Putin", "Trump"}, {"Lavrov", "Rubio"}) and s.type != "call"}
    assert got == want
    assert not [a for a in alerts if a["from_status"] and is_backward(Status(a["from_status"]), Status(a["to_status"]))]
    for story_id in {a["story_id"] for a in alerts}:
        times = [a["event_time"] for a in alerts if a["story_id"] == story_id]
        assert times == sorted(times), "a story's alerts follow event time: no late report moves it"


def test_undated_article_taken_at_arrival_is_newest(seeds):
    undated = next(a for a in seeds if a.id == "468bb61556176f4d")
    assert undated.published_at is None and undated.date_from_arrival
    assert undated.event_time > max(a.event_time for a in seeds if a is not undated)


def test_replay_is_idempotent(seeds, in_date_order):
    from consumers.extraction import article_events
    from consumers.story_tracking import track_article

    _, stories, _ = in_date_order
    for article in seeds:
        again = track_article(article_events(article), dict(stories))
        assert again.stories == {} and again.alerts == []
