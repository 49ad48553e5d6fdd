"""Who and where of political and diplomatic events, as a news editor names them: a
visit's visitor and host and the host's place, the chamber that holds a vote, the city a
palace stands in; sentences written for each rule."""

from __future__ import annotations

import pytest

from tests.unit.extraction_text import extracted


def _of(text: str, language: str, kind: str) -> list:
    found = [m for m in extracted(text, language) if m.type == kind]
    assert found, text
    return found


@pytest.mark.parametrize(
    ("text", "language", "actor", "place"),
    [
        # a cause that opens a German sentence ends at its finite verb: the subject is a side
        ("Angesichts der anhaltenden Unruhen in seinem Land hat Frankreichs Präsident Emmanuel Macron seinen Staatsbesuch in Deutschland abgesagt.", "de", "Macron", "Germany"),
        ("Wegen der Unruhen in Frankreich will Präsident Emmanuel Macron den Staatsbesuch in Deutschland verschieben.", "de", "Macron", "Germany"),
        # "due to" before a gerund or a word of unrest is a cause, its place no venue
        ("The state visit of King Charles was postponed at the last minute due to rioting in France.", "en", "Charles", None),
        ("King Charles's state visit to Germany was postponed due to unrest in France.", "en", "Charles", "Germany"),
    ],
)
def test_a_cause_phrase_ends_where_its_clause_goes_on(text, language, actor, place):
    (visit,) = _of(text, language, "visit")
    assert actor in visit.actors and visit.location == place
    assert "France" not in visit.actors


@pytest.mark.parametrize(
    ("text", "language", "visitor", "place"),
    [
        ("President Emmanuel Macron on Sunday started the first state visit to Germany by a French head of state in 24 years.", "en", "Macron", "Germany"),
        ("Xi Jinping began a three-day state visit to Japan on Tuesday.", "en", "Xi Jinping", "Japan"),
    ],
)
def test_a_visit_the_visitor_started_took_place(text, language, visitor, place):
    (visit,) = _of(text, language, "visit")
    assert visit.status.value == "took_place" and visit.actors == [visitor] and visit.location == place


@pytest.mark.parametrize(
    ("text", "chamber"),
    [
        ("The House passed the infrastructure bill on Friday, sending it to President Joe Biden's desk.", "US House of Representatives"),
        ("The Senate approved the bill in August.", "US Senate"),
        ("The vote in the House of Commons on the deal was postponed.", "House of Commons"),
        ("The Italian Senate postponed the vote on the reform.", "Italian Senate"),
    ],
)
def test_the_chamber_named_bare_is_the_side_of_a_vote(text, chamber):
    (vote,) = _of(text, "en", "vote")
    assert chamber in vote.actors
    assert not {"US Senate", "US House of Representatives"} & set(vote.actors) - {chamber}


@pytest.mark.parametrize(
    ("text", "language", "recounted"),
    [
        # published 21 October: August is two months back, a past event recounted
        ("The House passed the bill on Friday. The Senate approved the bill in August.", "en", True),
        ("King Charles arrived in Berlin for his state visit in July.", "en", True),
        # last month's may still be the news; a date with its day is read as a date
        ("The Senate approved the bill in September.", "en", False),
        ("The Senate approved the bill on Friday.", "en", False),
    ],
)
def test_an_event_that_took_place_in_a_month_long_past_is_recounted(text, language, recounted):
    found = [m for m in extracted(text, language) if m.status.value == "took_place" and ("US Senate" in m.actors or "Charles" in m.actors)]
    assert found and all(m.background == recounted for m in found)


@pytest.mark.parametrize(
    ("text", "language", "place"),
    [
        # the country a visit verb governs is the host, where the visit is
        ("King Charles III and Queen Camilla will visit France in September.", "en", "France"),
        ("Emperor Naruhito is expected to visit Britain next year, the palace said.", "en", "United Kingdom"),
        ("Der Staatsbesuch wurde verschoben: König Charles besucht Deutschland erst im Mai.", "de", "Germany"),
    ],
)
def test_the_country_a_visit_verb_governs_is_the_place(text, language, place):
    (visit,) = _of(text, language, "visit")
    assert visit.location == place


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        # who speaks is no place: the Kremlin announcing a summit does not hold it in Moscow
        ("The Kremlin said the summit between Putin and Trump was postponed.", "en", "summit"),
        ("Buckingham Palace said the state visit of King Charles was postponed.", "en", "visit"),
    ],
)
def test_the_seat_that_speaks_is_no_place(text, language, kind):
    (event,) = _of(text, language, kind)
    assert event.location is None


@pytest.mark.parametrize(
    ("text", "language", "kind", "place"),
    [
        # a head of state's or government's seat lies in its city: a meeting there is in the city
        ("Merz und Macron kamen am Mittwoch im Kanzleramt zu einem Treffen zusammen.", "de", "meeting", "Berlin"),
        ("Steinmeier empfing Macron zum Staatsbesuch in Schloss Bellevue.", "de", "visit", "Berlin"),
        ("Xi Jinping and Lula held talks at the Great Hall of the People on Friday.", "en", "talks", "Beijing"),
    ],
)
def test_a_seat_of_government_is_in_its_city(text, language, kind, place):
    found = [m for m in extracted(text, language) if m.type == kind]
    assert found and {m.location for m in found} == {place}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # the German present passive with "werden" is what is to come; "wurden" what was
        ("Die Atomverhandlungen mit dem Iran werden am 29. November wieder aufgenommen.", "planned"),
        ("Die Friedensgespräche für Syrien werden kommende Woche fortgesetzt.", "planned"),
        ("Die Atomverhandlungen mit dem Iran wurden am Montag wieder aufgenommen.", "took_place"),
    ],
)
def test_talks_that_will_be_resumed_are_planned(text, status):
    (talks,) = _of(text, "de", "negotiation_round")
    assert talks.status.value == status
