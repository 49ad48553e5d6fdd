"""The alert policy: which single report alerts at once and what waits for confirmation
(pure, on mentions and stories written for these tests)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consumers.alert_policy import (
    AlertPolicy, alert_policy, announces_at_once, early_took_place, firm_announcement, firm_move, move_waits,
)
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
