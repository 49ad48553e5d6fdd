"""Participants per kind of event, as the news names them: the two sides of a game, the
event's own name for races and festivals, the chamber that holds a vote."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import extracted


def _actors(text: str, language: str, kind: str) -> set[str]:
    found = [m for m in extracted(text, language, background=False) if m.type == kind]
    assert found, text
    return {a for m in found for a in m.actors}


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        ("The match between Arsenal and Tottenham Hotspur was postponed.", "en", {"Arsenal", "Tottenham Hotspur"}),
        ("Das Spiel zwischen dem FC Bayern und dem VfL Wolfsburg wurde abgesagt.", "de", {"Bayern Munich", "VfL Wolfsburg"}),
        ("Das Spiel des FC Bayern gegen Union Berlin wurde verschoben.", "de", {"Bayern Munich", "Union Berlin"}),
        ("The Chelsea vs. Aston Villa game was called off on Sunday.", "en", {"Chelsea", "Aston Villa"}),
        ("Chelsea's game against Aston Villa was called off.", "en", {"Chelsea", "Aston Villa"}),
    ],
)
def test_an_unknown_club_joined_to_a_known_one_is_the_other_side(text, language, sides):
    assert _actors(text, language, "match") == sides


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Bahrain Grand Prix was postponed because of the coronavirus outbreak in the region.", "Bahrain Grand Prix"),
        ("The Monaco Grand Prix has been cancelled because of the pandemic, organisers said on Thursday.", "Monaco Grand Prix"),
        ("Formula One's Qatar Grand Prix at Lusail will take place in November, organisers said.", "Qatar Grand Prix"),
    ],
)
def test_an_event_named_after_its_country_is_its_own_participant(text, name):
    assert name in _actors(text, "en", "race")


def test_an_event_named_by_its_own_name_outranks_a_titled_person_beside_it():
    text = "The Houston Marathon, with defending champion James Kipkemoi, has been cancelled because of the ice storm."
    assert "Houston Marathon" in _actors(text, "en", "race")


def test_a_known_first_name_opening_a_sentence_is_a_person():
    """A capital at a sentence's start says nothing of a word, but a known first name is a
    person's wherever it stands: royals and popes are named by it alone."""
    text = "Charles and Camilla were due to visit Pope Francis in the Holy See in just under two weeks' time."
    (visit,) = [m for m in extracted(text, "en") if m.type == "visit"]
    assert {"Charles", "Camilla", "Pope Francis"} <= set(visit.actors)


@pytest.mark.parametrize(
    ("text", "language", "kind", "actor", "place"),
    [
        ("Das Konzert von Sting in Dortmund wurde abgesagt.", "de", "concert", "Sting", "Dortmund"),
        ("The Rolling Stones concert in Dortmund was cancelled.", "en", "concert", "Rolling Stones", "Dortmund"),
    ],
)
def test_a_club_named_by_its_town_after_in_is_the_town(text, language, kind, actor, place):
    (event,) = [m for m in extracted(text, language) if m.type == kind]
    assert event.actors == [actor] and event.location == place



@pytest.mark.parametrize(
    ("text", "language", "kind", "place"),
    [
        ("The Boston Marathon was postponed amid the coronavirus outbreak in China.", "en", "race", None),
        ("The concert of Taylor Swift was cancelled due to flooding in Vienna.", "en", "concert", None),
        ("Das Konzert von Sting in Hamburg wurde wegen der Unwetter in Bayern abgesagt.", "de", "concert", "Hamburg"),
        ("Wegen der Proteste in Frankreich wurde der Staatsbesuch von König Charles in Deutschland verschoben.", "de", "visit", "Germany"),
    ],
)
def test_a_place_in_a_phrase_of_cause_is_not_the_venue(text, language, kind, place):
    found = [m for m in extracted(text, language) if m.type == kind]
    assert found and {m.location for m in found} == {place}


@pytest.mark.parametrize(
    ("text", "language", "kind", "holder"),
    [
        ("King Charles III landed in Nairobi on Monday. The King's visit to President William Ruto was postponed.", "en", "visit", "Charles III"),
        ("König Charles III. landete am Montag in Nairobi. Der Besuch des Königs bei Präsident William Ruto wurde verschoben.", "de", "visit", "Charles III"),
    ],
)
def test_a_title_alone_is_the_one_person_the_article_names_with_it(text, language, kind, holder):
    found = [m for m in extracted(text, language) if m.type == kind and m.status.value == "postponed"]
    assert found and all(holder in m.actors for m in found)


