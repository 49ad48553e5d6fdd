"""Seats of government as the sides of diplomacy: "Washington and Beijing will hold trade
talks" names the two governments, as "the United States and China" would."""

from __future__ import annotations

import pytest

from tests.unit.extraction_text import extracted


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        ("Washington and Beijing will hold trade talks in Stockholm next week.", "en", ["China", "United States"]),
        ("Beijing and Tokyo held talks in Geneva on Monday.", "en", ["China", "Japan"]),
        ("Tehran and Washington have held two rounds of indirect talks in Muscat.", "en", ["Iran", "United States"]),
        ("Moskau und Kiew vertagten die Friedensgespräche in Istanbul auf Montag.", "de", ["Russia", "Ukraine"]),
    ],
)
def test_two_seats_of_government_named_as_a_pair_are_their_governments(text, language, sides):
    (found,) = extracted(text, language)
    assert found.actors == sides


def test_two_cities_of_one_country_are_no_governments():
    assert not any(m.actors == ["Germany"] for m in extracted("Berlin und München vertagten die Gespräche auf Montag.", "de"))


def test_a_seat_named_alone_is_where_the_talks_are():
    (found,) = extracted("Iran and the United States held indirect talks in Muscat on Saturday.", "en")
    assert found.actors == ["Iran", "United States"] and found.location == "Muscat"


def test_seats_speak_only_for_kinds_of_governments():
    """A concert in two capitals is two concerts there, not one of two governments."""
    assert all("France" not in m.actors for m in extracted("Adele's concerts in Berlin and Paris were cancelled.", "en"))
