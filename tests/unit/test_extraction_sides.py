"""Who an event is of and where, as news prose writes them: two sides written as one
compound by the event word are its sides ahead of any other name of the sentence; an
envoy titled by a side speaks for it; a city in the possessive owning no venue ("Tehran's
nuclear programme") or a capital named bare as a side's government is no venue, nor is a
dateline's city."""

from __future__ import annotations

import pytest

from tests.unit.extraction_text import extracted


def _found(text: str, language: str = "en"):
    found = extracted(text, language)
    assert found, text
    return found


def _places(text: str, language: str = "en") -> set[str | None]:
    return {m.location for m in _found(text, language)}


def _sides(text: str, language: str = "en") -> set[tuple[str, ...]]:
    return {tuple(m.actors) for m in _found(text, language)}


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
    assert _sides(text, language) == {tuple(sides)}


PLACES = [
    # a city in the possessive owning no venue, building or event stands for its government
    ("Talks between the US and Iran over Tehran's nuclear programme will be held on Saturday.", "en", None),
    ("Taylor Swift's concert was cancelled over London's new security rules.", "en", None),
    ("Taylor Swift's concert at London's Wembley Stadium was cancelled.", "en", "London"),
    ("Berlin: Berlin's new international airport can open next month after a nine-year delay.", "en", "Berlin"),
    # a dateline is where the report was written
    ("Berlin (AFP) Nach den Explosionen am Mannschaftsbus ist das Spiel von Borussia Dortmund gegen den AS Monaco abgesagt worden.", "de", None),
    ("LONDON, April 11 (Reuters) - The concert of Taylor Swift was cancelled.", "en", None),
    ("TOKYO (AFP, REUTERS) - The Tokyo Paralympics opened on Tuesday after a year-long delay.", "en", "Tokyo"),
    # a capital named bare for its government, one of the sides
    ("The sanctions prompted Tehran to resume the nuclear talks between Iran and the United States.", "en", None),
    ("The talks between Iran and the United States in Tehran were postponed.", "en", "Tehran"),
    ("Paris and Berlin postponed the Franco-German Council of Ministers, which was to be held at a castle, southeast of Paris.", "en", "Paris"),
]


@pytest.mark.parametrize(("text", "language", "place"), PLACES)
def test_where_the_event_is(text, language, place):
    assert _places(text, language) == {place}


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        (
            "Iranian Foreign Minister Hamid Rostami will attend the fourth round of indirect talks with the United States on Sunday.",
            "en",
            ["Hamid Rostami", "Iran", "United States"],
        ),
        ("Chief EU negotiator Pierre Lemaire and Jonas Berg will hold talks in London next week.", "en", ["EU", "Jonas Berg", "Pierre Lemaire"]),
    ],
)
def test_an_envoy_titled_by_a_side_speaks_for_it(text, language, sides):
    assert _sides(text, language) == {tuple(sides)}


def test_a_summit_of_heads_names_only_the_heads():
    assert all("Iran" not in sides for sides in _sides("Iranian President Hamid Rostami and Omani Sultan Tarik Salem will meet at a summit in Muscat on Sunday."))