def test_a_title_alone_names_nobody_when_the_article_names_two_holders():
    text = "King Charles and King Felipe were due to attend. The King's visit to Madrid was postponed."
    found = [m for m in extracted(text, "en") if m.type == "visit"]
    assert all("King" not in m.actors for m in found)


@pytest.mark.parametrize(
    ("text", "language", "kind", "absent"),
    [
        ("The visit of Chancellor Olaf Scholz to Paris was postponed because President Lula fell ill.", "en", "visit", "Lula"),
        ("Der Besuch von Kanzler Scholz in Paris wurde wegen eines Streiks der Gewerkschaft Verdi verschoben.", "de", "visit", "Verdi"),
    ],
)
def test_a_name_in_a_phrase_of_cause_is_no_side(text, language, kind, absent):
    found = [m for m in extracted(text, language) if m.type == kind]
    assert found and all(absent not in m.actors for m in found)


def test_due_to_before_a_verb_is_a_schedule_not_a_cause():
    text = "The summit was due to bring Donald Trump and Kim Jong Un together in Hanoi, but it was cancelled."
    (summit,) = [m for m in extracted(text, "en") if m.type == "summit"]
    assert summit.location == "Hanoi"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Der Start der Mission Crew-5 wurde verschoben.", "Crew-5"),
        ("Die indische Raumfahrtbehörde hat den Start der Mission Chandrayaan-2 verschoben.", "Chandrayaan-2"),
    ],
)
def test_a_german_word_with_a_number_after_its_hyphen_names_a_mission(text, name):
    assert name in _actors(text, "de", "launch")


@pytest.mark.parametrize(
    ("text", "language", "chamber"),
    [
        ("Turkish lawmakers voted to ratify Sweden's NATO membership on Tuesday.", "en", "Grand National Assembly"),
        ("Das türkische Parlament hat dem Nato-Beitritt Schwedens am Dienstag zugestimmt.", "de", "Grand National Assembly"),
        ("The UK parliament will vote on the deal on 11 December, the government said.", "en", "House of Commons"),
        ("Die Abstimmung im ungarischen Parlament über den Nato-Beitritt Schwedens wurde verschoben.", "de", "Hungarian parliament"),
    ],
)
def test_a_countrys_parliament_or_lawmakers_are_its_chamber(text, language, chamber):
    actors = _actors(text, language, "vote")
    assert chamber in actors and not {"Turkey", "United Kingdom", "Hungary"} & actors


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        ("Die Eröffnung des neuen Berliner Großflughafens wurde verschoben.", "Berlin"),
        ("Die Eröffnung des Stuttgarter Hauptbahnhofs verzögert sich erneut.", "Stuttgart"),
        ("Die Eröffnung der Hamburger Elbphilharmonie wurde verschoben.", "Elbphilharmonie"),
    ],
)
def test_a_facility_named_only_by_its_kind_after_a_citys_adjective_is_the_citys(text, thing):
    assert thing in _actors(text, "de", "opening")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Das Hurricane Festival in Scheeßel wurde wegen der Pandemie abgesagt, teilten die Veranstalter mit.", "Hurricane Festival"),
        ("Das Southside Festival wurde abgesagt, teilten die Veranstalter mit.", "Southside Festival"),
    ],
)
def test_a_german_name_written_apart_before_a_festival_word_is_the_festivals(text, name):
    assert name in _actors(text, "de", "festival")


def test_the_leipzig_book_fair_is_not_frankfurts():
    assert _actors("Die Leipziger Buchmesse wurde wegen des Coronavirus abgesagt.", "de", "conference") == {"Leipzig Book Fair"}


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        ("The Champions League final between Real Madrid and Liverpool in Paris was delayed by 36 minutes.", "en", {"Real Madrid", "Liverpool"}),
        ("The game between Chicago and Detroit in Toronto was postponed.", "en", {"Chicago", "Detroit"}),
    ],
)
def test_a_town_named_as_one_of_two_sides_is_a_team_and_a_competition_no_side(text, language, sides):
    assert _actors(text, language, "match") == sides


