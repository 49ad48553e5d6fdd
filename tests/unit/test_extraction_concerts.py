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
