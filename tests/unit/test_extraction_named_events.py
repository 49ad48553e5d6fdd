"""Sport, culture and business events named by their own name: races, tournaments, fairs,
festivals, ceremonies and openings. The name is the edition's identity ("the French
Open", "Paris-Roubaix", "ITB Berlin"), ahead of an organiser, a rider or a winner; what
caused a change (a disease, a war) or a market a fair serves is no side of it."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import extracted


def _of_kind(text: str, language: str, kind: str) -> list:
    return [m for m in extracted(text, language, background=False) if m.type == kind]


def _actors(text: str, language: str, kind: str) -> set[str]:
    found = _of_kind(text, language, kind)
    assert found, text
    return {a for m in found for a in m.actors}


@pytest.mark.parametrize(
    ("text", "language", "kind", "name"),
    [
        ("The French Open has been postponed to September because of the pandemic.", "en", "tournament", "French Open"),
        ("The Miami Masters were cancelled on Thursday.", "en", "tournament", "Miami Masters"),
        ("The BET Awards were postponed until further notice.", "en", "ceremony", "BET Awards"),
        ("The Dubai Expo has been pushed back by a year.", "en", "conference", "Dubai Expo"),
        ("Die French Open werden wegen der Pandemie in den Herbst verschoben.", "de", "tournament", "French Open"),
        ("The ITB tourism fair in Berlin has been called off.", "en", "conference", "ITB"),
        ("The world's largest travel show, the ITB in Berlin, has been cancelled.", "en", "conference", "ITB"),
        ("Der Autosalon in Genf ist wegen des Coronavirus abgesagt worden.", "de", "conference", "Geneva"),
        ("Der Rad-Klassiker Paris-Roubaix ist abgesagt worden.", "de", "race", "Paris-Roubaix"),
        ("Der Frühjahrsklassiker Mailand-Sanremo wird verschoben.", "de", "race", "Mailand-Sanremo"),
        ("Das Rennen Lüttich-Bastogne-Lüttich wurde abgesagt.", "de", "race", "Lüttich-Bastogne-Lüttich"),
        ("The Davis Cup Finals in Madrid have been cancelled because of the pandemic.", "en", "tournament", "Davis Cup Finals"),
        ("Europe won the Ryder Cup on Sunday at Le Golf National, the captain said.", "en", "tournament", "Ryder Cup"),
    ],
)
def test_an_event_named_by_its_kind_s_head_or_word_has_its_name_as_participant(text, language, kind, name):
    """A capitalised name head ("the French Open"), a fair or show ("the ITB tourism
    fair"), a classic before a race's route ("Mailand-Sanremo")."""
    assert name in _actors(text, language, kind)


@pytest.mark.parametrize(
    "text",
    [
        "The shops will remain open on Sunday, the city council said after the talks were cancelled.",
        "It was not a fair decision to cancel the vote, she said.",
        "Shops Will Open Again After The Lockdown Is Postponed",
        "Fans bought a cup of coffee before the talks on the trophy were cancelled.",
    ],
)
def test_a_name_head_in_lower_case_or_in_a_title_case_headline_names_no_event(text):
    assert not [m for m in extracted(text, "en") if m.type in ("tournament", "conference")]


def test_a_name_keeps_its_head_even_when_the_word_is_a_title_elsewhere():
    assert _actors("The Detroit Auto Show has been cancelled over the coronavirus.", "en", "conference") == {"Detroit Auto Show"}


def test_a_name_head_before_the_kind_s_own_word_is_part_of_the_name():
    found = _of_kind("The BNP Paribas Open tennis tournament was canceled over the weekend.", "en", "tournament")
    assert [m.actors for m in found] == [["BNP Paribas Open"]]


def test_the_event_s_name_is_its_participant_ahead_of_the_organiser():
    text = "Der Rad-Klassiker Paris-Roubaix sollte am 11. April stattfinden. Wie die UCI am Donnerstag bekannt gab, wird der Frühjahrsklassiker auf den 3. Oktober verschoben."
    found = [m for m in _of_kind(text, "de", "race") if m.status == Status.POSTPONED]
    assert found and all(m.actors == ["Paris-Roubaix"] for m in found)


def test_the_event_s_name_is_its_participant_ahead_of_a_winner():
    text = "The 2026 edition of Paris-Roubaix was scheduled for 12 April. Philippe Gilbert of Belgium won the race in 2019. The race was called off on Thursday."
    found = [m for m in _of_kind(text, "en", "race") if m.status == Status.CANCELLED]
    assert found and all(m.actors == ["Paris-Roubaix"] for m in found)


def test_the_tournament_an_article_is_about_is_the_one_its_lead_names():
    text = (
        "The All England Club will decide next week whether to stage this summer's Wimbledon championships. "
        "The option of moving into the slot vacated by the postponed Olympics is not being pursued. "
        "Organisers have ruled out playing the tournament behind closed doors and admitted postponing would be difficult."
    )
    last = [m for m in _of_kind(text, "en", "tournament") if "ruled out" in m.evidence]
    assert last and all(m.actors == ["Wimbledon"] for m in last)


def test_a_name_by_the_event_word_is_the_event_s_own():
    text = "The Coachella festival and its sister country music festival Stagecoach are officially canceled."
    assert "Stagecoach" in _actors(text, "en", "festival")


@pytest.mark.parametrize(
    ("text", "language", "kind", "cause"),
    [
        ("The Humboldt Forum will open in December. However, due to the tightened Corona restrictions, the opening cannot begin as planned.", "en", "opening", "Corona"),
        ("The Wimbledon championships were cancelled for the first time since World War Two.", "en", "tournament", "World War Two"),
        ("Die Eröffnung des Humboldt Forums wird wegen Corona verschoben, seit dem Zweiten Weltkrieg ist das Haus eine Ruine.", "de", "opening", "Zweiten Weltkrieg"),
    ],
)
def test_a_disease_or_a_war_is_no_side_of_an_event(text, language, kind, cause):
    assert cause not in _actors(text, language, kind)


def test_a_holiday_island_a_fair_serves_is_no_side_of_it():
    text = "Die ITB findet in Berlin statt. Nur vier Tage vor dem geplanten Beginn der Veranstaltung, die auch für Mallorca von großer Bedeutung ist, musste die Messe abgesagt werden."
    assert "Mallorca" not in _actors(text, "de", "conference")


def test_a_name_after_a_genitive_article_is_the_name_in_the_nominative():
    assert _actors("Die Eröffnung des Humboldt Forums wird verschoben.", "de", "opening") == {"Humboldt Forum"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Humboldt Forum will open in December. However, due to the restrictions, the opening cannot begin as planned.", "en"),
        ("Das Humboldt Forum im Berliner Schloss wird nicht wie geplant noch in diesem Jahr eröffnen.", "de"),
    ],
)
def test_an_opening_that_cannot_be_held_as_planned_is_put_off(text, language):
    found = [m for m in _of_kind(text, language, "opening") if m.status != Status.PLANNED or "planned" in m.cue or "geplant" in m.cue]
    assert found and all(m.status == Status.POSTPONED for m in found)


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("The All England Club will decide whether to stage this summer's Wimbledon championships at a board meeting next week.", "en", "tournament"),
        ("Wimbledon's organisers will meet next week to decide whether to stage this year's tournament.", "en", "tournament"),
        ("Formal entscheidet am Ende das Land Berlin, ob die Messe ITB stattfinden kann oder nicht.", "de", "conference"),
    ],
)
def test_an_event_whose_organisers_are_yet_to_decide_is_on_hold(text, language, kind):
    found = _of_kind(text, language, kind)
    assert found and all(m.status == Status.ON_HOLD for m in found)


