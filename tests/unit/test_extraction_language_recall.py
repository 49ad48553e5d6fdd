"""Recall by how the language reports an event, not by any one story: a paragraph an
agency's credit closes, an election whose country the article names elsewhere or only
by its people, a round of talks counted as such, a result that says the event was held."""

from __future__ import annotations

from schemas import Status
from tests.unit.extraction_text import extracted, found_claims as _found


def test_a_paragraph_an_agency_credit_closes_is_the_agencys_text():
    text = ("Lima. In Peru hat am Sonntag die Präsidentschaftswahl stattgefunden. "
            "Die amtlichen Ergebnisse werden am Freitag erwartet. (Reuters)")
    assert ("election", ["Peru"], Status.TOOK_PLACE) in _found(text, kind="election")
    text = "Quito. The presidential election in Ecuador was held on Sunday. Results are due on Friday. (AFP)"
    assert ("election", ["Ecuador"], Status.TOOK_PLACE) in _found(text, "en", kind="election")


def test_a_caption_an_agency_credit_closes_stays_junk():
    assert _found("Der Ministerrat der beiden Länder trifft sich am Sonntag in Paris. (imago)") == []
    assert _found("Fans vor dem Stadion am Samstag, als das Spiel abgesagt wurde. (dpa)") == []


def test_talks_counted_in_rounds_are_a_negotiations_rounds():
    for text, language in (
        ("The third round of indirect talks between Chile and Peru, which was set for Saturday in Lima, has been postponed.", "en"),
        ("Die dritte Runde der Grenzgespräche zwischen Chile und Peru in Lima wurde verschoben.", "de"),
        ("Eine neue Runde indirekter Gespräche zwischen Chile und Peru wurde verschoben.", "de"),
    ):
        found = _found(text, language)
        assert [(kind, status) for kind, actors, status in found if "Chile" in actors] == [("negotiation_round", Status.POSTPONED)], (text, found)


def test_an_editions_ordinal_ends_no_sentence():
    from consumers.extraction.text import split_sentences

    assert split_sentences("Mit seinem Sieg zum Auftakt des 105. Giro d'Italia hat Ganna das Trikot übernommen.") == [
        "Mit seinem Sieg zum Auftakt des 105. Giro d'Italia hat Ganna das Trikot übernommen."
    ]
    assert len(split_sentences("Die 128. Kieler Woche ist eröffnet. Bei der denkwürdigen 119. Auflage siegte er.")) == 2
    assert split_sentences("Die Zahl der Verletzten stieg auf 103. Die Polizei ermittelt.") == ["Die Zahl der Verletzten stieg auf 103.", "Die Polizei ermittelt."]
    found = _found("Zum Auftakt des 105. Giro d'Italia hat der Italiener Filippo Ganna das Zeitfahren in Turin gewonnen.", kind="race")
    assert [status for _, actors, status in found if "Giro d'Italia" in actors] == [Status.TOOK_PLACE], found


def test_a_tours_start_is_its_first_concert():
    found = _found("Der Tourstart von Sängerin Lena Berg, der am Dienstag in Bremen stattfinden sollte, musste verschoben werden.", kind="concert")
    assert [(actors, status) for _, actors, status in found] == [(["Lena Berg"], Status.POSTPONED)], found
    found = _found("Singer Lena Berg's tour opener in Dublin has been postponed.", "en", kind="concert")
    assert [(actors, status) for _, actors, status in found] == [(["Lena Berg"], Status.POSTPONED)], found


def test_a_generic_word_for_a_vote_names_the_leads_election_or_referendum():
    found = _found("Die Abstimmung in Peru fand am Sonntag statt.", title="Präsidentschaftswahl in Peru")
    assert found == [("election", ["Peru"], Status.TOOK_PLACE)], found
    found = _found("Polls opened at 8 a.m. on Sunday in Chile.", "en", title="Chile votes in constitutional referendum")
    assert found == [("referendum", ["Chile"], Status.TOOK_PLACE)], found


def test_a_generic_word_for_a_vote_stays_a_vote_without_such_a_lead():
    found = _found("Das Parlament in Lima stimmt am Dienstag über den Haushalt ab. Die Abstimmung wurde auf Freitag verschoben.")
    assert not any(kind in ("election", "referendum") for kind, _, _ in found), found


def test_the_ceremony_that_opens_a_championship_is_the_championship():
    """The opening ceremony of the Games is their first day, not a story of its own: in a
    report whose headline and lead name a championship or festival, its ceremony is that event."""
    found = _found("The opening ceremony of the Olympic Games in Paris will be held on the Seine on Friday.", "en", title="Paris prepares for the Olympic Games")
    assert {kind for kind, _, _ in found} == {"tournament"}, found
    found = _found("The Olympic Games in Paris began on Friday. The opening ceremony was held on the Seine in front of 300,000 people.", "en")
    assert {(kind, status) for kind, _, status in found} == {("tournament", Status.TOOK_PLACE)}, found
    found = _found("Die Olympischen Spiele in Paris haben begonnen. Die Eröffnungsfeier fand am Freitag auf der Seine statt.")
    assert {(kind, status) for kind, _, status in found} == {("tournament", Status.TOOK_PLACE)}, found


def test_a_ceremony_without_such_a_lead_stays_a_ceremony():
    found = _found("The opening ceremony of the new bridge in Genoa was held on Monday.", "en")
    assert found == [("ceremony", ["Genoa"], Status.TOOK_PLACE)], found


def test_the_people_who_go_to_the_polls_are_the_elections_country():
    found = _found("Kenyans will go to the polls on Tuesday to elect a new president.", "en", kind="election")
    assert found == [("election", ["Kenya"], Status.PLANNED)], found
    found = _found("Die Wahl des kenianischen Präsidenten wurde verschoben.", kind="election")
    assert found == [("election", ["Kenya"], Status.POSTPONED)], found


def test_a_victory_in_an_election_says_it_was_held():
    found = _found("Das Verfassungsgericht hat den Sieg des Oppositionskandidaten Luis Mora bei der Präsidentschaftswahl in Peru bestätigt.", kind="election")
    assert found == [("election", ["Peru"], Status.TOOK_PLACE)], found
    found = _found("The court confirmed the victory in the presidential election in Peru of opposition candidate Luis Mora.", "en", kind="election")
    assert found == [("election", ["Peru"], Status.TOOK_PLACE)], found


def test_several_events_called_off_at_once_fall_out_in_the_plural():
    """German calls off several events as often in the plural or the infinitive of
    "ausfallen" as in the singular ("Diese Konzerte fallen im April aus")."""
    found = _found("Damit fallen die Konzerte von Sting in Hamburg und Leipzig aus.", kind="concert")
    assert found == [("concert", ["Sting"], Status.CANCELLED)] * 2
    assert _found("Die Auftritte von Sting in Hamburg fielen wegen einer Erkrankung aus.", kind="concert") == [("concert", ["Sting"], Status.CANCELLED)]
    assert _found("Auch die Konzerte von Sting in Hamburg werden ausfallen.", kind="concert") == [("concert", ["Sting"], Status.CANCELLED)]


def test_flights_that_fall_out_in_a_strike_still_say_it_was_held():
    assert _found("Wegen des Streiks bei der Lufthansa fielen am Donnerstag 1500 Flüge aus.", kind="strike") == [("strike", ["Lufthansa"], Status.TOOK_PLACE)]