def test_a_name_with_a_score_after_it_is_a_team_beside_a_known_club():
    assert _actors("Das Geisterspiel von Bayern gegen Bochum endete 2:1, das Rückspiel wurde abgesagt.", "de", "match") >= {"Bayern Munich"}
    assert "Köln" in _actors("Schalke gewinnt das Geisterspiel gegen Köln 2:1.", "de", "match")


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        ("The match between France and Spain will go ahead as planned on Saturday, organisers said.", "en", {"France", "Spain"}),
        ("Das Länderspiel zwischen Deutschland und Frankreich in Hannover wurde am Dienstag abgesagt.", "de", {"Germany", "France"}),
    ],
)
def test_countries_named_as_a_pair_are_the_sides_of_a_game(text, language, sides):
    assert _actors(text, language, "match") == sides


def test_an_event_word_inside_an_events_own_name_names_no_event_of_its_own():
    text = "The Game Developers Conference in San Francisco has been postponed until later this year, organisers said on Friday."
    found = extracted(text, "en")
    assert {m.type for m in found} == {"conference"} and all("Game Developers Conference" in m.actors for m in found)


def test_an_empress_is_titled_like_an_emperor():
    text = "Japan's Emperor Naruhito and Empress Masako began a state visit to Britain on Saturday, hosted by King Charles."
    assert {"Naruhito", "Masako"} <= _actors(text, "en", "visit")


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Coldplay have cancelled their concert in Manila. The band said it was sorry.", "Coldplay"),
        ("Metallica postponed their concert in Moscow on Friday because of the flooding.", "Metallica"),
    ],
)
def test_an_english_word_no_lexicon_knows_opening_a_sentence_is_a_name(text, band):
    assert _actors(text, "en", "concert") == {band}


def test_a_common_word_opening_a_sentence_is_no_name():
    assert not [m for m in extracted("Officials have cancelled the concert in Manila. The band said it was sorry.", "en") if "Officials" in m.actors]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Manchester United v Liverpool was postponed on Sunday after fans stormed Old Trafford.", None),
        ("Fans gathered outside the ground long before kick-off.", "Man Utd v Liverpool postponed after protest"),
    ],
)
def test_two_sides_named_as_a_pair_name_their_match(text, title):
    found = [m for m in extracted(text, "en", title=title) if m.type == "match"]
    assert found and set(found[0].actors) == {"Manchester United", "Liverpool"} and found[0].status == Status.POSTPONED, found
    assert found[0].location is None, found  # Liverpool is a side here, not where the game is


def test_a_case_name_with_v_is_no_match_without_a_cue_of_a_game():
    assert not [m for m in extracted("Roe v. Wade was overturned by the Supreme Court in June last year.", "en") if m.type == "match"]


@pytest.mark.parametrize(
    ("text", "language", "sides", "place"),
    [
        ("Lyon's match against Marseille on Sunday has been called off by the league.", "en", {"Lyon", "Marseille"}, None),
        ("The match between Lyon and Marseille scheduled for Sunday in Lyon has been called off.", "en", {"Lyon", "Marseille"}, "Lyon"),
        ("Schalke verlor am Freitag 0:2 gegen Bochum.", "de", {"Schalke 04", "Bochum"}, None),
    ],
)
def test_a_town_after_a_word_of_opposition_or_in_a_pair_is_a_side_even_where_it_is_the_venue(text, language, sides, place):
    found = [m for m in extracted(text, language) if m.type == "match"]
    assert found and set(found[0].actors) == sides and found[0].location == place, found


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        ("Real Madrid beat Barcelona 2-1 on Sunday evening in front of a sold-out crowd.", "en", {"Real Madrid", "Barcelona"}),
        ("Real Madrid beat Atletico Madrid 2-1 on Sunday evening in front of a sold-out crowd.", "en", {"Real Madrid", "Atletico Madrid"}),
        ("Arsenal drew 1-1 with Tottenham on Saturday in a game of few chances.", "en", {"Arsenal", "Tottenham Hotspur"}),
        ("Bayern München besiegte Borussia Dortmund am Samstag mit 3:1.", "de", {"Bayern Munich", "Borussia Dortmund"}),
        ("Der 1. FC Köln und Borussia Mönchengladbach trennten sich am Sonntag 1:1.", "de", {"1. FC Köln", "Borussia Mönchengladbach"}),
    ],
)
def test_a_result_with_its_score_names_a_match_that_was_played(text, language, sides):
    found = [m for m in extracted(text, language) if m.type == "match"]
    assert len(found) == 1 and set(found[0].actors) == sides and found[0].status == Status.TOOK_PLACE, found


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Supreme Court ruled 6-3 on Friday that the law was unconstitutional.", "en"),
        ("Das Spiel beginnt am Samstag um 20:30 Uhr in Köln.", "de"),
        ("The fair will be held 20-25 October in Berlin, the organisers said.", "en"),
    ],
)
def test_a_vote_count_a_time_or_a_range_of_days_is_no_result(text, language):
    assert not [m for m in extracted(text, language) if m.status == Status.TOOK_PLACE], text


