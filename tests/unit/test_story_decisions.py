"""When a story's claims turn into its status and an alert: what real reports need that
the rules on written sentences did not (pure, on mentions written for these tests)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consumers.alert_policy import AlertPolicy
from consumers.story_tracking import OPEN_STORY_DAYS
from schemas import AlertKind, Status
from tests.unit.test_story_tracking import T0, article, mention, run


@pytest.fixture
def held_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tracker announcing a story known only as held from its first report
    (``announce_held_after_sources: 1``): the tests of shadowing tell a turn that way."""
    monkeypatch.setattr("consumers.story_tracking.alert_policy", lambda: AlertPolicy(announce_held_after_sources=1))


def test_a_delayed_event_is_awaited_longer_than_an_open_one_until_it_is_held():
    body = dict(location=None, actors=("Italy",), type_="referendum")
    later = 24 * (OPEN_STORY_DAYS + 20)
    stories, alerts = run(
        article("a", 0, mention(Status.POSTPONED, in_lead=True, confidence=0.95, **body)),
        article("b", 1, mention(Status.POSTPONED, **body)),
        article("c", later, mention(Status.TOOK_PLACE, in_lead=True, confidence=0.95, **body)),
    )
    assert len(stories) == 1 and next(iter(stories.values())).status == Status.TOOK_PLACE
    assert [(a.from_status, a.to_status) for a in alerts][-1] == (Status.POSTPONED, Status.TOOK_PLACE)
    # a plan unreported as long is not awaited: the same people's next event
    stories, _ = run(
        article("a", 0, mention(Status.PLANNED, **body)),
        article("c", later, mention(Status.TOOK_PLACE, **body)),
    )
    assert len(stories) == 2


def test_a_recounting_does_not_confirm_a_passing_mention():
    body = dict(location=None, actors=("Ravens", "Steelers"), type_="match")
    stories, alerts = run(
        article("a", 0, mention(Status.PLANNED, **body)),
        article("b", 30, mention(Status.POSTPONED, background=True, **body)),
    )
    assert alerts == [] and not next(iter(stories.values())).announced
    _, alerts = run(
        article("a", 0, mention(Status.PLANNED, **body)),
        article("b", 30, mention(Status.POSTPONED, background=True, **body)),
        article("c", 40, mention(Status.PLANNED, **body)),
    )
    assert [(a.kind, a.to_status) for a in alerts] == [(AlertKind.STORY_NEW, Status.PLANNED)]


def test_a_new_date_after_a_delay_is_the_news_of_a_report_that_recalls_the_delay():
    body = dict(location="Berlin", actors=("Daimler",), type_="shareholder_meeting")
    delay = mention(Status.POSTPONED, in_lead=True, confidence=0.95, **body)
    later = 24 * 90
    new_date = (T0 + timedelta(hours=later + 24 * 5)).date()
    recalled = mention(Status.POSTPONED, in_lead=True, confidence=0.95, cue="nicht wie geplant", **body)
    plan = mention(Status.PLANNED, cue="wird", event_date=new_date, **body)
    stories, alerts = run(article("a", 0, delay), article("b", 1, delay), article("c", later, recalled, plan))
    assert next(iter(stories.values())).status == Status.PLANNED
    assert [(a.from_status, a.to_status) for a in alerts][-1] == (Status.POSTPONED, Status.PLANNED)
    # in the week of the delay, a date in the same reports is the delay's own
    stories, _ = run(article("a", 0, delay), article("b", 1, delay), article("c", 5, recalled, plan))
    assert next(iter(stories.values())).status == Status.POSTPONED


