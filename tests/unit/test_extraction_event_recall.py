"""Recall of the event itself: sentences that name an event by words the kind lists did
not hold (a recurring event's own name, a compound whose head stands after a hyphen, a
trade fair, a launch named by what is sent into space), each on sentences written for it."""

from __future__ import annotations

from schemas import Status
from tests.unit.extraction_text import extracted


def _claims(text: str, language: str = "de", kind: str | None = None) -> list[tuple[str, list[str], Status]]:
    return [(m.type, m.actors, m.status) for m in extracted(text, language, background=False) if kind is None or m.type == kind]


def test_a_recurring_event_named_alone_is_its_kind():
    """The gazetteer says which kind a recurring event is (``type``): its name alone is
    the event word, in either language."""
    cases = [
        ("Die Vuelta wird wegen der Unwetter um eine Woche verschoben.", "de", ("race", ["Vuelta a España"], Status.POSTPONED)),
        ("Die Kieler Woche fällt in diesem Jahr aus.", "de", ("festival", ["Kieler Woche"], Status.CANCELLED)),
        ("Der Genfer Autosalon ist abgesagt worden.", "de", ("conference", ["Geneva International Motor Show"], Status.CANCELLED)),
        ("The Giro d'Italia has been postponed.", "en", ("race", ["Giro d'Italia"], Status.POSTPONED)),
    ]
    for text, language, claim in cases:
        assert _claims(text, language) == [claim], text


def test_a_league_known_by_name_is_no_event_word():
    """Only entries that say their kind name one: a league is no event."""
    assert _claims("Die Bundesliga wird verschoben.") == []


def test_a_classic_qualified_by_cycling_is_a_race():
    found = _claims("Der Frühjahrsklassiker in Flandern ist abgesagt worden.", kind="race")
    assert [status for _, _, status in found] == [Status.CANCELLED], found


def test_a_head_after_a_hyphen_names_its_kind_where_its_letters_alone_would_not():
    """"Rennen" heads no compound written as one word ("trennen"), but after a hyphen it
    is a word of its own: "Kopfsteinpflaster-Rennen" is a race, also in the genitive."""
    assert _claims("Das Kopfsteinpflaster-Rennen von Roubaix wurde abgesagt.", kind="race") == [("race", ["Roubaix"], Status.CANCELLED)]
    found = _claims("Die nächste Auflage des Straßenrad-Rennens von Roubaix wurde verschoben.", kind="race")
    assert [status for _, _, status in found] == [Status.POSTPONED], found
    assert _claims("Die Behörden trennen die Fans von Roubaix, das wurde verschoben.", kind="race") == []


def test_an_event_word_and_the_name_beside_it_are_one_event():
    """"der Rad-Klassiker Paris-Roubaix": two words of one kind side by side name one event."""
    found = extracted("Der Rad-Klassiker Paris-Roubaix ist abgesagt worden.")
    assert [(m.type, m.actors, m.status) for m in found] == [("race", ["Paris-Roubaix"], Status.CANCELLED)], found


def test_a_trade_fair_or_show_is_a_conference():
    assert _claims("The travel fair in Berlin has been called off.", "en") == [("conference", ["Berlin"], Status.CANCELLED)]
    found = _claims("Organisers postponed the Detroit motor show until next year.", "en", kind="conference")
    assert [status for _, _, status in found] == [Status.POSTPONED], found


def test_the_start_of_what_is_sent_into_space_is_a_launch():
    assert _claims("Der Start des Satelliten Sentinel-6 verzögert sich erneut.") == [("launch", ["Sentinel-6"], Status.POSTPONED)]
    found = _claims("Die Raumsonde Juice soll am Freitag ins All geschossen werden.", kind="launch")
    assert [status for _, _, status in found] == [Status.PLANNED], found


def test_a_delay_that_slips_is_a_postponement():
    """"verzögert sich": the event's date slips, for any kind of event."""
    found = _claims("Das Konzert von Helene Fischer in Hamburg verzögert sich.", kind="concert")
    assert [status for _, _, status in found] == [Status.POSTPONED], found