@pytest.mark.parametrize(
    ("text", "language", "thing", "status"),
    [
        ("The Elizabeth line opened on Tuesday, more than three years late and billions over budget.", "en", "Elizabeth", Status.TOOK_PLACE),
        ("Disneyland Paris will reopen on June 17 after being closed for more than a year, the company said.", "en", "Disneyland Paris", Status.PLANNED),
        ("The Tottenham Hotspur Stadium is due to open in August, the club said on Monday in a statement.", "en", "Tottenham Hotspur Stadium", Status.PLANNED),
        ("Der Hauptstadtflughafen BER nimmt am 31. Oktober den Betrieb auf, sagte ein Sprecher.", "de", "Hauptstadtflughafen BER", Status.PLANNED),
        ("Die Elbphilharmonie wird am 11. Januar eröffnet, teilte die Stadt am Montag mit.", "de", "Elbphilharmonie", Status.PLANNED),
    ],
)
def test_a_named_thing_that_opens_at_a_time_is_an_opening(text, language, thing, status):
    found = [m for m in extracted(text, language) if m.type == "opening"]
    assert found and thing in found[0].actors and found[0].status == status, found


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("The Tokyo Paralympics opened on Tuesday in a near empty stadium after a year-long delay.", "en", "tournament"),
        ("The trial of Harvey Weinstein opened on Monday in New York.", "en", "trial"),
    ],
)
def test_an_event_named_in_the_clause_of_a_verb_of_beginning_is_that_events_beginning(text, language, kind):
    found = extracted(text, language)
    assert [m.type for m in found] == [kind] and found[0].status == Status.TOOK_PLACE, found


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Police opened fire on the crowd in Paris on Saturday.", "en"),
        ("Prosecutors opened an investigation into Siemens on Monday.", "en"),
        ("Shares in Siemens opened higher on Monday in Frankfurt.", "en"),
        ("Die Staatsanwaltschaft hat ein Verfahren gegen Siemens eröffnet.", "de"),
    ],
)
def test_opening_fire_an_inquiry_or_trading_is_no_opening(text, language):
    assert not [m for m in extracted(text, language) if m.type == "opening"], text


def test_prose_dense_with_names_is_no_title_case_headline():
    from consumers.extraction.names import title_case

    assert title_case("Taylor Swift Cancels Vienna Shows After Terror Plot Is Uncovered")
    assert not title_case("Max Verstappen won the Dutch Grand Prix on Sunday ahead of Fernando Alonso.")
    found = [m for m in extracted("Max Verstappen won the Dutch Grand Prix on Sunday ahead of Fernando Alonso.", "en") if m.type == "race"]
    assert found and "Max Verstappen" in found[0].actors, found


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The EU and China will hold a summit in Brussels on Monday, officials said.", "en"),
        ("The EU-China summit in Brussels has been postponed, officials said on Friday.", "en"),
        ("Der Gipfel zwischen der EU und China wurde verschoben.", "de"),
    ],
)
def test_a_summit_named_by_two_governments_as_a_pair_is_theirs(text, language):
    found = [m for m in extracted(text, language) if m.type == "summit"]
    assert found and set(found[0].actors) == {"EU", "China"}, found


def test_the_countries_of_titled_leaders_do_not_replace_the_leaders():
    text = "US President Donald Trump and North Korean leader Kim Jong Un met for a historic summit in Singapore on Tuesday."
    found = [m for m in extracted(text, "en") if m.type == "summit"]
    assert not found or not {"United States", "North Korea"} & set(found[0].actors), found


