"""Status claims news carries in ways the event words alone miss: a verb that names the
event by itself, a date that makes a delay a new plan, a plan that fell through.

Sentences written for these tests in the style of wire copy."""

from __future__ import annotations

import pytest

from consumers.extraction import extract_events
from schemas import Article, Status
from tests.unit.extraction_text import PUBLISHED, extracted


def _events(text: str, language: str):
    return extracted(text, language, background=False)


def _status(text: str, language: str, kind: str) -> Status | None:
    found = [m.status for m in _events(text, language) if m.type == kind]
    assert len(set(found)) <= 1, found
    return found[0] if found else None


@pytest.mark.parametrize(
    ("text", "language", "kind", "status"),
    [
        # the event is only implied by the verb that says what happens to it
        ("Der neue Flughafen Leipzig-Nord eröffnet am 14. März, teilte die Betreibergesellschaft mit.", "de", "opening", Status.PLANNED),
        ("Das neue Stadion in Hamburg soll im kommenden Frühjahr eröffnen.", "de", "opening", Status.PLANNED),
        ("Am Samstag ist in Hamburg der neue Containerterminal in Betrieb gegangen.", "de", "opening", Status.TOOK_PLACE),
        ("The new Grand Harbour Bridge in Dublin opens on Saturday, the city council said.", "en", "opening", Status.PLANNED),
        ("Für das Haushaltsgesetz stimmten im Bundestag 402 Abgeordnete.", "de", "vote", Status.TOOK_PLACE),
        ("Im Bundestag stimmten 361 Abgeordnete gegen den Antrag der Regierung.", "de", "vote", Status.TOOK_PLACE),
        ("In the House of Commons, MPs rejected the fisheries bill on Tuesday night by a margin of 30.", "en", "vote", Status.TOOK_PLACE),
        ("The Ariane 6 rocket lifted off from Kourou on Monday evening.", "en", "launch", Status.TOOK_PLACE),
        ("Kanzlerin Petra Lang beriet am Mittwoch in Wien mit Präsident Jan Novak.", "de", "meeting", Status.TOOK_PLACE),
    ],
)
def test_a_verb_names_the_event_by_itself(text, language, kind, status):
    assert _status(text, language, kind) == status


@pytest.mark.parametrize(
    ("text", "language", "kind", "status"),
    [
        # "not as planned" is a delay, not a plan put on hold
        ("Der Autokonzern Volkswagen wird seine Hauptversammlung nicht wie geplant am 12. Mai abhalten.", "de", "shareholder_meeting", Status.POSTPONED),
        ("The annual general meeting of carmaker Volkswagen will not take place as planned on 12 May.", "en", "shareholder_meeting", Status.POSTPONED),
        # the German future tense states a plan, as "will" does
        ("Das Parlament in Oslo wird am 14. November über den Haushalt abstimmen.", "de", "vote", Status.PLANNED),
        # "kommt es zu" announces, "kam es zu" reports
        ("Am Samstag kommt es in Hamburg zum Derby zwischen dem HSV und dem FC St. Pauli.", "de", "match", Status.PLANNED),
        ("Am Samstag kam es in Hamburg zum Derby zwischen dem HSV und dem FC St. Pauli.", "de", "match", Status.TOOK_PLACE),
        # weather idioms
        ("The Yankees game against the Boston Red Sox was rained out on Tuesday.", "en", "match", Status.POSTPONED),
        ("Das Open-Air-Festival in Hamburg fällt in diesem Jahr ins Wasser.", "de", "festival", Status.CANCELLED),
        # an event that begins today has not begun yet
        ("Der Prozess gegen den Sänger Max Kruse beginnt heute in Hamburg.", "de", "trial", Status.PLANNED),
        ("The trial of singer Max Kruse begins today in Hamburg.", "en", "trial", Status.PLANNED),
        # unlikely to take place is in doubt
        ("Organisers say the Edinburgh festival is looking increasingly unlikely to take place this summer.", "en", "festival", Status.ON_HOLD),
        ("Dass das Oktoberfest in München im Herbst stattfindet, gilt als unwahrscheinlich.", "de", "festival", Status.ON_HOLD),
    ],
)
def test_tense_and_plan_phrases(text, language, kind, status):
    assert _status(text, language, kind) == status


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kanzler Friedrich Merz und Präsident Lula wollten sich am Freitag in Brasília zum Gipfel treffen. Das Kanzleramt begründete die Absage mit Terminproblemen.", "de"),
        ("President Lula and Chancellor Friedrich Merz were due to hold a summit in Brasília on Friday. The chancellery gave no reason for the cancellation.", "en"),
    ],
)
def test_a_definite_cancellation_refers_to_the_event_named_before(text, language):
    second = text.split(". ", 1)[1]
    claims = [m for m in _events(text, language) if m.evidence == second]
    assert [m.status for m in claims] == [Status.CANCELLED], claims


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Sängerin Helene Fischer sagt ihr Konzert in Hamburg ab. Das Konzert wird auf den Herbst verschoben.", "de"),
        ("Singer Adele has cancelled her concert in Dublin. The concert has been postponed until the spring.", "en"),
    ],
)
def test_a_cancellation_the_article_reports_as_a_delay_is_a_postponement(text, language):
    assert {m.status for m in _events(text, language) if m.type == "concert"} == {Status.POSTPONED}


