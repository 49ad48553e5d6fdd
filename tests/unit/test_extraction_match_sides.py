"""The two sides of a game as sports news names them: a pair before a verb only two sides
do together, a club's letters after its town's adjective, a pair right after its event
word, the ground of an away game."""

from __future__ import annotations

import pytest

from tests.unit.extraction_text import extracted


def _sides(text: str, language: str) -> list[list[str]]:
    return [m.actors for m in extracted(text, language) if m.type == "match"]


@pytest.mark.parametrize(
    ("text", "language", "sides"),
    [
        ("Real Madrid and Barcelona drew 1-1 in the Clasico on Sunday.", "en", ["Barcelona", "Real Madrid"]),
        ("Lyon and Marseille drew 2-2 at the weekend.", "en", ["Lyon", "Marseille"]),
        ("Bayern und Dortmund trennten sich am Samstag 2:2.", "de", ["Bayern Munich", "Borussia Dortmund"]),
    ],
)
def test_a_pair_before_a_verb_two_sides_do_together_is_the_two_sides(text, language, sides):
    assert _sides(text, language) == [sides]


def test_a_clubs_letters_after_its_towns_adjective_are_its_name():
    assert _sides("Das Bundesligaspiel zwischen dem Hamburger SV und Bayer Leverkusen ist abgesagt worden.", "de") == [["Bayer Leverkusen", "Hamburger SV"]]


def test_a_pair_right_after_its_event_word_is_that_events():
    text = "Sowohl das Duell zwischen St. Pauli und RB Leipzig als auch das Spiel zwischen Werder Bremen und Union Berlin konnten nicht stattfinden."
    assert _sides(text, "de") == [["RB Leipzig", "St Pauli"], ["Union Berlin", "Werder Bremen"]]


def test_the_ground_of_an_away_game_is_the_other_side():
    assert _sides("Manchester United's away game at Brentford on Tuesday was postponed after a Covid outbreak.", "en") == [["Brentford", "Manchester United"]]