def test_a_named_event_before_another_event_word_says_whose_event_it_is():
    found = [m for m in extracted("Three Eras Tour concerts in Vienna have been canceled after police discovered plans to attack the Taylor Swift shows.", "en") if m.status == Status.CANCELLED]
    assert {m.type for m in found} == {"concert"}


def test_the_lead_s_event_of_another_family_names_no_ceremony():
    text = "The Tokyo Paralympic Games kicked off with a subdued ceremony on Tuesday night. The opening ceremony was held at the National Stadium, with the Tokyo Games under a state of emergency."
    assert all("Paralympics" not in m.actors or m.location for m in _of_kind(text, "en", "ceremony"))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Nach den Explosionen am Mannschaftsbus von Borussia Dortmund ist das Champions-League-Spiel gegen den AS Monaco abgesagt worden.", "de"),
        ("Borussia Dortmund's game against AS Monaco was postponed after the attack on the team bus.", "en"),
    ],
)
def test_a_club_named_after_its_country_behind_its_prefix_is_the_other_side(text, language):
    assert _actors(text, language, "match") == {"AS Monaco", "Borussia Dortmund"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Tour de France starts in Nice. The UCI said on Wednesday that the Tour was postponed to August.", "en"),
        ("Die Tour de France beginnt in Nizza. Das Vorhaben der Veranstalter, die Tour wie geplant am 27. Juni zu starten, wurde aufgegeben.", "de"),
    ],
)
def test_an_event_s_first_word_with_its_capital_is_its_short_form(text, language):
    found = [m for m in extracted(text, language, background=False) if "Tour" in m.evidence.split("Tour de France")[-1]]
    assert found and {m.type for m in found} == {"race"} and all("Tour de France" in m.actors for m in found)