def test_a_definite_event_word_without_participants_is_the_event_named_before():
    """"Das Rennen wurde abgesagt" after a sentence naming the race: the event named
    before in the paragraph, with its participants and place (not nobody, not whoever
    is named nearby)."""
    text = "Das Radrennen Rund um Köln war für Juni geplant. Wegen der Unwetter hat der Veranstalter das Rennen abgesagt."
    assert _claims(text, kind="race") == [("race", ["Cologne"], Status.PLANNED), ("race", ["Cologne"], Status.CANCELLED)]



def test_talks_about_an_agreement_are_a_negotiation_round():
    """Talks named by their subject are negotiations ("Atomgespräche"), and so are talks
    about an agreement named after them, the agreement's compound read to its end."""
    assert _claims("In Genf sind die Gespräche über das neue Handelsabkommen mit Japan wieder angelaufen.") == [("negotiation_round", ["Japan"], Status.TOOK_PLACE)]
    found = _claims("Talks on a new trade agreement between Canada and Mexico resumed in Ottawa on Monday.", "en")
    assert found == [("negotiation_round", ["Canada", "Mexico"], Status.TOOK_PLACE)], found
    assert [kind for kind, _, _ in _claims("Die Gespräche über das Wetter mit Japan in Genf sind angelaufen.")] != ["negotiation_round"]


def test_an_event_named_by_its_own_kind_of_name():
    """A Biennale is a festival, an Expo a fair; a grand-slam Open is named by the
    gazetteer with its kind."""
    assert _claims("Die Biennale in Venedig wurde verschoben.") == [("festival", ["Venice"], Status.POSTPONED)]
    assert _claims("Die Expo in Osaka wird um ein Jahr verschoben.", kind="conference") == [("conference", ["Osaka"], Status.POSTPONED)]
    assert _claims("The Australian Open will go ahead as planned.", "en") == [("tournament", ["Australian Open"], Status.PLANNED)]
    assert _claims("Die French Open wurden auf September verschoben.") == [("tournament", ["French Open"], Status.POSTPONED)]


def test_an_event_shifted_from_one_date_to_another_is_postponed():
    """"shift the Open from May to September": a move of the date, in the event's own
    clause, wins over a call-off of other events in the clause before."""
    found = _claims("The indoor season is canceled until June, while officials opted to shift the Australian Open from January to March.", "en", kind="tournament")
    assert found == [("tournament", ["Australian Open"], Status.POSTPONED)], found


def test_an_edition_is_the_recurring_event_named_before():
    """"Die diesjährige Ausgabe", "the 2026 edition": an edition of the event just named."""
    assert _claims("Die Vuelta ist das wichtigste Rennen Spaniens. Die diesjährige Ausgabe wurde abgesagt.") == [("race", ["Vuelta a España"], Status.CANCELLED)]
    found = _claims("The Giro d'Italia is Italy's biggest race. Organisers said on Monday that the 2026 edition has been cancelled.", "en")
    assert [(kind, actors, status) for kind, actors, status in found] == [("race", ["Giro d'Italia"], Status.CANCELLED)], found
    assert _claims("Die Vuelta ist das wichtigste Rennen Spaniens. Die Ausgabe der Zeitung wurde abgesagt.") == []


def test_a_vehicles_first_flight_is_a_launch():
    """News names a new rocket's debut by its first flight ("Erststart", "Erstflug",
    "inaugural flight") as often as by its launch; a first flight reported to have gone
    well ("ist erfolgreich verlaufen") took place."""
    cases = [
        ("Der Erststart der neuen Trägerrakete Vega-C ist erneut verschoben worden.", "de", Status.POSTPONED),
        ("Der Erstflug der Trägerrakete Vega-C ist am Mittwoch erfolgreich verlaufen.", "de", Status.TOOK_PLACE),
        ("The company Rocket Lab will stage the inaugural flight of its Neutron rocket on Thursday.", "en", Status.PLANNED),
    ]
    for text, language, status in cases:
        assert [(kind, st) for kind, _, st in _claims(text, language)] == [("launch", status)], text
