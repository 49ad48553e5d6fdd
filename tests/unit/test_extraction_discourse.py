"""Discourse across sentences: generic event nouns and the article's main event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from consumers.extraction import extract_events
from schemas import Article, Status

PUBLISHED = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def _events(text: str, language: str, title: str | None = None):
    return extract_events(Article(id="t", text=text, title=title, language=language, published_at=PUBLISHED))


def _claims(text: str, language: str, title: str | None = None) -> list[tuple[str, Status, list[str]]]:
    return [(m.type, m.status, m.actors) for m in _events(text, language, title)]


# -- a definite generic event noun refers back ------------------------------------------


def test_german_generic_event_noun_far_from_the_event_word_takes_the_main_event():
    text = (
        "Die Band Kraftklub will am Samstag in Chemnitz ein Konzert geben. "
        "Der Vorverkauf lief gut. Die Stadt lobte die Organisatoren. Viele Fans reisten an. "
        "Wegen eines Sturms wurde die Veranstaltung am Freitag abgesagt."
    )
    claims = _claims(text, "de")
    assert ("concert", Status.CANCELLED, ["Kraftklub"]) in claims


def test_english_generic_event_noun_in_a_later_clause_refers_back():
    text = (
        "The Ravens and the Steelers are set to play a game in Baltimore on Sunday. "
        "Tickets sold out within hours. Fans had travelled from across the state. "
        "Officials said on Friday that the event was called off because of the storm."
    )
    claims = _claims(text, "en")
    assert ("match", Status.POSTPONED, ["Ravens", "Steelers"]) in claims, claims  # a match called off is put off


def test_without_a_generic_noun_a_distant_sentence_binds_to_nothing():
    text = (
        "The Ravens and the Steelers are set to play a game in Baltimore on Sunday. "
        "Tickets sold out within hours. Fans had travelled from across the state. "
        "Officials said on Friday that the parade was called off because of the storm."
    )
    assert [status for kind, status, _ in _claims(text, "en") if kind == "match"] == [Status.PLANNED]


def test_an_anaphor_in_the_lead_takes_the_headline_event():
    text = "Organisers gathered on Monday night. The forecast was poor. After a long debate, it was called off."
    claims = _claims(text, "en", title="Jazz festival in Montreux with Herbie Hancock")
    assert [(kind, status) for kind, status, _ in claims] == [("festival", Status.CANCELLED)]


# -- the article's main event -----------------------------------------------------------


def test_an_event_word_with_only_an_untitled_unknown_name_is_the_main_event():
    text = (
        "Die Gewerkschaft Verdi hat für Donnerstag einen Streik bei der Lufthansa angekündigt. "
        "Der Konzern kritisierte das Vorgehen. Reisende sollten sich informieren. "
        "Der Streik wegen Kostendruck wurde am Abend verschoben."
    )
    streiks = [(status, actors) for kind, status, actors in _claims(text, "de") if kind == "strike"]
    assert streiks[0][0] == Status.PLANNED
    assert (Status.POSTPONED, streiks[0][1]) in streiks, streiks


def test_an_event_of_the_family_with_named_sides_stays_its_own():
    text = (
        "Die Gewerkschaft Verdi hat für Donnerstag einen Streik bei der Lufthansa angekündigt. "
        "Der Konzern kritisierte das Vorgehen. Reisende sollten sich informieren. "
        "Auch die Gewerkschaft Cockpit hat einen Streik bei Condor verschoben."
    )
    postponed = [actors for kind, status, actors in _claims(text, "de") if kind == "strike" and status == Status.POSTPONED]
    assert postponed and all("Condor" in actors or "Cockpit" in actors for actors in postponed), postponed


def test_a_sub_event_keeps_sides_of_its_own_kind():
    """A preparatory meeting in an article about a summit does not take the leaders."""
    text = (
        "Trump und Putin wollen sich in Budapest zu einem Gipfel treffen. "
        "Das Vorbereitungstreffen der Außenminister Rubio und Lawrow wurde verschoben."
    )
    prep = [actors for kind, _, actors in _claims(text, "de") if kind == "preparatory_meeting"]
    assert prep and all("Trump" not in actors for actors in prep), prep



@pytest.mark.parametrize("tail", ["Amid the Omicron wave, the game has been postponed.", "After a meeting with Live Nation, the game has been postponed."])
def test_a_weak_name_by_a_later_event_word_does_not_make_another_event(tail: str):
    """"Omicron" is a cause and "Live Nation" someone met, not sides of a game: the game
    is the article's game."""
    text = "The Eagles and the Cowboys will play a game in Dallas on Sunday. Tickets sold out within hours. Fans had travelled from across the state. " + tail
    games = [(status, actors) for kind, status, actors in _claims(text, "en") if kind == "match"]
    assert games == [(Status.PLANNED, ["Cowboys", "Eagles"]), (Status.POSTPONED, ["Cowboys", "Eagles"])], games


# -- a source named before its verb is no participant ----------------------------------


def test_a_source_named_in_a_comparative_clause_is_the_source_not_a_side():
    text = "König Charles wird im März Frankreich besuchen. Der Palast bereitet alles vor. Die Presse ist gespannt. Wie „Sky News“ berichtet, wurde der Staatsbesuch in Frankreich abgesagt."
    cancelled = [m for m in _events(text, "de") if m.status == Status.CANCELLED]
    assert [(m.actors, m.attributed_to) for m in cancelled] == [(["Charles"], "Sky News")]


def test_who_announced_it_at_a_time_is_the_source_not_a_side():
    """"Wie der Veranstalter am Montag mitteilte", "Wie die UCI am Donnerstag bekannt gab":
    the organiser or body that announces the turn tells it; a time between the name and
    the verb does not make it a side."""
    found = _events("Wie der Veranstalter Live Nation am Montag mitteilte, wird das Konzert von Sting in Leipzig verschoben.", "de")
    assert [(m.status, m.actors, m.attributed_to) for m in found] == [(Status.POSTPONED, ["Sting"], "Veranstalter Live Nation")]


def test_as_the_outlet_reported_names_the_outlet():
    found = _events("As the BBC reported, the state visit of King Charles to France was postponed.", "en")
    assert [(m.status, m.actors, m.attributed_to) for m in found] == [(Status.POSTPONED, ["Charles"], "BBC")]


def test_a_correspondents_sign_off_line_names_no_side():
    text = "Runners gathered in the city. Fans are arriving.\nThe race was cancelled last year after the storm.\nAl Jazeera's Cath Turner reports from New York."
    assert all("Cath Turner" not in actors and "Al Jazeera" not in actors for _, _, actors in _claims(text, "en"))
    kept = _claims("The marathon will be held on Sunday.\nCNN reports from New York that the marathon was cancelled.", "en")
    assert any(status == Status.CANCELLED for _, status, _ in kept), kept  # a report with content is no sign-off