def test_an_event_word_ending_another_name_is_no_short_form():
    text = "Die Tour de France beginnt in Nizza. Die My Songs Tour von Sting wurde abgesagt."
    assert {m.type for m in extracted(text, "de") if "Sting" in m.evidence} == {"tour"}


@pytest.mark.parametrize(
    ("text", "language", "name", "status"),
    [
        ("The 40th edition of the London marathon has been postponed from April 26 to October 4.", "en", "London Marathon", Status.POSTPONED),
        ("Organizers of the annual Boston marathon on Thursday cancelled this year's race.", "en", "Boston Marathon", Status.CANCELLED),
        ("The New York City marathon will go ahead on Sunday with extra security.", "en", "New York City Marathon", Status.PLANNED),
        ("Der Berliner Marathon ist wegen der Pandemie abgesagt worden.", "de", "Berlin Marathon", Status.CANCELLED),
        ("Der Hamburger Marathon wird in den Herbst verschoben.", "de", "Hamburg Marathon", Status.POSTPONED),
    ],
)
def test_a_recurring_event_named_by_its_city_and_its_kind_s_word_is_that_event(text, language, name, status):
    """Wire copy writes the kind's word of a city's recurring event in lower case ("the
    London marathon"), German the city as its adjective ("der Berliner Marathon"): the
    event is the participant, as its own name would make it, not the city (which would
    file the report under another story of that city)."""
    (found,) = _of_kind(text, language, "race")
    assert (found.actors, found.status) == ([name], status)


def test_a_city_before_words_that_complete_no_event_s_name_names_no_event():
    """Only the whole rest of the name counts: the Boston half marathon is no Boston Marathon."""
    (found,) = _of_kind("The Boston half marathon was cancelled on Sunday.", "en", "race")
    assert found.status == Status.CANCELLED and "Boston Marathon" not in found.actors


@pytest.mark.parametrize(
    ("text", "language", "name", "status"),
    [
        ("Auch die ITB wird in diesem Jahr nicht stattfinden.", "de", "ITB", Status.CANCELLED),
        ("Die ITB China wurde abgesagt.", "de", "ITB China", Status.CANCELLED),
        ("CES will go ahead in Las Vegas in January as planned.", "en", "CES", Status.PLANNED),
        ("Die IFA findet in diesem Jahr nicht statt.", "de", "IFA", Status.CANCELLED),
    ],
)
def test_a_fair_named_by_its_acronym_alone_is_that_fair(text, language, name, status):
    """News names a fair or a congress by its acronym alone ("die ITB ... wird nicht
    stattfinden"): too short for the article gate's substring search, the acronym is
    found whole and in capitals, as the word of the event's kind."""
    (found,) = _of_kind(text, language, "conference")
    assert name in found.actors and found.status == status


@pytest.mark.parametrize(
    "text",
    ["The services were cancelled because of the storm.", "Die Mitbewerber haben ihre Pläne abgesagt.", "The itb team cancelled the meeting with NYC officials."],
)
def test_an_acronym_s_letters_inside_words_or_in_lower_case_name_no_fair(text):
    assert [m for m in extracted(text, "de" if "Die" in text else "en") if m.type in ("conference", "race")] == []