def test_rescheduled_for_a_date_weeks_after_the_delay_plans_the_event_again():
    body = dict(location="Los Angeles", actors=("Grammy Awards",), type_="ceremony")
    delay = mention(Status.POSTPONED, in_lead=True, confidence=0.95, **body)
    later = 24 * 13
    rescheduled = mention(Status.POSTPONED, in_lead=True, confidence=0.95, cue="rescheduled", event_date=(T0 + timedelta(days=80)).date(), **body)
    stories, alerts = run(article("a", 0, delay), article("b", 1, delay), article("c", later, rescheduled))
    assert next(iter(stories.values())).status == Status.PLANNED
    assert [(a.from_status, a.to_status) for a in alerts][-1] == (Status.POSTPONED, Status.PLANNED)
    # another delay that names its date ("pushed back to 12 January") stays a delay
    again = rescheduled.model_copy(update={"cue": "pushed back to"})
    stories, _ = run(article("a", 0, delay), article("b", 1, delay), article("c", later, again))
    assert next(iter(stories.values())).status == Status.POSTPONED


def test_a_delayed_story_named_otherwise_months_later_is_not_announced_twice():
    """"NASA delays the launch again" two months after the last scrub, naming "Artemis I"
    with another companion: the delayed launch, not a new one; a held launch's companion
    two months on is another event."""
    launch = dict(location="Cape Canaveral", type_="launch", in_lead=True, confidence=0.95)
    later = 24 * 60
    for first, announced in ((Status.POSTPONED, 1), (Status.TOOK_PLACE, 2)):
        _, alerts = run(
            article("a", 0, mention(first, actors=("Artemis I", "NASA"), **launch)),
            article("b", 1, mention(first, actors=("Artemis I", "NASA"), **launch)),
            article("c", later, mention(Status.POSTPONED, actors=("Artemis I", "Florida"), **launch)),
            article("d", later + 1, mention(Status.POSTPONED, actors=("Artemis I", "Florida"), **launch)),
        )
        assert len({a.story_id for a in alerts}) == announced


def test_a_move_told_by_a_sentence_that_does_not_name_the_event_waits_for_a_second_source():
    """"A diplomatic source said after the meeting", deep in a report on what replaced a
    postponed meeting: the sentence names no one (its participants are the article's,
    confidence 0.72), so it does not tell subscribers the postponed meeting was held; a
    second outlet saying so does, and a sentence naming the meeting does at once."""
    body = dict(location="Fontainebleau", actors=("Macron", "Scholz"), type_="consultations")
    delay = mention(Status.POSTPONED, in_lead=True, confidence=0.95, event_date=T0.date(), **body)
    after = mention(Status.TOOK_PLACE, cue="after the meeting", confidence=0.72, **body)
    stories, alerts = run(article("a", 0, delay), article("b", 24, after))
    assert next(iter(stories.values())).status == Status.POSTPONED
    assert [(a.from_status, a.to_status) for a in alerts] == [(None, Status.POSTPONED)]
    stories, alerts = run(article("a", 0, delay), article("b", 24, after), article("c", 30, after))
    assert next(iter(stories.values())).status == Status.TOOK_PLACE
    assert [(a.article_id, a.to_status) for a in alerts][-1] == ("c", Status.TOOK_PLACE)
    named = after.model_copy(update={"confidence": 0.8, "cue": "met"})
    _, alerts = run(article("a", 0, delay), article("b", 24, named))
    assert [(a.article_id, a.to_status) for a in alerts][-1] == ("b", Status.TOOK_PLACE)


def test_a_sentence_that_does_not_name_the_event_does_not_confirm_a_passing_mention():
    """A story one body sentence started ("das Gladbach-Spiel fiel aus") is announced when
    a second report names the event; "die Niederlage" in a later report, its sides
    borrowed from the article, is no such confirmation."""
    body = dict(location=None, actors=("Gladbach",), type_="match")
    first = mention(Status.CANCELLED, cue="fiel aus", **body)
    stories, alerts = run(article("a", 0, first), article("b", 48, mention(Status.TOOK_PLACE, cue="niederlage", confidence=0.72, **body)))
    assert alerts == [] and not next(iter(stories.values())).announced
    _, alerts = run(article("a", 0, first), article("b", 48, mention(Status.TOOK_PLACE, cue="sieg", confidence=0.8, **body)))
    assert [(a.kind, a.to_status) for a in alerts] == [(AlertKind.STORY_NEW, Status.CANCELLED), (AlertKind.STATUS_CHANGED, Status.TOOK_PLACE)]