def test_a_cancellation_without_a_delay_stays_a_cancellation():
    text = "Sängerin Helene Fischer sagt ihr Konzert in Hamburg ab. Ein Ersatztermin ist nicht vorgesehen."
    assert {m.status for m in _events(text, "de") if m.type == "concert"} == {Status.CANCELLED}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("König Felipe und Königin Letizia trafen am Freitag in Lissabon ein.", "de"),
        ("King Charles and Queen Camilla arrived in Lisbon on Friday for a three-day stay.", "en"),
    ],
)
def test_an_arrival_is_a_visit_under_way(text, language):
    assert _status(text, language, "visit") == Status.TOOK_PLACE
    assert _status(text, language, "meeting") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Brit Awards were meant to be held in February at the O2 in London.", "en"),
        ("Die Eröffnung des Flughafens Hamburg-Süd wurde in den letzten Jahren verschoben.", "de"),
    ],
)
def test_a_plan_or_delay_recounted_is_background(text, language):
    found = extract_events(Article(id="t", text=text, language=language, published_at=PUBLISHED))
    assert found and all(m.background for m in found), found


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Gewerkschaft Verdi droht mit einem Streik bei der Lufthansa.", "de"),
        ("The RMT union threatened a strike on the London Underground.", "en"),
    ],
)
def test_a_threatened_strike_is_no_claim(text, language):
    assert _status(text, language, "strike") is None



def test_a_start_is_a_launch_only_with_a_rocket_or_a_mission():
    assert _status("Die Raumfahrtbehörde Esa hat den Start ihrer Rakete Vega erneut verschoben.", "de", "launch") == Status.POSTPONED
    assert _status("Der FC Bayern hat den Start in die neue Saison verschoben.", "de", "launch") is None


@pytest.mark.parametrize(
    ("text", "language", "kind", "status"),
    [
        ("Das Parlament in Oslo hat am Dienstag den Haushalt der Regierung abgelehnt.", "de", "vote", Status.TOOK_PLACE),
        ("The Senate passed the spending bill late on Thursday in Washington.", "en", "vote", Status.TOOK_PLACE),
        ("Der Autokonzern Volkswagen hat die Vorlage seiner Zahlen für das dritte Quartal verschoben.", "de", "earnings_call", Status.POSTPONED),
        ("Die Veranstalter verlegen die Buchmesse in Leipzig in den Herbst.", "de", "conference", Status.POSTPONED),
    ],
)
def test_what_a_parliament_did_and_business_and_fair_wording(text, language, kind, status):
    assert _status(text, language, kind) == status


def test_a_cue_word_inside_a_name_or_idiom_is_no_claim():
    text = "The Met Police said the concerts by singer Adele at Wembley next week would not be affected."
    assert Status.TOOK_PLACE not in {m.status for m in _events(text, "en")}
    text = "The Edinburgh festival, held annually in August, was cancelled by organisers."
    assert _status(text, "en", "festival") == Status.CANCELLED


def test_a_status_noun_after_a_preposition_and_a_name_is_in_passing():
    text = "Thousands of runners return to the Boston marathon after the Hurricane Sandy cancellation."
    assert _status(text, "en", "race") is None
    text = "After President Trump cancelled the summit in Singapore, Kim Jong Un wrote a letter."
    assert _status(text, "en", "summit") == Status.CANCELLED


def test_a_participle_in_apposition_describes_the_event_and_the_new_date_is_the_plan():
    text = "The summit of President Lula and Chancellor Friedrich Merz, postponed last week, will now take place on 12 November in Brasília."
    assert _status(text, "en", "summit") == Status.PLANNED
    text = "The summit of President Lula and Chancellor Friedrich Merz in Brasília has been postponed and will now take place on 12 November."
    assert _status(text, "en", "summit") == Status.POSTPONED
