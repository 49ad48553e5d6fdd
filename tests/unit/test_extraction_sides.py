"""Who an event is of and where, as news prose writes them: two sides written as one
compound by the event word are its sides ahead of any other name of the sentence; a city
in the possessive owning no venue ("Tehran's nuclear programme") stands for its
government and is no venue."""

from __future__ import annotations

import pytest

from tests.unit.extraction_text import extracted


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        (
            "Jonas Berg told reporters on Thursday that the fourth round of indirect Iran-US talks was postponed at the suggestion of the Omani foreign minister.",
            "en",
            ["Iran", "United States"],
        ),
        ("Spokesman Peter Hall said the EU-China summit in Brussels was postponed.", "en", ["China", "EU"]),
        ("Die deutsch-französischen Regierungskonsultationen in Paris wurden verschoben, sagte Sprecher Jonas Berg.", "de", ["France", "Germany"]),
    ],
)
def test_two_sides_compounded_by_the_event_word_are_its_sides(text, language, sides):
    found = extracted(text, language)
    assert found, text
    assert {tuple(m.actors) for m in found} == {tuple(sides)}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Talks between the US and Iran over Tehran's nuclear programme will be held on Saturday.", None),
        ("Taylor Swift's concert was cancelled over London's new security rules.", None),
        ("Taylor Swift's concert at London's Wembley Stadium was cancelled.", "London"),
        ("Berlin: Berlin's new international airport can open next month after a nine-year delay.", "Berlin"),
    ],
)
def test_a_city_owning_no_venue_is_no_venue(text, place):
    found = extracted(text, "en")
    assert found, text
    assert {m.location for m in found} == {place}
