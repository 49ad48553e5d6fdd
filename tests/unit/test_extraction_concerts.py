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
