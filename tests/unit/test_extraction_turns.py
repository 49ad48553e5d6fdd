"""How news tells one event's turns in one sentence, and where a date or a name sits
around it: the later of two turns joined as a sequence is the status now, a month named
as past dates a recounted call-off, "said today" dates the saying, and a race known by
its place is named by it."""

from __future__ import annotations

from datetime import date

import pytest

from schemas import Status
from tests.unit.extraction_text import extracted


def _only(text: str, language: str, kind: str):
    (found,) = [m for m in extracted(text, language) if m.type == kind]
    return found


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("The Sheffield half marathon was delayed, and then cancelled, after the water supplier did not show up.", "en", "race"),
        ("The concert of Adele in Leeds was postponed before being cancelled altogether.", "en", "concert"),
        ("Das Rennen in Imola wurde zunächst verschoben und dann abgesagt.", "de", "race"),
        ("Der Staatsbesuch von König Charles in Paris wurde verschoben und schließlich abgesagt.", "de", "visit"),
    ],
)
def test_the_later_of_two_turns_told_in_sequence_is_the_status_now(text, language, kind):
    assert _only(text, language, kind).status == Status.CANCELLED


def test_two_turns_without_a_sequence_word_keep_the_nearest():
    """Without "then", the cue nearest the event word stays its cue: a second verb is no turn."""
    assert _only("The Sheffield half marathon was delayed, organisers cancelled the shuttle buses.", "en", "race").status == Status.POSTPONED


@pytest.mark.parametrize(
    ("text", "language", "recounted"),
    [
        ("Der Ministerrat von Scholz und Macron war eigentlich für vergangenen Juni geplant, wurde dann aber kurzfristig abgesagt.", "de", True),
        ("The summit of Scholz and Macron had been planned for last June but was then called off.", "en", True),
        ("Der Ministerrat von Scholz und Macron war für kommenden Juni geplant, wurde dann aber abgesagt.", "de", False),
    ],
)
def test_a_call_off_of_a_month_named_as_past_is_recounted(text, language, recounted):
    """Published in October: last June's date was called off long before; next June's is news."""
    (found,) = extracted(text, language)
    assert found.status == Status.CANCELLED and found.background is recounted


def test_a_pronoun_before_a_finite_verb_resumes_the_event_named_before():
    text = "Der Gipfel von Macron und Scholz war für Oktober geplant. Er findet nun am 22. Januar statt."
    dated = [m for m in extracted(text, "de") if m.event_date == date(2026, 1, 22)]
    assert [(m.type, m.status) for m in dated] == [("summit", Status.PLANNED)]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Queen Elizabeth II will host King Felipe VI on his state visit to Britain in June, the palace said today.", "en"),
        ("Der Gipfel von Macron und Scholz soll im Juni stattfinden, teilte der Élysée heute mit.", "de"),
    ],
)
def test_a_short_clause_of_who_speaks_dates_the_saying_not_the_event(text, language):
    assert all(m.event_date is None for m in extracted(text, language))


def test_a_short_clause_after_the_claim_still_dates_it():
    (found,) = extracted("The summit of Macron and Scholz will be held on Tuesday, December 16.", "en")
    assert found.event_date == date(2025, 12, 16)


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Der Große Preis von Monaco wurde abgesagt.", "de", "Monaco"),
        ("Der Große Preis der USA findet in diesem Jahr nicht statt.", "de", "United States"),
        ("The Grand Prix of Monaco has been called off.", "en", "Monaco"),
    ],
)
def test_a_race_of_a_place_is_named_by_its_place(text, language, name):
    assert _only(text, language, "race").actors == [name]


@pytest.mark.parametrize(
    ("text", "language", "cause"),
    [
        ("Macron's visit to Berlin was postponed because of the G20 summit in Rome.", "en", "summit"),
        ("Der Besuch von Macron in Berlin wurde wegen des G20-Gipfels verschoben.", "de", "summit"),
        ("Wegen des Streiks von Verdi wurde das Spiel zwischen Bayern und Dortmund abgesagt.", "de", "strike"),
        ("The match between Arsenal and Chelsea was postponed because of the festival in London.", "en", "festival"),
    ],
)
def test_an_event_named_as_the_cause_of_a_delay_is_not_delayed(text, language, cause):
    found = extracted(text, language)
    assert found and not any(m.type == cause and m.status in (Status.CANCELLED, Status.POSTPONED) for m in found)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Flights were cancelled because of the strike by Lufthansa pilots.", Status.TOOK_PLACE),
        ("Die Lufthansa hat wegen des Streikaufrufs der Gewerkschaft UFO für Donnerstag den Ausfall von 1300 Flügen angekündigt.", Status.PLANNED),
    ],
)
def test_a_cause_is_on(text, status):
    """What causes a call-off is itself under way, or called for a day ahead."""
    (strike,) = [m for m in extracted(text, "en" if text.startswith("Flights") else "de") if m.type == "strike"]
    assert strike.status == status


@pytest.mark.parametrize(
    ("text", "language", "status"),
    [
        ("Talks between North Korea and the United States, due to resume this week, have been postponed, officials said.", "en", Status.POSTPONED),
        ("The talks between Iran and the United States, set to resume in Muscat on Saturday, have been called off.", "en", Status.CANCELLED),
        ("The summit of Macron and Scholz, which was originally scheduled for May, has been postponed.", "en", Status.POSTPONED),
        ("Der Gipfel von Macron und Scholz, der ursprünglich für Mai geplant war, wurde verschoben.", "de", Status.POSTPONED),
    ],
)
def test_a_plan_set_off_by_commas_describes_the_event_and_the_main_verb_claims(text, language, status):
    (found,) = extracted(text, language)
    assert found.status == status


def test_a_number_word_opening_a_sentence_names_nobody():
    (found,) = extracted("Six-party talks between North Korea and the United States have been postponed.", "en")
    assert found.actors == ["North Korea", "United States"]


@pytest.mark.parametrize(
    ("text", "language", "status"),
    [
        ("Voters cast their ballots in the delayed presidential election in Nigeria on Saturday.", "en", Status.TOOK_PLACE),
        ("Die Regierung hat den 24. März als neuen Termin für die verschobene Präsidentschaftswahl in Senegal festgelegt.", "de", Status.PLANNED),
    ],
)
def test_a_turn_told_as_the_events_attribute_yields_to_the_sentences_claim(text, language, status):
    """"the delayed election", "die verschobene Wahl": its past, as "the planned visit" is its plan."""
    assert {m.status for m in extracted(text, language) if m.type == "election"} == {status}


def test_an_attribute_alone_still_claims():
    (found,) = extracted("Senegal announced the postponed presidential election.", "en")
    assert found.status == Status.POSTPONED