def test_a_second_story_an_article_tells_with_the_same_turn_at_the_same_place_is_not_announced_from_it(held_at_once):
    """"The Games have begun", read once as the Games and once as their opening ceremony:
    the article brings the news of a story already announced, and the ceremony it would
    start is the same turn told another way; it waits for a report of its own. Another turn,
    another place or other participants are announced as usual."""
    lead = dict(in_lead=True, confidence=0.95)
    summit = mention(Status.PLANNED, event_date=(T0 + timedelta(days=1)).date(), **lead)
    held = mention(Status.TOOK_PLACE, evidence="The summit has begun.", **lead)
    ceremony = mention(Status.TOOK_PLACE, None, type_="ceremony", evidence="The summit has begun.", **lead)
    stories, alerts = run(article("a", 0, summit), article("b", 24, held, ceremony))
    assert len(stories) == 2
    assert [(a.kind, a.event_type, a.to_status) for a in alerts] == [
        (AlertKind.STORY_NEW, "summit", Status.PLANNED), (AlertKind.STATUS_CHANGED, "summit", Status.TOOK_PLACE)
    ]
    _, alerts = run(article("a", 0, summit), article("b", 24, held, ceremony), article("c", 30, ceremony))
    assert [(a.article_id, a.event_type) for a in alerts][2:] == [("b", "ceremony")]  # released by "c"
    others = ({"status": Status.PLANNED, "event_date": (T0 + timedelta(days=9)).date()}, {"location": "Vienna"}, {"actors": ["Lavrov", "Rubio"]})
    for other in (ceremony.model_copy(update=change) for change in others):
        _, alerts = run(article("a", 0, summit), article("b", 24, held, other))
        assert ("b", "ceremony") in [(a.article_id, a.event_type) for a in alerts]


def test_a_claim_of_another_family_shadows_from_the_article_alone_so_every_partition_decides_alike(held_at_once):
    """Across families, the article's own claim of the same turn in the same sentence
    shadows a new story, whether or not that claim's story was announced before: each
    family is tracked in its own partition, which sees the other family's claims in the
    message only. Partitions given one family each (and the whole article's events beside
    it) decide as one server given both."""
    from consumers.story_tracking import track_article

    lead = dict(in_lead=True, confidence=0.95)
    held = mention(Status.TOOK_PLACE, evidence="The summit has begun.", **lead)
    ceremony = mention(Status.TOOK_PLACE, None, type_="ceremony", evidence="The summit has begun.", **lead)
    whole = article("b", 24, held, ceremony)

    def alerts_of(*results) -> list[tuple]:  # type: ignore[no-untyped-def]
        return sorted((a.event_type, a.kind.value, a.to_status.value) for r in results for a in r.alerts)

    parts = [track_article(whole.model_copy(update={"events": [m]}), {}, told_with=whole.events) for m in whole.events]
    assert alerts_of(track_article(whole, {})) == alerts_of(*parts)
    assert alerts_of(*[track_article(whole.model_copy(update={"events": [m]}), {}) for m in whole.events]) != alerts_of(*parts)  # the message's other claims decide
    _, alerts = run(article("a", 0, mention(Status.PLANNED, event_date=(T0 + timedelta(days=1)).date(), **lead)), whole)
    assert [(a.event_type, a.to_status) for a in alerts] == [("summit", Status.PLANNED), ("summit", Status.TOOK_PLACE)]
    apart = article("b", 24, held, ceremony.model_copy(update={"evidence": "The gala dinner was held later."}))
    assert "ceremony" in [a.event_type for a in track_article(apart, {}).alerts]  # another sentence: another event (a call beside a meeting)
