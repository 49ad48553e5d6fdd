"""Concerts as music news tells them: who performs at a place or before a crowd gives a
concert, and whoever a German concert is "von" gives it, whatever else the word means."""

from __future__ import annotations

import pytest

from schemas import Status
from tests.unit.extraction_text import extracted


@pytest.mark.parametrize(
    ("text", "performer", "status"),
    [
        ("Coldplay will perform at Wembley Stadium on August 15.", "Coldplay", Status.PLANNED),
        ("Beyonce performed in front of 60,000 fans at the Stade de France on Saturday.", "Beyonce", Status.TOOK_PLACE),
    ],
)
def test_who_performs_at_a_place_gives_a_concert(text, performer, status):
    (found,) = extracted(text, "en")
    assert (found.type, found.actors, found.status) == ("concert", [performer], status)


def test_performing_well_is_no_concert():
    assert not extracted("The team failed to perform at the highest level on Saturday.", "en")


def test_whoever_a_german_concert_is_von_gives_it():
    (found,) = extracted("Das Konzert von Adele in München musste abgesagt werden.", "de")
    assert (found.type, found.actors, found.location, found.status) == ("concert", ["Adele"], "Munich", Status.CANCELLED)


def _places_and_statuses(text: str, language: str) -> set[tuple[str | None, Status]]:
    return {(m.location, m.status) for m in extracted(text, language, background=False) if m.type == "concert" and m.actors == ["Sting"]}


def test_a_list_of_what_a_turn_hits_takes_that_turn_for_each_event_listed():
    """News tells a delay in general ("verschiebt vier seiner Konzerte in Deutschland") and
    then lists what it hits ("Betroffen ist ...", "Affected are ..."), each with its place:
    the events listed take the turn."""
    text = ("Wegen einer Erkrankung verschiebt der britische Musiker Sting kurzfristig vier seiner Konzerte in Deutschland. "
            "Betroffen ist der Auftritt in Hamburg an diesem Sonntagabend sowie die Konzerte in Leipzig (Montag), Köln (Mittwoch) und Oberhausen (Donnerstag).")
    assert {("Hamburg", Status.POSTPONED), ("Leipzig", Status.POSTPONED), ("Cologne", Status.POSTPONED)} <= _places_and_statuses(text, "de")
    text = "British musician Sting has cancelled his European tour. Affected are the concerts in Hamburg and Cologne."
    assert _places_and_statuses(text, "en") == {("Hamburg", Status.CANCELLED), ("Cologne", Status.CANCELLED)}


def test_a_list_of_what_is_hit_takes_no_turn_that_was_not_told():
    """Without a turn just before (a plan, a hedge, a recounted one), a list of what is hit
    says nothing of its events."""
    assert _places_and_statuses("Sting könnte seine Tour absagen. Betroffen wären die Konzerte in Hamburg und Köln.", "de") == set()
    assert _places_and_statuses("Sting spielt am Sonntag in Leipzig. Betroffen sind die Konzerte in Hamburg und Köln nicht.", "de") <= {("Leipzig", Status.PLANNED)}
    text = "Der britische Musiker Sting verschiebt sein Konzert in Leipzig. Betroffen sind die Konzerte in Hamburg und Köln nicht."
    assert _places_and_statuses(text, "de") == {("Leipzig", Status.POSTPONED)}


@pytest.mark.parametrize(
    ("text", "language", "places"),
    [
        ("Sting verschiebt vier seiner Konzerte. Betroffen sind neben dem für Montag vorgesehenen Auftritt in der Leipziger Arena "
         "auch Auftritte in Hamburg an diesem Sonntag sowie die Konzerte in Köln (Mittwoch) und Oberhausen (Donnerstag).", "de",
         {"Leipzig", "Hamburg", "Cologne", "Oberhausen"}),
        ("British musician Sting has postponed his European tour. Affected are the concert at the arena in Leipzig as well as the concerts in Hamburg and Cologne.", "en",
         {"Leipzig", "Hamburg", "Cologne"}),
    ],
)
def test_each_event_word_of_a_clause_takes_the_place_nearest_it_and_a_list_after_it(text, language, places):
    """Several event words of one kind in one clause, each with its own place ("neben dem
    Auftritt in der Leipziger Arena auch Auftritte in Hamburg sowie die Konzerte in Köln"):
    one event per place, not the clause's surest place for all; a list's last member after
    an aside is a place, no performer."""
    found = [m for m in extracted(text, language, background=False) if m.type == "concert" and m.evidence.startswith(("Betroffen", "Affected"))]
    assert {m.location for m in found} == places and all(m.actors == ["Sting"] for m in found)


def test_a_list_of_places_before_the_event_word_s_own_place_is_still_its_list():
    text = "Weitere Konzerte von Sting sind am 11. April in Oberhausen und am 13. April in Köln geplant."
    assert _places_and_statuses(text, "de") == {("Oberhausen", Status.PLANNED), ("Cologne", Status.PLANNED)}


@pytest.mark.parametrize(
    ("text", "language", "status"),
    [
        ("The start of Madonna's Madame X tour has been delayed.", "en", Status.POSTPONED),
        ("The singer Adele has postponed the launch of her world tour.", "en", Status.POSTPONED),
        ("The singer Pink kicked off her stadium tour in Cardiff on Saturday.", "en", Status.TOOK_PLACE),
        ("Der Anfang der Welttour von Popstar Pink wird sich um zwei Wochen verspäten.", "de", Status.POSTPONED),
        ("Der Auftakt der Tournee von Helene Fischer ist verschoben worden.", "de", Status.POSTPONED),
    ],
)
def test_the_start_a_tour_is_named_by_is_its_first_concert(text, language, status):
    """A tour's start is its first show, at one place, also where news names it by the
    start of the tour ("the start of her tour", "kicked off her world tour", "der Anfang
    der Welttour"), not only by one word ("Tourstart", "tour opener")."""
    assert [(m.type, m.status) for m in extracted(text, language)] == [("concert", status)], text