@pytest.mark.parametrize("adjective,country", [("French", "France"), ("Brazilian", "Brazil")])
def test_a_country_named_by_its_adjective_is_no_place_of_its_own(adjective, country):
    found = [m for m in extracted(f"Polls closed on Sunday in the {adjective} presidential runoff.", "en") if m.type == "election"]
    assert found and found[0].actors == [country] and found[0].location != adjective, found


@pytest.mark.parametrize(
    ("text", "language", "month"),
    [
        ("Colombia will hold a presidential election on May 29, the electoral commission said.", "en", 5),
        ("Die Präsidentenwahl in Kolumbien soll am 29. Mai stattfinden.", "de", 5),
    ],
)
def test_a_future_makes_a_date_more_than_half_a_year_ahead_the_plans_date(text, language, month):
    found = [m for m in extracted(text, language) if m.type == "election"]  # published in October
    assert found and found[0].status == Status.PLANNED and found[0].event_date is not None and found[0].event_date.month == month and found[0].event_date.year == 2026, found


def test_a_date_alone_more_than_half_a_year_ahead_is_still_no_plan():
    assert not [m for m in extracted("Die Präsidentenwahl in Kolumbien am 29. Mai.", "de") if m.status == Status.PLANNED]


@pytest.mark.parametrize(
    ("text", "language", "actors"),
    [
        ("US President Joe Biden and Chinese President Xi Jinping will meet in Bali next week, officials said.", "en", {"Biden", "Xi Jinping"}),
        ("Ein Treffen von US-Präsident Joe Biden und Xi Jinping ist für den 14. November auf Bali geplant.", "de", {"Biden", "Xi Jinping"}),
        ("US President Donald Trump will meet Xi Jinping in Beijing next week, officials said.", "en", {"Trump", "Xi Jinping"}),
    ],
)
def test_an_office_followed_by_its_holders_name_is_that_person_not_the_gazetteers_holder(text, language, actors):
    found = [m for m in extracted(text, language) if m.type == "meeting"]
    assert found and set(found[0].actors) == actors, found


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Lufthansa pilots walked out on Friday in a dispute over pensions.", "en"),
        ("Die Piloten der Lufthansa legten am Freitag die Arbeit nieder.", "de"),
    ],
)
def test_workers_who_walk_out_are_on_strike(text, language):
    found = [m for m in extracted(text, language) if m.type == "strike"]
    assert found and found[0].actors == ["Lufthansa"] and found[0].status == Status.TOOK_PLACE, found


def test_talks_between_a_country_and_a_bloc_are_theirs():
    found = [m for m in extracted("The talks between Iran and the EU concluded in Vienna on Friday without a deal.", "en") if m.type == "talks"]
    assert found and set(found[0].actors) == {"Iran", "EU"}, found


@pytest.mark.parametrize(
    ("text", "language", "place"),
    [
        ("Pope Francis will travel to Iraq in March, the Vatican said on Monday.", "en", "Iraq"),
        ("Bundeskanzler Olaf Scholz reist am Donnerstag nach Peking.", "de", "Beijing"),
    ],
)
def test_a_trip_to_a_place_is_a_visit(text, language, place):
    found = [m for m in extracted(text, language) if m.type == "visit"]
    assert found and found[0].location == place and found[0].status == Status.PLANNED, found


def test_a_trip_to_an_event_the_sentence_names_is_no_visit_of_its_own():
    text = "Despite the postponement of the Council of Ministers, Olaf Scholz is set to travel to Paris on Wednesday for talks with Emmanuel Macron."
    assert not [m for m in extracted(text, "en") if m.type == "visit"]


@pytest.mark.parametrize(
    ("text", "title", "kind"),
    [
        ("The decision was announced on Tuesday.", "Biden and Xi to meet in Bali next week", "meeting"),
        ("Macron to visit Germany in July for first state visit in 24 years, Elysee says.", None, "visit"),
    ],
)
def test_a_headlines_infinitive_after_the_sides_is_their_plan(text, title, kind):
    found = [m for m in extracted(text, "en", title=title) if m.type == kind]
    assert found and found[0].status == Status.PLANNED, found


def test_refusing_or_failing_to_meet_is_no_plan():
    for text in ("He refused to meet Zelensky in Kyiv last week.", "The two leaders failed to meet in Geneva."):
        assert not [m for m in extracted(text, "en") if m.status == Status.PLANNED], text
