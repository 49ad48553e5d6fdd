"""The alert policy: which single report alerts at once and what waits for confirmation
(pure, on mentions and stories written for these tests)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consumers.alert_policy import (
    AlertPolicy, alert_policy, announces_at_once, early_took_place, firm_announcement, firm_move, held_news_waits, move_waits, repeated_turn, undated_return,
)
from consumers.corroboration import confirming_sources
from consumers.story_tracking import held_back, track_article
from schemas import AlertKind, Status
from tests.unit.test_story_tracking import T0, article, mention, run

VISIT = dict(location="Tokyo", actors=("Japan", "Xi Jinping"), type_="visit")


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> AlertPolicy:
    """The tracker under the stricter settings: firm headlines only, early reports wait."""
    policy = AlertPolicy(announce_at_once="firm", early_took_place_waits=True)
    monkeypatch.setattr("consumers.story_tracking.alert_policy", lambda: policy)
    return policy


def test_the_shipped_policy_file_holds_the_documented_defaults():
    assert alert_policy() == AlertPolicy()


def test_a_bad_policy_file_is_an_error_naming_the_file_and_the_field(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("confirm_sources: 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"(?s)policy\.yaml.*confirm_sources"):
        alert_policy(bad)


def test_a_policy_file_that_is_not_a_mapping_or_not_yaml_is_named(tmp_path):
    listed = tmp_path / "listed.yaml"
    listed.write_text("- confirm_sources\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"listed\.yaml: the file: .*dictionary"):
        alert_policy(listed)
    broken = tmp_path / "broken.yaml"
    broken.write_text("confirm_sources: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.yaml"):
        alert_policy(broken)


def test_the_policy_given_to_track_article_is_the_one_it_follows():
    """A policy passed in (the service's ``--alert-policy``) decides, not the shipped file."""
    lead = mention(Status.PLANNED, in_lead=True, confidence=0.95, **VISIT)
    shipped = track_article(article("a", 0, lead), {})
    assert [a.kind for a in shipped.alerts] == [AlertKind.STORY_NEW]
    quiet = track_article(article("a", 0, lead), {}, policy=AlertPolicy(announce_at_once="never"))
    assert quiet.alerts == [] and quiet.stories and not next(iter(quiet.stories.values())).announced


def test_a_headline_announces_at_once_only_a_dated_plan_or_a_held_event():
    firm = AlertPolicy(announce_at_once="firm")
    undated = mention(Status.PLANNED, in_lead=True, confidence=0.95, **VISIT)
    dated = undated.model_copy(update={"event_date": (T0 + timedelta(days=30)).date()})
    held = undated.model_copy(update={"status": Status.TOOK_PLACE})
    assert not firm_announcement(undated) and firm_announcement(dated) and firm_announcement(held)
    assert not announces_at_once(undated, True, firm)
    assert announces_at_once(dated, True, firm) and announces_at_once(held, True, firm)
    assert announces_at_once(undated, True, AlertPolicy(announce_at_once="lead"))
    assert not announces_at_once(dated, True, AlertPolicy(announce_at_once="never"))
    assert not announces_at_once(dated, False, firm)  # participants read from the text alone wait
    assert not announces_at_once(dated.model_copy(update={"in_lead": False}), True, firm)  # in passing


def test_an_undated_headline_plan_waits_for_a_second_article_a_dated_one_does_not(strict):
    """"Japan and China will continue preparations for Xi's state visit": a prospect, not
    news of a plan; subscribers hear of it when a second report confirms it. "Xi to visit
    Japan on 6 April" is announced at once."""
    undated = mention(Status.PLANNED, in_lead=True, confidence=0.95, **VISIT)
    _, alerts = run(article("a", 0, undated))
    assert alerts == []
    _, alerts = run(article("a", 0, undated), article("b", 5, undated))
    assert [(a.kind, a.article_id) for a in alerts] == [(AlertKind.STORY_NEW, "a")]  # released by "b"
    dated = undated.model_copy(update={"event_date": (T0 + timedelta(days=30)).date()})
    _, alerts = run(article("a", 0, dated))
    assert [(a.kind, a.to_status) for a in alerts] == [(AlertKind.STORY_NEW, Status.PLANNED)]


def test_a_move_told_in_the_body_waits_for_a_second_source_when_the_policy_asks_for_the_lead():
    lead = AlertPolicy(move_at_once="lead")
    body = mention(Status.POSTPONED, confidence=0.95, **VISIT)
    headline = body.model_copy(update={"in_lead": True})
    assert not firm_move(body, lead) and firm_move(headline, lead)
    assert firm_move(body, AlertPolicy(move_at_once="named"))
    assert move_waits(body, 1, False, lead) and not move_waits(body, 2, False, lead)
    assert not move_waits(headline, 1, False, lead)


def test_a_report_that_the_event_was_held_before_its_date_waits_for_a_second_source(strict):
    """"The state visit is under way", a week before the visit's date: a misreading (a
    preparatory trip, a programme announced) until another outlet says it too."""
    day = (T0 + timedelta(days=7)).date()
    plan = mention(Status.PLANNED, in_lead=True, confidence=0.95, event_date=day, **VISIT)
    held = mention(Status.TOOK_PLACE, in_lead=True, confidence=0.95, **VISIT)
    assert early_took_place(Status.TOOK_PLACE, day, T0, strict)
    assert not early_took_place(Status.TOOK_PLACE, day, T0 + timedelta(days=7), strict)
    assert not early_took_place(Status.CANCELLED, day, T0, strict)
    assert not early_took_place(Status.TOOK_PLACE, day, T0, AlertPolicy(early_took_place_waits=False))
    stories, alerts = run(article("a", 0, plan), article("b", 24, held))
    assert next(iter(stories.values())).status == Status.PLANNED
    assert [a.to_status for a in alerts] == [Status.PLANNED]
    stories, alerts = run(article("a", 0, plan), article("b", 24, held), article("c", 30, held))
    assert [(a.article_id, a.to_status) for a in alerts][-1] == ("c", Status.TOOK_PLACE)
    # on its day one report is enough
    _, alerts = run(article("a", 0, plan), article("b", 24 * 7 + 1, held))
    assert [(a.article_id, a.to_status) for a in alerts][-1] == ("b", Status.TOOK_PLACE)


def test_held_back_reads_the_story_date_and_the_policy(strict):
    day = (T0 + timedelta(days=7)).date()
    plan = mention(Status.PLANNED, in_lead=True, confidence=0.95, event_date=day, **VISIT)
    stories, _ = run(article("a", 0, plan))
    story = next(iter(stories.values()))
    held = mention(Status.TOOK_PLACE, in_lead=True, confidence=0.95, **VISIT)
    assert held_back(story, held, Status.TOOK_PLACE, 1, T0 + timedelta(days=1), strict)
    assert not held_back(story, held, Status.TOOK_PLACE, 2, T0 + timedelta(days=1), strict)
    assert not held_back(story, held, Status.TOOK_PLACE, 1, T0 + timedelta(days=1), AlertPolicy(early_took_place_waits=False))


def test_a_headline_held_for_confirmation_is_announced_with_its_own_evidence(strict):
    """"Emperor's UK state visit postponed over virus" waits (no date); a second outlet's
    passing line or teaser ("alexa Tour de France postponed until August - Daily Nation")
    confirms it: the subscriber reads the headline, from its outlet, not the teaser."""
    head = mention(Status.POSTPONED, in_lead=True, confidence=0.95, evidence="Emperor's UK state visit postponed over virus", **VISIT)
    for confidence in (0.8, 0.95):
        passing = mention(Status.POSTPONED, confidence=confidence, evidence="state visit postponed - Daily Teaser", **VISIT)
        _, alerts = run(article("a", 0, head), article("b", 5, passing))
        assert [(a.kind, a.article_id, a.evidence) for a in alerts] == [
            (AlertKind.STORY_NEW, "a", "Emperor's UK state visit postponed over virus")
        ]
    # a surer second report tells it itself
    sure = mention(Status.POSTPONED, in_lead=True, confidence=0.95, evidence="Visit put off", **VISIT)
    _, alerts = run(article("a", 0, head.model_copy(update={"confidence": 0.8})), article("b", 5, sure))
    assert [(a.article_id, a.evidence) for a in alerts] == [("b", "Visit put off")]


def test_held_news_waits_only_for_a_story_first_heard_of_as_held():
    policy = AlertPolicy(announce_held_after_sources=2)
    held = Status.TOOK_PLACE
    assert held_news_waits(held, held, 1, False, policy)
    assert not held_news_waits(held, held, 2, False, policy)
    assert not held_news_waits(Status.PLANNED, held, 1, False, policy)  # announced, then held: as before
    assert not held_news_waits(Status.CANCELLED, Status.CANCELLED, 1, False, policy)
    assert not held_news_waits(held, held, 1, True, policy)  # a recurring event known by name
    assert not held_news_waits(held, held, 1, False, AlertPolicy(announce_held_after_sources=1))


def test_a_story_first_heard_of_as_held_is_announced_when_a_second_source_reports_it():
    """"Earlier, the minister met his Omani counterpart": one outlet's report of an event
    nobody announced is as often a side meeting, a recap or another round's as news, and
    there is nothing left to act on; a second outlet's report announces it. A story any
    report gave as planned first moves to held at once, as before."""
    held = mention(Status.TOOK_PLACE, in_lead=True, confidence=0.95, **VISIT)
    stories, alerts = run(article("a", 0, held))
    assert alerts == [] and not next(iter(stories.values())).announced
    _, alerts = run(article("a", 0, held), article("b", 3, held, source="src-a"))
    assert alerts == []  # the same outlet again is no confirmation
    _, alerts = run(article("a", 0, held), article("b", 3, held))
    assert [(a.kind, a.to_status) for a in alerts] == [(AlertKind.STORY_NEW, Status.TOOK_PLACE)]
    quick = track_article(article("a", 0, held), {}, policy=AlertPolicy(announce_held_after_sources=1))
    assert [(a.kind, a.to_status) for a in quick.alerts] == [(AlertKind.STORY_NEW, Status.TOOK_PLACE)]
    plan = mention(Status.PLANNED, in_lead=True, confidence=0.95, **VISIT)
    _, alerts = run(article("a", 0, plan), article("b", 30, held))
    assert [(a.kind, a.to_status) for a in alerts] == [(AlertKind.STORY_NEW, Status.PLANNED), (AlertKind.STATUS_CHANGED, Status.TOOK_PLACE)]
    # "Das Münchner Oktoberfest ist eröffnet": a recurring event known by name is on the calendar
    opened = mention(Status.TOOK_PLACE, "Munich", ("Oktoberfest",), "festival", in_lead=True, confidence=0.95)
    _, alerts = run(article("a", 0, opened))
    assert [(a.kind, a.to_status) for a in alerts] == [(AlertKind.STORY_NEW, Status.TOOK_PLACE)]


def test_undated_return_is_a_weak_move_back_without_a_date():
    policy = AlertPolicy()
    will = mention(Status.PLANNED, cue="will", **VISIT)
    assert undated_return(True, True, will, policy)
    assert not undated_return(True, True, will.model_copy(update={"event_date": (T0 + timedelta(days=9)).date()}), policy)
    assert not undated_return(True, False, will, policy)  # "is on for": a decision of its own
    assert not undated_return(False, True, will, policy)  # forward
    assert not undated_return(True, True, will, AlertPolicy(undated_return_waits=False))
    assert move_waits(will, 1, True, policy) and not move_waits(will, 2, True, policy)


def test_a_weak_undated_return_to_planned_weeks_after_a_call_off_waits_for_a_second_source():
    """"Frost and his counterpart will meet for their next round": weeks after the round
    was called off, one report that does not date the meeting is no news that it is on
    again; a second source, a new date or a cue of its own moves the story back."""
    off = mention(Status.CANCELLED, in_lead=True, confidence=0.95, **VISIT)
    will = mention(Status.PLANNED, in_lead=True, confidence=0.95, cue="will", **VISIT)
    later = 24 * 30
    stories, alerts = run(article("a", 0, off), article("b", later, will))
    assert next(iter(stories.values())).status == Status.CANCELLED and [a.to_status for a in alerts] == [Status.CANCELLED]
    _, alerts = run(article("a", 0, off), article("b", later, will), article("c", later + 2, will))
    assert [(a.from_status, a.to_status, a.article_id) for a in alerts][-1] == (Status.CANCELLED, Status.PLANNED, "c")
    dated = will.model_copy(update={"event_date": (T0 + timedelta(days=40)).date()})
    _, alerts = run(article("a", 0, off), article("b", later, dated))
    assert [(a.from_status, a.to_status) for a in alerts][-1] == (Status.CANCELLED, Status.PLANNED)
    on = will.model_copy(update={"cue": "is on for"})
    _, alerts = run(article("a", 0, off), article("b", later, on))
    assert [(a.from_status, a.to_status) for a in alerts][-1] == (Status.CANCELLED, Status.PLANNED)


def test_only_sources_that_speak_after_the_turn_confirm_a_move_back():
    """Two outlets that reported the talks planned before they were called off do not
    confirm an undated "will meet" a month after the call-off: their word is older than
    the turn it would undo (``confirming_sources``)."""
    plan = mention(Status.PLANNED, in_lead=True, confidence=0.95, cue="is on for", **VISIT)
    off = mention(Status.CANCELLED, in_lead=True, confidence=0.95, **VISIT)
    will = mention(Status.PLANNED, in_lead=True, confidence=0.95, cue="will", **VISIT)
    reports = [article("a", 0, plan, source="x"), article("b", 1, plan, source="y"), article("c", 24, off, source="z")]
    stories, alerts = run(*reports, article("d", 24 * 30, will, source="w"))
    assert next(iter(stories.values())).status == Status.CANCELLED and alerts[-1].to_status == Status.CANCELLED
    assert confirming_sources(next(iter(stories.values())).timeline, Status.PLANNED, T0 + timedelta(hours=24)) == 1
    _, alerts = run(*reports, article("d", 24 * 30, will, source="w"), article("e", 24 * 30 + 2, will, source="x"))
    assert (alerts[-1].from_status, alerts[-1].to_status, alerts[-1].article_id) == (Status.CANCELLED, Status.PLANNED, "e")


def test_repeated_turn_is_a_body_move_on_to_a_status_the_story_left():
    policy = AlertPolicy()
    body = mention(Status.POSTPONED, confidence=0.8, **VISIT)
    assert repeated_turn(False, Status.POSTPONED, {Status.POSTPONED}, body, policy)
    assert not repeated_turn(False, Status.POSTPONED, set(), body, policy)  # a first delay
    assert not repeated_turn(False, Status.POSTPONED, {Status.POSTPONED}, body.model_copy(update={"in_lead": True}), policy)
    assert not repeated_turn(True, Status.PLANNED, {Status.PLANNED}, mention(Status.PLANNED, confidence=0.8, **VISIT), policy)  # planned again
    assert not repeated_turn(False, Status.POSTPONED, {Status.POSTPONED}, body, AlertPolicy(repeated_turn_waits=False))


def test_a_delay_recalled_in_the_body_after_the_new_date_does_not_delay_the_event_again():
    """"Senegal sets March 24 as the new date"; the next day a report on the campaign
    recalls "his last-minute postponement of the election": the vote is still on. A
    second delay that is news is told in the headline, or by a second source."""
    vote = dict(location=None, actors=("Senegal",), type_="election")
    day = (T0 + timedelta(days=40)).date()
    reports = [
        article("a", 0, mention(Status.PLANNED, in_lead=True, confidence=0.95, **vote)),
        article("b", 24, mention(Status.POSTPONED, in_lead=True, confidence=0.95, **vote)),
        article("c", 24 * 10, mention(Status.PLANNED, in_lead=True, confidence=0.95, event_date=day, **vote)),
    ]
    recalled = mention(Status.POSTPONED, confidence=0.8, **vote)
    stories, alerts = run(*reports, article("d", 24 * 11, recalled))
    assert next(iter(stories.values())).status == Status.PLANNED and alerts[-1].to_status == Status.PLANNED
    _, alerts = run(*reports, article("d", 24 * 11, recalled), article("e", 24 * 11 + 3, recalled))
    assert (alerts[-1].from_status, alerts[-1].to_status, alerts[-1].article_id) == (Status.PLANNED, Status.POSTPONED, "e")
    _, alerts = run(*reports, article("d", 24 * 11, recalled.model_copy(update={"in_lead": True})))
    assert (alerts[-1].to_status, alerts[-1].article_id) == (Status.POSTPONED, "d")

